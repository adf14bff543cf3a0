// Facts about the machine a benchmark ran on, so numbers from different runs can be compared fairly.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGiB: string;
  os: string;
  node: string;
  kubectlOnPath: string;
  /** where the benchmark data dirs live and which filesystem that is (fsync cost depends on it) */
  tmpFs: string;
}

function firstLine(text: string, re: RegExp): string | undefined {
  return text.split('\n').find((l) => re.test(l));
}

function cpuModel(): string {
  try {
    const line = firstLine(readFileSync('/proc/cpuinfo', 'utf8'), /^model name\s*:/);
    if (line) return line.replace(/^model name\s*:\s*/, '').trim();
  } catch {
    // not Linux: fall through to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function kubectlClientVersion(): string {
  try {
    const out = execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    return firstLine(out, /^Client Version:/)?.replace('Client Version: ', '') ?? out.trim();
  } catch (e) {
    return `unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

function filesystemOf(dir: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length >= 3 && (dir === f[1] || dir.startsWith(f[1] === '/' ? '/' : `${f[1]}/`)));
    mounts.sort((a, b) => b[1]!.length - a[1]!.length);
    const m = mounts[0];
    return m ? `${dir} on ${m[1]} (${m[2]})` : dir;
  } catch {
    return dir;
  }
}

export function machineFacts(): MachineFacts {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kubectlOnPath: kubectlClientVersion(),
    tmpFs: filesystemOf(os.tmpdir()),
  };
}
