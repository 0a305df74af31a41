/**
 * A throwaway PKI for TLS tests, made in-process (node-forge from npm, keys from Node's crypto):
 * a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, valid two days.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** PEM texts of the CA certificate and of the server's and client's certificates and keys. */
export interface TestPki {
  caPem: string;
  serverPem: string;
  serverKey: string;
  clientPem: string;
  clientKey: string;
}

function rsaKey(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { pem: privateKey, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function certificate(
  subjectCn: string,
  publicKey: forge.pki.PublicKey,
  issuer: forge.pki.Certificate | null,
  signer: forge.pki.rsa.PrivateKey,
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer(issuer ? issuer.subject.attributes : [{ name: 'commonName', value: subjectCn }]);
  cert.setExtensions(extensions);
  cert.sign(signer, forge.md.sha256.create());
  return cert;
}

/** Makes the CA, server and client certificates. */
export function makeTestPki(): TestPki {
  const ca = rsaKey();
  const caCert = certificate('protodesk test CA', ca.publicKey, null, ca.forgeKey, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const server = rsaKey();
  const serverCert = certificate('127.0.0.1', server.publicKey, caCert, ca.forgeKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  const client = rsaKey();
  const clientCert = certificate('protodesk client', client.publicKey, caCert, ca.forgeKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  const pem = (c: forge.pki.Certificate) => forge.pki.certificateToPem(c);
  return { caPem: pem(caCert), serverPem: pem(serverCert), serverKey: server.pem, clientPem: pem(clientCert), clientKey: client.pem };
}
