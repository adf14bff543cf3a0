// The cluster survives restarts, and a crash loses nothing kubectl was told is done.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCluster, tempDir } from './helpers/cluster.js';

describe('persistence across engine restarts', () => {
  it('a clean stop (SIGTERM) exits 0 and the same data dir reopens the same cluster', async () => {
    const dataDir = tempDir();
    const a = await startCluster({ dataDir });
    expect((await a.kubectl(['create', 'configmap', 'kept', '--from-literal=k=v'])).code).toBe(0);
    const uid = (await a.kubectl(['get', 'cm', 'kept', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(a.output()).toContain('KubeLab cluster stopped.');

    const b = await startCluster({ dataDir });
    const r = await b.kubectl(['get', 'cm', 'kept', '-o', 'jsonpath={.metadata.uid} {.data.k}']);
    expect(r.stdout).toBe(`${uid} v`);
    // the kubeconfig written the first time still works: same CA and client certificate
    expect(readFileSync(path.join(dataDir, 'pki', 'ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(await b.stop('SIGINT')).toBe(0);
  });

  it('kill -9 during a burst of writes: every write kubectl reported as done survives', async () => {
    const dataDir = tempDir();
    const a = await startCluster({ dataDir });
    const done: string[] = [];
    const names = Array.from({ length: 24 }, (_, i) => `burst-${i}`);
    let killed = false;
    const writes = names.map(async (n, i) => {
      // stagger so the kill lands in the middle of the burst
      await new Promise((r) => setTimeout(r, i * 25));
      const r = await a.kubectl(['create', 'configmap', n, '--from-literal=i=' + i]);
      if (r.code === 0 && r.stdout.trim() === `configmap/${n} created`) done.push(n);
      if (done.length === 8 && !killed) {
        killed = true;
        a.proc.kill('SIGKILL');
      }
    });
    await Promise.all(writes);
    expect(killed).toBe(true);
    expect(done.length).toBeGreaterThanOrEqual(8);

    const b = await startCluster({ dataDir });
    expect(b.output()).not.toContain('could not read');
    const listed = (await b.kubectl(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ');
    for (const n of done) expect(listed).toContain(n);
    await b.stop();
  });

  it('a corrupt data file is moved aside with a clear message', async () => {
    const dataDir = tempDir();
    const a = await startCluster({ dataDir });
    await a.stop();
    const { writeFileSync, readdirSync } = await import('node:fs');
    writeFileSync(path.join(dataDir, 'cluster.json'), '{"format":"kubelab.cluster/v1","rev":');
    const b = await startCluster({ dataDir });
    expect(b.output()).toMatch(/KubeLab could not read the cluster data file .*cluster\.json .* It was moved to .*cluster\.json\.corrupt-.* and a new cluster was created; nothing was overwritten\./);
    expect(readdirSync(dataDir).some((f) => f.startsWith('cluster.json.corrupt-'))).toBe(true);
    expect((await b.kubectl(['get', 'ns', 'default', '-o', 'name'])).stdout).toBe('namespace/default\n');
    await b.stop();
  });
});
