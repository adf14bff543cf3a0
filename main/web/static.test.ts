import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspFromHtml, FALLBACK_CSP, resolveStatic, startStaticServer, type StaticServer } from './static.js';

const root = mkdtempSync(path.join(tmpdir(), 'kubelab-static-'));
const html = `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'" /></head></html>`;
let srv: StaticServer;

beforeAll(async () => {
  writeFileSync(path.join(root, 'index.html'), html);
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, '..', `${path.basename(root)}-secret.txt`), 'secret');
  srv = await startStaticServer({ root, port: 0 });
});
afterAll(() => srv.close());

function get(p: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path: p, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${srv.port}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  it('serves the page with the page CSP plus frame-ancestors, and nosniff', async () => {
    const r = await get('/?token=abc');
    expect(r.status).toBe(200);
    expect(r.body).toBe(html);
    expect(r.headers['content-security-policy']).toBe("default-src 'self'; script-src 'self'; frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    ['POST', '/', 405],
    ['PUT', '/assets/app.js', 405],
    ['GET', '/assets', 404],
    ['GET', '/nope.js', 404],
    ['GET', `/..%2f${path.basename(root)}-secret.txt`, 400],
    // URL parsing turns %2e%2e into .. and clamps at the root: /etc/passwd under root, absent
    ['GET', '/%2e%2e/%2e%2e/etc/passwd', 404],
    ['GET', '/%E0%A4%A', 400],
  ])('%s %s → %i', async (method, p, status) => {
    expect((await get(p, { method })).status).toBe(status);
  });

  it('refuses foreign Host headers (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${srv.port}` })).status).toBe(200);
  });
});

describe('helpers', () => {
  it.each([
    ['/', '/r/index.html'],
    ['/a/b.js', '/r/a/b.js'],
    ['/../x', undefined],
    ['/a/../../x', undefined],
    ['/a%00.js', undefined],
    ['/a\\..\\x', undefined],
  ])('resolveStatic(%s) → %s', (p, expected) => {
    expect(resolveStatic('/r', p)).toBe(expected);
  });

  it('falls back to the built-in CSP when the page has none', () => {
    expect(cspFromHtml(undefined)).toBe(`${FALLBACK_CSP}; frame-ancestors 'none'`);
  });
});
