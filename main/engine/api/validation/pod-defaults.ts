// Defaults for pod specs (core/v1 defaults.go), the Pod-only extras (enableServiceLinks, requests
// copied from limits), the create-time admission plugins every real cluster runs (ServiceAccount,
// DefaultTolerationSeconds, Priority), and the QoS class the pod strategy computes.

import { arr, isObj, obj, str, type Obj } from './format.js';

const setIfEmpty = (o: Obj, k: string, v: unknown) => {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
};

/** parsers.ParseImageName's tag: 'latest' when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? named.slice(colon + 1) : '';
  if (!tag && at < 0) return 'latest';
  return tag;
}

function defaultHandler(h: unknown) {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    setIfEmpty(h.httpGet, 'path', '/');
    setIfEmpty(h.httpGet, 'scheme', 'HTTP');
  }
  if (isObj(h.grpc) && h.grpc.service === undefined) h.grpc.service = '';
}

function defaultProbe(p: unknown) {
  if (!isObj(p)) return;
  setIfEmpty(p, 'timeoutSeconds', 1);
  setIfEmpty(p, 'periodSeconds', 10);
  setIfEmpty(p, 'successThreshold', 1);
  setIfEmpty(p, 'failureThreshold', 3);
  if (p.timeoutSeconds === 0) p.timeoutSeconds = 1;
  if (p.periodSeconds === 0) p.periodSeconds = 10;
  if (p.successThreshold === 0) p.successThreshold = 1;
  if (p.failureThreshold === 0) p.failureThreshold = 3;
  defaultHandler(p);
}

function defaultContainer(c: Obj, hostNetwork: boolean) {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  setIfEmpty(c, 'terminationMessagePath', '/dev/termination-log');
  setIfEmpty(c, 'terminationMessagePolicy', 'File');
  if (!isObj(c.resources)) c.resources = {};
  for (const p of arr(c.ports)) {
    if (!isObj(p)) continue;
    setIfEmpty(p, 'protocol', 'TCP');
    if (hostNetwork && !p.hostPort) p.hostPort = p.containerPort;
  }
  for (const e of arr(c.env)) {
    const fr = obj(obj(obj(e).valueFrom).fieldRef);
    if (isObj(obj(obj(e).valueFrom).fieldRef)) setIfEmpty(fr, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];
export { VOLUME_SOURCES };

function defaultItemsFieldRefs(items: unknown) {
  for (const it of arr(items)) if (isObj(obj(it).fieldRef)) setIfEmpty(obj(obj(it).fieldRef), 'apiVersion', 'v1');
}

function defaultVolume(v: Obj) {
  if (!VOLUME_SOURCES.some((k) => v[k] != null)) v.emptyDir = {};
  if (isObj(v.secret)) setIfEmpty(v.secret, 'defaultMode', 420);
  if (isObj(v.configMap)) setIfEmpty(v.configMap, 'defaultMode', 420);
  if (isObj(v.downwardAPI)) {
    setIfEmpty(v.downwardAPI, 'defaultMode', 420);
    defaultItemsFieldRefs(v.downwardAPI.items);
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObj(v.projected)) {
    setIfEmpty(v.projected, 'defaultMode', 420);
    for (const s of arr(v.projected.sources)) {
      const src = obj(s);
      if (isObj(src.serviceAccountToken)) setIfEmpty(src.serviceAccountToken, 'expirationSeconds', 3600);
      if (isObj(src.downwardAPI)) defaultItemsFieldRefs(src.downwardAPI.items);
    }
  }
  if (isObj(v.iscsi)) setIfEmpty(v.iscsi, 'iscsiInterface', 'default');
}

/** SetDefaults_PodSpec and the nested defaulters; used for Pods and every pod template. */
export function defaultPodSpec(spec: Obj) {
  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setIfEmpty(spec, 'restartPolicy', 'Always');
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) spec.terminationGracePeriodSeconds = 30;
  setIfEmpty(spec, 'schedulerName', 'default-scheduler');
  // the deprecated serviceAccount field mirrors serviceAccountName (v1 conversion)
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)]) if (isObj(c)) defaultContainer(c, hostNetwork);
  for (const v of arr(spec.volumes)) if (isObj(v)) defaultVolume(v);
}

/** SetDefaults_Pod: only for Pods, not templates. */
export function defaultPodOnly(spec: Obj) {
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (!isObj(c)) continue;
    const res = obj(c.resources);
    if (isObj(res.limits)) {
      const req = isObj(res.requests) ? res.requests : (res.requests = {});
      for (const [k, v] of Object.entries(res.limits)) if (!(k in req)) req[k] = v;
      c.resources = res;
    }
  }
  if (spec.enableServiceLinks == null) spec.enableServiceLinks = true;
}

export interface AdmissionOptions {
  /** five characters for the `kube-api-access-xxxxx` volume; omit to skip adding the volume */
  tokenVolumeSuffix?: string;
}

const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** What the ServiceAccount, DefaultTolerationSeconds and Priority admission plugins add on create. */
export function admitPodCreate(spec: Obj, opts: AdmissionOptions = {}) {
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (opts.tokenVolumeSuffix && spec.automountServiceAccountToken !== false) addTokenVolume(spec, opts.tokenVolumeSuffix);

  const tolerations = arr(spec.tolerations).map(obj);
  const tolerates = (key: string) =>
    tolerations.some((t) => (str(t.key) === key || !t.key) && (str(t.effect) === 'NoExecute' || !t.effect));
  const add: Obj[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (add.length) spec.tolerations = [...tolerations, ...add];

  const pcn = str(spec.priorityClassName);
  if (spec.priority == null) spec.priority = SYSTEM_PRIORITIES[pcn] ?? 0;
  if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
}

function addTokenVolume(spec: Obj, suffix: string) {
  const containers = [...arr(spec.initContainers), ...arr(spec.containers)].map(obj);
  const hasMount = containers.some((c) => arr(c.volumeMounts).some((m) => str(obj(m).mountPath) === SA_MOUNT_PATH));
  if (hasMount) return;
  const name = `kube-api-access-${suffix}`;
  spec.volumes = [
    ...arr(spec.volumes),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    },
  ];
  for (const c of containers) c.volumeMounts = [...arr(c.volumeMounts), { mountPath: SA_MOUNT_PATH, name, readOnly: true }];
}

/** resource.Quantity to a number of base units (approximate: float, fine for comparisons). */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suf = m[2] ?? '';
  const bin: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const dec: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  if (suf in bin) return n * bin[suf]!;
  if (suf in dec) return n * dec[suf]!;
  return n * 10 ** Number(suf.slice(1));
}

const sameQty = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** qos.GetPodQOS: only cpu and memory count. */
export function podQOSClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)].map(obj)) {
    const res = obj(c.resources);
    for (const [k, v] of Object.entries(obj(res.requests))) {
      if (k !== 'cpu' && k !== 'memory') continue;
      const n = parseQuantity(v) ?? 0;
      if (n > 0) requests.set(k, (requests.get(k) ?? 0) + n);
    }
    const found = new Set<string>();
    for (const [k, v] of Object.entries(obj(res.limits))) {
      if (k !== 'cpu' && k !== 'memory') continue;
      const n = parseQuantity(v) ?? 0;
      if (n > 0) {
        found.add(k);
        limits.set(k, (limits.get(k) ?? 0) + n);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, r] of requests) {
      const l = limits.get(k);
      if (l === undefined || !sameQty(l, r)) guaranteed = false;
    }
  }
  if (guaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}
