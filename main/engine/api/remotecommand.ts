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
  let kill = () => {};
  let done = false;
  const end = (status: object) => {
    if (done) return;
    done = true;
    stopWatch();
    ch.finish(status);
  };
  // the container dying ends the exec (as runc kills the exec'd process with it)
  const stopWatch = process.onExit(() => {
    kill();
    end(exitStatus(command, 137));
  });
  ch.onClose(() => {
    done = true;
    stopWatch();
    kill();
  });
  if (!process.openExec) {
    const r = process.exec(command);
    if (r.startError) return end(internalError(startFailure(command, r.startError, seed)));
    if (r.stdout) ch.stdout(r.stdout);
    if (r.stderr) ch.stderr(r.stderr);
    return end(r.exitCode === 0 ? SUCCESS : exitStatus(command, r.exitCode));
  }
  const session: ExecSession = process.openExec(command, { stdin: params.stdin, tty: params.tty });
  kill = () => session.kill();
  session.onOutput((stream, text) => (stream === 'stdout' ? ch.stdout(text) : ch.stderr(text)));
  session.onExit(({ exitCode, startError }) => {
    if (startError) end(internalError(startFailure(command, startError, seed)));
    else end(exitCode === 0 ? SUCCESS : exitStatus(command, exitCode));
  });
  ch.onStdin((d) => session.input(d.toString()));
  ch.onStdinEnd(() => session.closeStdin());
}

function startFailure(_command: string[], startError: string, seed: string): string {
  return `error executing command in container: failed to exec in container: failed to start exec "${execId(seed)}": ${startError}`;
}

/**
 * attach: a shell waiting on its stdin (`kubectl run -it -- sh`) gets the client's keystrokes and
 * raw terminal output; any other container streams its output from now on, until it exits.
 */
export function runAttach(agent: NodeAgent, pod: KObj, container: string, ch: Channels, process?: ContainerProcess): void {
  const stream = process?.attach?.();
  if (stream && process) {
    let done = false;
    const off = stream.onOutput((s, text) => (s === 'stdout' || stream.tty ? ch.stdout(text) : ch.stderr(text)));
    const stopWatch = process.onExit(() => {
      if (done) return;
      done = true;
      off();
      ch.finish(SUCCESS);
    });
    ch.onStdin((d) => stream.input(d.toString()));
    ch.onStdinEnd(() => stream.detach());
    ch.onClose(() => {
      off();
      stopWatch();
      if (!done) stream.detach();
    });
    return;
  }
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
