// What the kubelet hands the runtime for one container: the environment (service links, envFrom,
// env with valueFrom and $(VAR) expansion) and the files of configMap/secret volumes. Errors carry
// the exact text upstream puts in CreateContainerConfigError / FailedMount.
import type { KObj } from '../store/types.js';

export interface Lookup {
  configMap(namespace: string, name: string): KObj | undefined;
  secret(namespace: string, name: string): KObj | undefined;
  services(namespace: string): KObj[];
}

type Obj = Record<string, unknown>;
export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

/** $(VAR) expansion as kubelet does: $$ escapes, unknown references stay as written. */
export function expand(input: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += name in vars ? vars[name] : `$(${name})`;
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}

function serviceEnv(services: KObj[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const spec = s.spec as Obj;
    const ip = spec.clusterIP as string | undefined;
    if (!ip || ip === 'None') continue;
    const ports = (spec.ports as Obj[]) ?? [];
    if (!ports.length) continue;
    const prefix = s.metadata.name!.toUpperCase().replace(/-/g, '_');
    env[`${prefix}_SERVICE_HOST`] = ip;
    env[`${prefix}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const p of ports) if (p.name) env[`${prefix}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const proto0 = String(ports[0]!.protocol ?? 'TCP').toLowerCase();
    env[`${prefix}_PORT`] = `${proto0}://${ip}:${ports[0]!.port}`;
    for (const p of ports) {
      const proto = String(p.protocol ?? 'TCP');
      const base = `${prefix}_PORT_${p.port}_${proto}`;
      env[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      env[`${base}_PROTO`] = proto.toLowerCase();
      env[`${base}_PORT`] = String(p.port);
      env[`${base}_ADDR`] = ip;
    }
  }
  return env;
}

function fieldValue(pod: KObj, path: string): string | undefined {
  const md = pod.metadata;
  const spec = pod.spec as Obj;
  const st = (pod.status as Obj) ?? {};
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (md[m[1] as 'labels' | 'annotations'] as Record<string, string> | undefined)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return md.name;
    case 'metadata.namespace':
      return md.namespace;
    case 'metadata.uid':
      return md.uid;
    case 'spec.nodeName':
      return spec.nodeName as string;
    case 'spec.serviceAccountName':
      return (spec.serviceAccountName as string) ?? 'default';
    case 'status.hostIP':
      return st.hostIP as string;
    case 'status.hostIPs':
      return ((st.hostIPs as Obj[]) ?? []).map((x) => x.ip).join(',');
    case 'status.podIP':
      return st.podIP as string;
    case 'status.podIPs':
      return ((st.podIPs as Obj[]) ?? []).map((x) => x.ip).join(',');
  }
  return undefined;
}

function dataOf(o: KObj, secret: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.data as Record<string, string>) ?? {})) out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  if (secret) for (const [k, v] of Object.entries((o.stringData as Record<string, string>) ?? {})) out[k] = v;
  else for (const [k, v] of Object.entries((o.binaryData as Record<string, string>) ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** The container's environment, in the order the kubelet builds it. */
export function resolveEnv(pod: KObj, container: Obj, lookup: Lookup): Resolved<Record<string, string>> {
  const ns = pod.metadata.namespace!;
  const spec = pod.spec as Obj;
  const env: Record<string, string> = {};
  if (spec.enableServiceLinks !== false) Object.assign(env, serviceEnv(lookup.services(ns)));
  Object.assign(env, serviceEnv(lookup.services('default').filter((s) => s.metadata.name === 'kubernetes')));
  for (const from of (container.envFrom as Obj[]) ?? []) {
    const prefix = (from.prefix as string) ?? '';
    const cm = from.configMapRef as Obj | undefined;
    const sec = from.secretRef as Obj | undefined;
    const ref = (cm ?? sec)!;
    const obj = cm ? lookup.configMap(ns, ref.name as string) : lookup.secret(ns, ref.name as string);
    if (!obj) {
      if (ref.optional) continue;
      return { ok: false, message: `${cm ? 'configmap' : 'secret'} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(dataOf(obj, !cm))) env[prefix + k] = v;
  }
  for (const e of (container.env as Obj[]) ?? []) {
    const name = e.name as string;
    const vf = e.valueFrom as Obj | undefined;
    if (!vf) {
      env[name] = expand((e.value as string) ?? '', env);
      continue;
    }
    const keyRef = (vf.configMapKeyRef ?? vf.secretKeyRef) as Obj | undefined;
    if (keyRef) {
      const isCm = !!vf.configMapKeyRef;
      const obj = isCm ? lookup.configMap(ns, keyRef.name as string) : lookup.secret(ns, keyRef.name as string);
      if (!obj) {
        if (keyRef.optional) continue;
        return { ok: false, message: `${isCm ? 'configmap' : 'secret'} "${keyRef.name}" not found` };
      }
      const data = dataOf(obj, !isCm);
      if (!(String(keyRef.key) in data)) {
        if (keyRef.optional) continue;
        return { ok: false, message: `couldn't find key ${keyRef.key} in ${isCm ? 'ConfigMap' : 'Secret'} ${ns}/${keyRef.name}` };
      }
      env[name] = data[String(keyRef.key)]!;
    } else if (vf.fieldRef) {
      env[name] = fieldValue(pod, (vf.fieldRef as Obj).fieldPath as string) ?? '';
    } else if (vf.resourceFieldRef) {
      env[name] = resourceValue(container, vf.resourceFieldRef as Obj);
    }
  }
  return { ok: true, value: env };
}

function resourceValue(container: Obj, ref: Obj): string {
  const res = (container.resources as Obj) ?? {};
  const [kind, resName] = String(ref.resource).split('.') as ['limits' | 'requests', string];
  const q = ((res[kind] as Record<string, string>) ?? {})[resName];
  if (!q) return resName === 'cpu' ? '2' : '4106289152'; // unset limits fall back to node allocatable
  if (resName === 'cpu') return String(Math.ceil(q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q)));
  return String(quantityBytes(q) ?? 0);
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
export function quantityBytes(q: string | undefined): number | undefined {
  if (!q) return undefined;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (m[2] ? (UNITS[m[2]] ?? 1) : 1));
}

/** Files of the configMap/secret volumes the container mounts; missing sources fail like MountVolume.SetUp. */
export function resolveFiles(pod: KObj, container: Obj, lookup: Lookup): Resolved<Record<string, string>> {
  const ns = pod.metadata.namespace!;
  const volumes = ((pod.spec as Obj).volumes as Obj[]) ?? [];
  const files: Record<string, string> = {};
  for (const m of (container.volumeMounts as Obj[]) ?? []) {
    const v = volumes.find((x) => x.name === m.name);
    if (!v) continue;
    const cm = v.configMap as Obj | undefined;
    const sec = v.secret as Obj | undefined;
    if (!cm && !sec) continue;
    const srcName = (cm ? cm.name : sec!.secretName) as string;
    const obj = cm ? lookup.configMap(ns, srcName) : lookup.secret(ns, srcName);
    if (!obj) {
      if ((cm ?? sec)!.optional) continue;
      return { ok: false, message: `MountVolume.SetUp failed for volume "${v.name}" : ${cm ? 'configmap' : 'secret'} "${srcName}" not found` };
    }
    const data = dataOf(obj, !cm);
    const items = ((cm ?? sec)!.items as Obj[] | undefined) ?? Object.keys(data).map((k) => ({ key: k, path: k }));
    const dir = String(m.mountPath).replace(/\/$/, '');
    const sub = m.subPath as string | undefined;
    for (const it of items) {
      const key = it.key as string;
      if (!(key in data)) continue;
      if (sub) {
        if (it.path === sub) files[dir] = data[key]!;
      } else files[`${dir}/${it.path}`] = data[key]!;
    }
  }
  return { ok: true, value: files };
}
