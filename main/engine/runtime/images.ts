// Image references and the offline registry: normalisation and error wording follow the docker
// reference grammar (as containerd and kubelet use it) and containerd's pull errors.
import { createHash } from 'node:crypto';
import type { ImageCatalog, ImagePullResult, ImageRef } from './types.js';
import { KNOWN_REGISTRIES, REPOS, type RepoDef, type ShellKind, type TagDef } from './images-data.js';

export interface ParsedRef {
  /** registry host (with port), e.g. docker.io */
  domain: string;
  /** path inside the registry, e.g. library/nginx */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export class ReferenceError extends Error {}

/** docker's ParseNormalizedNamed: split, validate and fill in docker.io / library/ */
export function parseReference(image: string): ParsedRef {
  if (image === '') throw new ReferenceError('invalid reference format');
  if (/^[a-f0-9]{64}$/.test(image)) {
    throw new ReferenceError(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  }
  // the first component is a registry when it looks like a host; only the rest must be lowercase
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  const domain = hasDomain ? first : 'docker.io';
  const rest = hasDomain ? image.slice(slash + 1) : image;
  const m = REFERENCE.exec(hasDomain ? image : rest);
  if (!m) {
    const lowered = hasDomain ? `${first}/${lowerName(rest)}` : lowerName(rest);
    if (REFERENCE.test(lowered)) throw new ReferenceError('invalid reference format: repository name must be lowercase');
    throw new ReferenceError('invalid reference format');
  }
  let path = hasDomain ? m[1]!.slice(first.length + 1) : m[1]!;
  if (m[1]!.length > 255) throw new ReferenceError('repository name must not be more than 255 characters');
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const out: ParsedRef = { domain: domain === 'index.docker.io' ? 'docker.io' : domain, path };
  if (m[2]) out.tag = m[2];
  if (m[3]) out.digest = m[3];
  return out;
}

// lower-case only the repository part, keeping tag and digest as written (as docker does)
function lowerName(s: string): string {
  const at = s.indexOf('@');
  const base = at < 0 ? s : s.slice(0, at);
  const colon = base.lastIndexOf(':');
  const name = colon < 0 ? base : base.slice(0, colon);
  return name.toLowerCase() + s.slice(name.length);
}

export function repoName(r: ParsedRef): string {
  return `${r.domain}/${r.path}`;
}

/** "docker.io/library/nginx:latest" (kubelet adds :latest when there is neither tag nor digest) */
export function fullName(r: ParsedRef): string {
  if (r.digest) return `${repoName(r)}${r.tag ? `:${r.tag}` : ''}@${r.digest}`;
  return `${repoName(r)}:${r.tag ?? 'latest'}`;
}

export function digestOf(repo: string, tag: string): string {
  return 'sha256:' + createHash('sha256').update(`kubelab:${repo}:${tag}`).digest('hex');
}

export interface ResolvedImage {
  ref: ImageRef;
  def: RepoDef;
  tag: string;
  tagDef: TagDef;
  shell: ShellKind;
}

const BY_REPO = new Map(REPOS.map((r) => [r.repo, r]));

export type Resolution =
  | { ok: true; image: ResolvedImage }
  | { ok: false; reason: 'ErrImagePull' | 'InvalidImageName'; message: string };

/** find an image in the catalog without pulling */
export function resolveImage(image: string): Resolution {
  let ref: ParsedRef;
  try {
    ref = parseReference(image);
  } catch (e) {
    const why = (e as Error).message;
    return {
      ok: false,
      reason: 'InvalidImageName',
      message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`,
    };
  }
  const name = fullName(ref);
  const def = BY_REPO.get(repoName(ref));
  const pullErr = (grpc: string, why: string): Resolution => ({
    ok: false,
    reason: 'ErrImagePull',
    message: `rpc error: code = ${grpc} desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": ${why}`,
  });
  if (!def) {
    if (ref.domain === 'docker.io') {
      return pullErr('Unknown', 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
    }
    if (KNOWN_REGISTRIES.includes(ref.domain)) return pullErr('NotFound', `${name}: not found`);
    const [host] = ref.domain.split(':');
    const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
    return pullErr(
      'Unknown',
      `failed to do request: Head "https://${ref.domain}/v2/${ref.path}/manifests/${tagOrDigest}": dial tcp: lookup ${host}: no such host`,
    );
  }
  let tag = ref.tag ?? 'latest';
  if (ref.digest) {
    // a digest must name one of the repository's tags; with both, the digest wins (as containerd)
    const found = Object.keys(def.tags).find((tg) => digestOf(def.repo, tg) === ref.digest!.toLowerCase());
    if (!found) return pullErr('NotFound', `${name}: not found`);
    tag = found;
  }
  const tagDef = def.tags[tag];
  if (!tagDef) return pullErr('NotFound', `${name}: not found`);
  const digest = digestOf(def.repo, tag);
  return {
    ok: true,
    image: {
      ref: { image, fullName: name, imageID: `${def.repo}@${digest}`, sizeBytes: Math.round(tagDef.sizeMB * 1_000_000) },
      def,
      tag,
      tagDef,
      shell: tagDef.shell ?? def.shell,
    },
  };
}

/** simulated pull time: registry round trips plus download and unpack at ~30 MB/s */
export function pullDurationMs(sizeBytes: number, fullName: string): number {
  const jitter = parseInt(createHash('sha1').update(fullName).digest('hex').slice(0, 4), 16) % 400;
  return Math.round(600 + jitter + sizeBytes / 30_000);
}

export function createCatalog(): ImageCatalog {
  return {
    pull(image: string, present: ReadonlySet<string>): ImagePullResult {
      const r = resolveImage(image);
      if (!r.ok) return r;
      const ref = r.image.ref;
      const here = present.has(ref.fullName) || present.has(image) || present.has(ref.imageID);
      return { ok: true, ref, durationMs: here ? 0 : pullDurationMs(ref.sizeBytes, ref.fullName) };
    },
  };
}
