import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors.js';
import { applyJsonPatch } from './jsonpatch.js';
import { PatchApplyError } from './util.js';

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'x', 'm~n': 'y' } },
  spec: { replicas: 1, list: ['a', 'b', 'c'], nil: null as null | string },
});

describe('applyJsonPatch', () => {
  const ok: Array<[string, unknown[], (d: ReturnType<typeof doc>) => void]> = [
    ['replace a scalar (kubectl patch --type=json)', [{ op: 'replace', path: '/spec/replicas', value: 3 }], (d) => (d.spec.replicas = 3)],
    ['add a new key', [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }], (d) => ((d.metadata.labels as Record<string, string>).tier = 'fe')],
    ['add overwrites an existing key', [{ op: 'add', path: '/spec/replicas', value: 2 }], (d) => (d.spec.replicas = 2)],
    ['add with - appends', [{ op: 'add', path: '/spec/list/-', value: 'd' }], (d) => d.spec.list.push('d')],
    ['add at an index inserts', [{ op: 'add', path: '/spec/list/1', value: 'x' }], (d) => d.spec.list.splice(1, 0, 'x')],
    ['add at index == length appends', [{ op: 'add', path: '/spec/list/3', value: 'x' }], (d) => d.spec.list.push('x')],
    ['negative index counts from the end (json-patch v4)', [{ op: 'remove', path: '/spec/list/-1' }], (d) => d.spec.list.pop()],
    ['remove a key', [{ op: 'remove', path: '/metadata/labels/app' }], (d) => delete (d.metadata.labels as Record<string, string>).app],
    ['remove a null-valued key', [{ op: 'remove', path: '/spec/nil' }], (d) => delete (d.spec as Record<string, unknown>).nil],
    ['remove an array item', [{ op: 'remove', path: '/spec/list/0' }], (d) => d.spec.list.shift()],
    ['replace on a missing object key adds it (v4 quirk)', [{ op: 'replace', path: '/spec/paused', value: true }], (d) => ((d.spec as Record<string, unknown>).paused = true)],
    ['~1 and ~0 escapes', [{ op: 'replace', path: '/metadata/annotations/a~1b', value: 'z' }, { op: 'remove', path: '/metadata/annotations/m~0n' }], (d) => {
      d.metadata.annotations['a/b'] = 'z';
      delete (d.metadata.annotations as Record<string, string>)['m~n'];
    }],
    ['copy', [{ op: 'copy', from: '/metadata/name', path: '/spec/copied' }], (d) => ((d.spec as Record<string, unknown>).copied = 'web')],
    ['move', [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], (d) => {
      delete (d.spec as Record<string, unknown>).replicas;
      (d.spec as Record<string, unknown>).count = 1;
    }],
    ['test passes then replace (rollout undo style)', [{ op: 'test', path: '/spec/list', value: ['a', 'b', 'c'] }, { op: 'replace', path: '/spec/list', value: [] }], (d) => (d.spec.list = [])],
    ['test null matches a missing key', [{ op: 'test', path: '/spec/missing', value: null }], () => {}],
    ['null body is an empty patch', null as unknown as unknown[], () => {}],
  ];
  it.each(ok)('%s', (_name, ops, mutate) => {
    const input = doc();
    const want = doc();
    mutate(want);
    expect(applyJsonPatch(input, ops)).toEqual(want);
    expect(input).toEqual(doc());
  });

  const invalid: Array<[string, unknown[]]> = [
    ['remove a missing key', [{ op: 'remove', path: '/spec/foo' }]],
    ['replace below a missing parent', [{ op: 'replace', path: '/spec/foo/bar', value: 1 }]],
    ['add below a missing parent', [{ op: 'add', path: '/spec/affinity/nodeAffinity', value: {} }]],
    ['replace an out-of-range index', [{ op: 'replace', path: '/spec/list/3', value: 'x' }]],
    ['add past the end', [{ op: 'add', path: '/spec/list/5', value: 'x' }]],
    ['non-numeric index', [{ op: 'add', path: '/spec/list/x', value: 'x' }]],
    ['failed test', [{ op: 'test', path: '/spec/replicas', value: 2 }]],
    ['test on a missing key with a value', [{ op: 'test', path: '/metadata/labels/nope', value: 'x' }]],
    ['move from a missing key', [{ op: 'move', from: '/spec/nope', path: '/spec/x' }]],
    ['unknown op', [{ op: 'upsert', path: '/spec/replicas', value: 1 }]],
    ['root path', [{ op: 'replace', path: '', value: {} }]],
  ];
  it.each(invalid)('422 generic Invalid: %s', (_name, ops) => {
    let err: unknown;
    try {
      applyJsonPatch(doc(), ops);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchApplyError);
    expect((err as StatusError).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });

  it('keeps json-patch text for logs', () => {
    expect(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 2 }])).toThrow(
      expect.objectContaining({ detail: 'testing value /spec/replicas failed: test failed' }),
    );
  });

  const bad: Array<[string, unknown, boolean, string]> = [
    ['object body', { op: 'add' }, false, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['object body, strict', { op: 'add' }, true, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['string item', ['x'], false, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    ['numeric op, strict', [{ op: 1, path: '/a' }], true, 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string'],
  ];
  it.each(bad)('400 BadRequest: %s', (_name, body, strict, message) => {
    expect(() => applyJsonPatch(doc(), body, { strict })).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message }));
  });
});
