import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'protobufjs';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { testRoot } from '../mock/test-schemas';
import { sendRequest, type Transport } from './send-request';
import type { TlsOptions } from './http-client';

let dir: string;
let root: Root;
let mock: RunningMock;
const pem: Record<string, string> = {};

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(async () => {
  if (spawnSync('openssl', ['version']).status !== 0) return;
  dir = mkdtempSync(join(tmpdir(), 'protodesk-tls-'));
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=protodesk test CA']);
  for (const name of ['server', 'client']) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name === 'server' ? '127.0.0.1' : 'protodesk client'}`]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', ...(name === 'server' ? ['-extfile', 'san.ext'] : [])]);
  }
  for (const f of ['ca.pem', 'server.pem', 'server.key', 'client.pem', 'client.key']) pem[f] = readFileSync(join(dir, f), 'utf8');
  root = await testRoot();
  mock = await startMockServer({ root, port: 0, tls: { certPem: pem['server.pem'], keyPem: pem['server.key'], clientCaPem: pem['ca.pem'] } });
}, 60000);
afterAll(async () => {
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const send = (transport: Transport, tls: TlsOptions) => sendRequest({
  root, transport, tls, url: transport === 'grpc' ? mock.grpcUrl : mock.httpUrl, method: 'livekit.RoomService/ListRooms', body: new Uint8Array(),
  livekit: { apiKey: 'devkey', apiSecret: 'secret' }, timeoutMs: 5000,
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!hasOpenssl)('TLS: verification on by default, custom CA, client certificate', () => {
  for (const transport of ['twirp', 'grpc', 'connect'] as const) {
    it(`${transport}: an untrusted server certificate fails by default`, async () => {
      const r = await send(transport, { certPem: pem['client.pem'], keyPem: pem['client.key'] }).catch((e: unknown) => e as Error);
      if (r instanceof Error) expect(r.message).toMatch(/self[- ]signed|unable to verify|certificate/i);
      else expect(r.error?.code).toBe('unavailable');
    });

    it(`${transport}: with the custom CA and a client certificate it succeeds`, async () => {
      const r = await send(transport, { caPem: pem['ca.pem'], certPem: pem['client.pem'], keyPem: pem['client.key'] });
      expect(r.error).toBeUndefined();
      expect(r.ok).toBe(true);
    });

    it(`${transport}: without the client certificate the server refuses`, async () => {
      const r = await send(transport, { caPem: pem['ca.pem'] }).catch((e: unknown) => e as Error);
      if (r instanceof Error) expect(r.message).toMatch(/certificate|socket|reset|alert|hang up|EPIPE/i);
      else expect(r.ok).toBe(false);
    });
  }
});
