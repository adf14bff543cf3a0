// HTTP face of the simulator controls, under /kubelab/v1alpha1 on the API server (same TLS and
// credentials as the Kubernetes API, so only the cluster admin can use it).
//   GET  /kubelab/v1alpha1/clock                 → {now, speed}
//   PUT  /kubelab/v1alpha1/clock                 {speed}
//   GET  /kubelab/v1alpha1/nodes                 → [{name, kubeletRunning}]
//   POST /kubelab/v1alpha1/nodes/{node}/stop | /start
//   POST /kubelab/v1alpha1/namespaces/{ns}/pods/{pod}/containers/{c}/kill
//   POST /kubelab/v1alpha1/reset
//   GET  /kubelab/v1alpha1/snapshots             → [names]
//   POST /kubelab/v1alpha1/snapshots             {name}
//   POST /kubelab/v1alpha1/snapshots/{name}/restore
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../api/body.js';
import { badRequest, methodNotAllowed, notFoundPath } from '../api/errors.js';
import { sendJson } from '../api/http.js';
import type { SimulatorControls } from './controls.js';

const PREFIX = '/kubelab/v1alpha1';

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const buf = await readBody(req);
  if (!buf.length) return {};
  try {
    const v = JSON.parse(buf.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    /* fall through */
  }
  throw badRequest('the request body must be a JSON object');
}

export async function handleSim(sim: SimulatorControls | undefined, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!sim || !path.startsWith(PREFIX)) throw notFoundPath();
  const parts = path.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const done = async (fn: () => unknown) => {
    await fn();
    await sendJson(res, 200, { status: 'Success' });
  };
  const [a, b, c, d, e, f, g] = parts;
  if (a === 'clock' && parts.length === 1) {
    if (method === 'GET') return sendJson(res, 200, sim.clockInfo());
    if (method === 'PUT') {
      const speed = Number((await jsonBody(req)).speed);
      sim.setSpeed(speed);
      return sendJson(res, 200, sim.clockInfo());
    }
    throw methodNotAllowed();
  }
  if (a === 'nodes' && parts.length === 1 && method === 'GET') return sendJson(res, 200, sim.nodeStates());
  if (a === 'nodes' && parts.length === 3 && method === 'POST' && (c === 'stop' || c === 'start')) {
    return done(() => (c === 'stop' ? sim.stopNode(b!) : sim.startNode(b!)));
  }
  if (a === 'namespaces' && c === 'pods' && e === 'containers' && g === 'kill' && parts.length === 7 && method === 'POST') {
    return done(() => sim.killContainer(b!, d!, f!));
  }
  if (a === 'reset' && parts.length === 1 && method === 'POST') return done(() => sim.reset());
  if (a === 'snapshots') {
    if (parts.length === 1 && method === 'GET') return sendJson(res, 200, await sim.listSnapshots());
    if (parts.length === 1 && method === 'POST') {
      const name = String((await jsonBody(req)).name ?? '');
      return done(() => sim.snapshot(name));
    }
    if (parts.length === 3 && c === 'restore' && method === 'POST') return done(() => sim.restore(b!));
  }
  throw notFoundPath();
}
