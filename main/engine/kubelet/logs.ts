// `kubectl logs` as the kubelet answers it: which container instance (current or previous), the
// upstream refusals for containers that have not run, and the options (timestamps, tail, since,
// limit, follow) applied to the simulated output.
import { badRequest } from '../api/errors.js';
import type { LogOptions } from '../api/context.js';
import type { KObj } from '../store/types.js';
import { rfc3339Nano } from './format.js';
import type { ContainerState, Instance } from './state.js';

export interface LogSink {
  write(chunk: string): void;
  end(): void;
}

/** The instance whose log is served, or the upstream error (400) when there is none. */
export function pickInstance(pod: KObj, c: ContainerState | undefined, name: string, previous: boolean): Instance {
  const podName = pod.metadata.name;
  const instances = c?.instances ?? [];
  const last = instances.at(-1);
  const running = c?.phase === 'Running' && last && !last.exit ? last : undefined;
  // what the status shows as lastState.terminated
  const lastState = running || (c?.phase === 'Exited' && !c.waiting) ? instances.at(-2) : last;
  if (previous) {
    if (!lastState?.exit) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return lastState;
  }
  if (running) return running;
  if (c?.phase === 'Exited' && last?.exit && !c.waiting) return last;
  if (lastState?.exit) return lastState;
  const reason = c?.waiting?.reason ?? (c?.init ? 'PodInitializing' : 'ContainerCreating');
  const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${why}`);
}

// sub-millisecond digits so timestamps look like containerd's nanosecond ones, stable per line
const nanosOf = (i: number) => (i * 104_729 + 7_919) % 1_000_000;

/** Write the log; returns a stop function when it keeps following the container. */
export function writeLogs(inst: Instance, opts: LogOptions, now: number, out: LogSink, signal: AbortSignal): void {
  const all = inst.process.output();
  let since = -Infinity;
  if (opts.sinceSeconds !== undefined) since = now - opts.sinceSeconds * 1000;
  if (opts.sinceTime) since = Math.max(since, Date.parse(opts.sinceTime));
  let lines = all.map((l, i) => ({ l, i })).filter(({ l }) => l.at >= since);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
  let budget = opts.limitBytes ?? Infinity;
  const fmt = (text: string, at: number, i: number) => (opts.timestamps ? `${rfc3339Nano(at, nanosOf(i))} ${text}\n` : `${text}\n`);
  const emit = (chunk: string): boolean => {
    if (budget <= 0) return false;
    const bytes = Buffer.byteLength(chunk);
    if (bytes > budget) {
      out.write(Buffer.from(chunk).subarray(0, budget).toString('utf8'));
      budget = 0;
      return false;
    }
    budget -= bytes;
    out.write(chunk);
    return true;
  };
  for (const { l, i } of lines) if (!emit(fmt(l.text, l.at, i))) return out.end();
  if (!opts.follow || inst.exit || inst.process.exited() || signal.aborted) return out.end();
  let next = all.length;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    offOut();
    offExit();
    signal.removeEventListener('abort', finish);
    out.end();
  };
  const offOut = inst.process.onOutput((l) => {
    if (done) return;
    if (!emit(fmt(l.text, l.at, next++))) finish();
  });
  const offExit = inst.process.onExit(() => finish());
  signal.addEventListener('abort', finish);
}
