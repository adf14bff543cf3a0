// Watch semantics clients depend on, checked on the wire: headers at once, synthetic ADDED for an
// unset RV, resuming from a list RV, 410 Expired beyond the history, selector transitions,
// Table-encoded events, bookmarks and timeouts (on a hand-driven wall clock).
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Cluster } from '../main/engine/cluster.js';
import { ManualClock } from '../main/engine/clock.js';
import { tempDir } from './helpers/cluster.js';

let cluster: Cluster;
let wall: ManualClock;
let agent: https.Agent;

beforeAll(async () => {
  wall = new ManualClock(Date.now());
  const dir = tempDir();
  cluster = await Cluster.start({ dataDir: dir, port: 0, wall, watchHistory: 20, log: () => undefined });
  const kc = YAML.parse(readFileSync(path.join(dir, 'kubeconfig'), 'utf8'));
  const b64 = (s: string) => Buffer.from(s, 'base64');
  agent = new https.Agent({ ca: b64(kc.clusters[0].cluster['certificate-authority-data']), cert: b64(kc.users[0].user['client-certificate-data']), key: b64(kc.users[0].user['client-key-data']) });
});
afterAll(async () => {
  await cluster?.stop();
});

function request(method: string, p: string, body?: object, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${cluster.url}${p}`, { method, agent, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

interface Stream {
  events: any[];
  headersAt: number;
  ended: Promise<void>;
  close(): void;
}

function watch(p: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let buf = '';
    let endResolve: () => void;
    const ended = new Promise<void>((r) => (endResolve = r));
    const req = https.get(`${cluster.url}${p}`, { agent, headers }, (res) => {
      res.on('data', (d) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      resolve({ events, headersAt: events.length, ended, close: () => req.destroy() });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? endResolve() : reject(e)));
  });
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};
const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });

describe('watch', () => {
  it('answers with headers before any event, then synthetic ADDED for RV unset', async () => {
    await request('POST', '/api/v1/namespaces/default/configmaps', cm('w1', { app: 'a' }));
    const s = await watch('/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Da');
    await until(() => s.events.length === 1);
    expect(s.events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'w1' } } });
    s.close();
  });

  it('resumes from a list resourceVersion and reports selector transitions', async () => {
    const list = await request('GET', '/api/v1/namespaces/default/configmaps');
    const rv = list.json.metadata.resourceVersion;
    const s = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&labelSelector=app%3Da`);
    await request('POST', '/api/v1/namespaces/default/configmaps', cm('w2', { app: 'a' }));
    await request('PATCH', '/api/v1/namespaces/default/configmaps/w2', { data: { x: '1' } }, { 'Content-Type': 'application/merge-patch+json' });
    await request('PATCH', '/api/v1/namespaces/default/configmaps/w2', { metadata: { labels: { app: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await request('POST', '/api/v1/namespaces/default/configmaps', cm('other', { app: 'z' }));
    await until(() => s.events.length === 3);
    expect(s.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w2', 'MODIFIED w2', 'DELETED w2']);
    s.close();
  });

  it('answers 410 Expired for a resourceVersion older than the history', async () => {
    for (let i = 0; i < 25; i++) await request('POST', '/api/v1/namespaces/default/configmaps', cm(`fill-${i}`));
    const s = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
    await s.ended;
    expect(s.events).toHaveLength(1);
    expect(s.events[0].type).toBe('ERROR');
    expect(s.events[0].object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(s.events[0].object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('sends Table events with column definitions only on the first', async () => {
    const s = await watch('/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dw1', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    await until(() => s.events.length === 1);
    await request('PATCH', '/api/v1/namespaces/default/configmaps/w1', { data: { y: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await until(() => s.events.length === 2);
    expect(s.events[0].object.kind).toBe('Table');
    expect(s.events[0].object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(s.events[1].object.columnDefinitions ?? []).toEqual([]);
    expect(s.events[1].object.rows[0].cells.slice(0, 2)).toEqual(['w1', 1]);
    s.close();
  });

  it('sends bookmarks when allowed and ends at timeoutSeconds', async () => {
    const from = cluster.store.rev;
    const s = await watch('/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dnone&resourceVersion=' + from + '&allowWatchBookmarks=true&timeoutSeconds=90');
    wall.advance(61_000);
    await until(() => s.events.length === 1);
    expect(s.events[0]).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap' } });
    // the cluster keeps living (controllers write): the bookmark carries the revision it had reached
    expect(Number(s.events[0].object.metadata.resourceVersion)).toBeGreaterThanOrEqual(from);
    wall.advance(30_000);
    await s.ended;
  });
});
