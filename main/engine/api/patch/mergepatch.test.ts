import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './mergepatch.js';

describe('applyMergePatch', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['scale body', { spec: { replicas: 1, paused: true } }, { spec: { replicas: 3 } }, { spec: { replicas: 3, paused: true } }],
    ['label add (kubectl label)', { metadata: { labels: { app: 'web' } } }, { metadata: { labels: { tier: 'fe' } } }, { metadata: { labels: { app: 'web', tier: 'fe' } } }],
    ['label removal with null (kubectl label tier-)', { metadata: { labels: { app: 'web', tier: 'fe' } } }, { metadata: { labels: { tier: null } } }, { metadata: { labels: { app: 'web' } } }],
    ['null on a missing key is a no-op', { a: 1 }, { b: null }, { a: 1 }],
    ['lists replace', { spec: { list: [1, 2, 3] } }, { spec: { list: [4] } }, { spec: { list: [4] } }],
    ['nulls are pruned from inserted objects', { a: 1 }, { b: { c: null, d: 2 } }, { a: 1, b: { d: 2 } }],
    ['nulls are pruned from inserted lists', { a: 1 }, { b: [1, null, { x: null, y: 1 }] }, { a: 1, b: [1, { y: 1 }] }],
    ['object replaces a scalar (pruned)', { a: 1 }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ['scalar replaces an object', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['empty patch', { a: 1 }, {}, { a: 1 }],
    ['list patch replaces the document', { a: 1 }, [1, null, 2], [1, 2]],
  ];
  it.each(cases)('%s', (_name, doc, patch, want) => {
    const before = JSON.stringify(doc);
    expect(applyMergePatch(doc, patch)).toEqual(want);
    expect(JSON.stringify(doc)).toBe(before);
  });

  const errors: Array<[string, unknown, boolean, string]> = [
    ['null patch', null, false, 'Invalid JSON Patch'],
    ['scalar patch', 5, false, 'Invalid JSON Patch'],
    ['list patch, strict', [1], true, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
  ];
  it.each(errors)('400: %s', (_name, patch, strict, message) => {
    expect(() => applyMergePatch({ a: 1 }, patch, { strict })).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message }));
  });
});
