import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Harness } from '../testing/harness.js';
import { bindPod, handleBinding } from './binding.js';
import { StatusError } from './errors.js';
import type { RequestInfo } from './context.js';

function setup() {
  const h = new Harness({ bootstrap: false });
  const c = h.client;
  const pods = c.def('', 'pods');
  c.create(pods, { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  return { h, c, pods };
}

function fakeReq(body: unknown): IncomingMessage {
  const r = Readable.from([Buffer.from(JSON.stringify(body))]) as unknown as IncomingMessage;
  r.headers = { 'content-type': 'application/json' };
  return r;
}

function fakeRes() {
  const out: { code?: number; body?: string } = {};
  const res = {
    headersSent: false,
    writeHead(code: number) {
      out.code = code;
      return res;
    },
    end(text: string) {
      out.body = text;
    },
  } as unknown as ServerResponse;
  return { res, out };
}

describe('pods/binding', () => {
  it('sets nodeName and PodScheduled=True, keeping everything else', () => {
    const { h, c, pods } = setup();
    const before = c.get(pods, 'default', 'web')!;
    const after = bindPod(c, 'default', 'web', 'node01');
    expect((after.spec as { nodeName?: string }).nodeName).toBe('node01');
    expect((after.status as { conditions?: unknown[] }).conditions).toEqual([{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z' }]);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect((after.spec as { containers: unknown[] }).containers).toEqual((before.spec as { containers: unknown[] }).containers);
    expect(h.get('', 'pods', 'default', 'web')).toBe(after);
  });

  it.each([
    { name: 'already bound', prep: 'bind', uid: undefined, msg: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node01"' },
    { name: 'wrong uid', prep: '', uid: 'nope', msg: /^Operation cannot be fulfilled on pods\/binding "web": Precondition failed: UID in precondition: nope, UID in object meta: / },
  ])('409 when $name', ({ prep, uid, msg }) => {
    const { c } = setup();
    if (prep === 'bind') bindPod(c, 'default', 'web', 'node01');
    let err: unknown;
    try {
      bindPod(c, 'default', 'web', 'node02', { uid });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(409);
    expect((err as StatusError).reason).toBe('Conflict');
    expect((err as StatusError).message).toMatch(msg);
  });

  it('404 for a missing pod', () => {
    const { c } = setup();
    expect(() => bindPod(c, 'default', 'nope', 'node01')).toThrow('pods "nope" not found');
  });

  it('answers POST …/binding with 201 Status Success', async () => {
    const { h, c, pods } = setup();
    const ri: RequestInfo = { def: pods, namespace: 'default', name: 'web', subresource: 'binding', query: new URLSearchParams(), user: { username: 'admin', groups: ['system:masters'] } };
    const { res, out } = fakeRes();
    await handleBinding(h.ctx, ri, fakeReq({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node02' } }), res);
    expect(out.code).toBe(201);
    expect(JSON.parse(out.body!)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    expect((c.get(pods, 'default', 'web')!.spec as { nodeName?: string }).nodeName).toBe('node02');
    await expect(handleBinding(h.ctx, ri, fakeReq({ metadata: { name: 'web' }, target: { kind: 'Pod', name: 'x' } }), fakeRes().res)).rejects.toThrow(
      'Binding "web" is invalid: target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    );
    await expect(handleBinding(h.ctx, ri, fakeReq({ metadata: { name: 'other' }, target: { name: 'x' } }), fakeRes().res)).rejects.toThrow('name in URL does not match name in Binding object');
  });
});
