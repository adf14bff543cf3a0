// The one place the engine touches real time. Everything else receives a Clock, so tests drive
// time by hand and the simulator can run faster than the wall clock.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** milliseconds since the Unix epoch, in the clock's (possibly simulated) time */
  now(): number;
  /** run fn once after ms of this clock's time */
  after(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that only moves when told to: for deterministic tests. */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; seq: number; fn: () => void; cancelled: boolean }> = [];
  private seq = 0;
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  after(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  /** move time forward, firing due timers in order (timers a timer schedules fire too if due) */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => !x.cancelled);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = target;
  }
}

let lastSecond = NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  // Kubernetes serialises metav1.Time with second precision; most calls fall in the same second as
  // the one before (a burst of writes), so that one string is kept
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastIso = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = sec;
  }
  return lastIso;
}

/**
 * Simulated time running `speed` times faster than real time (1× to 600×), changeable while
 * running. It is a discrete-event clock: time never passes a timer that has not fired yet, so when
 * the process falls behind (a long request, garbage collection) simulated time waits for the
 * overdue timers instead of skipping them. At 600× a 10 s heartbeat is 17 ms of real time; without
 * this, any stall would let a node monitor see heartbeats as "late".
 */
export class SimClock implements Clock {
  private baseSim: number;
  private baseWall: number;
  private last = 0;
  private seq = 0;
  private heap: SimTimer[] = [];
  static readonly MIN_SPEED = 1;
  static readonly MAX_SPEED = 600;

  constructor(
    private _speed = 1,
    startAt?: number,
  ) {
    SimClock.check(_speed);
    this.baseWall = Date.now();
    this.baseSim = startAt ?? this.baseWall;
  }

  static check(speed: number): void {
    if (!Number.isFinite(speed) || speed < SimClock.MIN_SPEED || speed > SimClock.MAX_SPEED) {
      throw new RangeError(`speed must be between ${SimClock.MIN_SPEED} and ${SimClock.MAX_SPEED}, got ${speed}`);
    }
  }

  get speed(): number {
    return this._speed;
  }

  now(): number {
    let t = Math.floor(this.baseSim + (Date.now() - this.baseWall) * this._speed);
    const next = this.peek();
    if (next && next.at < t) t = next.at;
    if (t < this.last) t = this.last;
    this.last = t;
    return t;
  }

  setSpeed(speed: number): void {
    SimClock.check(speed);
    this.baseSim = this.now();
    this.baseWall = Date.now();
    this._speed = speed;
    for (const t of this.heap) if (!t.cancelled) this.arm(t);
  }

  after(ms: number, fn: () => void): TimerHandle {
    const t: SimTimer = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(t);
    this.arm(t);
    return {
      cancel: () => {
        t.cancelled = true;
        if (t.real) clearTimeout(t.real);
      },
    };
  }

  private arm(t: SimTimer): void {
    if (t.real) clearTimeout(t.real);
    const wallNow = this.baseSim + (Date.now() - this.baseWall) * this._speed;
    const wait = Math.max(0, (t.at - wallNow) / this._speed);
    t.real = setTimeout(() => this.fire(t), wait);
    t.real.unref?.();
  }

  /** Run every due timer in simulated-time order, the earliest first, whichever real timer woke us. */
  private fire(woken: SimTimer): void {
    woken.due = true;
    for (;;) {
      const next = this.peek();
      if (!next || !next.due) break;
      this.pop();
      next.fn();
    }
  }

  private peek(): SimTimer | undefined {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private push(t: SimTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): SimTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }

  /** cancel everything (shutdown) */
  stopAll(): void {
    for (const t of this.heap) if (t.real) clearTimeout(t.real);
    this.heap = [];
  }
}

interface SimTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
  /** its real timer has gone off: it may run (in order) */
  due?: boolean;
  real?: ReturnType<typeof setTimeout>;
}

function before(a: SimTimer, b: SimTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
