/**
 * What a replayed request meets on each transport, checked against the mock and independent
 * servers (connect-node): max message sizes (64 MiB by default everywhere, configurable), HTTP/2
 * (h2c) on the mock's HTTP port, Connect GET, compressed gRPC-Web answers, wire-type warnings, the
 * same error shape for transport failures, Twirp's bad_route, and a compressed frame without
 * grpc-encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { gzipSync } from 'node:zlib';
import type { Root } from 'protobufjs';
import { createPromiseClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { sendRequest, transportFailure, closeGrpcClients } from './send-request';
import { jsonToBytes } from '../rpc/proto-json';
import { echoFiles, echoRoot, type EchoFiles } from '../../testing/echo-service';
import { echoTypes, startConnectReferee, type Referee } from '../../testing/echo-referees';

let files: EchoFiles;
let root: Root;
let mock: RunningMock;
let connectH1: Referee;
let wrongWire: Server;
let wrongWireUrl: string;

const ECHO_ANSWERS = { 'test.echo.v1.Echo': { kind: 'echo' as const } };

beforeAll(async () => {
  files = echoFiles();
  root = await echoRoot(files);
  mock = await startMockServer({ root, port: 0, fixture: { answers: ECHO_ANSWERS } });
  connectH1 = await startConnectReferee(files, false);
  // A Twirp server whose Room has sid (field 1, a string) as a varint: a wire type the schema forbids.
  wrongWire = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/protobuf' });
    res.end(
      Buffer.from([
        0x08,
        0x07, // field 1 (sid), wire type VARINT: 7 (the schema says string)
        0x12,
        0x01,
        0x72, // string name = 2: "r"
      ]),
    );
  });
  await new Promise<void>((r) => wrongWire.listen(0, '127.0.0.1', () => r()));
  wrongWireUrl = `http://127.0.0.1:${(wrongWire.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  closeGrpcClients();
  await Promise.all([mock.close(), connectH1.close(), new Promise<void>((r) => wrongWire.close(() => r()))]);
});

const echo = (text: string) => jsonToBytes(root.lookupType('test.echo.v1.EchoRequest'), { text });

describe('max message size: 64 MiB by default on every transport, configurable', () => {
  it('a 5 MB ListRooms answer arrives over gRPC (grpc-js alone caps at 4 MiB); a 1 MiB cap refuses it on every transport', async () => {
    const rooms = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    for (let i = 0; i < 80; i++) await rooms.createRoom({ name: `big-${i}`, metadata: 'm'.repeat(63_000) });
    const list = (transport: 'grpc' | 'connect' | 'twirp' | 'grpc-web', maxMessageBytes?: number) =>
      sendRequest({
        root,
        url: transport === 'grpc' ? mock.grpcUrl : mock.httpUrl,
        transport,
        method: 'livekit.RoomService/ListRooms',
        body: new Uint8Array(),
        livekit: { apiKey: 'devkey', apiSecret: 'secret' },
        maxMessageBytes,
      }).catch((e: unknown) => ({ ok: false, error: transportFailure(e) }));
    const ok = await list('grpc');
    expect(ok.error).toBeUndefined();
    expect((ok as { responseBytes: Uint8Array }).responseBytes.length).toBeGreaterThan(5_000_000);
    for (const t of ['grpc', 'connect', 'twirp', 'grpc-web'] as const) {
      const capped = await list(t, 1024 * 1024);
      expect(capped.error?.code, t).toBe('resource_exhausted');
    }
  });
});

describe('HTTP/2 on the mock HTTP port (h2c)', () => {
  it('connect-node clients speak Connect and gRPC-Web over HTTP/2 in the clear', async () => {
    const { Echo, EchoRequest } = echoTypes(files);
    for (const transport of [
      createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '2' }),
      createGrpcWebTransport({ baseUrl: mock.httpUrl, httpVersion: '2' }),
    ]) {
      const client = createPromiseClient(Echo, transport) as unknown as Record<string, (r: unknown) => Promise<{ text: string }>>;
      expect((await client.say(new EchoRequest({ text: 'over h2c' }))).text).toBe('over h2c');
    }
  });

  it('send --http2 reaches the mock over h2c on Connect, gRPC-Web and Twirp', async () => {
    for (const transport of ['connect', 'grpc-web', 'twirp'] as const) {
      const r = await sendRequest({ root, url: mock.httpUrl, transport, method: 'test.echo.v1.Echo/Say', body: echo('h2'), http2: true });
      expect(r.error, transport).toBeUndefined();
      expect(r.responseJson).toEqual({ text: 'h2' });
    }
  });
});

describe('Connect GET (for methods marked NO_SIDE_EFFECTS)', () => {
  it('connect-node with useHttpGet gets an answer from the mock; a method with side effects is 405', async () => {
    const { Echo, EchoRequest } = echoTypes(files);
    const client = createPromiseClient(
      Echo,
      createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1', useHttpGet: true }),
    ) as unknown as Record<string, (r: unknown) => Promise<{ text: string }>>;
    expect((await client.get(new EchoRequest({ text: 'by GET' }))).text).toBe('by GET');
    const q = new URLSearchParams({ connect: 'v1', encoding: 'json', message: '{"text":"x"}' });
    const r = await fetch(`${mock.httpUrl}/test.echo.v1.Echo/Say?${q}`);
    expect([r.status, r.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('send --http-get is answered alike by the mock and by connect-node', async () => {
    for (const url of [mock.httpUrl, connectH1.url]) {
      const r = await sendRequest({ root, url, transport: 'connect', method: 'test.echo.v1.Echo/Get', body: echo('got'), httpGet: true });
      expect(r.error, url).toBeUndefined();
      expect(r.responseJson).toEqual({ text: 'got' });
      expect(r.target).toMatch(/\?connect=v1&encoding=proto&base64=1&message=/);
    }
  });
});

describe('compressed gRPC-Web answers', () => {
  it('with grpc-accept-encoding: gzip the mock gzips its frames, and send reads them', async () => {
    const raw = await fetch(`${mock.httpUrl}/test.echo.v1.Echo/Say`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto', 'grpc-accept-encoding': 'gzip' },
      body: Buffer.concat([Buffer.from([0, 0, 0, 0, echo('z').length]), echo('z')]),
    });
    expect(raw.headers.get('grpc-encoding')).toBe('gzip');
    expect(new Uint8Array(await raw.arrayBuffer())[0]).toBe(1); // the data frame's compressed flag
    for (const url of [mock.httpUrl, connectH1.url]) {
      const text = 'a long answer that compresses well '.repeat(100);
      const r = await sendRequest({
        root,
        url,
        transport: 'grpc-web',
        method: 'test.echo.v1.Echo/Say',
        body: echo(text),
        headers: [['grpc-accept-encoding', 'gzip']],
      });
      expect(r.error, url).toBeUndefined();
      expect(r.responseJson).toEqual({ text });
    }
  });
});

describe('a response that does not fit the schema', () => {
  it('a field with the wrong wire type is named in warnings (it cannot be in the JSON)', async () => {
    const r = await sendRequest({
      root,
      url: wrongWireUrl,
      transport: 'twirp',
      method: 'livekit.RoomService/CreateRoom',
      body: new Uint8Array(),
    });
    expect(r.ok).toBe(true);
    expect(r.responseJson).toEqual({ name: 'r' });
    expect(r.warnings).toEqual(['field sid (1) came with wire type varint, but the schema says string: it is left out of the JSON']);
  });
});

describe('errors', () => {
  it('a refused connection has the same shape on every transport', async () => {
    const shapes = new Set<string>();
    for (const transport of ['twirp', 'twirp-json', 'connect', 'grpc-web', 'grpc'] as const) {
      const r = await sendRequest({
        root,
        url: 'http://127.0.0.1:1',
        transport,
        method: 'test.echo.v1.Echo/Say',
        body: echo('x'),
        timeoutMs: 5000,
      }).catch((e: unknown) => ({ error: transportFailure(e) }));
      shapes.add(JSON.stringify({ code: r.error?.code, grpcCode: r.error?.grpcCode }));
    }
    expect([...shapes]).toEqual([JSON.stringify({ code: 'unavailable', grpcCode: 14 })]);
  });

  it("Twirp's bad_route names the /twirp path and says where in meta.twirp_invalid_route, as Twirp Go", async () => {
    const r = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/NoSuchMethod`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      code: 'bad_route',
      msg: 'no handler for path "/twirp/livekit.RoomService/NoSuchMethod"',
      meta: { twirp_invalid_route: 'POST /twirp/livekit.RoomService/NoSuchMethod' },
    });
    const get = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`);
    expect(await get.json()).toEqual({
      code: 'bad_route',
      msg: 'unsupported method "GET" (only POST is allowed)',
      meta: { twirp_invalid_route: 'GET /twirp/livekit.RoomService/ListRooms' },
    });
  });

  it('a compressed frame without grpc-encoding is INTERNAL on the gRPC port and over gRPC-Web', async () => {
    const gz = gzipSync(echo('x'));
    const frame = Buffer.concat([Buffer.from([1, 0, 0, 0, gz.length]), gz]); // compressed flag, no grpc-encoding
    const session = connectHttp2(mock.grpcUrl);
    const status = await new Promise<string>((resolve) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/test.echo.v1.Echo/Say',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      let s = '';
      req.on('response', (h) => (s = String(h['grpc-status'] ?? s)));
      req.on('trailers', (t) => (s = String(t['grpc-status'])));
      req.on('close', () => resolve(s));
      req.resume();
      req.end(frame);
    });
    session.close();
    expect(status).toBe('13');
    const web = await fetch(`${mock.httpUrl}/test.echo.v1.Echo/Say`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: frame,
    });
    expect(await web.text()).toMatch(/grpc-status: 13\r\n/);
  });
});
