// Shared shapes for simulated programs. A program is a generator: it runs synchronously until it
// needs time to pass, then yields a Step; the process driver resumes it from a clock timer (or, for
// exec, by skipping virtual time), so nothing ever blocks or busy-waits the engine.
import type { ClusterNetwork, NetSource } from '../network/types.js';
import type { ShellKind } from './images-data.js';

export type Step =
  /** resume after ms of simulated time; burn = the program spins a CPU meanwhile */
  | { sleep: number; burn?: boolean }
  /** never resume on its own (until a signal) */
  | { forever: true; burn?: boolean }
  /** `wait`: resume when background jobs are done or a trapped signal arrives */
  | { wait: true };

export type Gen = Generator<Step, number, void>;

export interface Sink {
  write(text: string): void;
}

export interface IO {
  out: Sink;
  err: Sink;
  stdin?: string;
  /** stdout is a terminal (exec -t): curl draws no progress meter then */
  tty?: boolean;
}

/** how a container reaches the cluster network (absent in unit tests without a network) */
export interface NetBinding {
  network: ClusterNetwork;
  source: NetSource;
}

/** what a served request looks like to an app: probes come from the node with kube-probe's agent */
export interface HttpReq {
  method: string;
  host: string;
  userAgent: string;
  headers: Record<string, string>;
}

export type HttpHandler = (path: string, from: string, req: HttpReq) => { status: number; body: string };

/** state of one container shared by PID 1, background jobs and exec sessions */
export interface Sys {
  files: Map<string, string>;
  dirs: Set<string>;
  hostname: string;
  podIP: string;
  shell: ShellKind;
  hasBash: boolean;
  /** the image's program (apps.ts key): its binaries exist only in that image */
  app: string;
  version: string;
  memMi: number;
  now(): number;
  /** declared memory use in bytes (stress, KUBELAB_MEMORY): exceeding the limit is an OOM kill */
  setMemory(bytes: number): void;
  listen(port: number, handler: HttpHandler | null): void;
  /** a program running as PID 1 handling SIGTERM: returns its shutdown */
  onTerm(handler: () => Gen): void;
  /** pending signal for shells that trap it */
  pendingSignal?: string;
  /** loop iterations since the last real yield (bounds tight loops) */
  spin: number;
  spawn(gen: Gen): void;
  bgRunning(): number;
  /** the cluster network as seen from this pod, when there is one */
  net?: () => NetBinding | undefined;
  /** a request to this container's own port (localhost): undefined = nothing listens */
  localHttp?: (port: number, path: string) => { status: number; body: string } | undefined;
}

export interface Proc {
  sys: Sys;
  io: IO;
  env: Map<string, string>;
  cwd: string;
  /** PID 1 gets signals itself; a child of a shell never sees the kubelet's SIGTERM */
  pid1: boolean;
}

export type Program = (argv: string[], p: Proc) => Gen;

export const NULL_SINK: Sink = { write() {} };

export function captureSink(): Sink & { text: string } {
  const s = { text: '', write: (t: string) => void (s.text += t) };
  return s;
}

/** a finished generator with an exit status (for synchronous programs) */
export function* done(code: number): Gen {
  return code;
}

export function parseDuration(s: string): number | undefined {
  if (s === 'infinity' || s === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * mult);
}

/** "250M", "300Mi", "1G": `si` = Kubernetes quantity rules (M = 10^6); otherwise stress's (M = 2^20) */
export function parseBytes(s: string, si = false): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt])?(i)?b?$/i.exec(s.trim());
  if (!m) return undefined;
  const pow = { k: 1, m: 2, g: 3, t: 4 }[(m[2] ?? '').toLowerCase() as 'k'] ?? 0;
  const base = si && !m[3] ? 1000 : 1024;
  return Math.round(Number(m[1]) * base ** pow);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** strftime subset, UTC (containers run with TZ unset) */
export function strftime(ms: number, fmt: string): string {
  const d = new Date(ms);
  return fmt.replace(/%([a-zA-Z%])/g, (_, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'd': return pad(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'H': return pad(d.getUTCHours());
      case 'M': return pad(d.getUTCMinutes());
      case 'S': return pad(d.getUTCSeconds());
      case 'N': return pad((ms % 1000) * 1_000_000, 9);
      case 's': return String(Math.floor(ms / 1000));
      case 'a': return DAYS[d.getUTCDay()]!;
      case 'b': return MONTHS[d.getUTCMonth()]!;
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 'T': return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      case 'F': return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case '%': return '%';
      default: return `%${c}`;
    }
  });
}
