import { describe, expect, it } from 'vitest';
import { applyDefaults, prepareForCreate, validateCreate, validateUpdate } from './index.js';
import { clone } from './format.js';
import { lines } from './testutil.js';
import type { KObj } from '../../store/types.js';

const ing = (spec: Record<string, unknown>): KObj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec });
const rule = (path: Record<string, unknown>) => ({ rules: [{ host: 'web.example.com', http: { paths: [path] } }] });
const backend = { service: { name: 'web', port: { number: 80 } } };
const errs = (spec: Record<string, unknown>) => lines(validateCreate('networking.k8s.io', 'Ingress', ing(spec)));

describe('Ingress', () => {
  it.each([
    ['valid', rule({ path: '/', pathType: 'Prefix', backend }), []],
    ['pathType missing', rule({ path: '/', backend }), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['pathType bad', rule({ path: '/', pathType: 'Glob', backend }), ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Glob": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
    ['relative path', rule({ path: 'api', pathType: 'Exact', backend }), ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']],
    ['no backend port', rule({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web' } } }), ['spec.rules[0].http.paths[0].backend: Required value: port name or number is required']],
    ['nothing', {}, ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['ip host', { rules: [{ host: '10.0.0.1' }] }, ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
  ])('%s', (_n, spec, want) => expect(errs(spec as Record<string, unknown>)).toEqual(want));

  it('status starts empty and generation at 1', () => {
    const o = ing(rule({ path: '/', pathType: 'Prefix', backend }));
    applyDefaults('networking.k8s.io', 'Ingress', o);
    prepareForCreate('networking.k8s.io', 'Ingress', o);
    expect(o.status).toEqual({ loadBalancer: {} });
    expect(o.metadata.generation).toBe(1);
  });
});

describe('IngressClass', () => {
  const ic = (controller: string): KObj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller } });
  it('controller must be domain-prefixed and immutable', () => {
    expect(lines(validateCreate('networking.k8s.io', 'IngressClass', ic('nginx')))).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
    const old = ic('k8s.io/ingress-nginx');
    const next = clone(old);
    (next.spec as any).controller = 'example.com/other';
    expect(lines(validateUpdate('networking.k8s.io', 'IngressClass', next, old))).toEqual(['spec.controller: Invalid value: "example.com/other": field is immutable']);
  });
});
