// The kinds a lab may name, with their REST coordinates. A fixed table (not discovery) so that an
// unknown kind is refused when the lab loads, not when a learner presses "check".

export interface KindInfo {
  kind: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

const K = (kind: string, apiVersion: string, plural: string, namespaced = true): KindInfo => ({ kind, apiVersion, plural, namespaced });

export const KINDS: KindInfo[] = [
  K('Pod', 'v1', 'pods'),
  K('Node', 'v1', 'nodes', false),
  K('Namespace', 'v1', 'namespaces', false),
  K('Service', 'v1', 'services'),
  K('Endpoints', 'v1', 'endpoints'),
  K('ConfigMap', 'v1', 'configmaps'),
  K('Secret', 'v1', 'secrets'),
  K('ServiceAccount', 'v1', 'serviceaccounts'),
  K('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims'),
  K('PersistentVolume', 'v1', 'persistentvolumes', false),
  K('Event', 'v1', 'events'),
  K('ResourceQuota', 'v1', 'resourcequotas'),
  K('LimitRange', 'v1', 'limitranges'),
  K('Deployment', 'apps/v1', 'deployments'),
  K('ReplicaSet', 'apps/v1', 'replicasets'),
  K('StatefulSet', 'apps/v1', 'statefulsets'),
  K('DaemonSet', 'apps/v1', 'daemonsets'),
  K('Job', 'batch/v1', 'jobs'),
  K('CronJob', 'batch/v1', 'cronjobs'),
  K('EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices'),
  K('Ingress', 'networking.k8s.io/v1', 'ingresses'),
  K('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'),
  K('Role', 'rbac.authorization.k8s.io/v1', 'roles'),
  K('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings'),
  K('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  K('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  K('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'),
  K('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'),
  K('Lease', 'coordination.k8s.io/v1', 'leases'),
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
}

/** The REST path of a collection or object. */
export function resourcePath(info: KindInfo, namespace: string | undefined, name?: string): string {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** Lower-case kind as learners see it in kubectl output ("pod", "replicaset"). */
export function kindWord(kind: string): string {
  return kind.toLowerCase();
}
