// Measurements 9 and 10 share one `npm run web` and one Chromium page, opened the way a learner
// opens the app (the printed URL with its token).
import { freshDir, loadAvg } from '../lib/cluster.js';
import { chromiumAvailable, launchChromium, openApp } from '../lib/browser.js';
import { startWeb } from '../lib/web.js';
import { measureEcho, type EchoResult } from './echo.js';
import { measureMap, type MapPlan, type MapResult } from './map.js';

export interface BrowserPlan {
  echoKeys: number;
  echoPerLine: number;
  map: MapPlan;
}

export interface BrowserResult {
  /** why nothing was measured (no chromium, the app did not start…) */
  skipped?: string;
  chromiumVersion?: string;
  /** page.goto → the shell prompt visible in the page's terminal, ms (one sample) */
  pageToPromptMs?: number;
  echo?: EchoResult;
  map?: MapResult;
  loads: { echo?: string; map?: string };
  /** console errors and page errors seen during the session */
  problems: string[];
}

export async function measureBrowser(plan: BrowserPlan, log: (s: string) => void): Promise<BrowserResult> {
  const res: BrowserResult = { loads: {}, problems: [] };
  if (!chromiumAvailable()) return { ...res, skipped: '/usr/bin/chromium is not installed' };
  res.loads.echo = loadAvg();
  const app = await startWeb(freshDir('kubelab-bench-ui-'));
  const browser = await launchChromium();
  try {
    res.chromiumVersion = browser.version();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    res.pageToPromptMs = await openApp(page, app.url.href, res.problems);
    log(`  page load → prompt visible: ${res.pageToPromptMs.toFixed(0)} ms`);
    try {
      res.echo = await measureEcho(page, plan.echoKeys, plan.echoPerLine, log);
    } catch (e) {
      res.problems.push(`echo: ${(e as Error).message.split('\n')[0]}`);
      log(`  echo failed: ${(e as Error).message}`);
    }
    log(`10. ${plan.map.replicas} pods on the map (--speed ${plan.map.speed}): heap, then frame times while they change`);
    res.loads.map = loadAvg();
    try {
      res.map = await measureMap(page, app.kubeconfig, plan.map, log);
    } catch (e) {
      res.problems.push(`map: ${(e as Error).message.split('\n')[0]}`);
      log(`  map failed: ${(e as Error).message}`);
    }
  } catch (e) {
    res.skipped = `the browser session failed: ${(e as Error).message.split('\n')[0]}`;
    log(`  ${res.skipped}`);
  } finally {
    await browser.close();
    await app.stop();
  }
  return res;
}
