// The one registry of server-side printers, keyed `group/kind` (core group: `/Pod`).
import type { KObj } from '../../store/types.js';
import { configMapPrinter, eventPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { endpointSlicePrinter, endpointsPrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './service.js';
import { clusterRoleBindingPrinter, csrPrinter, roleBindingPrinter } from './rbac.js';
import type { Cell, Printer } from './types.js';
import { hpaPrinter } from '../../autoscaling/rules.js';
import { col, CREATED_DESC, nameCol, str } from './util.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter } from './workloads.js';
import { controllerRevisionPrinter, cronJobPrinter, jobPrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, statefulSetPrinter, storageClassPrinter } from './batch-storage.js';

export type { Cell, ColumnDefinition, Printer, RowCondition } from './types.js';
export { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';

export const printerKey = (group: string, kind: string): string => `${group}/${kind}`;

export const PRINTERS: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  [printerKey('', 'Pod'), podPrinter],
  [printerKey('', 'Node'), nodePrinter],
  [printerKey('', 'Namespace'), namespacePrinter],
  [printerKey('', 'Service'), servicePrinter],
  [printerKey('', 'Endpoints'), endpointsPrinter],
  [printerKey('', 'ConfigMap'), configMapPrinter],
  [printerKey('', 'Secret'), secretPrinter],
  [printerKey('', 'ServiceAccount'), serviceAccountPrinter],
  [printerKey('', 'Event'), eventPrinter],
  [printerKey('apps', 'Deployment'), deploymentPrinter],
  [printerKey('apps', 'ReplicaSet'), replicaSetPrinter],
  [printerKey('apps', 'DaemonSet'), daemonSetPrinter],
  [printerKey('apps', 'StatefulSet'), statefulSetPrinter],
  [printerKey('apps', 'ControllerRevision'), controllerRevisionPrinter],
  [printerKey('batch', 'Job'), jobPrinter],
  [printerKey('batch', 'CronJob'), cronJobPrinter],
  [printerKey('', 'PersistentVolume'), persistentVolumePrinter],
  [printerKey('', 'PersistentVolumeClaim'), persistentVolumeClaimPrinter],
  [printerKey('storage.k8s.io', 'StorageClass'), storageClassPrinter],
  [printerKey('discovery.k8s.io', 'EndpointSlice'), endpointSlicePrinter],
  [printerKey('networking.k8s.io', 'Ingress'), ingressPrinter],
  [printerKey('networking.k8s.io', 'IngressClass'), ingressClassPrinter],
  [printerKey('networking.k8s.io', 'NetworkPolicy'), networkPolicyPrinter],
  [printerKey('coordination.k8s.io', 'Lease'), leasePrinter],
  [printerKey('autoscaling', 'HorizontalPodAutoscaler'), hpaPrinter],
  [printerKey('rbac.authorization.k8s.io', 'RoleBinding'), roleBindingPrinter],
  [printerKey('rbac.authorization.k8s.io', 'ClusterRoleBinding'), clusterRoleBindingPrinter],
  [printerKey('certificates.k8s.io', 'CertificateSigningRequest'), csrPrinter],
]);

/** Go's time.RFC3339 in UTC, whole seconds; a zero time prints as Go's zero value. */
function rfc3339(ts: unknown): string {
  const ms = typeof ts === 'string' ? Date.parse(ts) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** apiserver's DefaultTableConvertor, used for kinds without a printer: Name + Created At (type date). */
export const defaultPrinter: Printer = {
  columns: [nameCol(), col('Created At', CREATED_DESC, { type: 'date' })],
  cells: (obj: KObj): Cell[] => [str(obj.metadata.name), rfc3339(obj.metadata.creationTimestamp)],
};

/** Printers of kinds served at runtime (custom resources' additionalPrinterColumns). */
const DYNAMIC_PRINTERS = new Map<string, Printer>();
export function registerPrinter(group: string, kind: string, printer: Printer): void {
  DYNAMIC_PRINTERS.set(printerKey(group, kind), printer);
}
export function unregisterPrinter(group: string, kind: string): void {
  DYNAMIC_PRINTERS.delete(printerKey(group, kind));
}

export function printerFor(group: string, kind: string): Printer {
  const key = printerKey(group, kind);
  return PRINTERS.get(key) ?? DYNAMIC_PRINTERS.get(key) ?? defaultPrinter;
}
