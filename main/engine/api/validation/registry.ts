// One entry per served kind, keyed `group/Kind` (core group: `/Pod`).

import { RESOURCES } from '../registry.js';
import { daemonSetRules, deploymentRules, replicaSetRules } from './apps.js';
import { controllerRevisionRules, cronJobRules, jobRules, persistentVolumeClaimRules, persistentVolumeRules, statefulSetRules, storageClassRules } from './batch-storage.js';
import { eventRules, leaseRules, namespaceRules, nodeRules } from './cluster.js';
import { configMapRules, secretRules, serviceAccountRules } from './config.js';
import { ingressClassRules, ingressRules } from './networking.js';
import { networkPolicyRules } from './networkpolicy.js';
import { podRules } from './pod.js';
import { endpointSliceRules, endpointsRules, serviceRules } from './service.js';
import { clusterRoleBindingRules, clusterRoleRules, csrRules, roleBindingRules, roleRules } from './rbac.js';
import type { KindRules } from './types.js';
import { crdRules } from '../../crd/validation.js';
import { hpaRules } from '../../autoscaling/rules.js';

export const ruleKey = (group: string, kind: string) => `${group}/${kind}`;

export const KIND_RULES: ReadonlyMap<string, KindRules> = new Map<string, KindRules>([
  [ruleKey('', 'Namespace'), namespaceRules],
  [ruleKey('', 'Node'), nodeRules],
  [ruleKey('', 'Pod'), podRules],
  [ruleKey('', 'Service'), serviceRules],
  [ruleKey('', 'Endpoints'), endpointsRules],
  [ruleKey('', 'ConfigMap'), configMapRules],
  [ruleKey('', 'Secret'), secretRules],
  [ruleKey('', 'Event'), eventRules],
  [ruleKey('', 'ServiceAccount'), serviceAccountRules],
  [ruleKey('apps', 'Deployment'), deploymentRules],
  [ruleKey('apps', 'ReplicaSet'), replicaSetRules],
  [ruleKey('apps', 'DaemonSet'), daemonSetRules],
  [ruleKey('apps', 'StatefulSet'), statefulSetRules],
  [ruleKey('apps', 'ControllerRevision'), controllerRevisionRules],
  [ruleKey('batch', 'Job'), jobRules],
  [ruleKey('batch', 'CronJob'), cronJobRules],
  [ruleKey('', 'PersistentVolume'), persistentVolumeRules],
  [ruleKey('', 'PersistentVolumeClaim'), persistentVolumeClaimRules],
  [ruleKey('storage.k8s.io', 'StorageClass'), storageClassRules],
  [ruleKey('discovery.k8s.io', 'EndpointSlice'), endpointSliceRules],
  [ruleKey('networking.k8s.io', 'Ingress'), ingressRules],
  [ruleKey('networking.k8s.io', 'IngressClass'), ingressClassRules],
  [ruleKey('networking.k8s.io', 'NetworkPolicy'), networkPolicyRules],
  [ruleKey('coordination.k8s.io', 'Lease'), leaseRules],
  [ruleKey('rbac.authorization.k8s.io', 'Role'), roleRules],
  [ruleKey('rbac.authorization.k8s.io', 'ClusterRole'), clusterRoleRules],
  [ruleKey('rbac.authorization.k8s.io', 'RoleBinding'), roleBindingRules],
  [ruleKey('rbac.authorization.k8s.io', 'ClusterRoleBinding'), clusterRoleBindingRules],
  [ruleKey('certificates.k8s.io', 'CertificateSigningRequest'), csrRules],
  [ruleKey('apiextensions.k8s.io', 'CustomResourceDefinition'), crdRules],
  [ruleKey('autoscaling', 'HorizontalPodAutoscaler'), hpaRules],
]);

/** Rules for a kind; kinds without an entry get the generic ObjectMeta checks only. */
/** Rules of kinds served at runtime (custom resources: their CRD's schema and CEL rules). */
const DYNAMIC_RULES = new Map<string, KindRules>();
export function registerKindRules(group: string, kind: string, rules: KindRules): void {
  DYNAMIC_RULES.set(ruleKey(group, kind), rules);
}
export function unregisterKindRules(group: string, kind: string): void {
  DYNAMIC_RULES.delete(ruleKey(group, kind));
}

export function rulesFor(group: string, kind: string): KindRules | undefined {
  const r = KIND_RULES.get(ruleKey(group, kind)) ?? DYNAMIC_RULES.get(ruleKey(group, kind));
  if (r) return r;
  const def = RESOURCES.find((d) => d.group === group && d.kind === kind);
  if (def?.virtual) return undefined;
  return { namespaced: def?.namespaced ?? true, nameRule: 'subdomain', hasStatus: !!def?.subresources.some((s) => s.name === 'status') };
}
