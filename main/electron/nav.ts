// Pure URL policy, kept apart from main.ts so it can be unit-tested without Electron.

/**
 * The page the window may show: the dev server's origin in development, otherwise the bundled
 * index.html. Anything else (links, redirects, injected script) is refused.
 */
export function isAppUrl(target: string, appUrl: string): boolean {
  let t: URL;
  let a: URL;
  try {
    t = new URL(target);
    a = new URL(appUrl);
  } catch {
    return false;
  }
  if (a.protocol === 'file:') {
    // file: has no origin worth comparing, so only the exact bundled page counts
    return t.protocol === 'file:' && t.pathname === a.pathname;
  }
  return t.origin === a.origin;
}
