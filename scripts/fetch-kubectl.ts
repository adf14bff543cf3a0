// Packaging step: download the official kubectl for every target the app ships to, verify each
// against its published sha256, and lay them out as resources/kubectl/<platform>-<arch>/kubectl[.exe]
// (electron-builder.yml copies that folder into the app's resources; main/host/kubectl.ts looks
// there first). Usage: tsx scripts/fetch-kubectl.ts [--version v1.32.N] [--only linux-x64,...]
// Without --version, the newest v1.32 patch is asked from dl.k8s.io (stable-1.32.txt).
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const BASE = 'https://dl.k8s.io/release';
const MINOR = '1.32';
const TARGETS = [
  { platform: 'linux', arch: 'x64', os: 'linux', goarch: 'amd64' },
  { platform: 'linux', arch: 'arm64', os: 'linux', goarch: 'arm64' },
  { platform: 'darwin', arch: 'x64', os: 'darwin', goarch: 'amd64' },
  { platform: 'darwin', arch: 'arm64', os: 'darwin', goarch: 'arm64' },
  { platform: 'win32', arch: 'x64', os: 'windows', goarch: 'amd64' },
] as const;

async function fetchOk(url: string): Promise<Buffer> {
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { version: { type: 'string' }, only: { type: 'string' }, out: { type: 'string', default: 'resources/kubectl' } } });
  const version = values.version ?? (await fetchOk(`${BASE}/stable-${MINOR}.txt`)).toString('utf8').trim();
  if (!new RegExp(`^v${MINOR.replace('.', '\\.')}\\.\\d+$`).test(version)) throw new Error(`expected a v${MINOR}.N version, got "${version}"`);
  const only = values.only?.split(',');
  for (const t of TARGETS) {
    const key = `${t.platform}-${t.arch}`;
    if (only && !only.includes(key)) continue;
    const exe = t.os === 'windows' ? 'kubectl.exe' : 'kubectl';
    const url = `${BASE}/${version}/bin/${t.os}/${t.goarch}/${exe}`;
    const [binary, sumFile] = await Promise.all([fetchOk(url), fetchOk(`${url}.sha256`)]);
    // the .sha256 file holds just the hex digest (some mirrors append the file name)
    const expected = sumFile.toString('utf8').trim().split(/\s+/)[0]!.toLowerCase();
    const actual = createHash('sha256').update(binary).digest('hex');
    if (!/^[0-9a-f]{64}$/.test(expected) || actual !== expected) throw new Error(`${url}: sha256 mismatch (expected ${expected}, got ${actual})`);
    const dir = path.resolve(values.out!, key);
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `${exe}.download`);
    writeFileSync(tmp, binary);
    chmodSync(tmp, 0o755);
    // rename last, so an interrupted run never leaves a half-written kubectl in place
    renameSync(tmp, path.join(dir, exe));
    console.log(`${key}: kubectl ${version} ${actual}`);
  }
}

main().catch((e) => {
  console.error(`fetch-kubectl: ${(e as Error).message}`);
  process.exit(1);
});
