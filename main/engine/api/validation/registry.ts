// One entry per served kind, keyed `group/Kind` (core group: `/Pod`).

import { RESOURCES } from '../registry.js';
import { daemonSetRules, deploymentRules, replicaSetRules } from './apps.js';
import { eventRules, leaseRules, namespaceRules, nodeRules } from './cluster.js';
import { configMapRules, secretRules, serviceAccountRules } from './config.js';
import { ingressClassRules, ingressRules } from './networking.js';
import { podRules } from './pod.js';
import { endpointSliceRules, endpointsRules, serviceRules } from './service.js';
import type { KindRules } from './types.js';

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
  [ruleKey('discovery.k8s.io', 'EndpointSlice'), endpointSliceRules],
  [ruleKey('networking.k8s.io', 'Ingress'), ingressRules],
  [ruleKey('networking.k8s.io', 'IngressClass'), ingressClassRules],
  [ruleKey('coordination.k8s.io', 'Lease'), leaseRules],
]);

/** Rules for a kind; kinds without an entry get the generic ObjectMeta checks only. */
export function rulesFor(group: string, kind: string): KindRules | undefined {
  const r = KIND_RULES.get(ruleKey(group, kind));
  if (r) return r;
  const def = RESOURCES.find((d) => d.group === group && d.kind === kind);
  if (def?.virtual) return undefined;
  return { namespaced: def?.namespaced ?? true, nameRule: 'subdomain', hasStatus: !!def?.subresources.some((s) => s.name === 'status') };
}
