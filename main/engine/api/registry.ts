// The served resource types. Everything that needs to know "what is a Deployment" (discovery,
// routing, OpenAPI, printing, validation) keys off these definitions, so adding a kind is one entry.

export interface SubresourceDef {
  name: 'status' | 'scale' | 'log' | 'exec' | 'attach' | 'portforward' | 'binding' | 'eviction' | 'proxy';
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
  def('', 'v1', 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  def('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'], sub: ['status', 'scale'] }),
  def('apps', 'v1', 'replicasets', 'ReplicaSet', { shortNames: ['rs'], categories: ['all'], sub: ['status', 'scale'] }),
  def('apps', 'v1', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'], sub: ['status'] }),
  def('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  def('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { shortNames: ['ing'], sub: ['status'] }),
  def('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  def('coordination.k8s.io', 'v1', 'leases', 'Lease'),
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
  constructor(public readonly defs: ResourceDef[] = RESOURCES) {
    for (const d of defs) {
      this.byGvr.set(`${d.group}/${d.version}/${d.resource}`, d);
      this.byGvk.set(`${d.group}/${d.version}/${d.kind}`, d);
    }
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
    return this.defs.some((d) => d.group === group && d.version === version);
  }
}
