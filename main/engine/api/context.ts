import type { Clock } from '../clock.js';
import type { IdSource } from '../ids.js';
import type { Store } from '../store/store.js';
import type { Registry, ResourceDef } from './registry.js';
import type { KObj } from '../store/types.js';
import type { SimulatorControls } from '../sim/controls.js';
import type { ClusterNetwork } from '../network/types.js';
import type { AuthService } from '../auth/service.js';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Everything a request handler needs; one per API server. */
export interface ApiContext {
  store: Store;
  registry: Registry;
  /** cluster time (simulated): timestamps, ages */
  clock: Clock;
  /** real time: watch timeouts and bookmarks are about the network, not the simulation */
  wall: Clock;
  ids: IdSource;
  /** resolves once the store's state up to rev is on disk */
  durable(rev: number): Promise<void>;
  serverAddress: string;
  /** the garbage collector hears of every delete with its propagation policy */
  onDelete?: (def: ResourceDef, obj: KObj, propagation: 'Background' | 'Foreground' | 'Orphan' | undefined) => void;
  /** kubelets serve logs (and later exec/attach) for the pods they run */
  nodeAgent?: NodeAgent;
  /** the simulated cluster network (DNS, Services, Ingress, NetworkPolicy): exec's curl/wget, port-forward */
  network?: ClusterNetwork;
  /** the simulator's own controls (clock, faults, reset, snapshots); absent on a real cluster */
  sim?: SimulatorControls;
  /** authentication and RBAC (set by the API server; in-process clients bypass it) */
  auth?: AuthService;
}

export interface LogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

/** What the API server asks of the node that runs a pod. */
export interface NodeAgent {
  /**
   * Write the container's log to `out` (and keep writing when follow is set, until the container
   * stops or `signal` aborts). Throws a StatusError for a missing/not-started container.
   */
  streamLogs(pod: KObj, opts: LogOptions, out: { write(chunk: string): void; end(): void }, signal: AbortSignal): void;
}

export interface RequestInfo {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  user: UserInfo;
}
