// Loopback HTTP server for browser mode: serves the built renderer (out/renderer) read-only and
// hosts the bridge WebSocket. The page gets the same CSP as the desktop app (taken from its own
// <meta>), as a header so frame-ancestors applies too.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:*; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The CSP of the page's <meta http-equiv>, plus frame-ancestors (which only a header can set). */
export function cspFromHtml(html: string | undefined): string {
  const m = html && /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content="([^"]+)"/i.exec(html);
  const base = (m ? m[1]! : FALLBACK_CSP).replace(/\s+/g, ' ').trim().replace(/;\s*$/, '');
  return /frame-ancestors/.test(base) ? base : `${base}; frame-ancestors 'none'`;
}

/** The file under `root` a URL path names, or undefined when it would leave root or is malformed. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const abs = path.resolve(root, rel);
  const rootAbs = path.resolve(root);
  if (abs !== rootAbs && !abs.startsWith(rootAbs + path.sep)) return undefined;
  return abs;
}

export interface StaticServerOptions {
  root: string;
  port: number;
  /** shown instead of the app when the renderer was never built */
  missingMessage?: string;
}

export interface StaticServer {
  server: Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(o: StaticServerOptions): Promise<StaticServer> {
  const indexFile = path.join(o.root, 'index.html');
  const csp = cspFromHtml(existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined);
  let port = o.port;
  const hostOk = (h: string | undefined) => h === `127.0.0.1:${port}` || h === `localhost:${port}`;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    // the page URL carries the bridge token; never send it anywhere as a Referer
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // another site resolving its name to 127.0.0.1 (DNS rebinding) must not read our files
    if (!hostOk(req.headers.host)) return end(res, 403, 'Forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return end(res, 405, 'Method Not Allowed');
    }
    const urlPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveStatic(o.root, urlPath);
    if (!file) return end(res, 400, 'Bad Request');
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return end(res, 404, 'Not Found');
      size = st.size;
    } catch {
      if (urlPath === '/' && o.missingMessage) return end(res, 503, o.missingMessage);
      return end(res, 404, 'Not Found');
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    // hashed asset names may be cached; the page itself must be re-read after a rebuild
    res.setHeader('Cache-Control', file === indexFile ? 'no-store' : 'public, max-age=31536000, immutable');
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function end(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`${text}\n`);
}
