import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import { PRINTERS, defaultPrinter, printerFor } from './index.js';
import { metadataJson, parseIncludeObject, toTable, toTableJson, type TableOptions } from './table.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const nginx: KObj = {
  metadata: {
    name: 'nginx',
    namespace: 'default',
    uid: '6f1c',
    resourceVersion: '1059',
    creationTimestamp: '2025-06-01T11:59:10Z',
    labels: { run: 'nginx' },
    managedFields: [{ manager: 'kubectl-run', operation: 'Update' }],
  },
  spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx' }] },
  status: { phase: 'Succeeded', podIPs: [{ ip: '10.244.0.26' }], containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
};

describe('toTable', () => {
  it('serialises exactly like the apiserver (key order, PartialObjectMetadata, row conditions)', () => {
    const t = toTable({ group: '', kind: 'Pod', objects: [nginx], now: NOW, resourceVersion: '1100' });
    const json = JSON.stringify(t);
    expect(json.startsWith('{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"1100"},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name must be unique')).toBe(true);
    expect(JSON.stringify(t.rows)).toBe(
      '[{"cells":["nginx","0/1","Completed","0","50s","10.244.0.26","node-1","<none>","<none>"],' +
        '"conditions":[{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}],' +
        '"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":' + JSON.stringify(nginx.metadata) + '}}]',
    );
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  });

  it('includeObject=Object embeds the full object with its TypeMeta', () => {
    const t = toTable({ group: 'apps', kind: 'Deployment', objects: [{ metadata: { name: 'web' }, spec: { replicas: 2 } }], now: NOW, resourceVersion: '7', includeObject: 'Object' });
    expect(t.rows[0]?.object).toEqual({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web' }, spec: { replicas: 2 } });
    const withType: KObj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    expect(toTable({ group: '', kind: 'Pod', objects: [withType], now: NOW, resourceVersion: '7', includeObject: 'Object' }).rows[0]?.object).toBe(withType);
  });

  it('includeObject=None serialises object as null (RawExtension with no object)', () => {
    const t = toTable({ group: '', kind: 'Pod', objects: [nginx], now: NOW, resourceVersion: '7', includeObject: 'None' });
    expect(JSON.stringify(t.rows[0])).toMatch(/,"object":null}$/);
  });

  it('noHeaders leaves columnDefinitions null (watch events after the first)', () => {
    const t = toTable({ group: '', kind: 'Pod', objects: [nginx], now: NOW, resourceVersion: '1101', noHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(JSON.stringify(t)).toContain('"columnDefinitions":null,"rows":[{"cells":["nginx"');
  });

  it('list metadata: continue and remainingItemCount; empty list has rows []', () => {
    const t = toTable({ group: 'apps', kind: 'ReplicaSet', objects: [], now: NOW, resourceVersion: '42', continueToken: 'abc', remainingItemCount: 3 });
    expect(t.metadata).toEqual({ resourceVersion: '42', continue: 'abc', remainingItemCount: 3 });
    expect(t.rows).toEqual([]);
    expect(toTable({ group: '', kind: 'Pod', objects: [], now: NOW, resourceVersion: '' }).metadata).toEqual({});
  });

  it('kinds without a printer use the default convertor (Name, Created At as RFC3339)', () => {
    const t = toTable({
      group: 'example.com',
      kind: 'Widget',
      objects: [{ metadata: { name: 'w1', creationTimestamp: '2025-06-01T11:00:00Z' } }, { metadata: { name: 'w2' } }],
      now: NOW,
      resourceVersion: '9',
    });
    expect(t.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Created At', 'date', '', 0],
    ]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['w1', '2025-06-01T11:00:00Z'],
      ['w2', '0001-01-01T00:00:00Z'],
    ]);
  });
});

describe('toTableJson', () => {
  const running: KObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...structuredClone(nginx.metadata), name: 'web', annotations: { note: 'quote " and \\ and ü' } },
    spec: nginx.spec,
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'nginx', ready: true, restartCount: 2, state: { running: {} } }] },
  };
  const cases: Array<{ name: string; opts: TableOptions }> = [
    { name: 'pods, Metadata (row conditions on one)', opts: { group: '', kind: 'Pod', objects: [nginx, running], now: NOW, resourceVersion: '1100' } },
    { name: 'pods, Object', opts: { group: '', kind: 'Pod', objects: [nginx, running], now: NOW, resourceVersion: '1100', includeObject: 'Object' } },
    { name: 'pods, None', opts: { group: '', kind: 'Pod', objects: [running], now: NOW, resourceVersion: '1', includeObject: 'None' } },
    { name: 'continue and remainingItemCount', opts: { group: '', kind: 'Pod', objects: [running], now: NOW, resourceVersion: '5', continueToken: 'eyJ2Ijoi', remainingItemCount: 7 } },
    { name: 'watch event without headers', opts: { group: '', kind: 'Pod', objects: [nginx], now: NOW, resourceVersion: '1101', noHeaders: true } },
    { name: 'no rows, no resourceVersion', opts: { group: 'apps', kind: 'Deployment', objects: [], now: NOW, resourceVersion: '' } },
    { name: 'default printer, object without TypeMeta', opts: { group: 'example.com', kind: 'Widget', objects: [{ metadata: { name: 'w' } }], now: NOW, resourceVersion: '3', includeObject: 'Object' } },
    { name: 'Deployment without TypeMeta, Object', opts: { group: 'apps', kind: 'Deployment', objects: [{ metadata: { name: 'web' }, spec: { replicas: 2 } }], now: NOW, resourceVersion: '7', includeObject: 'Object' } },
  ];
  it.each(cases)('$name: the same text as JSON.stringify(toTable())', ({ opts }) => {
    expect(toTableJson(opts)).toBe(JSON.stringify(toTable(opts)));
    expect(toTableJson(opts)).toBe(toTableJson(opts)); // again, from the remembered metadata text
  });

  it('metadata text follows resourceVersion and the object, never an older write', () => {
    const obj: KObj = structuredClone(nginx);
    expect(metadataJson(obj.metadata)).toBe(JSON.stringify(obj.metadata));
    obj.metadata.labels = { run: 'other' };
    obj.metadata.resourceVersion = '1060';
    expect(metadataJson(obj.metadata)).toBe(JSON.stringify(obj.metadata));
    const next: KObj = { ...obj, metadata: { ...obj.metadata, annotations: { a: 'b' } } };
    expect(metadataJson(next.metadata)).toBe(JSON.stringify(next.metadata));
    expect(metadataJson(obj.metadata)).toBe(JSON.stringify(obj.metadata));
  });
});

