// Regenerates ../protos.generated.ts from the protobuf file descriptors that a real kubectl
// binary embeds (gogo registers each generated.proto as a gzipped FileDescriptorProto). Using
// the binary of the exact client version we emulate keeps field numbers and Go pointer-ness
// (gogoproto.nullable) in lock-step with what kubectl actually puts on the wire.
//
//   npx tsx main/engine/api/protobuf/tools/gen-protos.ts /path/to/kubectl.1.32
//
// Only the message graph reachable from ROOTS is emitted. Field facts only; no upstream comments.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const ROOTS = [
  'k8s.io.api.core.v1.ConfigMap', 'k8s.io.api.core.v1.Secret', 'k8s.io.api.core.v1.Namespace',
  'k8s.io.api.core.v1.Service', 'k8s.io.api.core.v1.ServiceAccount', 'k8s.io.api.core.v1.ResourceQuota',
  'k8s.io.api.core.v1.Pod', 'k8s.io.api.core.v1.LimitRange',
  'k8s.io.api.apps.v1.Deployment', 'k8s.io.api.apps.v1.StatefulSet', 'k8s.io.api.apps.v1.DaemonSet',
  'k8s.io.api.apps.v1.ReplicaSet',
  'k8s.io.api.batch.v1.Job', 'k8s.io.api.batch.v1.CronJob',
  'k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler', 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'k8s.io.api.networking.v1.Ingress', 'k8s.io.api.networking.v1.NetworkPolicy',
  'k8s.io.api.rbac.v1.Role', 'k8s.io.api.rbac.v1.RoleBinding', 'k8s.io.api.rbac.v1.ClusterRole',
  'k8s.io.api.rbac.v1.ClusterRoleBinding',
  'k8s.io.api.authorization.v1.SelfSubjectAccessReview', 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  'k8s.io.api.authorization.v1.SubjectAccessReview', 'k8s.io.api.authorization.v1.LocalSubjectAccessReview',
  'k8s.io.api.authentication.v1.TokenRequest', 'k8s.io.api.authentication.v1.SelfSubjectReview',
  'k8s.io.api.authentication.v1.TokenReview',
  'k8s.io.api.scheduling.v1.PriorityClass',
  'k8s.io.api.policy.v1.PodDisruptionBudget', 'k8s.io.api.policy.v1.Eviction',
  'k8s.io.api.certificates.v1.CertificateSigningRequest',
  // the envelope itself
  'k8s.io.apimachinery.pkg.runtime.Unknown',
];

// Go-embedded structs tagged `json:",inline"`: their fields appear directly in the parent's JSON.
// Descriptors cannot tell these apart from ordinary fields, so the list comes from the Go types.
const INLINE = new Set([
  'k8s.io.api.core.v1.Volume.volumeSource',
  'k8s.io.api.core.v1.Probe.handler',
  'k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  'k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapProjection.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference',
  'k8s.io.api.core.v1.SecretEnvSource.localObjectReference',
  'k8s.io.api.core.v1.SecretKeySelector.localObjectReference',
  'k8s.io.api.core.v1.SecretProjection.localObjectReference',
  'k8s.io.api.networking.v1.IngressRule.ingressRuleValue',
]);

// FieldDescriptorProto.Type numbers -> proto scalar keywords (11 = message, 14 = enum, 10 = group).
const SCALARS: Record<number, string> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool',
  9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

type Raw = [number, Uint8Array | number];
function fields(buf: Uint8Array): Raw[] {
  const r = protobuf.Reader.create(buf);
  const out: Raw[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wt = tag & 7;
    if (wt === 2) out.push([tag >>> 3, r.bytes()]);
    else if (wt === 0) out.push([tag >>> 3, Number(r.uint64().toString())]);
    else r.skipType(wt);
  }
  return out;
}
const str = (v: Uint8Array | number | undefined) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '');
const one = (fs: Raw[], no: number) => fs.find((f) => f[0] === no)?.[1];

interface Field { name: string; number: number; repeated: boolean; type: string; pointer: boolean }
interface Msg { fullName: string; fields: Field[]; mapEntry: boolean }

function parseMessage(pkg: string, buf: Uint8Array, into: Map<string, Msg>) {
  const fs = fields(buf);
  const fullName = `${pkg}.${str(one(fs, 1))}`;
  const opts = one(fs, 7);
  const mapEntry = opts instanceof Uint8Array && one(fields(opts), 7) === 1;
  const msg: Msg = { fullName, fields: [], mapEntry };
  for (const [no, v] of fs) {
    if (no === 3 && v instanceof Uint8Array) parseMessage(fullName, v, into);
    if (no !== 2 || !(v instanceof Uint8Array)) continue;
    const f = fields(v);
    const typeNo = one(f, 5) as number;
    const type = SCALARS[typeNo] ?? (typeNo === 11 ? str(one(f, 6)).replace(/^\./, '') : '');
    if (!type) throw new Error(`${fullName}: unsupported field type ${typeNo}`);
    const fo = one(f, 8);
    // gogoproto.nullable is extension 65001 on FieldOptions; absent means "pointer" for proto2 optionals.
    const nonNullable = fo instanceof Uint8Array && fields(fo).some(([n, x]) => n === 65001 && x === 0);
    msg.fields.push({ name: str(one(f, 1)), number: one(f, 3) as number, repeated: one(f, 4) === 3, type, pointer: !nonNullable });
  }
  into.set(fullName, msg);
}

