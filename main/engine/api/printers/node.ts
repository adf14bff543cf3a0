// Node printer: STATUS from the Ready condition, ROLES from node-role labels, and the wide columns.
import type { KObj } from '../../store/types.js';
import { translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, nameCol, sortedUnique, str } from './util.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** `Ready`, `NotReady` or `Unknown` (no Ready condition), plus `,SchedulingDisabled` when cordoned. */
export function nodeStatus(node: KObj): string {
  const conds: Json[] = Array.isArray((node.status as Json)?.conditions) ? (node.status as Json).conditions : [];
  // Upstream indexes conditions by type, so the last Ready entry wins.
  const ready = conds.filter((c) => c?.type === 'Ready').pop();
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if ((node.spec as Json)?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role=<role>`. */
export function nodeRoles(node: KObj): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.push(role);
    } else if (k === LEGACY_ROLE_LABEL && v !== '') {
      roles.push(v);
    }
  }
  const joined = sortedUnique(roles).join(',');
  return joined || '<none>';
}

function address(node: KObj, type: string): string {
  const addrs: Json[] = Array.isArray((node.status as Json)?.addresses) ? (node.status as Json).addresses : [];
  const a = addrs.find((x) => x?.type === type);
  return a ? str(a.address) : '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    ageCol(),
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    col('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(node: KObj, now: number): Cell[] {
    const info: Json = (node.status as Json)?.nodeInfo ?? {};
    return [
      str(node.metadata.name),
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node.metadata.creationTimestamp, now),
      str(info.kubeletVersion),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
