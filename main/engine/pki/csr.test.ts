import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createPki } from './pki.js';
import { parseCsrPem, signCsr } from './csr.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-csr-'));
function opensslCsr(keyArgs: string[], subj: string): string {
  const key = path.join(dir, `k${Math.random()}`);
  execFileSync('openssl', [...keyArgs, '-out', key], { stdio: 'ignore' });
  return execFileSync('openssl', ['req', '-new', '-key', key, '-subj', subj]).toString();
}

/** Flip the last byte of the DER (inside the signature). */
function tamper(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.length - 1] = der[der.length - 1]! ^ 0xff;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('CSR parsing and signing', () => {
  const rsa = opensslCsr(['genrsa'], '/CN=jane/O=dev/O=ops');
  const ec = opensslCsr(['ecparam', '-genkey', '-name', 'prime256v1'], '/CN=bob');

  it.each([
    ['rsa', rsa, 'jane', ['dev', 'ops']],
    ['ecdsa', ec, 'bob', []],
  ])('parses and checks the signature of an %s request', (_n, pem, cn, orgs) => {
    expect(parseCsrPem(pem)).toMatchObject({ commonName: cn, organizations: orgs });
  });

  it.each([
    ['not PEM', 'hello', 'PEM block type must be CERTIFICATE REQUEST'],
    ['wrong block', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'PEM block type must be CERTIFICATE REQUEST'],
    ['bad signature', tamper(rsa), 'x509'],
  ])('rejects %s', (_n, pem, msg) => expect(() => parseCsrPem(pem)).toThrow(msg));

  it('issues a client certificate signed by the cluster CA', async () => {
    const pki = await createPki(Date.UTC(2025, 0, 1));
    const pem = await signCsr(pki.caCert, pki.caKey, rsa, ['client auth', 'digital signature'], Date.UTC(2025, 0, 2), 3600);
    const cert = new x509.X509Certificate(pem);
    expect(cert.subject).toBe('CN=jane, O=dev, O=ops');
    expect(cert.notAfter.getTime()).toBe(Math.floor((Date.UTC(2025, 0, 2) + 3600_000) / 1000) * 1000);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(pki.caCert).publicKey, signatureOnly: true })).toBe(true);
  });
});
