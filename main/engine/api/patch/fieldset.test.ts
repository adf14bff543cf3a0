import { describe, expect, it } from 'vitest';
import { comparePE, difference, fromFieldsV1, pathString, pathsOf, sortPEs, toFieldsV1, union } from './fieldset.js';

describe('fieldset', () => {
  const paths: Array<[string[], string]> = [
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'], '.spec.template.spec.containers[name="nginx"].image'],
    [['f:spec', 'f:containers', 'k:{"name":"a"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], '.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', 'v:"foo"'], '.metadata.finalizers[="foo"]'],
    [['f:list', 'i:3'], '.list[3]'],
  ];
  it.each(paths)('pathString %j', (path, want) => expect(pathString(path)).toBe(want));

  it('orders path elements like upstream: fields, keys, values, indices', () => {
    const pes = ['i:1', 'v:"b"', 'k:{"name":"b"}', 'f:b', 'v:2', 'k:{"name":"a"}', 'f:a', 'v:"a"'];
    expect([...pes].sort(comparePE)).toEqual(['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:2', 'v:"a"', 'v:"b"', 'i:1']);
  });

  const orders: string[][] = [
    ['i:1', 'v:"b"', 'k:{"name":"b"}', 'f:b', 'v:2', 'k:{"name":"a"}', 'f:a', 'v:"a"'],
    ['f:status', 'f:metadata', 'f:spec', 'f:apiVersion', 'f:Z', 'f:a_b', 'f:a'],
    ['k:{"port":8080,"protocol":"TCP"}', 'k:{"port":80,"protocol":"UDP"}', 'k:{"port":80,"protocol":"TCP"}', 'k:{"type":"Ready"}', 'k:{"type":"Initialized"}'],
    ['v:true', 'v:false', 'v:10', 'v:9', 'v:"10"', 'i:10', 'i:9', 'f:x'],
    [],
    ['f:only'],
  ];
  it.each(orders)('sortPEs agrees with sorting by comparePE: %j', (...pes) => {
    expect(sortPEs([...pes])).toEqual([...pes].sort(comparePE));
  });

  it('round-trips fieldsV1, writing "." first and keys sorted', () => {
    const v1 = { 'f:spec': { 'f:replicas': {}, 'f:containers': { 'k:{"name":"x"}': { 'f:image': {}, '.': {} } } }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } };
    expect(JSON.stringify(toFieldsV1(fromFieldsV1(v1)))).toBe(
      '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"x\\"}":{".":{},"f:image":{}}},"f:replicas":{}}}',
    );
  });

  it('iterates members before children at each level', () => {
    const s = fromFieldsV1({ 'f:spec': { 'f:template': { 'f:x': {} }, 'f:replicas': {} }, 'f:a': {} });
    expect(pathsOf(s).map(pathString)).toEqual(['.a', '.spec.replicas', '.spec.template.x']);
  });

  const A = { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:x': {} } }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } };
  const B = { 'f:spec': { 'f:replicas': {}, 'f:paused': {} } };
  const C = { 'f:status': { 'f:phase': {} } };
  const setOps: Array<[string, 'union' | 'difference', object, object, object]> = [
    ['union adds', 'union', A, B, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:paused': {}, 'f:replicas': {}, 'f:template': { 'f:x': {} } } }],
    ['union with a subset', 'union', A, { 'f:spec': { 'f:replicas': {} } }, A],
    ['union of disjoint sets', 'union', B, C, { 'f:spec': { 'f:paused': {}, 'f:replicas': {} }, 'f:status': { 'f:phase': {} } }],
    ['union with nothing', 'union', {}, C, C],
    ['difference removes and prunes emptied nodes', 'difference', B, { 'f:spec': { 'f:replicas': {}, 'f:paused': {} } }, {}],
    ['difference of disjoint sets', 'difference', A, C, A],
    ['difference keeps a node that is also a member', 'difference', A, { 'f:metadata': { 'f:labels': { 'f:app': {} } } }, { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:x': {} } } }],
  ];
  it.each(setOps)('%s, leaving both inputs as they were', (_name, op, x, y, want) => {
    const a = fromFieldsV1(x);
    const b = fromFieldsV1(y);
    const before = [JSON.stringify(toFieldsV1(fromFieldsV1(x))), JSON.stringify(toFieldsV1(fromFieldsV1(y)))];
    const got = (op === 'union' ? union : difference)(a, b);
    expect(pathsOf(got).map(pathString)).toEqual(pathsOf(fromFieldsV1(want)).map(pathString));
    expect([JSON.stringify(toFieldsV1(a)), JSON.stringify(toFieldsV1(b))]).toEqual(before);
  });

  it('shares what an operation leaves unchanged, so re-encoding it is free', () => {
    const a = fromFieldsV1(A);
    expect(union(a, fromFieldsV1({ 'f:spec': { 'f:replicas': {} } }))).toBe(a);
    expect(difference(a, fromFieldsV1(C))).toBe(a);
    const u = union(a, fromFieldsV1(B));
    expect(u.children.get('f:metadata')).toBe(a.children.get('f:metadata'));
    expect(toFieldsV1(u)['f:metadata']).toBe(toFieldsV1(a)['f:metadata']);
  });
});
