import { apiClient, createConfigMaps } from './lib/api.js';
import { cleanup, freshDir, startCluster } from './lib/cluster.js';
const prof = process.env.BENCH_CPU_PROF_DIR;
const c = await startCluster(freshDir('kubelab-profw-'), process.env, [], prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : undefined);
const api = apiClient(c.kubeconfig, 32);
try {
  await createConfigMaps(api, 'warm-', 300, 32);
  for (let i = 0; i < 3; i++) {
    const cpu0 = process.cpuUsage();
    const r = await createConfigMaps(api, `cm${i}-`, 1000, 32);
    const cpu = process.cpuUsage(cpu0);
    console.log(`${(1000 / r.wallMs * 1000).toFixed(0)} writes/s; wall ${r.wallMs.toFixed(0)} ms, client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  }
} finally {
  api.close();
  await c.stop();
  cleanup();
}
