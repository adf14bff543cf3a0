import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../../main/bridge/contract.js';
import { podStatus, type PodTone } from './podStatus.js';

function pod(status: Record<string, unknown>, extra: { containers?: number; init?: Array<{ name: string; restartPolicy?: string }>; deleting?: boolean } = {}): KObject {
  const containers = Array.from({ length: extra.containers ?? 1 }, (_, i) => ({ name: `c${i}` }));
  return {
    metadata: { name: 'p', namespace: 'default', ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers, ...(extra.init ? { initContainers: extra.init } : {}) },
    status,
  };
}
const running = { running: { startedAt: 'x' } };

const cases: Array<[string, KObject, string, string, number, PodTone]> = [
  ['no status yet', pod({ phase: 'Pending' }), 'Pending', '0/1', 0, 'pending'],
  ['creating', pod({ phase: 'Pending', containerStatuses: [{ name: 'c0', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }), 'ContainerCreating', '0/1', 0, 'pending'],
  ['running and ready', pod({ phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0, state: running }] }), 'Running', '1/1', 0, 'ok'],
  ['running, one of two ready', pod({ phase: 'Running', containerStatuses: [{ ready: true, state: running }, { ready: false, state: running }] }, { containers: 2 }), 'Running', '1/2', 0, 'warn'],
  ['crash loop', pod({ phase: 'Running', containerStatuses: [{ ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), 'CrashLoopBackOff', '0/1', 4, 'error'],
  ['image pull', pod({ phase: 'Pending', containerStatuses: [{ ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }] }), 'ImagePullBackOff', '0/1', 0, 'error'],
  ['completed', pod({ phase: 'Succeeded', containerStatuses: [{ ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }), 'Completed', '0/1', 0, 'done'],
  ['error exit', pod({ phase: 'Failed', containerStatuses: [{ ready: false, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }), 'Error', '0/1', 0, 'error'],
  ['exit code without reason', pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] }), 'ExitCode:3', '0/1', 0, 'error'],
  ['signal without reason', pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] }), 'Signal:9', '0/1', 0, 'error'],
  ['completed container beside a running one', pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ ready: true, state: running }, { ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, { containers: 2 }), 'NotReady', '1/2', 0, 'warn'],
  ['first status wins (reverse scan)', pod({ phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 2 }, { state: { waiting: { reason: 'ContainerCreating' } }, restartCount: 1 }] }, { containers: 2 }), 'CrashLoopBackOff', '0/2', 3, 'error'],
  ['init running', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: running }] }, { init: [{ name: 'i0' }, { name: 'i1' }] }), 'Init:0/2', '0/1', 0, 'pending'],
  ['init second', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'i1', state: { waiting: { reason: 'PodInitializing' } } }] }, { init: [{ name: 'i0' }, { name: 'i1' }] }), 'Init:1/2', '0/1', 0, 'pending'],
  ['init crash', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i0', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, { init: [{ name: 'i0' }] }), 'Init:CrashLoopBackOff', '0/1', 2, 'error'],
  ['init error', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, { init: [{ name: 'i0' }] }), 'Init:Error', '0/1', 0, 'error'],
  ['sidecar counted in READY', pod({ phase: 'Running', initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 1, state: running }], containerStatuses: [{ ready: true, state: running }] }, { init: [{ name: 's', restartPolicy: 'Always' }] }), 'Running', '2/2', 1, 'ok'],
  ['terminating', pod({ phase: 'Running', containerStatuses: [{ ready: true, state: running }] }, { deleting: true }), 'Terminating', '1/1', 0, 'terminating'],
  ['node lost', pod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }), 'Unknown', '0/1', 0, 'terminating'],
  ['evicted', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted', '0/1', 0, 'error'],
  ['scheduling gated', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), 'SchedulingGated', '0/1', 0, 'pending'],
];

describe('podStatus (kubectl STATUS/READY/RESTARTS)', () => {
  it.each(cases)('%s', (_name, p, reason, readyText, restarts, tone) => {
    const s = podStatus(p);
    expect(s.reason).toBe(reason);
    expect(`${s.ready}/${s.total}`).toBe(readyText);
    expect(s.restarts).toBe(restarts);
    expect(s.tone).toBe(tone);
  });
});
