import { describe, expect, it } from 'vitest';
import type { KObj } from '../../store/types.js';
import { podPrinter } from './pod.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (sec: number): string => new Date(NOW - sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Json = Record<string, unknown>;
function pod(opts: { spec?: Json; status?: Json; meta?: Json } = {}): KObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(300), ...opts.meta },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }], ...opts.spec },
    status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], ...opts.status },
  };
}
const running = (extra: Json = {}): Json => ({ name: 'app', ready: true, started: true, restartCount: 0, state: { running: { startedAt: ago(200) } }, ...extra });
const waiting = (reason: string, extra: Json = {}): Json => ({ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra });
const terminated = (t: Json, extra: Json = {}): Json => ({ name: 'app', ready: false, restartCount: 0, state: { terminated: t }, ...extra });
const readyCond = (status: 'True' | 'False'): Json => ({ type: 'Ready', status });

describe('pod printer', () => {
  it('has upstream columns and priorities', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });

  it.each<[string, KObj, unknown[]]>([
    ['running and ready', pod({ status: { containerStatuses: [running()], conditions: [readyCond('True')] } }),
      ['web-1', '1/1', 'Running', '0', '5m', '10.244.1.5', 'node-1', '<none>', '<none>']],
    ['CrashLoopBackOff, 3 restarts, last 2m ago',
      pod({ status: { containerStatuses: [waiting('CrashLoopBackOff', { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(120) } } })] } }),
      ['web-1', '0/1', 'CrashLoopBackOff', '3 (2m ago)', '5m', '10.244.1.5', 'node-1', '<none>', '<none>']],
    ['unscheduled Pending pod', pod({ spec: { nodeName: undefined }, status: { phase: 'Pending', podIP: undefined, podIPs: undefined, nominatedNodeName: 'node-2' } }),
      ['web-1', '0/1', 'Pending', '0', '5m', '<none>', '<none>', 'node-2', '<none>']],
  ])('%s', (_name, p, want) => {
    expect(podPrinter.cells(p, NOW)).toEqual(want);
  });

  // [description, pod, READY, STATUS, RESTARTS]
  it.each<[string, KObj, string, string, string]>([
    ['ContainerCreating', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] } }), '0/1', 'ContainerCreating', '0'],
    ['ErrImagePull', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] } }), '0/1', 'ErrImagePull', '0'],
    ['ImagePullBackOff', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] } }), '0/1', 'ImagePullBackOff', '0'],
    ['restarts without lastState', pod({ status: { containerStatuses: [running({ restartCount: 2 })] } }), '1/1', 'Running', '2'],
    ['terminating', pod({ meta: { deletionTimestamp: ago(5) }, status: { containerStatuses: [running()] } }), '1/1', 'Terminating', '0'],
    ['terminating on a lost node', pod({ meta: { deletionTimestamp: ago(5) }, status: { reason: 'NodeLost', containerStatuses: [running()] } }), '1/1', 'Unknown', '0'],
    ['completed', pod({ status: { phase: 'Succeeded', containerStatuses: [terminated({ exitCode: 0, reason: 'Completed' })] } }), '0/1', 'Completed', '0'],
    ['completed pod being deleted keeps Completed', pod({ meta: { deletionTimestamp: ago(5) }, status: { phase: 'Succeeded', containerStatuses: [terminated({ exitCode: 0, reason: 'Completed' })] } }), '0/1', 'Completed', '0'],
    ['failed with reason', pod({ status: { phase: 'Failed', containerStatuses: [terminated({ exitCode: 1, reason: 'Error' })] } }), '0/1', 'Error', '0'],
    ['terminated without reason: exit code', pod({ status: { containerStatuses: [terminated({ exitCode: 137 })] } }), '0/1', 'ExitCode:137', '0'],
    ['terminated without reason: signal', pod({ status: { containerStatuses: [terminated({ exitCode: 137, signal: 9 })] } }), '0/1', 'Signal:9', '0'],
    ['evicted', pod({ status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } }), '0/1', 'Evicted', '0'],
    ['scheduling gated', pod({ spec: { nodeName: undefined }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }), '0/1', 'SchedulingGated', '0'],
  ])('%s', (_name, p, ready, status, restarts) => {
    expect(podPrinter.cells(p, NOW).slice(1, 4)).toEqual([ready, status, restarts]);
  });

  describe('multi-container Completed + running', () => {
    const twoContainers = (ready: 'True' | 'False'): KObj =>
      pod({
        spec: { containers: [{ name: 'a' }, { name: 'b' }] },
        status: { conditions: [readyCond(ready)], containerStatuses: [running({ name: 'a' }), terminated({ exitCode: 0, reason: 'Completed' }, { name: 'b' })] },
      });
    it('NotReady when the Ready condition is not True', () => {
      expect(podPrinter.cells(twoContainers('False'), NOW).slice(1, 3)).toEqual(['1/2', 'NotReady']);
    });
    it('Running when the pod is Ready', () => {
      expect(podPrinter.cells(twoContainers('True'), NOW).slice(1, 3)).toEqual(['1/2', 'Running']);
    });
  });

  describe('init containers', () => {
    const withInit = (initStatus: Json, main: Json = waiting('PodInitializing'), conditions: Json[] = []): KObj =>
      pod({
        spec: { initContainers: [{ name: 'init' }] },
        status: { phase: 'Pending', conditions, initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, ...initStatus }], containerStatuses: [main] },
      });
    it.each<[string, KObj, string]>([
      ['running init container', withInit({ state: { running: { startedAt: ago(10) } } }), 'Init:0/1'],
      ['init waiting PodInitializing counts as progress', withInit({ state: { waiting: { reason: 'PodInitializing' } } }), 'Init:0/1'],
      ['init image pull error', withInit({ state: { waiting: { reason: 'ErrImagePull' } } }), 'Init:ErrImagePull'],
      ['init crash loop', withInit({ state: { waiting: { reason: 'CrashLoopBackOff' } } }), 'Init:CrashLoopBackOff'],
      ['init failed with reason', withInit({ state: { terminated: { exitCode: 1, reason: 'Error' } } }), 'Init:Error'],
      ['init failed, exit code only', withInit({ state: { terminated: { exitCode: 2 } } }), 'Init:ExitCode:2'],
      ['init killed by signal', withInit({ state: { terminated: { exitCode: 137, signal: 9 } } }), 'Init:Signal:9'],
      ['init done, app container starting', withInit({ state: { terminated: { exitCode: 0, reason: 'Completed' } } }, waiting('PodInitializing'), [{ type: 'Initialized', status: 'True' }]), 'PodInitializing'],
    ])('%s → %s', (_name, p, want) => {
      expect(podPrinter.cells(p, NOW)[2]).toBe(want);
    });

    it('init restarts count while initialising', () => {
      const p = withInit({ restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } });
      expect(podPrinter.cells(p, NOW).slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '4 (30s ago)']);
    });

    it('sidecar (restartable init) containers count towards READY and RESTARTS', () => {
      const p = pod({
        spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
        status: {
          conditions: [{ type: 'Initialized', status: 'True' }, readyCond('True')],
          initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } } }],
          containerStatuses: [running({ restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(60) } } })],
        },
      });
      expect(podPrinter.cells(p, NOW).slice(1, 4)).toEqual(['2/2', 'Running', '3 (60s ago)']);
    });
  });

  it('readiness gates count True conditions', () => {
    const p = pod({
      spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      status: { containerStatuses: [running()], conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] },
    });
    expect(podPrinter.cells(p, NOW)[8]).toBe('1/2');
  });

  it('takes the IP from podIP when podIPs is absent', () => {
    expect(podPrinter.cells(pod({ status: { podIPs: undefined } }), NOW)[5]).toBe('10.244.1.5');
  });

  it('row conditions mark finished pods Completed', () => {
    expect(podPrinter.conditions?.(pod({ status: { phase: 'Succeeded' } }))).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(podPrinter.conditions?.(pod({ status: { phase: 'Failed' } }))?.[0]?.reason).toBe('Failed');
    expect(podPrinter.conditions?.(pod())).toBeUndefined();
  });
});
