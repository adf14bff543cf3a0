// The Node object a kubeadm-joined kubelet registers, its status, and its heartbeat Lease: pure
// functions of the node plan, the images on the node and the time.
import { isoTime } from '../clock.js';
import { NODE_INFO, type NodePlan } from '../cluster/shape.js';
import type { KObj } from '../store/types.js';
import { hex64, microTime } from './format.js';

export const LEASE_DURATION_SECONDS = 40;
/** kubelet renews its Lease this often (nodeLeaseDurationSeconds / 4) */
export const LEASE_RENEW_MS = 10_000;
/** nodeStatusUpdateFrequency: how often the kubelet computes its status */
export const STATUS_CHECK_MS = 10_000;
/** nodeStatusReportFrequency: how often an unchanged status is still posted */
export const STATUS_REPORT_MS = 5 * 60_000;
export const KUBELET_PORT = 10250;

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

export function nodeObject(plan: NodePlan): KObj {
  const cp = plan.role === 'control-plane';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': NODE_INFO.architecture,
    'beta.kubernetes.io/os': NODE_INFO.operatingSystem,
    'kubernetes.io/arch': NODE_INFO.architecture,
    'kubernetes.io/hostname': plan.name,
    'kubernetes.io/os': NODE_INFO.operatingSystem,
  };
  if (cp) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const spec: Record<string, unknown> = { podCIDR: plan.podCIDR, podCIDRs: [plan.podCIDR] };
  if (cp) spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: plan.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec,
  };
}

const CONDITIONS: Array<[type: string, status: string, reason: string, message: string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** The status a healthy kubelet posts; transition times are kept from `prev` when nothing changed. */
export function nodeStatus(plan: NodePlan, images: NodeImage[], now: number, prev?: Record<string, unknown>): Record<string, unknown> {
  const prevConds = (prev?.conditions as Array<Record<string, unknown>> | undefined) ?? [];
  const ts = isoTime(now);
  const conditions = CONDITIONS.map(([type, status, reason, message]) => {
    const old = prevConds.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : ts;
    return { type, status, lastHeartbeatTime: ts, lastTransitionTime, reason, message };
  });
  const machine = hex64(`machine/${plan.name}`).slice(0, 32);
  const sys = hex64(`system/${plan.name}`);
  return {
    addresses: [
      { type: 'InternalIP', address: plan.internalIP },
      { type: 'Hostname', address: plan.name },
    ],
    allocatable: { ...plan.allocatable },
    capacity: { ...plan.capacity },
    conditions,
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    images: [...images].sort((a, b) => b.sizeBytes - a.sizeBytes),
    nodeInfo: {
      architecture: NODE_INFO.architecture,
      bootID: `${sys.slice(0, 8)}-${sys.slice(8, 12)}-${sys.slice(12, 16)}-${sys.slice(16, 20)}-${sys.slice(20, 32)}`,
      containerRuntimeVersion: NODE_INFO.containerRuntimeVersion,
      kernelVersion: NODE_INFO.kernelVersion,
      kubeProxyVersion: NODE_INFO.kubeProxyVersion,
      kubeletVersion: NODE_INFO.kubeletVersion,
      machineID: machine,
      operatingSystem: NODE_INFO.operatingSystem,
      osImage: NODE_INFO.osImage,
      systemUUID: `${sys.slice(32, 40)}-${sys.slice(40, 44)}-${sys.slice(44, 48)}-${sys.slice(48, 52)}-${sys.slice(52, 64)}`,
    },
  };
}

/** Whether two statuses differ in anything but heartbeat times (a change is posted at once). */
export function statusChanged(a: Record<string, unknown> | undefined, b: Record<string, unknown>): boolean {
  if (!a) return true;
  const strip = (s: Record<string, unknown>) =>
    JSON.stringify({ ...s, conditions: ((s.conditions as Array<Record<string, unknown>>) ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) });
  return strip(a) !== strip(b);
}

export function leaseObject(plan: NodePlan, nodeUid: string | undefined, now: number): KObj {
  const metadata: KObj['metadata'] = { name: plan.name, namespace: 'kube-node-lease' };
  if (nodeUid) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: plan.name, uid: nodeUid }];
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata,
    spec: { holderIdentity: plan.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}

/** What `kubectl describe node` shows after a kubelet (re)starts, in order. */
export function startupEvents(nodeName: string): Array<[reason: string, message: string]> {
  return [
    ['Starting', 'Starting kubelet.'],
    ['NodeHasSufficientMemory', `Node ${nodeName} status is now: NodeHasSufficientMemory`],
    ['NodeHasNoDiskPressure', `Node ${nodeName} status is now: NodeHasNoDiskPressure`],
    ['NodeHasSufficientPID', `Node ${nodeName} status is now: NodeHasSufficientPID`],
    ['NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
    ['NodeReady', `Node ${nodeName} status is now: NodeReady`],
  ];
}
