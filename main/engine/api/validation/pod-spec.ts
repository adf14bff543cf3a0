// PodSpec validation, in upstream's (core/validation ValidatePodSpec) order so that the aggregated
// `[a, b, …]` message lists errors the way a real API server does.

import type { FieldError } from '../errors.js';
import {
  arr, child, duplicate, forbidden, index, intOrStringValue, invalid, isObj, key, nonNegative, notFound, notSupported, obj, required, str, type Obj,
} from './format.js';
import { validateAnnotations, validateLabels } from './meta.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum, isConfigMapKey } from './names.js';
import { VOLUME_SOURCES, parseQuantity } from './pod-defaults.js';

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MAX_INT32 = 2147483647;
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

const label = (v: string, p: string) => isDNS1123Label(v).map((m) => invalid(p, v, m));

/** ValidatePortNumOrName for an IntOrString. */
export function validatePortNumOrName(port: unknown, p: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(p, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(p, port, m));
  return [];
}

function validateVolumes(volumes: unknown, p: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((raw, i) => {
    const v = obj(raw);
    const ip = index(p, i);
    const el: FieldError[] = [];
    const kinds = VOLUME_SOURCES.filter((k) => v[k] != null);
    if (kinds.length === 0) el.push(required(ip, 'must specify a volume type'));
    else if (kinds.length > 1) el.push(forbidden(child(ip, kinds[1]!), 'may not specify more than 1 volume type'));
    if (isObj(v.configMap)) {
      const cm = v.configMap;
      if (!str(cm.name)) el.push(required(child(ip, 'configMap', 'name')));
      el.push(...fileMode(cm.defaultMode, child(ip, 'configMap', 'defaultMode')));
      el.push(...keyToPaths(cm.items, child(ip, 'configMap', 'items')));
    }
    if (isObj(v.secret)) {
      const s = v.secret;
      if (!str(s.secretName)) el.push(required(child(ip, 'secret', 'secretName')));
      el.push(...fileMode(s.defaultMode, child(ip, 'secret', 'defaultMode')));
      el.push(...keyToPaths(s.items, child(ip, 'secret', 'items')));
    }
    if (isObj(v.hostPath)) {
      if (!str(v.hostPath.path)) el.push(required(child(ip, 'hostPath', 'path')));
    }
    if (isObj(v.persistentVolumeClaim) && !str(v.persistentVolumeClaim.claimName))
      el.push(required(child(ip, 'persistentVolumeClaim', 'claimName')));
    const name = str(v.name);
    if (!name) el.push(required(child(ip, 'name')));
    else el.push(...label(name, child(ip, 'name')));
    if (names.has(name)) el.push(duplicate(child(ip, 'name'), name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}

function fileMode(mode: unknown, p: string): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [invalid(p, mode, FILE_MODE_MSG)] : [];
}

function keyToPaths(items: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((raw, i) => {
    const it = obj(raw);
    const ip = index(p, i);
    if (!str(it.key)) errs.push(required(child(ip, 'key')));
    if (!str(it.path)) errs.push(required(child(ip, 'path')));
    else if (str(it.path).startsWith('/')) errs.push(invalid(child(ip, 'path'), str(it.path), 'must be a relative path'));
    errs.push(...fileMode(it.mode, child(ip, 'mode')));
  });
  return errs;
}

function validateContainerPorts(ports: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((raw, i) => {
    const port = obj(raw);
    const ip = index(p, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...msgs.map((m) => invalid(child(ip, 'name'), name, m)));
      else if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name));
      else names.add(name);
    }
    const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
    if (cp === 0) errs.push(required(child(ip, 'containerPort')));
    else errs.push(...isValidPortNum(cp).map((m) => invalid(child(ip, 'containerPort'), cp, m)));
    const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
    if (hp !== 0) errs.push(...isValidPortNum(hp).map((m) => invalid(child(ip, 'hostPort'), hp, m)));
    const proto = str(port.protocol);
    if (!proto) errs.push(required(child(ip, 'protocol')));
    else if (!PORT_PROTOCOLS.includes(proto)) errs.push(notSupported(child(ip, 'protocol'), proto, PORT_PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((raw, i) => {
    const ev = obj(raw);
    const ip = index(p, i);
    const name = str(ev.name);
    if (!name) errs.push(required(child(ip, 'name')));
    else errs.push(...isEnvVarName(name).map((m) => invalid(child(ip, 'name'), name, m)));
    if (!isObj(ev.valueFrom)) return;
    const vf = ev.valueFrom;
    const vp = child(ip, 'valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => vf[k] != null);
    if (sources.length === 0)
      errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1)
      errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
    if (str(ev.value) && sources.length) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    for (const refName of ['configMapKeyRef', 'secretKeyRef']) {
      if (!isObj(vf[refName])) continue;
      const ref = vf[refName] as Obj;
      const rp = child(vp, refName);
      if (!str(ref.name)) errs.push(required(child(rp, 'name')));
      if (!str(ref.key)) errs.push(required(child(rp, 'key')));
      else errs.push(...isConfigMapKey(str(ref.key)).map((m) => invalid(child(rp, 'key'), str(ref.key), m)));
    }
    if (isObj(vf.fieldRef) && !str(vf.fieldRef.fieldPath)) errs.push(required(child(vp, 'fieldRef', 'fieldPath')));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, vols: Set<string>, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const points = new Set<string>();
  arr(mounts).forEach((raw, i) => {
    const m = obj(raw);
    const ip = index(p, i);
    const name = str(m.name);
    if (!name) errs.push(required(child(ip, 'name')));
    if (!vols.has(name)) errs.push(notFound(child(ip, 'name'), name));
    const mp = str(m.mountPath);
    if (!mp) errs.push(required(child(ip, 'mountPath')));
    if (points.has(mp)) errs.push(invalid(child(ip, 'mountPath'), mp, 'must be unique'));
    points.add(mp);
  });
  return errs;
}

function validateResources(resIn: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const res = obj(resIn);
  const limits = obj(res.limits);
  const requests = obj(res.requests);
  for (const [k, v] of Object.entries(limits)) {
    const n = parseQuantity(v);
    if (n !== undefined && n < 0) errs.push(invalid(key(child(p, 'limits'), k), String(v), 'must be greater than or equal to 0'));
  }
  for (const [k, v] of Object.entries(requests)) {
    const n = parseQuantity(v);
    const lp = key(child(p, 'requests'), k);
    if (n !== undefined && n < 0) errs.push(invalid(lp, String(v), 'must be greater than or equal to 0'));
    const l = parseQuantity(limits[k]);
    if (n !== undefined && l !== undefined && n > l) errs.push(invalid(lp, String(v), `must be less than or equal to ${k} limit of ${String(limits[k])}`));
  }
  return errs;
}

function validateHandler(h: Obj, p: string, lifecycle: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = ['exec', 'httpGet', 'tcpSocket', ...(lifecycle ? ['sleep'] : ['grpc'])].filter((k) => h[k] != null);
  if (kinds.length === 0) return [required(p, 'must specify a handler type')];
  if (kinds.length > 1) errs.push(forbidden(child(p, kinds[1]!), 'may not specify more than 1 handler type'));
  const k = kinds[0]!;
  const v = obj(h[k]);
  const hp = child(p, k);
  if (k === 'exec' && arr(v.command).length === 0) errs.push(required(child(hp, 'command')));
  if (k === 'httpGet') {
    if (!str(v.path)) errs.push(required(child(hp, 'path')));
    errs.push(...validatePortNumOrName(v.port, child(hp, 'port')));
    const scheme = str(v.scheme);
    if (!['HTTP', 'HTTPS'].includes(scheme)) errs.push(notSupported(child(hp, 'scheme'), scheme, ['HTTP', 'HTTPS']));
  }
  if (k === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, child(hp, 'port')));
  if (k === 'grpc' && typeof v.port === 'number') errs.push(...isValidPortNum(v.port).map((m) => invalid(child(hp, 'port'), v.port as number, m)));
  return errs;
}

function validateProbe(probe: unknown, p: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, p, false);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...nonNegative(probe[f], child(p, f)));
  const tgps = probe.terminationGracePeriodSeconds;
  if (kind === 'readiness' && tgps != null) errs.push(invalid(child(p, 'terminationGracePeriodSeconds'), tgps as number, 'must not be set for readinessProbes'));
  else if (typeof tgps === 'number' && tgps <= 0) errs.push(invalid(child(p, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && probe.successThreshold !== 1)
    errs.push(invalid(child(p, 'successThreshold'), typeof probe.successThreshold === 'number' ? probe.successThreshold : 0, 'must be 1'));
  return errs;
}

function validateContainerCommon(c: Obj, vols: Set<string>, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(child(p, 'name')));
  else errs.push(...label(name, child(p, 'name')));
  if (!str(c.image)) errs.push(required(child(p, 'image')));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(required(child(p, 'terminationMessagePolicy'), "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(child(p, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, child(p, 'ports')));
  errs.push(...validateEnv(c.env, child(p, 'env')));
  errs.push(...validateVolumeMounts(c.volumeMounts, vols, child(p, 'volumeMounts')));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(required(child(p, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(child(p, 'imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateResources(c.resources, child(p, 'resources')));
  return errs;
}

function validateContainers(containers: unknown, vols: Set<string>, p: string): FieldError[] {
  const list = arr(containers).map(obj);
  if (list.length === 0) return [required(p)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const ip = index(p, i);
    errs.push(...validateContainerCommon(c, vols, ip));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name));
    else names.add(name);
    if (isObj(c.lifecycle)) {
      for (const h of ['postStart', 'preStop']) if (isObj(c.lifecycle[h])) errs.push(...validateHandler(c.lifecycle[h] as Obj, child(ip, 'lifecycle', h), true));
    }
    errs.push(...validateProbe(c.livenessProbe, child(ip, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, child(ip, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c.startupProbe, child(ip, 'startupProbe'), 'startup'));
    if (c.restartPolicy != null) errs.push(forbidden(child(ip, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(list, p));
  return errs;
}

function validateInitContainers(inits: unknown, regular: unknown, vols: Set<string>, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(arr(regular).map((c) => str(obj(c).name)));
  arr(inits).map(obj).forEach((c, i) => {
    const ip = index(p, i);
    errs.push(...validateContainerCommon(c, vols, ip));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name));
    else names.add(name);
    const rp = c.restartPolicy;
    if (rp != null && rp !== 'Always') errs.push(notSupported(child(ip, 'restartPolicy'), str(rp), ['Always']));
    if (rp !== 'Always') {
      for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe'])
        if (c[f] != null) errs.push(forbidden(child(ip, f), `may not be set for init containers without restartPolicy=Always`));
    }
  });
  return errs;
}

function hostPortConflicts(containers: Obj[], p: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    arr(c.ports).map(obj).forEach((port, pi) => {
      const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
      if (hp === 0) return;
      const k = `${str(port.hostIP)}/${str(port.protocol)}/${hp}`;
      if (seen.has(k)) errs.push(duplicate(child(index(child(index(p, ci), 'ports'), pi), 'hostPort'), k));
      seen.add(k);
    });
  });
  return errs;
}

export function validateTolerations(tolerations: unknown, p: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).map(obj).forEach((t, i) => {
    const ip = index(p, i);
    const k = str(t.key);
    const op = str(t.operator);
    const effect = str(t.effect);
    if (k) errs.push(...isQualifiedName(k).map((m) => invalid(child(ip, 'key'), k, m)));
    if (!k && op !== 'Exists')
      errs.push(invalid(child(ip, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds != null && effect !== 'NoExecute')
      errs.push(invalid(child(ip, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const m = isValidLabelValue(str(t.value));
      if (m.length) errs.push(invalid(child(ip, 'operator'), str(t.value), m.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value))
        errs.push(invalid(child(ip, 'operator'), { go: `core.Toleration{Key:${JSON.stringify(k)}, Operator:"Exists", Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(effect)}, TolerationSeconds:(*int64)(nil)}` }, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(ip, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect))
      errs.push(notSupported(child(ip, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(specIn: unknown, p = 'spec'): FieldError[] {
  const spec = obj(specIn);
  const { errs, names } = validateVolumes(spec.volumes, child(p, 'volumes'));
  errs.push(...validateContainers(spec.containers, names, child(p, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, names, child(p, 'initContainers')));
  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(required(child(p, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(notSupported(child(p, 'restartPolicy'), rp, ['Always', 'OnFailure', 'Never']));
  const dns = str(spec.dnsPolicy);
  const dnsValues = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dns) errs.push(required(child(p, 'dnsPolicy')));
  else if (!dnsValues.includes(dns)) errs.push(notSupported(child(p, 'dnsPolicy'), dns, dnsValues));
  if (dns === 'None' && !isObj(spec.dnsConfig)) errs.push(required(child(p, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...validateLabels(spec.nodeSelector, child(p, 'nodeSelector')));
  const sa = str(spec.serviceAccountName);
  if (sa) errs.push(...isDNS1123Subdomain(sa).map((m) => invalid(child(p, 'serviceAccountName'), sa, m)));
  const node = str(spec.nodeName);
  if (node) errs.push(...isDNS1123Subdomain(node).map((m) => invalid(child(p, 'nodeName'), node, m)));
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32)) errs.push(invalid(child(p, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, MAX_INT32)));
  for (const f of ['hostname', 'subdomain']) if (str(spec[f])) errs.push(...label(str(spec[f]), child(p, f)));
  errs.push(...validateTolerations(spec.tolerations, child(p, 'tolerations')));
  const pcn = str(spec.priorityClassName);
  if (pcn) errs.push(...isDNS1123Subdomain(pcn).map((m) => invalid(child(p, 'priorityClassName'), pcn, m)));
  const pp = spec.preemptionPolicy;
  if (pp != null && pp !== 'PreemptLowerPriority' && pp !== 'Never')
    errs.push(notSupported(child(p, 'preemptionPolicy'), str(pp), ['PreemptLowerPriority', 'Never']));
  return errs;
}

/** ValidatePodTemplateSpec (labels/annotations of the template, then its spec). */
export function validatePodTemplateSpec(tplIn: unknown, p: string): FieldError[] {
  const tpl = obj(tplIn);
  const meta = obj(tpl.metadata);
  return [
    ...validateAnnotations(meta.annotations, child(p, 'metadata', 'annotations')),
    ...validateLabels(meta.labels, child(p, 'metadata', 'labels')),
    ...validatePodSpec(tpl.spec, child(p, 'spec')),
  ];
}

export { intOrStringValue };
