// Test stand-in for kubelets running batch pods: bind every pending pod and finish it as told.
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import type { Harness } from '../testing/harness.js';
import { cloneJson } from '../store/json.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const PODS = builtin('', 'pods');

/** Move each live pod one step: bind → Running → the phase `outcome` gives (or stay Running). */
export function runPods(h: Harness, outcome: (p: KObj) => 'Succeeded' | 'Failed' | 'Running' = () => 'Succeeded'): void {
  for (const p of h.store.list(PODS)) {
    const ns = p.metadata.namespace;
    if (p.metadata.deletionTimestamp) {
      h.client.deleteIfExists(PODS, ns, p.metadata.name!, { gracePeriodSeconds: 0 });
      continue;
    }
    const phase = (p.status as Json | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    if (!(p.spec as Json).nodeName) {
      const bound = cloneJson(p);
      (bound.spec as Json).nodeName = 'node01';
      h.store.update(PODS, bound);
    }
    const next = phase === 'Running' ? outcome(p) : 'Running';
    if (next === phase) continue;
    h.client.modifyStatus(PODS, ns, p.metadata.name!, (o) => {
      const now = h.client.now();
      const ready = next === 'Running';
      o.status = { ...(o.status as Json), phase: next, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] };
    });
  }
}
