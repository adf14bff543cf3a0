import { describe, expect, it } from 'vitest';
import { applyDefaults, prepareForCreate, prepareForUpdate, prepareForStatusUpdate, validateCreate, validateUpdate, POD_UPDATE_FORBIDDEN_PREFIX } from './index.js';
import { imageTag, podQOSClass } from './pod-defaults.js';
import { clone } from './format.js';
import { lines, mk } from './testutil.js';
import type { KObj } from '../../store/types.js';

const pod = (spec: Record<string, unknown>, name = 'web'): KObj => mk({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec });
const ready = (spec: Record<string, unknown>, name = 'web') => {
  const p = pod(spec, name);
  applyDefaults('', 'Pod', p);
  return p;
};
const createErrs = (spec: Record<string, unknown>, name = 'web') => lines(validateCreate('', 'Pod', ready(spec, name)));

describe('Pod defaults', () => {
  it.each([
    ['nginx', 'latest'],
    ['nginx:1.27', '1.27'],
    ['localhost:5000/nginx', 'latest'],
    ['nginx@sha256:abc', ''],
  ])('image tag of %s', (img, tag) => expect(imageTag(img)).toBe(tag));

  it('fills pod and container defaults the way a cluster shows them', () => {
    const p = ready({
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } },
        { name: 'b', image: 'busybox:1.36' },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }],
    });
    const spec = p.spec as any;
    expect(spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {}, enableServiceLinks: true });
    expect(spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ports: [{ containerPort: 80, protocol: 'TCP' }] });
    expect(spec.containers[0].livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(spec.containers[1].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }, { name: 'scratch', emptyDir: {} }]);
  });

  it('copies limits into missing requests and computes QoS', () => {
    const g = ready({ containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] });
    expect((g.spec as any).containers[0].resources.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    expect(podQOSClass(g.spec as any)).toBe('Guaranteed');
    expect(podQOSClass({ containers: [{ resources: { requests: { cpu: '0.5' }, limits: { cpu: '500m', memory: '1Gi' } } }] })).toBe('Burstable');
    expect(podQOSClass({ containers: [{ resources: {} }] })).toBe('BestEffort');
  });
});

describe('Pod prepareForCreate', () => {
  it('sets status, service account, default tolerations, priority and the token volume', () => {
    const p = ready({ containers: [{ name: 'a', image: 'nginx' }] });
    p.status = { phase: 'Running' };
    prepareForCreate('', 'Pod', p, { tokenVolumeSuffix: 'abcde' });
    const spec = p.spec as any;
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    expect(spec.priority).toBe(0);
    expect(spec.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(spec.volumes[0].name).toBe('kube-api-access-abcde');
    expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access-abcde', readOnly: true }]);
    expect(validateCreate('', 'Pod', p)).toEqual([]);
  });

  it('keeps a toleration the user already gave', () => {
    const p = ready({ containers: [{ name: 'a', image: 'nginx' }], tolerations: [{ operator: 'Exists' }], automountServiceAccountToken: false });
    prepareForCreate('', 'Pod', p, { tokenVolumeSuffix: 'abcde' });
    expect((p.spec as any).tolerations).toEqual([{ operator: 'Exists' }]);
    expect((p.spec as any).volumes).toBeUndefined();
  });
});

describe('Pod validation (create)', () => {
  it.each([
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    ['no name or image', { containers: [{}] }, ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']],
    [
      'bad container name',
      { containers: [{ name: 'Web', image: 'nginx' }] },
      ["spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
    ],
    ['duplicate names', { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }, ['spec.containers[1].name: Duplicate value: "a"']],
    ['port out of range', { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['restart policy', { restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x' }] }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    ['pull policy', { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Maybe' }] }, ['spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"']],
    ['unknown mount', { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }, ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    ['liveness successThreshold', { containers: [{ name: 'a', image: 'x', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }] }, ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    ['probe without handler', { containers: [{ name: 'a', image: 'x', readinessProbe: {} }] }, ['spec.containers[0].readinessProbe: Required value: must specify a handler type']],
    ['requests over limits', { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, ['spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1']],
  ])('%s', (_n, spec, want) => expect(createErrs(spec as Record<string, unknown>)).toEqual(want));

  it('reports a bad pod name and a missing name', () => {
    expect(createErrs({ containers: [{ name: 'a', image: 'x' }] }, 'Web')[0]).toBe(
      "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    expect(createErrs({ containers: [{ name: 'a', image: 'x' }] }, '')).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('checks labels and annotation size', () => {
    const p = ready({ containers: [{ name: 'a', image: 'x' }] });
    p.metadata.labels = { 'app': 'bad value' };
    p.metadata.annotations = { big: 'x'.repeat(262145) };
    const got = lines(validateCreate('', 'Pod', p));
    expect(got[0]).toMatch(/^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string/);
    expect(got[1]).toBe('metadata.annotations: Too long: may not be more than 262144 bytes');
  });
});

describe('Pod update', () => {
  const live = () => {
    const p = ready({ containers: [{ name: 'a', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }] });
    prepareForCreate('', 'Pod', p, { tokenVolumeSuffix: 'abcde' });
    return p;
  };

  it('allows image changes and keeps the old status', () => {
    const old = live();
    const next = clone(old);
    (next.spec as any).containers[0].image = 'nginx:1.27';
    next.status = { phase: 'Succeeded' };
    prepareForUpdate('', 'Pod', next, old);
    expect(next.status).toEqual(old.status);
    expect(validateUpdate('', 'Pod', next, old)).toEqual([]);
  });

  it('forbids other spec changes with the upstream message', () => {
    const old = live();
    const next = clone(old);
    (next.spec as any).containers[0].ports[0].containerPort = 8080;
    const errs = validateUpdate('', 'Pod', next, old);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.field).toBe('spec');
    expect(errs[0]!.detail.startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN_PREFIX}\n  core.PodSpec{`)).toBe(true);
    expect(POD_UPDATE_FORBIDDEN_PREFIX).toBe(
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
  });

  it.each([
    ['adding a container', (s: any) => s.containers.push({ name: 'b', image: 'x', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }), ['spec.containers: Forbidden: pod updates may not add or remove containers']],
    ['changing a toleration', (s: any) => (s.tolerations[0].key = 'other'), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']],
    ['raising activeDeadlineSeconds', (s: any) => (s.activeDeadlineSeconds = 10), []],
    ['renaming metadata', null, ['metadata.name: Invalid value: "other": field is immutable']],
  ])('%s', (_n, mutate, want) => {
    const old = live();
    const next = clone(old);
    if (mutate) mutate(next.spec);
    else next.metadata.name = 'other';
    expect(lines(validateUpdate('', 'Pod', next, old))).toEqual(want);
  });

  it('status updates keep the spec and labels', () => {
    const old = live();
    const next = clone(old);
    (next.spec as any).nodeName = 'n1';
    next.metadata.labels = { sneaky: 'yes' };
    next.status = { phase: 'Running' };
    prepareForStatusUpdate('', 'Pod', next, old);
    expect(next.spec).toEqual(old.spec);
    expect(next.metadata.labels).toBeUndefined();
    expect(next.status).toEqual({ phase: 'Running' });
  });
});
