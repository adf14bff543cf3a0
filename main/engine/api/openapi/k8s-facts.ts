// Curated Kubernetes facts that @kubernetes/client-node's generated models do not carry:
// which API group owns a model class, Quantity-typed fields, and the struct-tag vendor
// extensions (patch strategy / merge key / list type) from upstream types.go (v1.32).
// Used by scripts/gen-openapi.ts at build time; kept here so the facts live beside the runtime.

export interface RootKind {
  /** client-node class name, e.g. 'V1Deployment', 'CoreV1Event' */
  cls: string;
  kind: string;
}

export interface GroupVersionRoots {
  group: string;
  version: string;
  kinds: RootKind[];
}

const k = (cls: string, kind?: string): RootKind => ({ cls, kind: kind ?? cls.replace(/^(?:[A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?/, '') });

/**
 * Top-level kinds per group-version. Order matters: a nested class belongs to the package of the
 * first group that reaches it (so core types reached from apps stay in io.k8s.api.core.v1).
 */
export const ROOTS: GroupVersionRoots[] = [
  {
    group: '',
    version: 'v1',
    kinds: [
      k('V1Pod'), k('V1Service'), k('V1ConfigMap'), k('V1Secret'), k('V1Namespace'), k('V1Node'), k('V1Endpoints'),
      k('CoreV1Event'), k('V1ServiceAccount'), k('V1PersistentVolume'), k('V1PersistentVolumeClaim'),
      k('V1ReplicationController'), k('V1ResourceQuota'), k('V1LimitRange'), k('V1PodTemplate'), k('V1Binding'),
      k('V1ComponentStatus'),
    ],
  },
  { group: 'apps', version: 'v1', kinds: [k('V1Deployment'), k('V1ReplicaSet'), k('V1StatefulSet'), k('V1DaemonSet'), k('V1ControllerRevision')] },
  { group: 'batch', version: 'v1', kinds: [k('V1Job'), k('V1CronJob')] },
  { group: 'autoscaling', version: 'v1', kinds: [k('V1Scale'), k('V1HorizontalPodAutoscaler')] },
  { group: 'autoscaling', version: 'v2', kinds: [k('V2HorizontalPodAutoscaler')] },
  { group: 'policy', version: 'v1', kinds: [k('V1Eviction'), k('V1PodDisruptionBudget')] },
  { group: 'networking.k8s.io', version: 'v1', kinds: [k('V1Ingress'), k('V1IngressClass'), k('V1NetworkPolicy')] },
  { group: 'discovery.k8s.io', version: 'v1', kinds: [k('V1EndpointSlice')] },
  { group: 'coordination.k8s.io', version: 'v1', kinds: [k('V1Lease')] },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    kinds: [k('V1SelfSubjectAccessReview'), k('V1SelfSubjectRulesReview'), k('V1SubjectAccessReview'), k('V1LocalSubjectAccessReview')],
  },
  { group: 'authentication.k8s.io', version: 'v1', kinds: [k('V1SelfSubjectReview'), k('V1TokenReview'), k('AuthenticationV1TokenRequest')] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kinds: [k('V1Role'), k('V1ClusterRole'), k('V1RoleBinding'), k('V1ClusterRoleBinding')] },
  { group: 'storage.k8s.io', version: 'v1', kinds: [k('V1StorageClass'), k('V1CSIDriver'), k('V1CSINode'), k('V1VolumeAttachment'), k('V1CSIStorageCapacity')] },
  { group: 'scheduling.k8s.io', version: 'v1', kinds: [k('V1PriorityClass')] },
  { group: 'node.k8s.io', version: 'v1', kinds: [k('V1RuntimeClass')] },
  { group: 'events.k8s.io', version: 'v1', kinds: [k('EventsV1Event')] },
  { group: 'certificates.k8s.io', version: 'v1', kinds: [k('V1CertificateSigningRequest')] },
  { group: 'admissionregistration.k8s.io', version: 'v1', kinds: [k('V1ValidatingWebhookConfiguration'), k('V1MutatingWebhookConfiguration')] },
  { group: 'apiextensions.k8s.io', version: 'v1', kinds: [k('V1CustomResourceDefinition')] },
];

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const PATCH = `${META}.Patch`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** Classes that live in apimachinery's meta/v1 whatever group reaches them. */
export const META_CLASSES = [
  'V1ObjectMeta', 'V1ListMeta', 'V1LabelSelector', 'V1LabelSelectorRequirement', 'V1ManagedFieldsEntry',
  'V1OwnerReference', 'V1Status', 'V1StatusDetails', 'V1StatusCause', 'V1DeleteOptions', 'V1Preconditions',
  'V1Condition', 'V1WatchEvent', 'V1APIResource', 'V1APIResourceList', 'V1APIGroup', 'V1APIGroupList',
  'V1APIVersions', 'V1GroupVersionForDiscovery', 'V1ServerAddressByClientCIDR', 'V1FieldSelectorRequirement',
];

/** Meta-level classes always emitted (every GV document refers to them from its operations). */
export const ALWAYS = ['V1Status', 'V1DeleteOptions', 'V1WatchEvent'];

/** Upstream package prefix for a group's API types. */
export function groupPackage(group: string, version: string): string {
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  return `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}.${version}`;
}

/** Group-prefixed client-node classes (name clashes upstream resolves by package) → their group. */
export const PREFIX_GROUPS: Record<string, string> = {
  Core: '',
  Events: 'events.k8s.io',
  Discovery: 'discovery.k8s.io',
  Rbac: 'rbac.authorization.k8s.io',
  Flowcontrol: 'flowcontrol.apiserver.k8s.io',
  Storage: 'storage.k8s.io',
  Authentication: 'authentication.k8s.io',
  Admissionregistration: 'admissionregistration.k8s.io',
  Apiextensions: 'apiextensions.k8s.io',
  Apiregistration: 'apiregistration.k8s.io',
  Resource: 'resource.k8s.io',
};

/** Fields whose Go type is resource.Quantity (client-node flattens them to string). */
export const QUANTITY_FIELDS = new Set([
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits', 'V1VolumeResourceRequirements.requests',
  'V1NodeStatus.capacity', 'V1NodeStatus.allocatable',
  'V1EmptyDirVolumeSource.sizeLimit', 'V1ResourceFieldSelector.divisor',
  'V1PersistentVolumeSpec.capacity', 'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources', 'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard', 'V1ResourceQuotaStatus.used', 'V1LimitRangeItem.max',
  'V1LimitRangeItem.min', 'V1LimitRangeItem.default', 'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio', 'V1PodSpec.overhead', 'V1Overhead.podFixed',
  'V1ContainerStatus.allocatedResources', 'V1CSIStorageCapacity.capacity',
  'V1CSIStorageCapacity.maximumVolumeSize', 'V2MetricTarget.value', 'V2MetricTarget.averageValue',
  'V2MetricValueStatus.value', 'V2MetricValueStatus.averageValue',
]);

/** 'any'-typed fields with a known upstream type. */
export const ANY_FIELDS: Record<string, string> = {
  'V1ManagedFieldsEntry.fieldsV1': FIELDS_V1,
  'V1ControllerRevision.data': RAW_EXTENSION,
  'V1WatchEvent.object': RAW_EXTENSION,
};

export interface FieldExt {
  strategy?: string;
  key?: string;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

const merge = (key: string, listType?: 'map', mapKeys?: string[]): FieldExt => ({ strategy: 'merge', key, listType, mapKeys });
const atomic: FieldExt = { listType: 'atomic' };
const conditions: FieldExt = merge('type', 'map', ['type']);
const containerLists: Record<string, FieldExt> = {
  ports: merge('containerPort', 'map', ['containerPort', 'protocol']),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
  envFrom: atomic,
  command: atomic,
  args: atomic,
  resizePolicy: atomic,
};

/** Field extensions by client-node class, from the upstream struct tags and +listType markers. */
export const FIELD_EXTENSIONS: Record<string, Record<string, FieldExt>> = {
  V1ObjectMeta: {
    finalizers: { strategy: 'merge', listType: 'set' },
    ownerReferences: merge('uid', 'map', ['uid']),
    managedFields: atomic,
  },
  V1LabelSelector: { matchExpressions: atomic },
  V1LabelSelectorRequirement: { values: atomic },
  V1Container: containerLists,
  V1EphemeralContainer: containerLists,
  V1PodSpec: {
    volumes: { strategy: 'merge,retainKeys', key: 'name' },
    initContainers: merge('name'),
    containers: merge('name'),
    ephemeralContainers: merge('name'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip', 'map', ['ip']),
    topologySpreadConstraints: merge('topologyKey', 'map', ['topologyKey', 'whenUnsatisfiable']),
    schedulingGates: merge('name', 'map', ['name']),
    resourceClaims: { strategy: 'merge,retainKeys', key: 'name', listType: 'map', mapKeys: ['name'] },
    tolerations: atomic,
    readinessGates: atomic,
  },
  V1PodStatus: {
    conditions,
    podIPs: merge('ip'),
    hostIPs: { strategy: 'merge', key: 'ip', listType: 'atomic' },
    containerStatuses: atomic,
    initContainerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: { strategy: 'merge,retainKeys', key: 'name', listType: 'map', mapKeys: ['name'] },
  },
  V1NodeSpec: { podCIDRs: { strategy: 'merge', listType: 'set' }, taints: atomic },
  V1NodeStatus: { conditions, addresses: merge('type', 'map', ['type']), images: atomic, volumesInUse: atomic, volumesAttached: atomic },
  V1ServiceSpec: {
    ports: merge('port', 'map', ['port', 'protocol']),
    clusterIPs: atomic,
    externalIPs: atomic,
    ipFamilies: atomic,
    loadBalancerSourceRanges: atomic,
  },
  V1ServiceStatus: { conditions },
  V1LoadBalancerStatus: { ingress: atomic },
  V1ServiceAccount: { secrets: merge('name', 'map', ['name']), imagePullSecrets: atomic },
  V1NamespaceSpec: { finalizers: atomic },
  V1NamespaceStatus: { conditions },
  V1PersistentVolumeClaimStatus: { conditions },
  V1ReplicationControllerStatus: { conditions },
  V1ComponentStatus: { conditions },
  V1Endpoints: { subsets: atomic },
  V1EndpointSubset: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  V1Capabilities: { add: atomic, drop: atomic },
  V1ExecAction: { command: atomic },
  V1NodeSelector: { nodeSelectorTerms: atomic },
  V1NodeSelectorTerm: { matchExpressions: atomic, matchFields: atomic },
  V1NodeSelectorRequirement: { values: atomic },
  V1DeploymentSpec: { strategy: { strategy: 'retainKeys' } },
  V1DeploymentStatus: { conditions },
  V1ReplicaSetStatus: { conditions },
  V1StatefulSetStatus: { conditions },
  V1DaemonSetStatus: { conditions },
  V1StatefulSetSpec: { volumeClaimTemplates: atomic },
  V1JobStatus: { conditions: { strategy: 'merge', key: 'type', listType: 'atomic' } },
  V1CronJobStatus: { active: atomic },
  V1PodDisruptionBudgetStatus: { conditions },
  V1IngressSpec: { rules: atomic, tls: atomic },
  V1IngressTLS: { hosts: atomic },
  V1HTTPIngressRuleValue: { paths: atomic },
  V1IngressLoadBalancerStatus: { ingress: atomic },
  V1EndpointSlice: { endpoints: atomic, ports: atomic },
  V1Endpoint: { addresses: { listType: 'set' } },
};

/** Structs marked +structType=atomic upstream (x-kubernetes-map-type: atomic). */
export const ATOMIC_STRUCTS = new Set([
  'V1LabelSelector', 'V1LocalObjectReference', 'V1ObjectReference', 'V1NodeSelector', 'V1NodeSelectorTerm',
  'V1OwnerReference', 'V1TypedLocalObjectReference', 'V1TopologySelectorTerm',
  'V1ConfigMapKeySelector', 'V1SecretKeySelector', 'V1ObjectFieldSelector', 'V1ResourceFieldSelector',
]);
