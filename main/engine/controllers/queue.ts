// A minimal work queue in the style of client-go's: handlers only add keys; one worker reconciles
// a key at a time; a key added while queued is processed once; failures retry with backoff.
import type { Clock } from '../clock.js';

export interface Reconciler {
  readonly name: string;
  reconcile(key: string): Promise<void> | void;
}

export class WorkQueue {
  private queued = new Set<string>();
  private order: string[] = [];
  private failures = new Map<string, number>();
  private running = false;
  private scheduled = false;
  private stopped = false;

  constructor(
    private reconciler: Reconciler,
    private clock: Clock,
    private onError: (key: string, e: unknown) => void = (key, e) => console.error(`kubelab: ${reconciler.name} ${key}:`, e),
  ) {}

  add(key: string): void {
    if (this.stopped || this.queued.has(key)) return;
    this.queued.add(key);
    this.order.push(key);
    // Deferred to the next turn of the event loop rather than a microtask, so that a burst of
    // events (a timer firing for many pods, a sync creating hundreds of pods) folds into one
    // reconcile per key, and network I/O gets its turn between bursts instead of starving.
    if (!this.running && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    }
  }

  get pending(): boolean {
    return this.running || this.order.length > 0;
  }

  stop(): void {
    this.stopped = true;
  }

  /** resolves when nothing is queued (tests) */
  async idle(): Promise<void> {
    while (this.running || this.order.length) await new Promise((r) => setImmediate(r));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.order.length && !this.stopped) {
        const key = this.order.shift()!;
        this.queued.delete(key);
        try {
          await this.reconciler.reconcile(key);
          this.failures.delete(key);
        } catch (e) {
          const n = (this.failures.get(key) ?? 0) + 1;
          this.failures.set(key, n);
          this.onError(key, e);
          // 5ms doubling to 1000s, like client-go's default item backoff
          this.clock.after(Math.min(5 * 2 ** (n - 1), 1_000_000), () => this.add(key));
        }
      }
    } finally {
      this.running = false;
    }
  }
}
