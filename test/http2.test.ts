// kube-apiserver offers HTTP/2 (ALPN h2) and HTTP/1.1: kubectl and client-go multiplex every request
// on one HTTP/2 connection, while Node's https (client-node, the lab checker) and the streaming
// upgrades (exec, attach, port-forward) speak HTTP/1.1. Both must authenticate the same way.
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './helpers/cluster.js';

let c: RunningCluster;
let creds: { ca: Buffer; cert: Buffer; key: Buffer };

beforeAll(async () => {
  c = await startCluster();
  const doc = parse(readFileSync(c.kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { 'certificate-authority-data': string } }>;
    users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  };
  const b64 = (s: string) => Buffer.from(s, 'base64');
  creds = {
    ca: b64(doc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(doc.users[0]!.user['client-certificate-data']),
    key: b64(doc.users[0]!.user['client-key-data']),
  };
});
afterAll(async () => {
  await c?.stop();
});

function h2get(session: http2.ClientHttp2Session, path: string, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': method, ':path': path, ...(body ? { 'content-type': 'application/json' } : {}) });
    let status = 0;
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (d: string) => (text += d));
    req.on('end', () => resolve({ status, body: text }));
    req.on('error', reject);
    req.end(body);
  });
}

const whoami = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });

describe('HTTP/2', () => {
  it('is negotiated by ALPN, and every stream of a client-certificate session is that user', async () => {
    const session = http2.connect(c.url, creds);
    try {
      const results = await Promise.all([
        h2get(session, '/api/v1/namespaces'),
        h2get(session, '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'POST', whoami),
        h2get(session, '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'POST', whoami),
      ]);
      expect(session.alpnProtocol).toBe('h2');
      expect(results.map((r) => r.status)).toEqual([200, 201, 201]);
      for (const r of results.slice(1)) {
        const user = JSON.parse(r.body).status.userInfo as { username: string; groups: string[] };
        expect(user.username).toBe('kubernetes-admin');
        expect(user.groups).toContain('system:authenticated');
      }
    } finally {
      session.close();
    }
  });

  it('without a client certificate is anonymous: 401 for resources, /version still public', async () => {
    const session = http2.connect(c.url, { ca: creds.ca });
    try {
      const denied = await h2get(session, '/api/v1/namespaces');
      expect(denied.status).toBe(401);
      expect(JSON.parse(denied.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      expect((await h2get(session, '/version')).status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('streams a watch and ends it when the client resets the stream', async () => {
    const session = http2.connect(c.url, creds);
    try {
      const req = session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dh2' });
      const added = new Promise<string>((resolve) => {
        let buf = '';
        req.setEncoding('utf8');
        req.on('data', (d: string) => {
          buf += d;
          if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
        });
      });
      await new Promise((r) => req.once('response', r));
      await c.ok(['create', 'configmap', 'h2', '--from-literal=a=1']);
      expect(JSON.parse(await added)).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'h2' } } });
      req.close(http2.constants.NGHTTP2_CANCEL);
      // the session stays usable for other streams after one is cancelled
      expect((await h2get(session, '/api/v1/namespaces/default/configmaps/h2')).status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('is what real kubectl uses; HTTP/1.1 clients are still served', async () => {
    const r = await c.kubectl(['get', 'ns', 'default', '-o', 'name'], { env: { GODEBUG: 'http2debug=1' } });
    expect(r.stdout.trim()).toBe('namespace/default');
    expect(r.stderr).toMatch(/http2: Transport creating client conn/);

    const h1 = await new Promise<{ status: number; proto: string }>((resolve, reject) => {
      https
        .get(`${c.url}/api/v1/namespaces`, { ...creds, agent: false }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, proto: res.httpVersion });
        })
        .on('error', reject);
    });
    expect(h1).toEqual({ status: 200, proto: '1.1' });
  });
});
