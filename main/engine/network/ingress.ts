// ingress-nginx's routing, as the configuration it generates behaves: every Ingress of its class
// is merged into one server per host (rules without a host go to the catch-all server `_`); in a
// server, Exact paths win, then the longest Prefix (matched by whole path elements) or
// ImplementationSpecific (a plain nginx prefix); a server without a match falls back to the
// Ingress's defaultBackend, else the controller's default backend (404). Hosts with TLS redirect
// plain HTTP to HTTPS (ssl-redirect, 308).
import type { KObj } from '../store/types.js';
import { spec, type ClusterView } from './view.js';

export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface Backend {
  namespace: string;
  service: string;
  port: number | string;
}

export type IngressRoute =
  | { kind: 'backend'; backend: Backend; ingress: string }
  | { kind: 'default-backend' }
  | { kind: 'redirect'; location: string };

interface Path {
  path: string;
  type: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: Backend;
  ingress: string;
  created: string;
}

type Obj = Record<string, unknown>;

function backendOf(ns: string, b: Obj | undefined): Backend | undefined {
  const svc = b?.service as { name?: string; port?: { number?: number; name?: string } } | undefined;
  if (!svc?.name) return undefined;
  return { namespace: ns, service: svc.name, port: svc.port?.number ?? svc.port?.name ?? 80 };
}

/** the IngressClass names this controller owns, and whether one of them is the default */
export function ownedClasses(view: ClusterView): { names: Set<string>; isDefault: boolean } {
  const mine = view.ingressClasses().filter((c) => spec(c).controller === INGRESS_CONTROLLER);
  return { names: new Set(mine.map((c) => c.metadata.name!)), isDefault: mine.some((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') };
}

/** whether this controller serves the Ingress (its class, the legacy annotation, or no class with a default class) */
export function handles(ing: KObj, owned: { names: Set<string>; isDefault: boolean }): boolean {
  const cls = spec(ing).ingressClassName as string | undefined;
  if (cls) return owned.names.has(cls);
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy) return owned.names.has(legacy);
  return owned.isDefault;
}

function matches(p: Path, path: string): boolean {
  if (p.type === 'Exact') return path === p.path;
  if (p.type === 'ImplementationSpecific') return path.startsWith(p.path);
  if (p.path === '/') return true;
  const base = p.path.replace(/\/+$/, '');
  return path === base || path.startsWith(base + '/');
}

const hostMatches = (pattern: string, host: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && !host.slice(0, -(pattern.length - 1)).includes('.') && host.length > pattern.length - 1 : pattern === host;

/** route a request (Host header without port, URL path) through the handled Ingresses */
export function route(view: ClusterView, host: string, path: string, scheme: 'http' | 'https'): IngressRoute {
  const owned = ownedClasses(view);
  const ings = view
    .ingresses()
    .filter((i) => handles(i, owned))
    .sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? 1 : 0));
  const h = host.toLowerCase();
  // servers: exact host first, then a wildcard, else the catch-all
  const hostsOf = (i: KObj) => ((spec(i).rules as Array<{ host?: string }> | undefined) ?? []).map((r) => r.host ?? '');
  const all = ings.flatMap(hostsOf);
  const server = all.includes(h) ? h : (all.filter((x) => x.startsWith('*.') && hostMatches(x, h)).sort((a, b) => b.length - a.length)[0] ?? '');
  const paths: Path[] = [];
  let fallback: Backend | undefined;
  let tls = false;
  for (const ing of ings) {
    const s = spec(ing);
    const ns = ing.metadata.namespace!;
    let inServer = false;
    for (const r of (s.rules as Obj[] | undefined) ?? []) {
      if (((r.host as string | undefined) ?? '') !== server) continue;
      inServer = true;
      for (const p of ((r.http as Obj | undefined)?.paths as Obj[] | undefined) ?? []) {
        const b = backendOf(ns, p.backend as Obj);
        if (b) paths.push({ path: (p.path as string | undefined) ?? '/', type: (p.pathType as Path['type']) ?? 'ImplementationSpecific', backend: b, ingress: `${ns}/${ing.metadata.name}`, created: ing.metadata.creationTimestamp! });
      }
    }
    const db = backendOf(ns, s.defaultBackend as Obj | undefined);
    // an Ingress's defaultBackend serves the unmatched paths of its hosts; the oldest one serves `_`
    if (db && !fallback && (inServer || server === '')) fallback = db;
    if (server && ((s.tls as Array<{ hosts?: string[] }> | undefined) ?? []).some((t) => (t.hosts ?? []).includes(server))) tls = true;
  }
  if (tls && scheme === 'http') return { kind: 'redirect', location: `https://${host}${path}` };
  const exact = paths.find((p) => p.type === 'Exact' && matches(p, path));
  const best = exact ?? paths.filter((p) => p.type !== 'Exact' && matches(p, path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (best) return { kind: 'backend', backend: best.backend, ingress: best.ingress };
  if (fallback) return { kind: 'backend', backend: fallback, ingress: '' };
  return { kind: 'default-backend' };
}

/** nginx's own error pages, as ingress-nginx serves them */
export function nginxPage(status: number, text: string): string {
  return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
