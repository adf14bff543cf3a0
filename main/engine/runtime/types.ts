// The seam between the simulated kubelet (main/engine/kubelet) and the simulated container
// runtime (main/engine/runtime): images, and processes whose behaviour is derived from the image
// and the container's command. Everything happens on the injected Clock.
import type { Clock } from '../clock.js';

export interface ImageRef {
  /** as written in the pod spec: "nginx", "nginx:1.27", "docker.io/library/nginx:1.27" */
  image: string;
  /** normalised: "docker.io/library/nginx:1.27" */
  fullName: string;
  /** "docker.io/library/nginx@sha256:…" (stable per name:tag) */
  imageID: string;
  sizeBytes: number;
}

export type ImagePullResult =
  | { ok: true; ref: ImageRef; /** simulated pull duration in ms (0 when already present on the node) */ durationMs: number }
  /** the message kubelet puts in ErrImagePull / the Failed event, worded as containerd does */
  | { ok: false; reason: 'ErrImagePull' | 'InvalidImageName'; message: string };

export interface ImageCatalog {
  /** pull (or find) an image for a node; `present` lists images already on that node */
  pull(image: string, present: ReadonlySet<string>): ImagePullResult;
}

export interface ContainerRunSpec {
  name: string;
  image: ImageRef;
  command?: string[];
  args?: string[];
  /** resolved environment (kubelet expands $(VAR) and valueFrom before) */
  env: Record<string, string>;
  workingDir?: string;
  /** bytes; undefined = no limit */
  memoryLimit?: number;
  /** files visible in the container (mounted ConfigMaps/Secrets etc.), path → content */
  files?: Record<string, string>;
  hostname: string;
  podIP: string;
  /** container.stdin/stdinOnce/tty: PID 1 keeps its stdin open for `kubectl attach` (`kubectl run -it`) */
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  /** the pod the container belongs to: its network identity (DNS search path, NetworkPolicy) */
  pod?: { namespace: string; name: string; labels: Record<string, string>; node: string; hostNetwork?: boolean };
}

export interface OutputLine {
  /** simulated ms epoch when written */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string; // one line, without the newline
}

export interface ExitInfo {
  exitCode: number;
  /** 'Completed' (0), 'Error' (non-zero), 'OOMKilled' (memory limit exceeded) — kubelet's terminated.reason */
  reason: 'Completed' | 'Error' | 'OOMKilled';
  /** for signals: 137 (SIGKILL), 143 (SIGTERM) */
  signal?: number;
  at: number;
  /**
   * set when PID 1 could not be started at all (program not in the image): containerd's message.
   * The kubelet reports such a container as terminated with reason StartError, exit code 128.
   */
  startError?: string;
}

/** The client side of a request as the serving app sees it; absent for kubelet probes. */
export interface HttpClientInfo {
  /** source IP after any SNAT */
  from?: string;
  method?: string;
  /** request headers, any case (Host, User-Agent…) */
  headers?: Record<string, string>;
}

/** A running simulated process (PID 1 of a container). */
export interface ContainerProcess {
  readonly startedAt: number;
  /** output so far, in order */
  output(): readonly OutputLine[];
  onOutput(cb: (line: OutputLine) => void): () => void;
  /** resolves/fires once; immediately if already exited */
  onExit(cb: (exit: ExitInfo) => void): () => void;
  exited(): ExitInfo | undefined;
  /** SIGTERM: well-behaved apps exit soon (nginx quits at once; `sleep` as PID 1 ignores it) */
  terminate(): void;
  /** SIGKILL: exit 137 now */
  kill(): void;
  /**
   * an HTTP request to the container's port (probes, and traffic routed by main/engine/network);
   * undefined when nothing listens there. `req` tells the app who asks (its access log shows it).
   */
  httpGet(port: number, path: string, req?: HttpClientInfo): { status: number; body: string } | undefined;
  tcpListening(port: number): boolean;
  /** run a command inside the container (exec probes; later `kubectl exec`) */
  exec(command: string[]): {
    exitCode: number;
    stdout: string;
    stderr: string;
    /** the command is not in the image: containerd's "OCI runtime exec failed: ..." message */
    startError?: string;
    /** still running after 10 simulated minutes (its sleeps are skipped, not waited for) */
    timedOut?: boolean;
  };
  /** PID 1's own terminal/stdin when the container keeps stdin open and runs a shell (`kubectl run -it -- sh`) */
  attach?(): AttachStream | undefined;
  /** a streaming exec (`kubectl exec`): runs on the clock, reads stdin, may be an interactive shell */
  openExec?(command: string[], opts: ExecOptions): ExecSession;
  /** simulated resource use right now (metrics later) */
  usage(): { cpuMillicores: number; memoryBytes: number };
}

export interface ExecOptions {
  /** the client sends stdin (`-i`) */
  stdin: boolean;
  /** a terminal (`-t`): raw keystrokes in, echo and line editing by us, stderr merged into stdout */
  tty: boolean;
}

/** PID 1's stdin and raw output (with a TTY: echo and CRLF included), for attach. */
export interface AttachStream {
  tty: boolean;
  input(data: string): void;
  /** an attached client left; with stdinOnce that closes PID 1's stdin */
  detach(): void;
  onOutput(cb: (stream: 'stdout' | 'stderr', text: string) => void): () => void;
}

/** One `kubectl exec` inside a running container. */
export interface ExecSession {
  /** bytes the client typed or piped */
  input(data: string): void;
  /** the client closed stdin (EOF) */
  closeStdin(): void;
  onOutput(cb: (stream: 'stdout' | 'stderr', text: string) => void): void;
  /** exactly once; startError = the program is not in the image (containerd's message) */
  onExit(cb: (exit: { exitCode: number; startError?: string }) => void): void;
  /** the connection went away: stop whatever runs */
  kill(): void;
}

export interface ContainerRuntime {
  readonly images: ImageCatalog;
  start(spec: ContainerRunSpec, clock: Clock): ContainerProcess;
}
