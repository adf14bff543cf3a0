import { describe, expect, it } from 'vitest';
import { cloneJson, cloneSharing, listJson, objectJson } from './json.js';

describe('listJson', () => {
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { 'app.kubernetes.io/name': 'x"y' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  it.each([
    ['a list with items', { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'abc' } }, [pod('a'), pod('b')]],
    ['an empty list', { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' } }, []],
    ['no head fields', {}, [pod('only')]],
  ])('%s: the same text JSON.stringify gives', (_name, head, items) => {
    const text = listJson(head, items);
    expect(text).toBe(JSON.stringify({ ...head, items }));
    expect(JSON.parse(text)).toEqual({ ...head, items });
  });
});

describe('objectJson', () => {
  it('serialises an object once and hands out that text again', () => {
    const o = { metadata: { name: 'a' }, data: { k: 'v' } };
    const first = objectJson(o);
    expect(first).toBe(JSON.stringify(o));
    // stored objects are never changed in place; this shows why that matters
    o.data.k = 'changed';
    expect(objectJson(o)).toBe(first);
    expect(objectJson({ ...o })).toBe(JSON.stringify(o));
  });
});

describe('cloneJson', () => {
  it.each([
    ['a pod-like object', { metadata: { name: 'a', labels: { x: '1' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }, status: { conditions: [{ type: 'Ready', lastProbeTime: null }] } }],
    ['an array of scalars', [1, 'two', true, null]],
    ['a scalar', 'text'],
    ['null', null],
    ['an object with an undefined value (kept, as structuredClone keeps it)', { a: undefined, b: 0 }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { k: { v: 1 } })],
  ])('%s: an equal, independent copy', (_name, value) => {
    const copy = cloneJson(value);
    expect(copy).toStrictEqual(structuredClone(value));
    if (value !== null && typeof value === 'object') {
      expect(copy).not.toBe(value);
      (copy as Record<string, unknown>)['added'] = 1;
      expect(value).not.toHaveProperty('added');
    }
  });

  it('shares nothing nested with the original', () => {
    const o = { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }] }] } };
    const c = cloneJson(o);
    c.spec.containers[0]!.env[0]!.value = '2';
    expect(o.spec.containers[0]!.env[0]!.value).toBe('1');
  });

  it('copies what is not plain JSON data (a Date) as structuredClone does', () => {
    const d = new Date(0);
    const c = cloneJson({ at: d });
    expect(c.at).toBeInstanceOf(Date);
    expect(c.at).not.toBe(d);
    expect(c.at.getTime()).toBe(0);
  });
});

describe('cloneSharing', () => {
  const prev = {
    phase: 'Pending',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ],
    containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }],
  };
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  it('returns the previous object itself when the content is the same', () => {
    expect(cloneSharing(prev, copy(prev))).toBe(prev);
  });

  it('shares the unchanged parts and copies the changed ones', () => {
    const next = copy(prev) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    next.phase = 'Running';
    next.conditions[1] = { type: 'Ready', status: 'True' };
    const out = cloneSharing(prev, next);
    expect(out).toEqual(next);
    expect(out).not.toBe(next);
    expect(out.conditions).not.toBe(prev.conditions);
    expect(out.conditions[0]).toBe(prev.conditions[0]);
    expect(out.conditions[1]).not.toBe(next.conditions[1]);
    expect(out.containerStatuses).toBe(prev.containerStatuses);
  });

  it.each([
    ['a key removed', (n: Record<string, unknown>) => delete n.phase],
    ['a key added', (n: Record<string, unknown>) => (n.podIP = '10.244.1.2')],
    ['a key set to undefined', (n: Record<string, unknown>) => (n.extra = undefined)],
    ['a list grown', (n: Record<string, unknown>) => (n.conditions as unknown[]).push({ type: 'PodScheduled', status: 'True' })],
    ['a list shrunk', (n: Record<string, unknown>) => (n.conditions as unknown[]).pop()],
    ['an object replaced by a list', (n: Record<string, unknown>) => (n.containerStatuses = [[]])],
  ])('%s: a new object equal to the input', (_name, change) => {
    const next = copy(prev) as Record<string, unknown>;
    change(next);
    const out = cloneSharing(prev, next);
    expect(out).not.toBe(prev);
    expect(out).toStrictEqual(next);
  });

  it('never hands back the input objects, so the caller may change them afterwards', () => {
    const next = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const out = cloneSharing(undefined, next);
    next.conditions[0]!.status = 'False';
    expect(out.conditions[0]!.status).toBe('True');
  });
});
