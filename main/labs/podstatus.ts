// Why a pod is not Ready, in the words kubectl's STATUS column uses (ImagePullBackOff, Pending…),
// so a failed readiness check can name the pod and what is wrong with it.
import type { KubeObject } from './kube.js';
import type { Text } from './types.js';

interface Cond {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
interface CState {
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; exitCode?: number };
  running?: unknown;
}
interface CStatus {
  name?: string;
  ready?: boolean;
  state?: CState;
}
interface PodLike {
  metadata: { name: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; conditions?: Cond[]; containerStatuses?: CStatus[]; initContainerStatuses?: CStatus[] };
}

export function isPodReady(pod: KubeObject): boolean {
  const p = pod as unknown as PodLike;
  if (p.metadata.deletionTimestamp) return false;
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The STATUS word kubectl would show for a pod that is not ready, plus detail for the learner. */
export function podProblem(pod: KubeObject): Text {
  const p = pod as unknown as PodLike;
  const st = p.status ?? {};
  if (p.metadata.deletionTimestamp) return { en: 'Terminating', ko: 'Terminating(종료 중)' };
  for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
    const w = cs.state?.waiting?.reason;
    if (w && w !== 'ContainerCreating' && w !== 'PodInitializing') return { en: w, ko: w };
  }
  if (st.phase === 'Succeeded' || st.phase === 'Failed') {
    const term = (st.containerStatuses ?? []).map((c) => c.state?.terminated?.reason).find(Boolean);
    const word = term ?? st.reason ?? st.phase;
    return { en: `${word} (the container exited)`, ko: `${word} (컨테이너가 종료됨)` };
  }
  const sched = (st.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (!p.spec?.nodeName && (!sched || sched.status !== 'True')) {
    if (sched?.reason) return { en: `Pending (${sched.reason}: ${sched.message ?? ''})`.replace(': )', ')'), ko: `Pending(${sched.reason}: ${sched.message ?? ''})`.replace(': )', ')') };
    return { en: 'Pending (not scheduled to a node yet)', ko: 'Pending(아직 노드에 배치되지 않음)' };
  }
  const creating = [...(st.containerStatuses ?? [])].some((c) => c.state?.waiting?.reason === 'ContainerCreating') || !st.containerStatuses?.length;
  if (st.phase === 'Pending' || creating) return { en: 'ContainerCreating (still starting)', ko: 'ContainerCreating(아직 시작 중)' };
  const notReady = (st.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
  return {
    en: `Running but not Ready${notReady.length ? ` (container ${notReady.join(', ')} not ready)` : ''}`,
    ko: `Running이지만 Ready가 아님${notReady.length ? `(컨테이너 ${notReady.join(', ')} 준비 안 됨)` : ''}`,
  };
}

/** "pod web-7d9c is ImagePullBackOff; pod web-x2 is Pending (…)" for up to `max` pods. */
export function describeUnready(pods: KubeObject[], max = 3): Text {
  const bad = pods.filter((p) => !isPodReady(p));
  const shown = bad.slice(0, max).map((p) => ({ name: p.metadata.name, why: podProblem(p) }));
  const more = bad.length - shown.length;
  return {
    en: shown.map((s) => `pod ${s.name} is ${s.why.en}`).join('; ') + (more > 0 ? `; and ${more} more` : ''),
    ko: shown.map((s) => `파드 ${s.name}: ${s.why.ko}`).join('; ') + (more > 0 ? `; 외 ${more}개` : ''),
  };
}
