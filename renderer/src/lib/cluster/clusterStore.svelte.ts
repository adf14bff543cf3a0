// Live cluster state for the map: one watch per resource through the bridge, events applied to a
// plain ObjectIndex, and a single `version` bumped at most once per animation frame so a burst of
// events (500 pods changing) costs one rebuild of the view, not one per event.
import type { Bridge, ClusterStatus, WatchEvent } from '../../../../main/bridge/contract.js';
import { KINDS, ObjectIndex, WATCHED, type Kind } from './objectIndex.js';
import { buildMap, PodViewCache, type MapView } from './mapModel.js';

const RETRY_MS = 2000;

export class ClusterStore {
  status = $state<ClusterStatus | null>(null);
  namespace = $state('');
  /** the pod whose drawer is open (its key) */
  selectedPod = $state<string | null>(null);
  /** pods to highlight (hovering a service) */
  highlight = $state<ReadonlySet<string>>(new Set());
  private version = $state(0);

  readonly index = new ObjectIndex();
  private cache = new PodViewCache();
  private watches = new Map<string, Kind>();
  /** events that arrived before their k8s.watch call resolved with the id */
  private early: WatchEvent[] = [];
  private frame = 0;
  private stopped = false;
  private generation = 0;

  readonly view: MapView = $derived.by(() => {
    void this.version;
    return buildMap(this.index, this.namespace, this.cache);
  });

  constructor(private readonly bridge: Bridge) {}

  /** Starts following the cluster; returns the function that stops it. */
  start(): () => void {
    this.stopped = false;
    const offs = [
      this.bridge.on('k8s.event', (ev) => this.onEvent(ev)),
      this.bridge.on('cluster.status', (s) => this.onStatus(s)),
    ];
    void this.bridge.call('cluster.status', undefined).then((r) => r.ok && this.onStatus(r.value));
    return () => {
      this.stopped = true;
      offs.forEach((off) => off());
      this.unwatchAll();
      cancelAnimationFrame(this.frame);
    };
  }

  /** the current object behind a PodView key */
  pod(key: string) {
    void this.version;
    return this.index.byKind.pods.get(key);
  }

  private onStatus(s: ClusterStatus): void {
    const wasReady = this.status?.state === 'ready';
    this.status = s;
    if (s.state === 'ready' && !wasReady) this.watchAll();
    if (s.state !== 'ready' && wasReady) this.unwatchAll();
  }

  private watchAll(): void {
    this.unwatchAll();
    const gen = ++this.generation;
    for (const kind of KINDS) void this.watchKind(kind, gen);
  }

  private unwatchAll(): void {
    this.generation++;
    for (const watchId of this.watches.keys()) void this.bridge.call('k8s.unwatch', { watchId });
    this.watches.clear();
    this.early = [];
  }

  private async watchKind(kind: Kind, gen: number): Promise<void> {
    // list first so the map fills at once; the watch then carries every change after it (an
    // implementation that also replays ADDED events for existing objects is harmless: upserts)
    await this.relist(kind, gen);
    const r = await this.bridge.call('k8s.watch', { ...WATCHED[kind] });
    if (gen !== this.generation || this.stopped) {
      if (r.ok) void this.bridge.call('k8s.unwatch', { watchId: r.value.watchId });
      return;
    }
    if (!r.ok) {
      setTimeout(() => gen === this.generation && void this.watchKind(kind, gen), RETRY_MS);
      return;
    }
    this.watches.set(r.value.watchId, kind);
    const mine = this.early.filter((e) => e.watchId === r.value.watchId);
    this.early = this.early.filter((e) => e.watchId !== r.value.watchId);
    mine.forEach((e) => this.onEvent(e));
  }

  private async relist(kind: Kind, gen: number): Promise<void> {
    const r = await this.bridge.call('k8s.list', { ...WATCHED[kind] });
    if (gen !== this.generation || !r.ok) return;
    this.index.replace(kind, r.value.items);
    this.changed();
  }

  private onEvent(ev: WatchEvent): void {
    const kind = this.watches.get(ev.watchId);
    if (!kind) {
      if (this.early.length < 10_000) this.early.push(ev);
      return;
    }
    if (ev.type === 'RESYNC') void this.relist(kind, this.generation);
    else if (this.index.apply(kind, ev)) this.changed();
  }

  private changed(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.version++;
    });
  }
}
