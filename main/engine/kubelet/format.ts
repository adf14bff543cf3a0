// Upstream kubelet wording (pkg/kubelet events and container status messages) and the Go
// formatting it relies on, in one place so tests and the worker agree on every string.
import type { KObj } from '../store/types.js';

/** Go's time.Duration.String() for whole milliseconds: "500ms", "2.345s", "1m20s", "5m0s". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sMs = ms % 60_000;
  const sec = (sMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** format.Pod: "name_namespace(uid)" */
export const podDesc = (pod: KObj) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

export const msg = {
  pulling: (image: string) => `Pulling image "${image}"`,
  pulled: (image: string, ms: number, sizeBytes: number) => `Successfully pulled image "${image}" in ${goDuration(ms)} (${goDuration(ms)} including waiting). Image size: ${sizeBytes} bytes.`,
  present: (image: string) => `Container image "${image}" already present on machine`,
  neverPull: (image: string) => `Container image "${image}" is not present with pull policy of Never`,
  failedPull: (image: string, err: string) => `Failed to pull image "${image}": ${err}`,
  backOffPull: (image: string) => `Back-off pulling image "${image}"`,
  created: (name: string) => `Created container: ${name}`,
  started: (name: string) => `Started container ${name}`,
  stopping: (name: string) => `Stopping container ${name}`,
  backOffRestartEvent: (name: string, pod: KObj) => `Back-off restarting failed container ${name} in pod ${podDesc(pod)}`,
  crashLoop: (ms: number, name: string, pod: KObj) => `back-off ${goDuration(ms)} restarting failed container=${name} pod=${podDesc(pod)}`,
  probeKill: (name: string, probe: 'liveness' | 'startup') => `Container ${name} failed ${probe} probe, will be restarted`,
  unhealthy: (probe: 'Liveness' | 'Readiness' | 'Startup', detail: string) => `${probe} probe failed: ${detail}`,
};

/** fieldPath of a container in events: spec.containers{app} / spec.initContainers{init} */
export const fieldPath = (name: string, init: boolean) => `spec.${init ? 'initContainers' : 'containers'}{${name}}`;

/** RFC3339Nano as Go prints it (trailing zeros of the fraction dropped). */
export function rfc3339Nano(ms: number, subMsNanos = 0): string {
  const base = new Date(ms).toISOString().slice(0, 19);
  const nanos = (ms % 1000) * 1_000_000 + (subMsNanos % 1_000_000);
  const frac = nanos ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac}Z`;
}

/** metav1.MicroTime (Lease renewTime): always six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A small seeded PRNG (mulberry32) so jitter is reproducible from a pod uid and a step name. */
export function seededRandom(seed: string): number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let t = (h += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** 64 lower-case hex chars derived from a seed (container ids look like containerd's). */
export function hex64(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += Math.floor(seededRandom(`${seed}#${i}`) * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}
