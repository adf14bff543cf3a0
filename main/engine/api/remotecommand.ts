// exec and attach, independent of the transport (WebSocket v5.channel.k8s.io or SPDY/3.1 with
// the v4 protocol): what runs, what the client sees, and the Status that ends the stream.
import { createHash } from 'node:crypto';
import type { ContainerProcess, ExecSession } from '../runtime/types.js';
import type { KObj } from '../store/types.js';
import type { NodeAgent } from './context.js';

/** One remote-command stream seen from the server side. */
export interface Channels {
  stdout(data: string): void;
  stderr(data: string): void;
  /** the final Status (channel 3 / the error stream), then close */
  finish(status: object): void;
  onStdin(cb: (data: Buffer) => void): void;
  /** the client closed its stdin */
  onStdinEnd(cb: () => void): void;
  /** the connection went away */
  onClose(cb: () => void): void;
}

export interface ExecParams {
  command: string[];
  stdin: boolean;
  tty: boolean;
}

export const SUCCESS = { metadata: {}, status: 'Success' };

/** how the kubelet reports a command's non-zero exit (kubectl prints "command terminated with exit code N") */
export function exitStatus(command: string[], code: number): object {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function internalError(message: string): object {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** containerd's exec ids are 64 hex characters */
export function execId(seed: string): string {
  return createHash('sha256').update(`exec/${seed}`).digest('hex');
}

export function runExec(process: ContainerProcess, params: ExecParams, ch: Channels, seed: string): void {
  const { command } = params;
  let session: ExecSession | undefined;
  let done = false;
  const end = (status: object) => {
    if (done) return;
    done = true;
    stopWatch();
    ch.finish(status);
  };
  // the container dying ends the exec (as runc kills the exec'd process with it)
  const stopWatch = process.onExit(() => {
    session?.kill();
    end(exitStatus(command, 137));
  });
  ch.onClose(() => {
    done = true;
    stopWatch();
    session?.kill();
  });
  if (!process.openExec) {
    const r = process.exec(command);
    if (r.startError) return end(internalError(startFailure(command, r.startError, seed)));
    if (r.stdout) ch.stdout(r.stdout);
    if (r.stderr) ch.stderr(r.stderr);
    return end(r.exitCode === 0 ? SUCCESS : exitStatus(command, r.exitCode));
  }
  session = process.openExec(command, { stdin: params.stdin, tty: params.tty });
  session.onOutput((stream, text) => (stream === 'stdout' ? ch.stdout(text) : ch.stderr(text)));
  session.onExit(({ exitCode, startError }) => {
    if (startError) end(internalError(startFailure(command, startError, seed)));
    else end(exitCode === 0 ? SUCCESS : exitStatus(command, exitCode));
  });
  const s = session;
  ch.onStdin((d) => s.input(d.toString()));
  ch.onStdinEnd(() => s.closeStdin());
}

function startFailure(_command: string[], startError: string, seed: string): string {
  return `error executing command in container: failed to exec in container: failed to start exec "${execId(seed)}": ${startError}`;
}

/** attach: the container's output from now on, until it exits or the client leaves */
export function runAttach(agent: NodeAgent, pod: KObj, container: string, ch: Channels): void {
  const abort = new AbortController();
  let done = false;
  ch.onClose(() => abort.abort());
  ch.onStdin(() => undefined); // simulated main processes read no input
  try {
    agent.streamLogs(
      pod,
      { container, follow: true, tailLines: 0 },
      {
        write: (chunk) => ch.stdout(chunk),
        end: () => {
          if (done) return;
          done = true;
          abort.abort();
          ch.finish(SUCCESS);
        },
      },
      abort.signal,
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    done = true;
    ch.finish({ metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
  }
}
