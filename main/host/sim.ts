// The simulator's own controls (/kubelab/v1alpha1 on the engine's API server, admin credentials).
import type { NodeState } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';
import type { KubeHttp } from './kube-http.js';

const PREFIX = '/kubelab/v1alpha1';
const part = (what: string, v: unknown): string => {
  if (typeof v !== 'string' || !v || v.includes('/')) throw new HostError('BadRequest', `invalid ${what}: ${JSON.stringify(v)}`);
  return encodeURIComponent(v);
};

export interface Clock {
  now: string;
  speed: number;
}

export class SimClient {
  constructor(private readonly http: KubeHttp) {}

  clock(): Promise<Clock> {
    return this.http.request<Clock>('GET', `${PREFIX}/clock`);
  }

  setSpeed(speed: number): Promise<Clock> {
    if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) throw new HostError('BadRequest', 'speed must be a positive number');
    return this.http.request<Clock>('PUT', `${PREFIX}/clock`, { speed });
  }

  nodes(): Promise<NodeState[]> {
    return this.http.request<NodeState[]>('GET', `${PREFIX}/nodes`);
  }

  async stopNode(name: string): Promise<void> {
    await this.http.request('POST', `${PREFIX}/nodes/${part('node name', name)}/stop`);
  }

  async startNode(name: string): Promise<void> {
    await this.http.request('POST', `${PREFIX}/nodes/${part('node name', name)}/start`);
  }

  async killContainer(namespace: string, pod: string, container: string): Promise<void> {
    await this.http.request('POST', `${PREFIX}/namespaces/${part('namespace', namespace)}/pods/${part('pod name', pod)}/containers/${part('container name', container)}/kill`);
  }

  async reset(): Promise<void> {
    await this.http.request('POST', `${PREFIX}/reset`);
  }
}
