// A per-cluster certificate authority, the API server's serving certificate and the admin's client
// certificate, kept in the data dir so a restarted cluster keeps working with the same kubeconfig.
// ECDSA P-256 keys: generated in milliseconds (RSA would slow every fresh start) and accepted by Go's TLS.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { newSaKeyPem } from '../auth/tokens.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  /** the CA's key signs approved CertificateSigningRequests */
  caKey: string;
  /** the service-account token signing key pair (kubeadm's sa.key / sa.pub) */
  saKey: string;
  saPub: string;
}

async function keyPair() {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pemKey(k: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', k);
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // positive, 16 bytes, as Go's crypto/x509 likes it
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = b[0]! & 0x7f;
  return Buffer.from(b).toString('hex');
}

/** `wallNow` is real time: certificates are checked by kubectl against the real clock, never the simulated one. */
export async function createPki(wallNow: number): Promise<Pki> {
  const notBefore = new Date(wallNow - 3600_000);
  const notAfter = new Date(wallNow + 10 * 365 * 24 * 3600_000);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kubernetes',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leaf = async (subject: string, usage: string, san?: x509.JsonGeneralNames) => {
    const keys = await keyPair();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ];
    if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions,
    });
    return { cert: cert.toString('pem') + '\n', key: await pemKey(keys.privateKey) };
  };
  const server = await leaf('CN=kube-apiserver', x509.ExtendedKeyUsage.serverAuth, [
    { type: 'dns', value: 'localhost' },
    { type: 'dns', value: 'kubernetes' },
    { type: 'dns', value: 'kubernetes.default' },
    { type: 'dns', value: 'kubernetes.default.svc' },
    { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '10.96.0.1' },
  ]);
  const admin = await leaf('CN=kubernetes-admin, O=system:masters', x509.ExtendedKeyUsage.clientAuth);
  const sa = newSaKeyPem();
  return {
    caCert: ca.toString('pem') + '\n',
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    caKey: await pemKey(caKeys.privateKey),
    saKey: sa.key,
    saPub: sa.pub,
  };
}

const FILES: Record<keyof Pki, string> = {
  caCert: 'ca.crt',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  caKey: 'ca.key',
  saKey: 'sa.key',
  saPub: 'sa.pub',
};

/** Reuse the data dir's PKI, or make one. */
export async function loadOrCreatePki(dir: string, wallNow: number): Promise<Pki> {
  try {
    const entries = await Promise.all(Object.entries(FILES).map(async ([k, f]) => [k, await fsp.readFile(path.join(dir, f), 'utf8')] as const));
    return Object.fromEntries(entries) as unknown as Pki;
  } catch {
    const pki = await createPki(wallNow);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    for (const [k, f] of Object.entries(FILES)) await fsp.writeFile(path.join(dir, f), pki[k as keyof Pki], { mode: 0o600 });
    return pki;
  }
}

export function kubeconfig(server: string, pki: Pki): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(pki.caCert)}`,
    `    server: ${server}`,
    '  name: kubelab',
    'contexts:',
    '- context:',
    '    cluster: kubelab',
    '    user: kubernetes-admin',
    '  name: kubelab',
    'current-context: kubelab',
    'preferences: {}',
    'users:',
    '- name: kubernetes-admin',
    '  user:',
    `    client-certificate-data: ${b64(pki.adminCert)}`,
    `    client-key-data: ${b64(pki.adminKey)}`,
    '',
  ].join('\n');
}
