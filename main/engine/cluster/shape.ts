// The default cluster: one kubeadm-style control-plane node and N workers, sized like the small
// VMs of CKA practice environments.

export interface NodePlan {
  name: string;
  role: 'control-plane' | 'worker';
  internalIP: string;
  podCIDR: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

export const KUBERNETES_VERSION = 'v1.32.0';
export const NODE_INFO = {
  architecture: 'amd64',
  containerRuntimeVersion: 'containerd://1.7.24',
  kernelVersion: '6.8.0-51-generic',
  kubeProxyVersion: KUBERNETES_VERSION,
  kubeletVersion: KUBERNETES_VERSION,
  operatingSystem: 'linux',
  osImage: 'Ubuntu 24.04.1 LTS',
};
export const SERVICE_CIDR = '10.96.0.0/12';
export const CLUSTER_DNS_IP = '10.96.0.10';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export function clusterShape(workers = 2): NodePlan[] {
  if (!Number.isInteger(workers) || workers < 0 || workers > 100) throw new RangeError(`--nodes must be a whole number from 0 to 100, got ${workers}`);
  const nodes: NodePlan[] = [
    {
      name: 'controlplane',
      role: 'control-plane',
      internalIP: '172.30.1.2',
      podCIDR: '10.244.0.0/24',
      capacity: { cpu: '2', 'ephemeral-storage': '20134592Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4010048Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '19586931083', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '3907648Ki', pods: '110' },
    },
  ];
  for (let i = 1; i <= workers; i++) {
    nodes.push({
      name: `node${String(i).padStart(2, '0')}`,
      role: 'worker',
      internalIP: `172.30.2.${i + 1}`,
      podCIDR: `10.244.${i}.0/24`,
      capacity: { cpu: '2', 'ephemeral-storage': '20134592Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4010048Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '19586931083', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '3907648Ki', pods: '110' },
    });
  }
  return nodes;
}
