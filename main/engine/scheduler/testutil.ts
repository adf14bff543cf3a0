// Hand-built nodes and pods for the scheduler's tests.
import type { KObj } from '../store/types.js';
import { buildNodeInfos, type NodeInfo } from './resources.js';

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  ready?: boolean;
}

export function mkNode(name: string, s: NodeSpec = {}): KObj {
  const alloc = { cpu: s.cpu ?? '2', memory: s.memory ?? '4Gi', pods: s.pods ?? '110' };
  const spec: Record<string, unknown> = {};
  if (s.taints) spec.taints = s.taints;
  if (s.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...s.labels } },
    spec,
    status: {
      capacity: alloc,
      allocatable: alloc,
      conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

export interface PodSpecLite {
  cpu?: string;
  memory?: string;
  node?: string;
  namespace?: string;
  priority?: number;
  phase?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
  hostPort?: number;
  init?: Array<{ cpu?: string; memory?: string; sidecar?: boolean }>;
  containers?: number;
}

function requests(cpu?: string, memory?: string): Record<string, string> | undefined {
  const r: Record<string, string> = {};
  if (cpu) r.cpu = cpu;
  if (memory) r.memory = memory;
  return Object.keys(r).length ? r : undefined;
}

export function mkPod(name: string, s: PodSpecLite = {}): KObj {
  const containers = [];
  for (let i = 0; i < (s.containers ?? 1); i++) {
    const c: Record<string, unknown> = { name: `c${i}`, image: 'nginx' };
    const r = requests(s.cpu, s.memory);
    if (r) c.resources = { requests: r };
    if (s.hostPort && i === 0) c.ports = [{ containerPort: 80, hostPort: s.hostPort, protocol: 'TCP' }];
    containers.push(c);
  }
  const spec: Record<string, unknown> = { containers, priority: s.priority ?? 0, schedulerName: 'default-scheduler' };
  if (s.init) {
    spec.initContainers = s.init.map((ic, i) => {
      const c: Record<string, unknown> = { name: `init${i}`, image: 'busybox' };
      const r = requests(ic.cpu, ic.memory);
      if (r) c.resources = { requests: r };
      if (ic.sidecar) c.restartPolicy = 'Always';
      return c;
    });
  }
  if (s.node) spec.nodeName = s.node;
  if (s.nodeSelector) spec.nodeSelector = s.nodeSelector;
  if (s.tolerations) spec.tolerations = s.tolerations;
  if (s.affinity) spec.affinity = s.affinity;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: s.namespace ?? 'default', uid: `uid-${name}` }, spec, status: { phase: s.phase ?? 'Pending' } };
}

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

export function infos(nodes: KObj[], pods: KObj[] = []): NodeInfo[] {
  return buildNodeInfos(nodes, pods);
}

export function info(node: KObj, pods: KObj[] = []): NodeInfo {
  return buildNodeInfos([node], pods)[0]!;
}
