import { describe, expect, it } from 'vitest';
import { RESOURCES, groupVersion, type ResourceDef } from '../registry.js';
import { gvPathOf, openapiDocument, openapiDocumentEntry, openapiIndex } from './openapi.js';

type Doc = {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, unknown> }; [k: string]: unknown }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const doc = (gv: string, defs: ResourceDef[] = RESOURCES): Doc => openapiDocument(defs, gv) as Doc;

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') out.push(x as string);
      else refs(x, out);
    }
  }
  return out;
}

describe('openapiIndex', () => {
  it('lists every group-version of the registry with a hash-pinned URL', () => {
    const idx = openapiIndex(RESOURCES);
    const gvs = [...new Set(RESOURCES.map(gvPathOf))].sort();
    expect(Object.keys(idx.paths)).toEqual(gvs);
    expect(gvs).toContain('api/v1');
    expect(gvs).toContain('apis/apps/v1');
    for (const [gv, { serverRelativeURL }] of Object.entries(idx.paths)) {
      expect(serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${gv.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
    }
  });

  it('is stable, and the hash follows the content', () => {
    expect(openapiIndex(RESOURCES)).toEqual(openapiIndex([...RESOURCES]));
    const fewer = RESOURCES.filter((d) => d.resource !== 'replicasets');
    expect(openapiIndex(fewer).paths['apis/apps/v1']).not.toEqual(openapiIndex(RESOURCES).paths['apis/apps/v1']);
    expect(openapiIndex(fewer).paths['api/v1']).toEqual(openapiIndex(RESOURCES).paths['api/v1']);
  });
});

describe('openapiDocument', () => {
  it('is undefined for a group-version nobody serves, and cached otherwise', () => {
    expect(openapiDocument(RESOURCES, 'apis/nothing.example.com/v1')).toBeUndefined();
    expect(openapiDocument(RESOURCES, 'apis/apps/v1')).toBe(openapiDocument(RESOURCES, 'apis/apps/v1'));
    const e = openapiDocumentEntry(RESOURCES, 'apis/apps/v1')!;
    expect(JSON.parse(e.body)).toEqual(e.doc);
  });

  it('carries the Deployment schema with its GVK, descriptions and reachable refs', () => {
    const d = doc('apis/apps/v1');
    const dep = d.components.schemas['io.k8s.api.apps.v1.Deployment']!;
    expect(dep['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(dep.description).toBe('Deployment enables declarative updates for Pods and ReplicaSets.');
    const props = dep.properties as Record<string, { description?: string; allOf?: unknown }>;
    expect(props.kind!.description).toMatch(/^Kind is a string value representing the REST resource/);
    expect(props.spec!.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
    for (const name of [
      'io.k8s.api.core.v1.PodTemplateSpec',
      'io.k8s.api.core.v1.Container',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
      'io.k8s.api.autoscaling.v1.Scale', // the scale subresource's kind
      'io.k8s.api.apps.v1.DeploymentList',
    ]) {
      expect(d.components.schemas, name).toHaveProperty([name]);
    }
    expect(d.components.schemas).not.toHaveProperty(['io.k8s.api.core.v1.Service']);
    for (const r of refs(d)) expect(d.components.schemas, r).toHaveProperty([r.replace('#/components/schemas/', '')]);
  });

  it('serves the Kubernetes int-or-string and quantity shapes', () => {
    const s = doc('apis/apps/v1').components.schemas;
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    const limits = (s['io.k8s.api.core.v1.ResourceRequirements']!.properties as Record<string, unknown>).limits;
    expect(limits).toMatchObject({ type: 'object', additionalProperties: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' } });
  });

  it.each([
    ['/apis/apps/v1/namespaces/{namespace}/deployments', { get: 'list', post: 'post', delete: 'deletecollection' }],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}', { get: 'get', put: 'put', patch: 'patch', delete: 'delete' }],
    ['/apis/apps/v1/deployments', { get: 'list' }],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status', { get: 'get', put: 'put', patch: 'patch' }],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', { get: 'get', put: 'put', patch: 'patch' }],
  ])('%s has the right actions', (path, actions) => {
    const item = doc('apis/apps/v1').paths[path]!;
    expect(item).toBeDefined();
    for (const [method, action] of Object.entries(actions)) expect(item[method]?.['x-kubernetes-action']).toBe(action);
  });

  it('gives cluster-scoped kinds paths without a namespace', () => {
    const d = doc('api/v1');
    expect(d.paths['/api/v1/nodes/{name}']?.patch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Node', version: 'v1' });
    expect(Object.keys(d.paths).filter((p) => p.includes('namespaces/{namespace}/nodes'))).toEqual([]);
    expect(d.paths['/api/v1/namespaces/{name}']).toBeDefined();
  });

  it('answers create-only review kinds with a POST only', () => {
    const d = doc('apis/authorization.k8s.io/v1');
    const p = Object.keys(d.paths).filter((k) => k.includes('selfsubjectaccessreviews'));
    expect(p).toEqual(['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    expect(Object.keys(d.paths[p[0]!]!).filter((k) => k !== 'parameters')).toEqual(['post']);
  });

  // kubectl's query_param_verifier_v3 stops at the first PATCH op with the kind's GVK, so every
  // one of them (status too) must declare fieldValidation; apply needs the SMP media type.
  it.each(RESOURCES.filter((d) => d.verbs.includes('patch')).map((d) => [`${groupVersion(d)} ${d.kind}`, d] as const))(
    'every PATCH of %s declares the verifier parameters and patch media types',
    (_n, def) => {
      const d = doc(gvPathOf(def));
      const patches = Object.values(d.paths)
        .map((item) => item.patch)
        .filter((op) => {
          const gvk = op?.['x-kubernetes-group-version-kind'] as { group: string; kind: string } | undefined;
          return gvk?.group === def.group && gvk.kind === def.kind;
        });
      expect(patches.length).toBeGreaterThan(0);
      for (const op of patches) {
        expect(op!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['query:dryRun', 'query:fieldManager', 'query:fieldValidation', 'query:force']);
        expect(Object.keys(op!.requestBody!.content)).toEqual([
          'application/apply-patch+yaml',
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/strategic-merge-patch+json',
        ]);
      }
    },
  );

  it('puts the write parameters on create and replace', () => {
    const d = doc('api/v1');
    for (const op of [d.paths['/api/v1/namespaces/{namespace}/pods']!.post, d.paths['/api/v1/namespaces/{namespace}/pods/{name}']!.put]) {
      expect(op!.parameters!.map((p) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
      expect(op!['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    }
  });
});
