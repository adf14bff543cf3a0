// Putting the nodes back as a fresh cluster has them. The simulator's reset keeps Node objects (and
// their kubelets' state) so that node names, IPs and ages survive; but a learner's labels, taints,
// cordons and stopped kubelets would then leak from one lab into the next (a tainted node02 from
// the scheduling lab leaves no room for the next lab's pods). A `reset: cluster` lab therefore
// also undoes those, through the Kubernetes API and the simulator's node controls.
import { ApiError, sleep, type KubeClient, type KubeObject } from './kube.js';

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

/**
 * Label and taint keys in the kubernetes.io / k8s.io namespaces belong to Kubernetes itself
 * (kubelet labels, node-role, the node controllers' taints): they are kept, everything else
 * a learner added goes.
 */
export function isSystemKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return ['kubernetes.io', 'k8s.io'].some((d) => prefix === d || prefix.endsWith(`.${d}`));
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** The merge patch that brings a node back to its boot state, or null when it is there. */
export function nodeRestorePatch(node: KubeObject): Record<string, unknown> | null {
  const labels = (node.metadata.labels as Record<string, string> | undefined) ?? {};
  const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
  const taints = spec.taints ?? [];
  const dropLabels = Object.keys(labels).filter((k) => !isSystemKey(k));
  const keep = taints.filter((t) => isSystemKey(t.key));
  // kubeadm taints its control-plane node; a learner who removed that taint gets it back
  if (CONTROL_PLANE in labels && !keep.some((t) => t.key === CONTROL_PLANE && t.effect === 'NoSchedule')) keep.unshift({ key: CONTROL_PLANE, effect: 'NoSchedule' });
  const taintsChanged = keep.length !== taints.length || keep.some((t, i) => t !== taints[i]);
  if (!dropLabels.length && !taintsChanged && !spec.unschedulable) return null;
  const patch: Record<string, unknown> = { metadata: { resourceVersion: node.metadata.resourceVersion, ...(dropLabels.length ? { labels: Object.fromEntries(dropLabels.map((k) => [k, null])) } : {}) } };
  const sp: Record<string, unknown> = {};
  if (taintsChanged) sp.taints = keep.length ? keep : null;
  if (spec.unschedulable) sp.unschedulable = null;
  if (Object.keys(sp).length) patch.spec = sp;
  return patch;
}

/** Ready, schedulable, and carrying no taint but the control plane's. */
export function nodeSettled(node: KubeObject): boolean {
  const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
  const conds = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
  const ready = conds.some((c) => c.type === 'Ready' && c.status === 'True');
  return ready && !spec.unschedulable && (spec.taints ?? []).every((t) => t.key === CONTROL_PLANE);
}

/**
 * Start stopped kubelets, drop learner labels/taints/cordons, then wait until every node is Ready
 * and its controllers have lifted their taints, so the lab's first pods can go anywhere.
 */
export async function restoreNodes(client: KubeClient, timeoutMs = 60_000): Promise<void> {
  for (const n of await client.simulatorNodes()) if (!n.kubeletRunning) await client.startKubelet(n.name);
  for (const node of await client.list('Node')) {
    let cur: KubeObject | null = node;
    for (let attempt = 0; cur; attempt++) {
      const patch = nodeRestorePatch(cur);
      if (!patch) break;
      try {
        await client.mergePatch('Node', cur.metadata.name, patch);
        break;
      } catch (e) {
        // a controller updated the node meanwhile (heartbeat, taint): read it again and retry
        if (!(e instanceof ApiError && e.code === 409) || attempt >= 5) throw e;
        cur = await client.get('Node', node.metadata.name);
      }
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const unsettled = (await client.list('Node')).filter((n) => !nodeSettled(n)).map((n) => n.metadata.name);
    if (!unsettled.length) return;
    if (Date.now() > deadline) throw new Error(`nodes ${unsettled.join(', ')} did not become Ready and untainted within ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}
