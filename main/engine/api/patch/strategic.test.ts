import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './strategic.js';
import { deployment, node_ } from './testdata/schemas.js';

const live = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}\n' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  },
});

type Obj = ReturnType<typeof live>;
const tmpl = (d: Obj) => d.spec.template.spec;

describe('applyStrategicMergePatch (bodies kubectl sends)', () => {
  const cases: Array<[string, unknown, (d: Obj) => void]> = [
    [
      'second apply: $setElementOrder/containers keeps the server-only sidecar after nginx',
      {
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}\n' } },
        spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
      },
      (d) => {
        d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"new":1}\n';
        d.spec.replicas = 3;
        tmpl(d).containers[0]!.image = 'nginx:1.26';
      },
    ],
    [
      'set image',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.27', name: 'nginx' }] } } } },
      (d) => (tmpl(d).containers[0]!.image = 'nginx:1.27'),
    ],
    [
      'rollout restart adds a template annotation',
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05Z' } } } } },
      (d) => ((d.spec.template.metadata as Record<string, unknown>).annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05Z' }),
    ],
    ['rollout pause', { spec: { paused: true } }, (d) => ((d.spec as Record<string, unknown>).paused = true)],
    [
      '$patch: delete removes a container (apply after deleting it from the file)',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } } },
      (d) => tmpl(d).containers.pop(),
    ],
    [
      'a new container without ordering directive goes first (upstream order rule)',
      { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluentd' }] } } } },
      (d) => tmpl(d).containers.unshift({ name: 'log', image: 'fluentd' }),
    ],
    [
      'a new container with $setElementOrder lands where the order says',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'log' }], containers: [{ name: 'log', image: 'fluentd' }] } } } },
      (d) => tmpl(d).containers.splice(1, 0, { name: 'log', image: 'fluentd' }),
    ],
    [
      'env merged by name inside a merged container; null deletes a key',
      { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: '2' }], ports: null }] } } } },
      (d) => {
        const c = tmpl(d).containers[0] as Record<string, unknown>;
        c.env = [{ name: 'B', value: '2' }, { name: 'A', value: '1' }];
        delete c.ports;
      },
    ],
    [
      'set env with $setElementOrder/env',
      { spec: { template: { spec: { containers: [{ name: 'nginx', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }], env: [{ name: 'B', value: '2' }] }] } } } },
      (d) => ((tmpl(d).containers[0] as Record<string, unknown>).env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]),
    ],
    [
      '$retainKeys on strategy: rollingUpdate dropped when type becomes Recreate',
      { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
      (d) => (d.spec.strategy = { type: 'Recreate' } as Obj['spec']['strategy']),
    ],
    [
      '$retainKeys alone clears unlisted keys',
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      (d) => (d.spec.strategy = { type: 'Recreate' } as Obj['spec']['strategy']),
    ],
    [
      'atomic selector map still merges key by key (SMP has no atomic maps)',
      { spec: { selector: { matchLabels: { tier: 'fe' } } } },
      (d) => ((d.spec.selector.matchLabels as Record<string, string>).tier = 'fe'),
    ],
    ['finalizers: primitive merge list is a set union, new items first', { metadata: { finalizers: ['c', 'a'] } }, (d) => (d.metadata.finalizers = ['c', 'a', 'b'])],
    ['$deleteFromPrimitiveList/finalizers', { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, (d) => (d.metadata.finalizers = ['b'])],
    [
      '$setElementOrder/finalizers',
      { metadata: { '$setElementOrder/finalizers': ['b', 'a', 'c'], finalizers: ['c'] } },
      (d) => (d.metadata.finalizers = ['b', 'a', 'c']),
    ],
    [
      '$patch: replace in a list replaces it',
      { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } },
      (d) => (tmpl(d).containers = [{ name: 'only', image: 'x' }] as Obj['spec']['template']['spec']['containers']),
    ],
    [
      '$patch: replace in a map replaces it',
      { spec: { template: { metadata: { labels: { $patch: 'replace', run: 'x' } } } } },
      (d) => (d.spec.template.metadata.labels = { run: 'x' } as unknown as { app: string }),
    ],
    ['$patch: delete in a map empties it', { metadata: { labels: { $patch: 'delete' } } }, (d) => (d.metadata.labels = {} as { app: string })],
    [
      'new nested values are cleaned of nulls and directives',
      { spec: { template: { spec: { volumes: [{ name: 'v', emptyDir: {}, junk: null }, { $patch: 'delete', name: 'gone' }] } } } },
      (d) => ((tmpl(d) as Record<string, unknown>).volumes = [{ name: 'v', emptyDir: {} }]),
    ],
  ];
  it.each(cases)('%s', (_name, patch, mutate) => {
    const input = live();
    const want = live();
    mutate(want);
    expect(applyStrategicMergePatch(input, patch, deployment)).toEqual(want);
    expect(input).toEqual(live());
  });

  it('cordon', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } };
    expect(applyStrategicMergePatch(node, { spec: { unschedulable: true } }, node_)).toEqual({ ...node, spec: { ...node.spec, unschedulable: true } });
  });

  it('without a schema: maps merge, lists replace, null deletes', () => {
    const doc = { spec: { a: { b: 1, c: 2 }, list: [{ name: 'x' }, { name: 'y' }] } };
    expect(applyStrategicMergePatch(doc, { spec: { a: { c: null, d: 3 }, list: [{ name: 'z' }] } }, undefined)).toEqual({
      spec: { a: { b: 1, d: 3 }, list: [{ name: 'z' }] },
    });
  });
});

describe('applyStrategicMergePatch errors', () => {
  const errors: Array<[string, unknown, number, string, string]> = [
    ['missing merge key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 500, '', 'map: map[image:x] does not contain declared merge key: name'],
    ['$patch: merge in a list', { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'nginx' }] } } } }, 500, '', 'merging lists cannot yet be specified in the patch'],
    ['unknown $patch in a map', { metadata: { labels: { $patch: 'bogus' } } }, 500, '', 'unknown patch type: bogus in map: map[$patch:bogus]'],
    ['$retainKeys not covering the patch', { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['$retainKeys not a list', { spec: { strategy: { $retainKeys: 'type' } } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['malformed $deleteFromPrimitiveList', { metadata: { $deleteFromPrimitiveList: ['a'] } }, 400, 'BadRequest', 'invalid patch format of primitive list'],
    [
      '$setElementOrder disagreeing with the patch list',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'sidecar', image: 'x' }] } } } },
      500,
      '',
      "The order in patch list:\n[map[image:x name:sidecar]]\n doesn't match $setElementOrder list:\n[map[name:nginx]]\n",
    ],
    ['list patch body', [1], 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['mixed element types', { metadata: { finalizers: [['x']] } }, 500, '', 'list element types are not identical: [[a b] [[x]]]'],
  ];
  it.each(errors)('%s', (_name, patch, code, reason, message) => {
    expect(() => applyStrategicMergePatch(live(), patch, deployment)).toThrow(expect.objectContaining({ code, reason, message }));
  });

  it('lists of lists → 422 with the generic message', () => {
    const doc = { metadata: { name: 'x', finalizers: [] } };
    expect(() => applyStrategicMergePatch(doc, { metadata: { finalizers: [['x']] } }, deployment)).toThrow(
      expect.objectContaining({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' }),
    );
  });
});
