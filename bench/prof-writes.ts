import { apiClient, createConfigMaps } from './lib/api.js';
import { cleanup, freshDir, startCluster } from './lib/cluster.js';
const prof = process.env.BENCH_CPU_PROF_DIR;
const c = await startCluster(freshDir('kubelab-profw-'), process.env, [], prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : undefined);
const api = apiClient(c.kubeconfig, 32);
try {
  for (let i = 0; i < 3; i++) {
    const r = await createConfigMaps(api, `cm${i}-`, 1000, 32);
    console.log(JSON.stringify({ ...r, latencies: undefined }));
  }
} finally {
  api.close();
  await c.stop();
  cleanup();
}
