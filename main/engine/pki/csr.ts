// PKCS#10 requests: parsing and signature checking as the CSR validation needs them (synchronous,
// so they can run inside a write), and issuing a client certificate from an approved request with
// the cluster CA, as kube-controller-manager's csrsigning controller does.
import 'reflect-metadata';
import { createPublicKey, verify, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface ParsedCsr {
  csr: x509.Pkcs10CertificateRequest;
  /** the subject's CN and O values */
  commonName: string;
  organizations: string[];
}

/** Go's certificates.ParseCSR + CheckSignature; throws an Error worded as upstream. */
export function parseCsrPem(pem: string): ParsedCsr {
  const m = pem.match(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/);
  if (!m || m[1] !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  const der = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new Error('asn1: structure error: tags don\'t match');
  }
  if (!checkSignature(der, csr)) throw new Error('x509: ECDSA verification failure');
  const cn = csr.subjectName.getField('CN');
  return { csr, commonName: cn[0] ?? '', organizations: csr.subjectName.getField('O') };
}

/** The DER of the first element of a SEQUENCE: the CertificationRequestInfo that was signed. */
function firstElement(der: Buffer): Buffer {
  const len = (at: number): [number, number] => {
    const b = der[at]!;
    if (b < 0x80) return [b, 1];
    const n = b & 0x7f;
    let v = 0;
    for (let i = 1; i <= n; i++) v = v * 256 + der[at + i]!;
    return [v, n + 1];
  };
  const [, outerLenBytes] = len(1);
  const start = 1 + outerLenBytes;
  const [innerLen, innerLenBytes] = len(start + 1);
  return der.subarray(start, start + 1 + innerLenBytes + innerLen);
}

function checkSignature(der: Buffer, csr: x509.Pkcs10CertificateRequest): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    const alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
    const hash = (alg.hash?.name ?? 'SHA-256').replace('-', '').toLowerCase();
    const sig = Buffer.from(csr.signature);
    const tbs = firstElement(der);
    if (alg.name === 'ECDSA') return verify(hash, tbs, { key, dsaEncoding: 'ieee-p1363' }, sig) || verify(hash, tbs, key, sig);
    if (alg.name === 'RSA-PSS') return verify(hash, tbs, { key, padding: 6 }, sig);
    return verify(hash, tbs, key, sig);
  } catch {
    return false;
  }
}

const USAGE_KEY: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
};
const USAGE_EXT: Record<string, string> = {
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
};

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Sign the request with the CA; `wallNow` is real time (clients check certificates against it). */
export async function signCsr(caCertPem: string, caKeyPem: string, csrPem: string, usages: string[], wallNow: number, lifetimeSeconds: number): Promise<string> {
  const { csr } = parseCsrPem(csrPem);
  const ca = new x509.X509Certificate(caCertPem);
  const keyDer = Buffer.from(caKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const caKey = await webcrypto.subtle.importKey('pkcs8', keyDer, ALG, false, ['sign']);
  let ku = 0;
  for (const u of usages) ku |= USAGE_KEY[u] ?? 0;
  const eku = usages.map((u) => USAGE_EXT[u]).filter((x): x is string => !!x);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (ku) extensions.push(new x509.KeyUsagesExtension(ku, true));
  if (eku.length) extensions.push(new x509.ExtendedKeyUsageExtension(eku));
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(ca, false));
  const serial = webcrypto.getRandomValues(new Uint8Array(16));
  serial[0] = serial[0]! & 0x7f;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(serial).toString('hex'),
    subject: csr.subjectName,
    issuer: ca.subject,
    // backdated like the upstream signer, so clock skew does not reject a fresh certificate
    notBefore: new Date(wallNow - 5 * 60_000),
    notAfter: new Date(wallNow + lifetimeSeconds * 1000),
    signingKey: caKey,
    publicKey: csr.publicKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return cert.toString('pem') + '\n';
}
