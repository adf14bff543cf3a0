// Startup, liveness and readiness probes of one container instance, on the clock: results come from
// the simulated process; thresholds, periods and the upstream event wording are the kubelet's.
import type { Clock, TimerHandle } from '../clock.js';
import type { ContainerProcess } from '../runtime/types.js';

type Obj = Record<string, unknown>;
export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness';

export interface ProbeResult {
  ok: boolean;
  /** the text after "<Kind> probe failed: " */
  detail: string;
}

function resolvePort(port: unknown, container: Obj): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(String(port))) return Number(port);
  const p = ((container.ports as Obj[]) ?? []).find((x) => x.name === port);
  return p ? (p.containerPort as number) : undefined;
}

export function runProbe(probe: Obj, process: ContainerProcess, container: Obj, ip: string): ProbeResult {
  if (probe.httpGet) {
    const h = probe.httpGet as Obj;
    const port = resolvePort(h.port, container) ?? 0;
    const path = (h.path as string) ?? '/';
    const host = (h.host as string) ?? ip;
    const scheme = String(h.scheme ?? 'HTTP').toLowerCase();
    const r = process.httpGet(port, path);
    if (!r) return { ok: false, detail: `Get "${scheme}://${host}:${port}${path}": dial tcp ${host}:${port}: connect: connection refused` };
    if (r.status >= 200 && r.status < 400) return { ok: true, detail: '' };
    return { ok: false, detail: `HTTP probe failed with statuscode: ${r.status}` };
  }
  if (probe.tcpSocket) {
    const t = probe.tcpSocket as Obj;
    const port = resolvePort(t.port, container) ?? 0;
    const host = (t.host as string) ?? ip;
    return process.tcpListening(port) ? { ok: true, detail: '' } : { ok: false, detail: `dial tcp ${host}:${port}: connect: connection refused` };
  }
  if (probe.exec) {
    const r = process.exec(((probe.exec as Obj).command as string[]) ?? []);
    return r.exitCode === 0 && !r.startError ? { ok: true, detail: '' } : { ok: false, detail: r.startError ?? r.stdout + r.stderr };
  }
  if (probe.grpc) {
    const port = (probe.grpc as Obj).port as number;
    return process.tcpListening(port) ? { ok: true, detail: '' } : { ok: false, detail: `timeout: failed to connect service "${ip}:${port}" within 1s: context deadline exceeded` };
  }
  return { ok: true, detail: '' };
}

export interface ProbeHooks {
  /** readiness or startup changed: post a new status */
  changed(): void;
  /** a failed attempt (Unhealthy event) */
  unhealthy(kind: ProbeKind, detail: string): void;
  /** liveness/startup failed failureThreshold times in a row: restart the container */
  failed(kind: 'Liveness' | 'Startup', gracePeriodSeconds: number | undefined): void;
}

export interface ProbeTarget {
  container: Obj;
  process: ContainerProcess;
  ip: string;
  setStarted(v: boolean): void;
  setReady(v: boolean): void;
}

/** Start the probe workers of a fresh instance; returns the timers (cancelled when it exits). */
export function startProbes(clock: Clock, t: ProbeTarget, hooks: ProbeHooks): TimerHandle[] {
  const timers: TimerHandle[] = [];
  const c = t.container;
  const startup = c.startupProbe as Obj | undefined;
  const liveness = c.livenessProbe as Obj | undefined;
  const readiness = c.readinessProbe as Obj | undefined;
  t.setStarted(!startup);
  t.setReady(!readiness && !startup);
  let stopped = false;
  const handle: TimerHandle = { cancel: () => (stopped = true) };
  timers.push(handle);

  const loop = (kind: ProbeKind, probe: Obj, onSuccess?: () => boolean) => {
    const period = ((probe.periodSeconds as number) ?? 10) * 1000;
    const failureThreshold = (probe.failureThreshold as number) ?? 3;
    const successThreshold = (probe.successThreshold as number) ?? 1;
    let ok = 0;
    let bad = 0;
    let ready = false;
    const tick = () => {
      if (stopped || t.process.exited()) return;
      const r = runProbe(probe, t.process, c, t.ip);
      if (r.ok) {
        ok++;
        bad = 0;
        if (kind === 'Readiness' && !ready && ok >= successThreshold) {
          ready = true;
          t.setReady(true);
          hooks.changed();
        }
        if (onSuccess?.()) return;
      } else {
        bad++;
        ok = 0;
        hooks.unhealthy(kind, r.detail);
        if (kind === 'Readiness' && (ready || bad === 1) && bad >= failureThreshold) {
          ready = false;
          t.setReady(false);
          hooks.changed();
        }
        if (kind !== 'Readiness' && bad >= failureThreshold) {
          hooks.failed(kind, probe.terminationGracePeriodSeconds as number | undefined);
          return;
        }
      }
      timers.push(clock.after(period, tick));
    };
    timers.push(clock.after(((probe.initialDelaySeconds as number) ?? 0) * 1000, tick));
  };

  const steady = () => {
    if (liveness) loop('Liveness', liveness);
    if (readiness) loop('Readiness', readiness);
    else {
      t.setReady(true);
    }
  };
  if (startup) {
    loop('Startup', startup, () => {
      t.setStarted(true);
      steady();
      hooks.changed();
      return true;
    });
  } else steady();
  return timers;
}
