import { describe, expect, it } from 'vitest';
import { defaultIngressClass } from '../api/admission.js';
import type { KObj } from '../store/types.js';
import { ING, NetFixture } from './testutil.js';

const be = (service: string, port: number | string = 80) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });
const INGRESS_IP = '172.30.2.2';

async function fixture() {
  const f = new NetFixture();
  f.pod('client', '10.244.1.10');
  for (const app of ['foo', 'bar', 'api', 'exact', 'fallback']) {
    f.pod(`${app}-pod`, `10.244.2.${20 + ['foo', 'bar', 'api', 'exact', 'fallback'].indexOf(app)}`, { labels: { app } });
    f.service(app, { selector: { app }, ports: [{ name: 'http', port: 80 }] });
  }
  f.service('empty', { selector: { app: 'nobody' }, ports: [{ port: 80 }] });
  f.create(ING, {
    metadata: { name: 'hosts', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        { host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('foo') }, { path: '/api', pathType: 'Prefix', backend: be('api', 'http') }, { path: '/api/v1', pathType: 'Exact', backend: be('exact') }] } },
        { host: 'bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('bar') }] } },
        { host: '*.wild.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('bar') }] } },
        { host: 'down.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('empty') }] } },
        { host: 'only.com', http: { paths: [{ path: '/app', pathType: 'Prefix', backend: be('foo') }] } },
      ],
    },
  });
  f.create(ING, {
    metadata: { name: 'secure', namespace: 'default' },
    spec: { ingressClassName: 'nginx', tls: [{ hosts: ['secure.com'], secretName: 'tls' }], rules: [{ host: 'secure.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('foo') }] } }] },
  });
  f.create(ING, { metadata: { name: 'other-class', namespace: 'default' }, spec: { ingressClassName: 'traefik', rules: [{ host: 'traefik.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('foo') }] } }] } });
  await f.h.settle();
  return f;
}

describe('ingress controller status', async () => {
  const f = await fixture();
  it('publishes its node address on the Ingresses of its class only', () => {
    expect(f.h.get('networking.k8s.io', 'ingresses', 'default', 'hosts')!.status).toEqual({ loadBalancer: { ingress: [{ ip: INGRESS_IP }] } });
    expect(f.h.get('networking.k8s.io', 'ingresses', 'default', 'other-class')!.status).toEqual({ loadBalancer: {} });
    expect(f.h.eventsFor('hosts', 'default')).toContain('Normal Sync: Scheduled for sync');
  });
  it('the bootstrap IngressClass is the default one (DefaultIngressClass admission)', () => {
    const ing = { metadata: { name: 'x' }, spec: {} } as KObj;
    defaultIngressClass(f.h.store, ing);
    expect(ing.spec).toEqual({ ingressClassName: 'nginx' });
    const legacy = { metadata: { name: 'y', annotations: { 'kubernetes.io/ingress.class': 'other' } }, spec: {} } as KObj;
    defaultIngressClass(f.h.store, legacy);
    expect(legacy.spec).toEqual({});
  });
});

describe('ingress-nginx routing', async () => {
  const f = await fixture();
  const via = (host: string | undefined, path: string, scheme = 'http') => {
    const r = f.net.http(f.from('client'), { url: `${scheme}://${INGRESS_IP}${path}`, headers: host ? { Host: host } : {} });
    if (!r.ok) return r.error.kind;
    return r.response.servedBy?.pod ?? `${r.response.status}`;
  };
  it.each([
    { host: 'foo.com', path: '/', want: 'foo-pod' },
    { host: 'FOO.com:80', path: '/x/y', want: 'foo-pod' },
    { host: 'foo.com', path: '/api', want: 'api-pod' },
    { host: 'foo.com', path: '/api/', want: 'api-pod' },
    { host: 'foo.com', path: '/api/v2', want: 'api-pod' },
    { host: 'foo.com', path: '/api/v1', want: 'exact-pod' },
    { host: 'foo.com', path: '/api/v1/x', want: 'api-pod' },
    { host: 'foo.com', path: '/apis', want: 'foo-pod' },
    { host: 'bar.com', path: '/anything', want: 'bar-pod' },
    { host: 'a.wild.com', path: '/', want: 'bar-pod' },
    { host: 'a.b.wild.com', path: '/', want: '404' },
    { host: 'only.com', path: '/other', want: '404' },
    { host: 'only.com', path: '/app/1', want: 'foo-pod' },
    { host: 'down.com', path: '/', want: '503' },
    { host: 'traefik.com', path: '/', want: '404' },
    { host: undefined, path: '/', want: '404' },
    { host: 'secure.com', path: '/', want: '308' },
  ])('$host $path → $want', ({ host, path, want }) => expect(via(host, path)).toBe(want));

  it('answers with nginx pages and forwards the client headers to the backend', () => {
    const r = f.net.http(f.from('client'), { url: `http://${INGRESS_IP}/`, headers: { Host: 'nope.com' } });
    expect(r.ok && r.response.body).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    const s = f.net.http(f.from('client'), { url: `http://${INGRESS_IP}/`, headers: { Host: 'down.com' } });
    expect(s.ok && s.response.body).toContain('<title>503 Service Temporarily Unavailable</title>');
    const red = f.net.http(f.from('client'), { url: `http://${INGRESS_IP}/a`, headers: { Host: 'secure.com' } });
    expect(red.ok && red.response.headers.Location).toBe('https://secure.com/a');
    f.net.http(f.from('client'), { url: `http://${INGRESS_IP}/`, headers: { Host: 'foo.com', 'User-Agent': 'curl/8.5.0' } });
    expect(f.procs.served.at(-1)).toMatchObject({ from: INGRESS_IP, headers: { Host: 'foo.com', 'User-Agent': 'curl/8.5.0', 'X-Forwarded-For': '10.244.1.10', 'X-Real-Ip': '10.244.1.10' } });
  });

  it('uses an Ingress defaultBackend for requests no rule matches', async () => {
    f.create(ING, { metadata: { name: 'catch-all', namespace: 'default' }, spec: { ingressClassName: 'nginx', defaultBackend: be('fallback') } });
    await f.h.settle();
    expect(via('nope.com', '/')).toBe('fallback-pod');
    expect(via('foo.com', '/')).toBe('foo-pod');
  });

  it('curl --resolve style: the URL names the host, the connection goes to the ingress IP', () => {
    const r = f.net.http(f.from('client'), { url: 'http://bar.com/', resolveTo: INGRESS_IP });
    expect(r.ok && r.response.servedBy?.pod).toBe('bar-pod');
  });
});
