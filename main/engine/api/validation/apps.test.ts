import { describe, expect, it } from 'vitest';
import { applyDefaults, prepareForCreate, prepareForUpdate, validateCreate, validateUpdate } from './index.js';
import { clone } from './format.js';
import { lines } from './testutil.js';
import type { KObj } from '../../store/types.js';

const deploy = (spec: Record<string, unknown>, kind = 'Deployment'): KObj => {
  const d: KObj = { apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace: 'default' }, spec };
  applyDefaults('apps', kind, d);
  return d;
};
const base = () => ({
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
});
const errs = (spec: Record<string, unknown>, kind = 'Deployment') => lines(validateCreate('apps', kind, deploy(spec, kind)));

describe('Deployment defaults and preparation', () => {
  it('fills apps/v1 defaults and template pod defaults', () => {
    const d = deploy(base());
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' } },
    });
    expect((d.spec as any).template.spec.enableServiceLinks).toBeUndefined();
    d.status = { replicas: 9 };
    prepareForCreate('apps', 'Deployment', d);
    expect(d.status).toEqual({});
    expect(d.metadata.generation).toBe(1);
  });

  it('leaves Recreate without rollingUpdate', () => {
    expect((deploy({ ...base(), strategy: { type: 'Recreate' } }).spec as any).strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet status starts with replicas 0', () => {
    const rs = deploy(base(), 'ReplicaSet');
    prepareForCreate('apps', 'ReplicaSet', rs);
    expect(rs.status).toEqual({ replicas: 0 });
    expect((rs.spec as any).replicas).toBe(1);
  });

  it('main-resource updates keep status and bump generation on spec or annotation change', () => {
    const old = deploy(base());
    prepareForCreate('apps', 'Deployment', old);
    old.status = { replicas: 1 };
    const next = clone(old);
    next.status = { replicas: 4 };
    (next.spec as any).replicas = 4;
    prepareForUpdate('apps', 'Deployment', next, old);
    expect(next.status).toEqual({ replicas: 1 });
    expect(next.metadata.generation).toBe(2);
    const again = clone(next);
    again.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
    prepareForUpdate('apps', 'Deployment', again, next);
    expect(again.metadata.generation).toBe(3);
  });
});

describe('Deployment/ReplicaSet validation', () => {
  it.each([
    ['valid', base(), []],
    [
      'labels mismatch',
      { ...base(), template: { metadata: { labels: { app: 'x' } }, spec: base().template.spec } },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      'no selector',
      { template: base().template },
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'empty selector',
      { ...base(), selector: {} },
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    ['negative replicas', { ...base(), replicas: -1 }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [
      'template restartPolicy',
      { ...base(), template: { ...base().template, spec: { ...base().template.spec, restartPolicy: 'Never' } } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'strategy type',
      { ...base(), strategy: { type: 'BlueGreen' } },
      ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      'both zero',
      { ...base(), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'bad percent',
      { ...base(), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'abc' } } },
      ["spec.strategy.rollingUpdate.maxSurge: Invalid value: abc: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ],
    [
      'recreate with rollingUpdate',
      { ...base(), strategy: { type: 'Recreate', rollingUpdate: {} } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    ['progress deadline', { ...base(), minReadySeconds: 700 }, ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
  ])('%s', (_n, spec, want) => expect(errs(spec as Record<string, unknown>)).toEqual(want));

  it('ReplicaSet reports the same selector messages', () => {
    expect(errs({ template: { metadata: {}, spec: base().template.spec } }, 'ReplicaSet')).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    ]);
  });

  it('selector is immutable on update', () => {
    const old = deploy(base());
    const next = clone(old);
    (next.spec as any).selector = { matchLabels: { app: 'web', tier: 'fe' } };
    (next.spec as any).template.metadata.labels = { app: 'web', tier: 'fe' };
    expect(lines(validateUpdate('apps', 'Deployment', next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('DaemonSet defaults and validation', () => {
  it('defaults updateStrategy, revisionHistoryLimit and the template; status counters start at 0', () => {
    const ds = deploy(base(), 'DaemonSet');
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Always' } },
    });
    prepareForCreate('apps', 'DaemonSet', ds);
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    expect(ds.metadata.generation).toBe(1);
    expect(ds.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    const same = clone(ds);
    (same.spec as any).minReadySeconds = 5;
    prepareForUpdate('apps', 'DaemonSet', same, ds);
    expect(same.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(same.metadata.generation).toBe(2);
    const changed = clone(same);
    (changed.spec as any).template.spec.containers[0].image = 'nginx:2';
    changed.metadata.annotations = {};
    prepareForUpdate('apps', 'DaemonSet', changed, same);
    expect(changed.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '2' });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['valid', base(), []],
    ['no selector', { template: base().template }, ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    ['empty selector', { ...base(), selector: {} }, ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset']],
    ['OnDelete', { ...base(), updateStrategy: { type: 'OnDelete' } }, []],
    ['unknown strategy', { ...base(), updateStrategy: { type: 'Sometimes' } }, ['spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"']],
    ['both zero', { ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }, ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']],
  ])('%s', (_n, spec, want) => {
    expect(errs(spec, 'DaemonSet')).toEqual(want);
  });
});
