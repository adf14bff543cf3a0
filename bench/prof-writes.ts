// `tsx bench/prof-writes.ts [warmup] [creates]`: ConfigMap creates (IN_FLIGHT, default 32) against a fresh
// cluster, reporting writes/s and the CPU each side spent per write (the engine's from /proc, so
// Linux only). PROF=<dir> adds V8's --cpu-prof to the engine. For profiling work; not part of npm run bench.
import { apiClient, createConfigMaps } from './lib/api.js';
import { cleanup, cpuTimes, enginePid, freshDir, startCluster } from './lib/cluster.js';

const warmup = Number(process.argv[2] ?? 300);
const n = Number(process.argv[3] ?? 1000);
const cpuMs = (pid: number) => cpuTimes(pid) ?? { user: 0, system: 0 };
const prof = process.env.PROF;
// the TypeScript sources through tsx: profiles then name the source files
const c = await startCluster(freshDir('kubelab-profw-'), { engine: 'tsx', nodeFlags: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : undefined });
const pid = enginePid(c)!;
const inFlight = Number(process.env.IN_FLIGHT ?? 32);
const api = apiClient(c.kubeconfig, inFlight);
try {
  await Promise.all(Array.from({ length: 32 }, () => api.request('GET', '/version')));
  await createConfigMaps(api, 'warm', warmup, inFlight);
  const s0 = cpuMs(pid);
  const c0 = process.cpuUsage();
  const r = await createConfigMaps(api, 'cm', n, inFlight);
  const cc = process.cpuUsage(c0);
  const s1 = cpuMs(pid);
  const per = (ms: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
  console.log(
    `${n} creates after ${warmup} warm-up: ${((n / r.wallMs) * 1000).toFixed(0)} writes/s; per write: engine ${per(s1.user - s0.user)} user + ` +
      `${per(s1.system - s0.system)} system, client ${per((cc.user + cc.system) / 1000)}`,
  );
} finally {
  api.close();
  await c.stop();
  cleanup();
}
