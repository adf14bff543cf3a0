// Hand-built SchemaNode trees for the patch tests: just the fields and extensions the tests touch,
// with the same x-kubernetes-* values the real OpenAPI documents carry.
import type { SchemaNode } from '../../schema-types.js';

type Extra = Partial<Pick<SchemaNode, 'patchMergeKey' | 'patchStrategy' | 'listType' | 'listMapKeys' | 'mapType' | 'required' | 'name'>>;

function node(type: SchemaNode['type'], extra: Extra = {}, props: Record<string, SchemaNode> = {}, elem?: SchemaNode): SchemaNode {
  return {
    type,
    ...extra,
    property: (n: string) => props[n],
    propertyNames: () => Object.keys(props),
    elements: () => elem,
  };
}

export const str = () => node('string');
export const int = () => node('integer');
export const bool = () => node('boolean');
export const any = () => node('any');
export const obj = (props: Record<string, SchemaNode>, extra: Extra = {}) => node('object', extra, props);
export const map = (elem: SchemaNode, extra: Extra = {}) => node('map', extra, {}, elem);
export const arr = (elem: SchemaNode, extra: Extra = {}) => node('array', extra, {}, elem);

const managedFieldsEntry = obj({ manager: str(), operation: str(), apiVersion: str(), time: str(), fieldsType: str(), fieldsV1: any(), subresource: str() });

export const objectMeta = obj({
  name: str(),
  namespace: str(),
  uid: str(),
  resourceVersion: str(),
  generation: int(),
  creationTimestamp: str(),
  labels: map(str()),
  annotations: map(str()),
  finalizers: arr(str(), { patchStrategy: 'merge', listType: 'set' }),
  ownerReferences: arr(obj({ uid: str(), name: str(), kind: str(), apiVersion: str(), controller: bool() }), {
    patchMergeKey: 'uid',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['uid'],
  }),
  managedFields: arr(managedFieldsEntry, { listType: 'atomic' }),
});

const envVar = obj({ name: str(), value: str() }, { required: ['name'] });
const containerPort = obj({ containerPort: int(), protocol: str(), name: str() }, { required: ['containerPort'] });

export const container = obj(
  {
    name: str(),
    image: str(),
    imagePullPolicy: str(),
    command: arr(str(), { listType: 'atomic' }),
    args: arr(str(), { listType: 'atomic' }),
    env: arr(envVar, { patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
    ports: arr(containerPort, { patchMergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
    resources: obj({ limits: map(any()), requests: map(any()) }),
    volumeMounts: arr(obj({ name: str(), mountPath: str() }), { patchMergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['mountPath'] }),
  },
  { required: ['name'], name: 'io.k8s.api.core.v1.Container' },
);

export const podSpec = obj(
  {
    containers: arr(container, { patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
    initContainers: arr(container, { patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
    volumes: arr(obj({ name: str(), emptyDir: obj({}) }), { patchMergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
    nodeSelector: map(str(), { mapType: 'atomic' }),
    tolerations: arr(obj({ key: str(), operator: str(), effect: str() }), { listType: 'atomic' }),
    restartPolicy: str(),
    dnsPolicy: str(),
  },
  { required: ['containers'] },
);

const labelSelector = obj({ matchLabels: map(str()) }, { mapType: 'atomic' });

export const deployment = obj({
  apiVersion: str(),
  kind: str(),
  metadata: objectMeta,
  spec: obj(
    {
      replicas: int(),
      paused: bool(),
      selector: labelSelector,
      strategy: obj({ type: str(), rollingUpdate: obj({ maxSurge: any(), maxUnavailable: any() }) }, { patchStrategy: 'retainKeys' }),
      template: obj({ metadata: objectMeta, spec: podSpec }),
    },
    { required: ['selector', 'template'] },
  ),
  status: obj({ replicas: int(), readyReplicas: int(), observedGeneration: int() }),
});

export const node_ = obj({
  apiVersion: str(),
  kind: str(),
  metadata: objectMeta,
  spec: obj({ unschedulable: bool(), taints: arr(obj({ key: str(), effect: str() }), { listType: 'atomic' }) }),
});
