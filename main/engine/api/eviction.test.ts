import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import type { RequestInfo } from './context.js';
import { StatusError } from './errors.js';
import { handleEviction } from './eviction.js';
import { builtin } from './registry.js';

const PODS = builtin('', 'pods');

async function evict(h: Harness, name: string, body: unknown): Promise<{ code: number; body: unknown } | StatusError> {
  const req = Object.assign(Readable.from([Buffer.from(JSON.stringify(body))]), { method: 'POST', headers: { 'content-type': 'application/json' } }) as unknown as IncomingMessage;
  const out = { code: 0, body: undefined as unknown };
  const res = { writeHead: (code: number) => (out.code = code), end: (text: string) => (out.body = JSON.parse(text)) } as unknown as ServerResponse;
  const ri: RequestInfo = { def: PODS, namespace: 'default', name, subresource: 'eviction', query: new URLSearchParams(), user: { username: 'admin', groups: [] } };
  try {
    await handleEviction(h.ctx, ri, req, res);
    return out;
  } catch (e) {
    return e as StatusError;
  }
}

const eviction = (name: string, deleteOptions: object = {}) => ({ kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name, namespace: 'default' }, deleteOptions });

describe('handleEviction', () => {
  it.each([
    { name: 'bound pod: graceful deletion', nodeName: 'node01', opts: {}, code: 201, left: 'Terminating' },
    { name: 'bound pod, grace 0', nodeName: 'node01', opts: { gracePeriodSeconds: 0 }, code: 201, left: 'gone' },
    { name: 'pending pod', nodeName: undefined, opts: {}, code: 201, left: 'gone' },
    { name: 'dry run', nodeName: 'node01', opts: { dryRun: ['All'] }, code: 201, left: 'Running' },
  ])('$name', async ({ nodeName, opts, code, left }) => {
    const h = new Harness({ bootstrap: false });
    h.client.create(PODS, { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) } });
    if (nodeName) h.client.modifyStatus(PODS, 'default', 'p', (p) => void (p.status = { phase: 'Running' }));
    const r = await evict(h, 'p', eviction('p', opts));
    expect(r).toEqual({ code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
    const p = h.get('', 'pods', 'default', 'p');
    expect(!p ? 'gone' : p.metadata.deletionTimestamp ? 'Terminating' : 'Running').toBe(left);
    if (left === 'Terminating') {
      const conds = (p!.status as { conditions: Array<Record<string, unknown>> }).conditions;
      expect(conds.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    }
  });

  it('404 for a missing pod, 400 for a name mismatch', async () => {
    const h = new Harness({ bootstrap: false });
    const missing = (await evict(h, 'nope', eviction('nope'))) as StatusError;
    expect([missing.code, missing.message]).toEqual([404, 'pods "nope" not found']);
    h.client.create(PODS, { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const bad = (await evict(h, 'p', eviction('q'))) as StatusError;
    expect([bad.code, bad.message]).toEqual([400, 'name in URL does not match name in Eviction object']);
  });
});
