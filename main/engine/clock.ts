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

export function isoTime(ms: number): string {
  // Kubernetes serialises metav1.Time with second precision
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Simulated time running `speed` times faster than real time (1× to 600×), changeable while
 * running. Timers are kept in simulated time and re-armed on the real clock when the speed changes,
 * so "5 minutes" stays 5 simulated minutes whatever the speed.
 */
export class SimClock implements Clock {
  private baseSim: number;
  private baseWall: number;
  private timers = new Set<{ at: number; fn: () => void; real?: ReturnType<typeof setTimeout> }>();
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
    return Math.floor(this.baseSim + (Date.now() - this.baseWall) * this._speed);
  }

  setSpeed(speed: number): void {
    SimClock.check(speed);
    this.baseSim = this.now();
    this.baseWall = Date.now();
    this._speed = speed;
    for (const t of this.timers) this.arm(t);
  }

  after(ms: number, fn: () => void): TimerHandle {
    const t: { at: number; fn: () => void; real?: ReturnType<typeof setTimeout> } = { at: this.now() + Math.max(0, ms), fn };
    this.timers.add(t);
    this.arm(t);
    return {
      cancel: () => {
        if (t.real) clearTimeout(t.real);
        this.timers.delete(t);
      },
    };
  }

  private arm(t: { at: number; fn: () => void; real?: ReturnType<typeof setTimeout> }): void {
    if (t.real) clearTimeout(t.real);
    const wait = Math.max(0, (t.at - this.now()) / this._speed);
    t.real = setTimeout(() => {
      this.timers.delete(t);
      t.fn();
    }, wait);
    t.real.unref?.();
  }

  /** cancel everything (shutdown) */
  stopAll(): void {
    for (const t of this.timers) if (t.real) clearTimeout(t.real);
    this.timers.clear();
  }
}
