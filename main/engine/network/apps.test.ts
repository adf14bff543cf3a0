// The network end to end in-process: real simulated kubelets and container runtime behind the
// routing, so nginx's page and access log are what a request through a Service produces.
import { describe, expect, it } from 'vitest';
import { EndpointSliceController } from '../controllers/endpointslice.js';
import { kubeletComponents } from '../kubelet/index.js';
import { Harness } from '../testing/harness.js';
import { networkComponents } from './index.js';
import type { SimNetwork } from './network.js';
import { PODS, SVC } from './testutil.js';

describe('simulated apps behind the network', () => {
  it('nginx serves its 615-byte welcome page through a Service and logs the request; whoami shows who answered', async () => {
    const h = new Harness();
    const { pool, agents } = kubeletComponents(h.env);
    h.add(new EndpointSliceController(h.client, h.clock), ...networkComponents(h.env, pool).controllers);
    h.startAgents(...agents);
    const c = h.client;
    c.create(PODS, { metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx' }] } });
    c.create(PODS, { metadata: { name: 'who', namespace: 'default', labels: { app: 'who' } }, spec: { nodeName: 'node02', containers: [{ name: 'whoami', image: 'traefik/whoami' }] } });
    c.create(SVC, { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await h.advance(60_000);
    const net = h.ctx.network as SimNetwork;
    const webIP = (h.get('', 'pods', 'default', 'web')!.status as { podIP: string }).podIP;
    const r = net.http({ node: 'node02' }, { url: 'http://' + (h.get('', 'services', 'default', 'web')!.spec as { clusterIP: string }).clusterIP + '/', headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response).toMatchObject({ status: 200, statusText: 'OK', servedBy: { pod: 'web', ip: webIP } });
    expect(Buffer.byteLength(r.response.body)).toBe(615);
    expect(r.response.body).toContain('<title>Welcome to nginx!</title>');
    const proc = pool.listeningProcess('default', 'web', 80)!;
    expect(proc.output().at(-1)?.text).toMatch(/^172\.30\.2\.3 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"$/);

    const whoIP = (h.get('', 'pods', 'default', 'who')!.status as { podIP: string }).podIP;
    const w = net.http({ node: 'node01' }, { url: `http://${whoIP}/hello`, headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' } });
    expect(w.ok && w.response.body).toMatch(new RegExp(`^Hostname: who\\nIP: 127\\.0\\.0\\.1\\nIP: ${whoIP.replace(/\./g, '\\.')}\\nRemoteAddr: 172\\.30\\.2\\.2:\\d+\\nGET /hello HTTP/1\\.1\\nHost: ${whoIP.replace(/\./g, '\\.')}\\nUser-Agent: curl/8\\.5\\.0\\nAccept: \\*/\\*\\n\\n$`));
    h.stop();
  });
});
