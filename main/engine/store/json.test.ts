import { describe, expect, it } from 'vitest';
import { cloneJson, listJson, objectJson } from './json.js';

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
