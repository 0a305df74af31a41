import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Root } from 'protobufjs';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { testRoot } from '../../testing/mock-schemas';
import { sendRequest } from './send-request';
import type { Transport } from '../../core/api/vocabulary';
import type { TlsOptions } from './http-client';
import { makeTestPki } from '../../testing/certs';

let root: Root;
let mock: RunningMock;
const pem: Record<string, string> = {};

beforeAll(async () => {
  const pki = makeTestPki();
  Object.assign(pem, {
    'ca.pem': pki.caPem,
    'server.pem': pki.serverPem,
    'server.key': pki.serverKey,
    'client.pem': pki.clientPem,
    'client.key': pki.clientKey,
  });
  root = await testRoot();
  mock = await startMockServer({
    root,
    port: 0,
    tls: { certPem: pem['server.pem'], keyPem: pem['server.key'], clientCaPem: pem['ca.pem'] },
  });
}, 60000);
afterAll(async () => {
  await mock?.close();
});

const send = (transport: Transport, tls: TlsOptions) =>
  sendRequest({
    root,
    transport,
    tls,
    url: transport === 'grpc' ? mock.grpcUrl : mock.httpUrl,
    method: 'livekit.RoomService/ListRooms',
    body: new Uint8Array(),
    livekit: { apiKey: 'devkey', apiSecret: 'secret' },
    timeoutMs: 5000,
  });

describe('TLS: verification on by default, custom CA, client certificate', () => {
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

describe('--insecure: a server whose certificate is not trusted (self-signed staging)', () => {
  let open: RunningMock;
  beforeAll(async () => {
    open = await startMockServer({ root, port: 0, tls: { certPem: pem['server.pem'], keyPem: pem['server.key'] } });
  });
  afterAll(async () => {
    await open?.close();
  });
  const sendTo = (transport: Transport, tls: TlsOptions, http2 = false) =>
    sendRequest({
      root,
      transport,
      tls,
      http2,
      url: transport === 'grpc' ? open.grpcUrl : open.httpUrl,
      method: 'livekit.RoomService/ListRooms',
      body: new Uint8Array(),
      livekit: { apiKey: 'devkey', apiSecret: 'secret' },
      timeoutMs: 5000,
    });

  for (const transport of ['twirp', 'grpc', 'connect', 'grpc-web'] as const) {
    it(`${transport}: refused without it, answered with it`, async () => {
      const refused = await sendTo(transport, {}).catch((e: unknown) => e as Error);
      if (refused instanceof Error) expect(refused.message).toMatch(/self[- ]signed|unable to verify|certificate/i);
      else expect(refused.error?.code).toBe('unavailable');
      const r = await sendTo(transport, { insecureSkipVerify: true });
      expect(r.error).toBeUndefined();
      expect(r.ok).toBe(true);
    });
  }

  it('HTTP/2 over TLS (ALPN h2) on the HTTP port', async () => {
    const r = await sendTo('connect', { caPem: pem['ca.pem'] }, true);
    expect(r.error).toBeUndefined();
  });
});

describe('websocket over TLS (wss) to the mock /rtc', () => {
  const signal = (tls: TlsOptions) =>
    sendRequest({
      root,
      transport: 'websocket',
      tls,
      url: mock.httpUrl, // https: the transport speaks wss to it
      method: 'livekit/rtc',
      body: new Uint8Array(),
      requests: [],
      listenMs: 100,
      livekit: { apiKey: 'devkey', apiSecret: 'secret', room: 'tls-room' },
      timeoutMs: 5000,
    });

  it('an untrusted server certificate fails by default', async () => {
    const e = await signal({ certPem: pem['client.pem'], keyPem: pem['client.key'] }).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/self[- ]signed|unable to verify|certificate/i);
  });

  it('with the custom CA and a client certificate it joins', async () => {
    const r = await signal({ caPem: pem['ca.pem'], certPem: pem['client.pem'], keyPem: pem['client.key'] });
    expect(r.error).toBeUndefined();
    expect(r.target).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/rtc\?/);
    expect(Object.keys(r.responses![0].json as object)).toEqual(['join']);
  });

  it('without the client certificate the server refuses', async () => {
    const r = await signal({ caPem: pem['ca.pem'] }).catch((e: unknown) => e as Error);
    if (r instanceof Error) expect(r.message).toMatch(/certificate|socket|reset|alert|hang up|EPIPE/i);
    else expect(r.ok).toBe(false);
  });
});
