import type { Clock } from '../clock.js';
import type { IdSource } from '../ids.js';
import type { Store } from '../store/store.js';
import type { Registry, ResourceDef } from './registry.js';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
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
}

export interface RequestInfo {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  user: UserInfo;
}
