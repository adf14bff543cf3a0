// Evaluating one check against the cluster (read-only, through the Kubernetes API) and the
// workspace. Each result carries a reason in both languages that names what is wrong.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { celStrings, runCel, type CelProgram } from './cel.js';
import { kindInfo, kindWord } from './kinds.js';
import type { ClusterReader, KubeObject } from './kube.js';
import { describeUnready, isPodReady, podProblem } from './podstatus.js';
import type { CheckSpec, Target, Text } from './types.js';

/** A message with `{{cel}}` holes, compiled at load. */
export type Template = Array<string | CelProgram>;

export interface Compiled {
  program?: CelProgram;
  message?: { en: Template; ko: Template };
}

export interface CheckContext {
  reader: ClusterReader;
  /** the lab's namespace, used when a target names none */
  namespace: string;
  workspaceDir: string;
}

export interface Verdict {
  passed: boolean;
  reason: Text;
}

const T = (en: string, ko: string): Text => ({ en, ko });
const pass = (en: string, ko: string): Verdict => ({ passed: true, reason: T(en, ko) });
const fail = (en: string, ko: string): Verdict => ({ passed: false, reason: T(en, ko) });

function nsOf(t: Target, ctx: CheckContext): string | undefined {
  return kindInfo(t.kind)?.namespaced ? (t.namespace ?? ctx.namespace) : undefined;
}

function where(t: Target, ctx: CheckContext): Text {
  const ns = nsOf(t, ctx);
  return ns ? T(` in namespace ${ns}`, ` (네임스페이스 ${ns})`) : T('', '');
}

function what(t: Target): string {
  return t.name ? `${kindWord(t.kind)} ${t.name}` : t.selector ? `${kindWord(t.kind)}s with ${t.selector}` : `${kindWord(t.kind)}s`;
}

function whatKo(t: Target): string {
  return t.name ? `${t.kind} ${t.name}` : t.selector ? `${t.selector} 레이블의 ${t.kind}` : t.kind;
}

async function targets(t: Target, ctx: CheckContext): Promise<{ object: KubeObject | null; objects: KubeObject[] }> {
  const ns = nsOf(t, ctx);
  if (t.name) {
    const o = await ctx.reader.get(t.kind, t.name, ns);
    return { object: o && !o.metadata.deletionTimestamp ? o : null, objects: o ? [o] : [] };
  }
  const list = await ctx.reader.list(t.kind, ns, t.selector);
  return { object: null, objects: list.filter((o) => !o.metadata.deletionTimestamp) };
}

function notFound(t: Target, ctx: CheckContext): Verdict {
  const w = where(t, ctx);
  return fail(`${what(t)} not found${w.en}`, `${whatKo(t)}을(를) 찾을 수 없습니다${w.ko}`);
}

export function render(tpl: Template, vars: { object: unknown; objects: unknown[] }): string {
  return tpl
    .map((part) => {
      if (typeof part === 'string') return part;
      const r = runCel(part, vars);
      return 'error' in r ? '?' : celStrings(r.value).join(', ');
    })
    .join('');
}