function loadDescriptors(binary: Buffer): Map<string, Msg> {
  const msgs = new Map<string, Msg>();
  const magic = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);
  for (let at = binary.indexOf(magic); at >= 0; at = binary.indexOf(magic, at + 1)) {
    let fd: Buffer;
    try {
      fd = gunzipSync(binary.subarray(at, at + 4_000_000), { finishFlush: 2 });
    } catch {
      continue;
    }
    const fs = (() => { try { return fields(fd); } catch { return []; } })();
    if (!str(one(fs, 1)).endsWith('generated.proto')) continue;
    const pkg = str(one(fs, 2));
    for (const [no, v] of fs) if (no === 4 && v instanceof Uint8Array) parseMessage(pkg, v, msgs);
  }
  return msgs;
}

function closure(msgs: Map<string, Msg>): Msg[] {
  const seen = new Map<string, Msg>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const m = msgs.get(name);
    if (!m) throw new Error(`missing descriptor for ${name}`);
    seen.set(name, m);
    for (const f of m.fields) if (!SCALARS_SET.has(f.type)) visit(f.type);
  };
  ROOTS.forEach(visit);
  return [...seen.values()];
}
const SCALARS_SET = new Set(Object.values(SCALARS));

function render(all: Msg[]): string {
  const byName = new Map(all.map((m) => [m.fullName, m]));
  const pkgs = new Map<string, Msg[]>();
  for (const m of all) {
    if (m.mapEntry) continue;
    const pkg = m.fullName.slice(0, m.fullName.lastIndexOf('.'));
    // nested map-entry messages live under their parent: pick the package by walking up to a lowercase segment
    const p = pkg.split('.').filter((s) => s[0] === s[0]?.toLowerCase()).join('.');
    (pkgs.get(p) ?? pkgs.set(p, []).get(p)!).push(m);
  }
  const ref = (t: string) => (SCALARS_SET.has(t) ? t : `.${t}`);
  const lines: string[] = [];
  const inlineSeen = new Set<string>();
  for (const [pkg, list] of [...pkgs].sort(([a], [b]) => a.localeCompare(b))) {
    const body = [`syntax = "proto2"; package ${pkg};`];
    for (const m of list.sort((a, b) => a.fullName.localeCompare(b.fullName))) {
      const parts: string[] = [];
      for (const f of m.fields) {
        const entry = byName.get(f.type);
        if (entry?.mapEntry) {
          const [k, v] = entry.fields;
          parts.push(`map<${ref(k!.type)}, ${ref(v!.type)}> ${f.name} = ${f.number};`);
          continue;
        }
        const key = `${m.fullName}.${f.name}`;
        const opts = [f.pointer && !f.repeated ? '(ptr) = true' : '', INLINE.has(key) ? '(inline) = true' : ''].filter(Boolean);
        if (INLINE.has(key)) inlineSeen.add(key);
        const ptr = opts.length ? ` [${opts.join(', ')}]` : '';
        parts.push(`${f.repeated ? 'repeated' : 'optional'} ${ref(f.type)} ${f.name} = ${f.number}${ptr};`);
      }
      body.push(`message ${m.fullName.slice(pkg.length + 1)} { ${parts.join(' ')} }`);
    }
    lines.push(`  \`\n${body.join('\n')}\n\`,`);
  }
  for (const k of INLINE) if (!inlineSeen.has(k)) throw new Error(`inline field ${k} not in the emitted graph`);
  return [
    '// GENERATED by tools/gen-protos.ts from the descriptors embedded in kubectl 1.32. Do not edit by hand.',
    '// Each entry is proto2 source for one package. `[(ptr) = true]` marks fields that are Go pointers',
    '// (gogoproto.nullable), i.e. fields gogo only writes when set, so a zero value there is meaningful.',
    '// `[(inline) = true]` marks Go-embedded structs whose fields JSON flattens into the parent.',
    'export const PROTO_SOURCES: readonly string[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

const bin = process.argv[2];
if (!bin) throw new Error('usage: gen-protos.ts <kubectl binary>');
const out = fileURLToPath(new URL('../protos.generated.ts', import.meta.url));
const msgs = closure(loadDescriptors(readFileSync(bin)));
writeFileSync(out, render(msgs));
console.log(`wrote ${msgs.length} messages to ${out}`);