describe('printer registry', () => {
  it('is keyed group/kind and covers the served kinds', () => {
    expect([...PRINTERS.keys()].sort()).toEqual(expect.arrayContaining([
      '/ConfigMap', '/Endpoints', '/Event', '/Namespace', '/Node', '/Pod', '/Secret', '/Service', '/ServiceAccount',
      'apps/DaemonSet', 'apps/Deployment', 'apps/ReplicaSet', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice',
      'networking.k8s.io/Ingress', 'networking.k8s.io/IngressClass',
      'apps/StatefulSet', 'batch/Job', 'batch/CronJob', '/PersistentVolume', '/PersistentVolumeClaim', 'storage.k8s.io/StorageClass',
    ]));
    expect(printerFor('example.com', 'Widget')).toBe(defaultPrinter);
  });

  it('every printer emits one cell per column', () => {
    const obj: KObj = { metadata: { name: 'x', creationTimestamp: '2025-06-01T11:00:00Z' } };
    for (const [key, p] of PRINTERS) expect(p.cells(obj, NOW).length, key).toBe(p.columns.length);
  });
});

describe('parseIncludeObject', () => {
  it.each([
    [undefined, 'Metadata'],
    ['', 'Metadata'],
    ['Metadata', 'Metadata'],
    ['Object', 'Object'],
    ['None', 'None'],
  ])('%s → %s', (v, want) => {
    expect(parseIncludeObject(v)).toBe(want);
  });
  it('rejects other values with the apiserver message', () => {
    let err: unknown;
    try {
      parseIncludeObject('All');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).message).toBe('unrecognized includeObject value: "All"');
  });
});
