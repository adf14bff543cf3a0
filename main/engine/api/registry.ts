// The served resource types. Everything that needs to know "what is a Deployment" (discovery,
// routing, OpenAPI, printing, validation) keys off these definitions, so adding a kind is one entry.

import { toV1 as hpaToV1 } from '../autoscaling/rules.js';

export interface SubresourceDef {
  name: 'status' | 'scale' | 'log' | 'exec' | 'attach' | 'portforward' | 'binding' | 'eviction' | 'proxy' | 'token' | 'approval';
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceDef {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, lower case: 'deployments'
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDef[];
  /** create-only review types (SelfSubjectAccessReview…) are answered, never stored */
  virtual?: boolean;
  /** served from a CustomResourceDefinition (main/engine/crd): merge patch only, schema from the CRD */
  custom?: boolean;
  /** computed on request, never stored (metrics.k8s.io): answered by their own handler */
  computed?: boolean;
  /** objects are stored in another version of the group (autoscaling/v1 HPAs are stored as v2): how to show one in this version */
  fromStored?: (o: import('../store/types.js').KObj) => import('../store/types.js').KObj;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

function def(
  group: string,
  version: string,
  resource: string,
  kind: string,
  opts: Partial<Omit<ResourceDef, 'group' | 'version' | 'resource' | 'kind'>> & { sub?: Array<'status' | 'scale'> } = {},
): ResourceDef {
  const subresources: SubresourceDef[] = (opts.sub ?? []).map((name) =>
    name === 'scale'
      ? { name, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: STATUS_VERBS }
      : { name, group, version, kind, verbs: STATUS_VERBS },
  );
  return {
    group,
    version,
    resource,
    kind,
    singular: opts.singular ?? kind.toLowerCase(),
    listKind: opts.listKind ?? `${kind}List`,
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? CRUD,
    subresources: [...subresources, ...(opts.subresources ?? [])],
    virtual: opts.virtual,
    ...(opts.computed ? { computed: true } : {}),
  };
}

export const RESOURCES: ResourceDef[] = [
  def('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    sub: ['status'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize' as 'status', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] }],
  }),
  def('', 'v1', 'nodes', 'Node', { namespaced: false, shortNames: ['no'], sub: ['status'] }),
  def('', 'v1', 'pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    sub: ['status'],
    subresources: [
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ],
  }),
  def('', 'v1', 'services', 'Service', { shortNames: ['svc'], categories: ['all'], sub: ['status'] }),
  def('', 'v1', 'endpoints', 'Endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  def('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  def('', 'v1', 'secrets', 'Secret'),
  def('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  def('', 'v1', 'serviceaccounts', 'ServiceAccount', {
    shortNames: ['sa'],
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
  }),
  def('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'], sub: ['status', 'scale'] }),
  def('apps', 'v1', 'replicasets', 'ReplicaSet', { shortNames: ['rs'], categories: ['all'], sub: ['status', 'scale'] }),
  def('apps', 'v1', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'], sub: ['status'] }),
  def('apps', 'v1', 'statefulsets', 'StatefulSet', { shortNames: ['sts'], categories: ['all'], sub: ['status', 'scale'] }),
  def('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  def('batch', 'v1', 'jobs', 'Job', { categories: ['all'], sub: ['status'] }),
  def('batch', 'v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'], sub: ['status'] }),
  def('', 'v1', 'persistentvolumes', 'PersistentVolume', { namespaced: false, shortNames: ['pv'], sub: ['status'] }),
  def('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], sub: ['status'] }),
  def('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', { namespaced: false, shortNames: ['sc'] }),
  def('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  def('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { shortNames: ['ing'], sub: ['status'] }),
  def('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  def('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', { shortNames: ['netpol'] }),
  def('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  def('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'], sub: ['status'] }),
  { ...def('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'], sub: ['status'] }), fromStored: hpaToV1 },
  def('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', { namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], sub: ['status'] }),
  def('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', { verbs: ['get', 'list'], computed: true }),
  def('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', { namespaced: false, verbs: ['get', 'list'], computed: true }),
  def('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  def('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  def('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  // RBAC and identity (issue 7)
  def('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', { namespaced: false, verbs: ['create'], virtual: true }),
  def('authorization.k8s.io', 'v1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', { verbs: ['create'], virtual: true }),
  def('authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', { namespaced: false, verbs: ['create'], virtual: true }),
  def('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', { namespaced: false }),
  def('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', { namespaced: false }),
  def('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  def('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  def('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', {
    namespaced: false,
    shortNames: ['csr'],
    sub: ['status'],
    subresources: [{ name: 'approval', group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] }],
  }),
];

/** Group names in the order /apis lists them (upstream puts apps first, then the rest). */
/** Shortcut for code that names a built-in type: `builtin('apps', 'deployments')`. */
export function builtin(group: string, resource: string): ResourceDef {
  const d = RESOURCES.find((x) => x.group === group && x.resource === resource);
  if (!d) throw new Error(`no built-in resource ${resource}${group ? '.' + group : ''}`);
  return d;
}

export function groupsInOrder(defs: ResourceDef[] = RESOURCES): string[] {
  const seen: string[] = [];
  for (const d of defs) if (d.group && !seen.includes(d.group)) seen.push(d.group);
  return seen;
}

export function groupVersion(d: { group: string; version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

/** The key objects of a type are stored under: 'pods', 'deployments.apps'. Also upstream's wording in errors. */
export function qualifiedResource(d: { group: string; resource: string }): string {
  return d.group ? `${d.resource}.${d.group}` : d.resource;
}

export class Registry {
  private byGvr = new Map<string, ResourceDef>();
  private byGvk = new Map<string, ResourceDef>();
  private current: ResourceDef[];
  private listeners = new Set<() => void>();
  constructor(defs: ResourceDef[] = RESOURCES) {
    this.current = defs;
    this.index();
  }
  /**
   * Every served type. A new array after each add/remove, so caches keyed by the array (OpenAPI
   * documents) rebuild when CRDs change.
   */
  get defs(): ResourceDef[] {
    return this.current;
  }
  private index(): void {
    this.byGvr.clear();
    this.byGvk.clear();
    for (const d of this.current) {
      this.byGvr.set(`${d.group}/${d.version}/${d.resource}`, d);
      this.byGvk.set(`${d.group}/${d.version}/${d.kind}`, d);
    }
  }
  /** Serve a type at runtime (CRDs); replaces a def with the same group/version/resource. */
  add(def: ResourceDef): void {
    this.current = [...this.current.filter((d) => !(d.group === def.group && d.version === def.version && d.resource === def.resource)), def];
    this.index();
    for (const l of this.listeners) l();
  }
  /** Stop serving every def the predicate selects; returns how many went. */
  remove(pred: (d: ResourceDef) => boolean): number {
    const kept = this.current.filter((d) => !pred(d));
    const n = this.current.length - kept.length;
    if (n) {
      this.current = kept;
      this.index();
      for (const l of this.listeners) l();
    }
    return n;
  }
  /** hear of every add/remove */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byGvr.get(`${group}/${version}/${resource}`);
  }
  byKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.byGvk.get(`${group}/${version}/${kind}`);
  }
  /** apiVersion 'apps/v1' + kind 'Deployment' */
  byApiVersionKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.byKind(g!, v!, kind);
  }
  hasGroupVersion(group: string, version: string): boolean {
    return this.current.some((d) => d.group === group && d.version === version);
  }
}
