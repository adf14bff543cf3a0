// GET pods/{name}/log: container output from the kubelet of the pod's node, as plain text
// (streamed with follow=true), with the apiserver's own checks and wording in front.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObj } from '../store/types.js';
import type { ApiContext, LogOptions, RequestInfo } from './context.js';
import { badRequest, notFound } from './errors.js';

interface PodSpecLite {
  nodeName?: string;
  containers?: Array<{ name: string }>;
  initContainers?: Array<{ name: string }>;
  ephemeralContainers?: Array<{ name: string }>;
}

/** Which container a log/attach/exec request means, refusing ambiguity as the apiserver does. */
export function pickContainer(pod: KObj, requested: string | null | undefined): string {
  const spec = (pod.spec ?? {}) as PodSpecLite;
  const names = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  const ephemeral = (spec.ephemeralContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name;
  if (!requested) {
    if (names.length === 1) return names[0]!;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...names, ...inits, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${key}: Invalid value: ${v}`);
  return n;
}

export function handleLog(ctx: ApiContext, ri: RequestInfo, req: IncomingMessage, res: ServerResponse): void {
  const pod = ctx.store.get(ri.def, ri.namespace, ri.name!);
  if (!pod) throw notFound(ri.def, ri.name!);
  const q = ri.query;
  const container = pickContainer(pod, q.get('container'));
  if (!(pod.spec as PodSpecLite | undefined)?.nodeName || !ctx.nodeAgent) throw badRequest(`pod ${ri.name} does not have a host assigned`);
  const opts: LogOptions = {
    container,
    follow: q.get('follow') === 'true',
    previous: q.get('previous') === 'true',
    timestamps: q.get('timestamps') === 'true',
    tailLines: intParam(q, 'tailLines'),
    sinceSeconds: intParam(q, 'sinceSeconds'),
    sinceTime: q.get('sinceTime') ?? undefined,
    limitBytes: intParam(q, 'limitBytes'),
  };
  const abort = new AbortController();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    if (opts.follow) res.flushHeaders();
  };
  res.on('close', () => abort.abort());
  // errors before the first byte become a Status; the agent throws them synchronously
  ctx.nodeAgent.streamLogs(
    pod,
    opts,
    {
      write: (chunk) => {
        start();
        if (!res.writableEnded) res.write(chunk);
      },
      end: () => {
        start();
        if (!res.writableEnded) res.end();
      },
    },
    abort.signal,
  );
  void req;
}