/** matchLabels (and simple matchExpressions) as a kubectl-style selector string. */
export function selectorString(sel: unknown): string {
  const s = (sel ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

const ownedBy = (o: KubeObject, uids: Set<string>) =>
  ((o.metadata.ownerReferences as Array<{ uid?: string }> | undefined) ?? []).some((r) => r.uid !== undefined && uids.has(r.uid));

/** The live pods a workload owns (through its ReplicaSets for a Deployment). */
export async function workloadPods(w: KubeObject, ctx: CheckContext): Promise<KubeObject[]> {
  const ns = w.metadata.namespace;
  const spec = (w.spec ?? {}) as { selector?: unknown };
  const sel = selectorString(spec.selector);
  let owners = new Set([String(w.metadata.uid)]);
  if (w.kind === 'Deployment') {
    const rss = await ctx.reader.list('ReplicaSet', ns, sel || undefined);
    owners = new Set(rss.filter((rs) => ownedBy(rs, owners)).map((rs) => String(rs.metadata.uid)));
  }
  const pods = await ctx.reader.list('Pod', ns, sel || undefined);
  return pods.filter((p) => ownedBy(p, owners) && !p.metadata.deletionTimestamp);
}

const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);

async function readyCheck(t: Target, replicas: number | undefined, ctx: CheckContext): Promise<Verdict> {
  if (t.kind === 'Pod' && t.name) {
    const { object } = await targets(t, ctx);
    if (!object) return notFound(t, ctx);
    if (isPodReady(object)) return pass(`pod ${t.name} is Running and Ready`, `파드 ${t.name}이(가) Running이고 Ready 상태입니다`);
    const why = podProblem(object);
    return fail(`pod ${t.name} is not ready: ${why.en}`, `파드 ${t.name}이(가) 아직 Ready가 아닙니다: ${why.ko}`);
  }
  let pods: KubeObject[];
  let expected: number;
  let label: Text;
  if (t.kind === 'Pod') {
    pods = (await targets(t, ctx)).objects;
    expected = replicas ?? Math.max(1, pods.length);
    label = T(`pods with ${t.selector ?? 'any labels'}`, `${t.selector ?? '모든'} 레이블의 파드`);
  } else {
    const { object } = await targets(t, ctx);
    if (!object) return notFound(t, ctx);
    const spec = (object.spec ?? {}) as { replicas?: number };
    const status = (object.status ?? {}) as { desiredNumberScheduled?: number };
    expected = replicas ?? (t.kind === 'DaemonSet' ? num(status.desiredNumberScheduled) : num(spec.replicas, 1));
    pods = await workloadPods(object, ctx);
    label = T(`${kindWord(t.kind)} ${t.name}`, `${t.kind} ${t.name}`);
  }
  const ready = pods.filter(isPodReady).length;
  if (ready === expected && pods.length === expected) {
    return pass(`${label.en}: ${ready} of ${expected} replicas ready`, `${label.ko}: 레플리카 ${expected}개 중 ${ready}개 Ready`);
  }
  const why = describeUnready(pods);
  const tailEn = why.en ? `: ${why.en}` : pods.length > expected ? ` (${pods.length} pods exist)` : '';
  const tailKo = why.ko ? `: ${why.ko}` : pods.length > expected ? ` (파드 ${pods.length}개 존재)` : '';
  return fail(
    `${label.en}: expected ${expected} ready replica${expected === 1 ? '' : 's'}, found ${ready}${tailEn}`,
    `${label.ko}: Ready 레플리카 ${expected}개가 필요하지만 ${ready}개입니다${tailKo}`,
  );
}

async function rolledOutCheck(t: Target, ctx: CheckContext): Promise<Verdict> {
  const { object } = await targets(t, ctx);
  if (!object) return notFound(t, ctx);
  const md = object.metadata as { generation?: number; name: string };
  const spec = (object.spec ?? {}) as { replicas?: number };
  const st = (object.status ?? {}) as Record<string, number | undefined>;
  const want = num(spec.replicas, 1);
  const n = md.name;
  const waitEn = `rollout of ${kindWord(t.kind)} ${n} is not finished: `;
  const waitKo = `${t.kind} ${n}의 롤아웃이 아직 끝나지 않았습니다: `;
  if (num(st.observedGeneration) < num(md.generation)) return fail(`${waitEn}the controller has not seen the latest change yet`, `${waitKo}컨트롤러가 아직 최신 변경을 반영하지 않았습니다`);
  const updated = num(t.kind === 'StatefulSet' ? st.updatedReplicas : st.updatedReplicas);
  const pods = await workloadPods(object, ctx);
  const why = describeUnready(pods);
  const tail = (x: Text) => (why.en ? T(`${x.en} (${why.en})`, `${x.ko} (${why.ko})`) : x);
  if (updated < want) {
    const m = tail(T(`${updated} out of ${want} new replicas have been updated`, `새 레플리카 ${want}개 중 ${updated}개만 업데이트됨`));
    return fail(waitEn + m.en, waitKo + m.ko);
  }
  if (num(st.replicas) > updated) {
    const old = num(st.replicas) - updated;
    return fail(`${waitEn}${old} old replicas are pending termination`, `${waitKo}이전 레플리카 ${old}개가 아직 종료되지 않았습니다`);
  }
  if (num(st.availableReplicas) < updated) {
    const m = tail(T(`${num(st.availableReplicas)} of ${updated} updated replicas are available`, `업데이트된 레플리카 ${updated}개 중 ${num(st.availableReplicas)}개만 사용 가능`));
    return fail(waitEn + m.en, waitKo + m.ko);
  }
  return pass(`${kindWord(t.kind)} ${n} successfully rolled out`, `${t.kind} ${n} 롤아웃 완료`);
}

async function endpointsCheck(t: Target, count: number | undefined, min: number | undefined, ctx: CheckContext): Promise<Verdict> {
  const ns = nsOf({ ...t, kind: 'Service' }, ctx);
  const svc = await ctx.reader.get('Service', t.name!, ns);
  if (!svc) return notFound({ ...t, kind: 'Service' }, ctx);
  const ep = await ctx.reader.get('Endpoints', t.name!, ns);
  const subsets = ((ep?.subsets as Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }> | undefined) ?? []);
  const ready = subsets.reduce((s, x) => s + (x.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((s, x) => s + (x.notReadyAddresses?.length ?? 0), 0);
  const ok = count !== undefined ? ready === count : ready >= (min ?? 1);
  const want = count !== undefined ? `${count}` : `at least ${min ?? 1}`;
  const wantKo = count !== undefined ? `${count}개` : `${min ?? 1}개 이상`;
  if (ok) return pass(`service ${t.name} has ${ready} ready endpoints`, `서비스 ${t.name}의 Ready 엔드포인트 ${ready}개`);
  let extraEn = notReady ? ` (${notReady} not ready)` : '';
  let extraKo = notReady ? ` (준비 안 된 엔드포인트 ${notReady}개)` : '';
  const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (ready === 0 && !notReady) {
    if (!sel || !Object.keys(sel).length) {
      extraEn = ': the service has no selector';
      extraKo = ': 서비스에 셀렉터가 없습니다';
    } else {
      const s = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = await ctx.reader.list('Pod', ns, s);
      if (!pods.length) {
        extraEn = `: its selector ${s} matches no pods`;
        extraKo = `: 셀렉터 ${s}에 맞는 파드가 없습니다`;
      }
    }
  }
  return fail(`service ${t.name}: expected ${want} ready endpoints, found ${ready}${extraEn}`, `서비스 ${t.name}: Ready 엔드포인트 ${wantKo}가 필요하지만 ${ready}개입니다${extraKo}`);
}

async function fileCheck(spec: Extract<CheckSpec, { type: 'file' }>, compiled: Compiled, ctx: CheckContext): Promise<Verdict> {
  const full = path.resolve(ctx.workspaceDir, spec.path);
  let text: string;
  try {
    text = await fsp.readFile(full, 'utf8');
  } catch {
    return fail(`file ${spec.path} not found in your workspace (${ctx.workspaceDir})`, `작업 폴더(${ctx.workspaceDir})에 ${spec.path} 파일이 없습니다`);
  }
  const wanted = [...(spec.contains ?? [])];
  if (spec.values && compiled.program) {
    const tv = await targets(spec.values.target, ctx);
    const r = runCel(compiled.program, tv);
    if ('error' in r) return fail(`cannot work out what ${spec.path} should contain: ${r.error}`, `${spec.path}에 들어갈 내용을 계산할 수 없습니다: ${r.error}`);
    const vals = celStrings(r.value).filter(Boolean);
    if (!vals.length) return fail(`nothing to compare ${spec.path} with: no ${what(spec.values.target)} found`, `${spec.path}와 비교할 ${whatKo(spec.values.target)}이(가) 없습니다`);
    wanted.push(...vals);
  }
  const missing = wanted.filter((w) => !text.includes(w));
  if (missing.length) return fail(`${spec.path} does not mention ${missing.join(', ')}`, `${spec.path}에 ${missing.join(', ')}이(가) 없습니다`);
  return pass(`${spec.path} has what was asked`, `${spec.path}에 필요한 내용이 모두 있습니다`);
}

export async function evaluateCheck(spec: CheckSpec, compiled: Compiled, ctx: CheckContext): Promise<Verdict> {
  switch (spec.type) {
    case 'exists': {
      const { object, objects } = await targets(spec.target, ctx);
      if (spec.target.name ? object : objects.length) return pass(`${what(spec.target)} exists`, `${whatKo(spec.target)}이(가) 있습니다`);
      return notFound(spec.target, ctx);
    }
    case 'absent': {
      const { objects } = await targets({ ...spec.target }, ctx);
      const live = objects.filter((o) => !o.metadata.deletionTimestamp || spec.target.name);
      if (!live.length) return pass(`${what(spec.target)} is gone`, `${whatKo(spec.target)}이(가) 삭제되었습니다`);
      const terminating = live.some((o) => o.metadata.deletionTimestamp);
      return terminating
        ? fail(`${what(spec.target)} is still terminating`, `${whatKo(spec.target)}이(가) 아직 종료 중입니다`)
        : fail(`${what(spec.target)} still exists${where(spec.target, ctx).en}`, `${whatKo(spec.target)}이(가) 아직 있습니다${where(spec.target, ctx).ko}`);
    }
    case 'count': {
      const n = (await targets(spec.target, ctx)).objects.length;
      const okMin = spec.min === undefined || n >= spec.min;
      const okMax = spec.max === undefined || n <= spec.max;
      const okEq = spec.equals === undefined || n === spec.equals;
      const want = spec.equals !== undefined ? `${spec.equals}` : [spec.min !== undefined ? `at least ${spec.min}` : '', spec.max !== undefined ? `at most ${spec.max}` : ''].filter(Boolean).join(' and ');
      if (okMin && okMax && okEq) return pass(`found ${n} ${what(spec.target)}`, `${whatKo(spec.target)} ${n}개`);
      const wantKo = spec.equals !== undefined ? `${spec.equals}개` : [spec.min !== undefined ? `최소 ${spec.min}개` : '', spec.max !== undefined ? `최대 ${spec.max}개` : ''].filter(Boolean).join(', ');
      return fail(`expected ${want} ${what(spec.target)}, found ${n}`, `${whatKo(spec.target)}: ${wantKo}가 필요하지만 ${n}개입니다`);
    }
    case 'ready':
      return readyCheck(spec.target, spec.replicas, ctx);
    case 'rolledOut':
      return rolledOutCheck(spec.target, ctx);
    case 'endpoints':
      return endpointsCheck(spec.target, spec.count, spec.min, ctx);
    case 'file':
      return fileCheck(spec, compiled, ctx);
    case 'cel': {
      const vars = await targets(spec.target, ctx);
      if (spec.target.name && !vars.object) return notFound(spec.target, ctx);
      const r = runCel(compiled.program!, vars);
      const okMsg = T(`${what(spec.target)}: as expected`, `${whatKo(spec.target)}: 조건 충족`);
      if (!('error' in r) && r.value === true) return { passed: true, reason: okMsg };
      const msg = compiled.message ? { en: render(compiled.message.en, vars), ko: render(compiled.message.ko, vars) } : T(`${what(spec.target)} does not satisfy ${spec.expr}`, `${whatKo(spec.target)}이(가) 조건 ${spec.expr}을(를) 만족하지 않습니다`);
      return { passed: false, reason: msg };
    }
  }
}
