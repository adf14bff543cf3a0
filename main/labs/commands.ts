// Running a lab's shell commands (solutions, CI alternatives) with bash and the real kubectl, as a
// learner would type them in the terminal.
import { execFile } from 'node:child_process';

export interface CommandResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandEnv {
  kubeconfig: string;
  cwd: string;
  namespace: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function runCommand(command: string, e: CommandEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'bash',
      ['-c', command],
      {
        cwd: e.cwd,
        env: { ...process.env, KUBECONFIG: e.kubeconfig, LAB_NAMESPACE: e.namespace, ...e.env },
        timeout: e.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ command, code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end();
  });
}

/** Run in order, stopping at the first failing command (its result is last in the list). */
export async function runCommands(commands: string[], e: CommandEnv): Promise<{ ok: boolean; results: CommandResult[] }> {
  const results: CommandResult[] = [];
  for (const c of commands) {
    const r = await runCommand(c, e);
    results.push(r);
    if (r.code !== 0) return { ok: false, results };
  }
  return { ok: true, results };
}
