/**
 * Streaming calls round-trip on each transport that carries them (gRPC: all; Connect: all, bidi over
 * HTTP/2; gRPC-Web: server streaming), against independent servers (connect-node, grpc-js) and the
 * mock, whose fixture scripts the streams. The mock is also driven by independent clients (grpc-js,
 * connect-node), so neither side only agrees with itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { Root } from 'protobufjs';
import type { ConnectError } from '@connectrpc/connect';
import { Code, createPromiseClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { closeGrpcClients, sendRequest, type SendResult } from './send-request';
import { jsonToBytes } from '../rpc/proto-json';
import { echoFiles, echoRoot, type EchoFiles } from '../../testing/echo-service';
import { echoTypes, startConnectReferee, startGrpcJsReferee, type Referee } from '../../testing/echo-referees';
import type { Transport } from '../../core/api/vocabulary';

let files: EchoFiles;
let root: Root;
let mock: RunningMock;
let connectH2: Referee;
let connectH1: Referee;
let grpcJs: Referee;

beforeAll(async () => {
  files = echoFiles();
  root = await echoRoot(files);
  [connectH2, connectH1, grpcJs] = await Promise.all([
    startConnectReferee(files, true),
    startConnectReferee(files, false),
    startGrpcJsReferee(files),
  ]);
  mock = await startMockServer({
    root,
    port: 0,
    fixture: {
      answers: {
        // scripted as the referees answer these requests
        'test.echo.v1.Echo/Expand': {
          kind: 'stream',
          messages: [{ text: 'hi #0' }, { text: 'hi #1', index: 1 }, { text: 'hi #2', index: 2 }],
        },
        'test.echo.v1.Echo/Collect': { kind: 'message', json: { text: 'a+b+c', index: 3 } },
        'test.echo.v1.Echo/Chat': { kind: 'echo' },
      },
    },
  });
}, 60_000);
afterAll(async () => {
  closeGrpcClients();
  await Promise.all([mock.close(), connectH2.close(), connectH1.close(), grpcJs.close()]);
});

const req = (text: string, count = 0) => jsonToBytes(root.lookupType('test.echo.v1.EchoRequest'), { text, count });
const texts = (r: SendResult) => (r.responses ?? []).map((m) => (m.json as { text: string }).text);

/** Where each transport reaches each server: [name, url (once started), transport, http2]. */
const TARGETS: [string, () => string, Transport, boolean][] = [
  ['grpc-js', () => grpcJs.url, 'grpc', false],
  ['connect-node h2c', () => connectH2.url, 'grpc', false],
  ['connect-node h2c', () => connectH2.url, 'connect', true],
  ['connect-node http/1.1', () => connectH1.url, 'connect', false],
  ['connect-node http/1.1', () => connectH1.url, 'grpc-web', false],
  ['mock', () => mock.grpcUrl, 'grpc', false],
  ['mock', () => mock.httpUrl, 'connect', false],
  ['mock h2c', () => mock.httpUrl, 'connect', true],
  ['mock', () => mock.httpUrl, 'grpc-web', false],
];

describe('send: streaming methods round-trip', () => {
  for (const [name, urlOf, transport, http2] of TARGETS) {
    it(`${transport} to ${name}: server streaming`, async () => {
      const seen: number[] = [];
      const r = await sendRequest({
        root,
        url: urlOf(),
        transport,
        http2,
        method: 'test.echo.v1.Echo/Expand',
        body: req('hi', 3),
        onMessage: (i) => seen.push(i),
      });
      expect(r.error).toBeUndefined();
      expect(texts(r)).toEqual(['hi #0', 'hi #1', 'hi #2']);
      expect(seen).toEqual([0, 1, 2]);
    });
    if (transport === 'grpc-web') continue; // gRPC-Web has no request streams
    it(`${transport} to ${name}: client streaming`, async () => {
      const r = await sendRequest({
        root,
        url: urlOf(),
        transport,
        http2,
        method: 'test.echo.v1.Echo/Collect',
        body: req('a'),
        requests: [req('a'), req('b'), req('c')],
      });
      expect(r.error).toBeUndefined();
      expect(r.responseJson).toEqual({ text: 'a+b+c', index: 3 });
    });
    if (name.includes('http/1.1')) continue; // bidi needs HTTP/2 end to end
    it(`${transport} to ${name}: bidi streaming`, async () => {
      const r = await sendRequest({
        root,
        url: urlOf(),
        transport,
        http2,
        method: 'test.echo.v1.Echo/Chat',
        body: req('x'),
        requests: [req('x'), req('y')],
      });
      expect(r.error).toBeUndefined();
      expect(texts(r)).toEqual(['x', 'y']);
    });
  }

  it('a stream that ends with an error keeps the messages before it, on every transport', async () => {
    mock.setAnswer('test.echo.v1.Echo/Expand', {
      kind: 'stream',
      messages: [{ text: 'one' }],
      error: { code: 'resource_exhausted', message: 'quota' },
    });
    for (const [url, transport] of [
      [mock.grpcUrl, 'grpc'],
      [mock.httpUrl, 'connect'],
      [mock.httpUrl, 'grpc-web'],
    ] as const) {
      const r = await sendRequest({ root, url, transport, method: 'test.echo.v1.Echo/Expand', body: req('q', 1) });
      expect([r.ok, r.error?.code, r.error?.message, texts(r)], transport).toEqual([false, 'resource_exhausted', 'quota', ['one']]);
    }
    // the referees end "fail" with INVALID_ARGUMENT before any message
    const bad = await sendRequest({
      root,
      url: connectH2.url,
      transport: 'grpc',
      method: 'test.echo.v1.Echo/Expand',
      body: req('fail', 2),
    });
    expect([bad.error?.code, bad.error?.message]).toEqual(['invalid_argument', 'you asked for it']);
  });

  it('what a transport cannot carry is refused before sending', async () => {
    await expect(
      sendRequest({ root, url: mock.httpUrl, transport: 'grpc-web', method: 'test.echo.v1.Echo/Chat', body: req('x') }),
    ).rejects.toThrow(/gRPC-Web carries unary and server-streaming calls only/);
    await expect(
      sendRequest({ root, url: mock.httpUrl, transport: 'twirp', method: 'test.echo.v1.Echo/Expand', body: req('x') }),
    ).rejects.toThrow(/Twirp has no streaming/);
    await expect(
      sendRequest({
        root,
        url: mock.grpcUrl,
        transport: 'grpc',
        method: 'test.echo.v1.Echo/Expand',
        body: req('x'),
        requests: [req('a'), req('b')],
      }),
    ).rejects.toThrow(/takes one request message/);
  });
});

describe('the mock streams to independent clients', () => {
  it('grpc-js: server, client and bidi streaming', async () => {
    mock.setAnswer('test.echo.v1.Echo/Expand', { kind: 'stream', messages: [{ text: 's1' }, { text: 's2' }] });
    const client = new grpc.Client(new URL(mock.grpcUrl).host, grpc.credentials.createInsecure());
    const ident = (b: Buffer) => b;
    const decode = (b: Buffer) => root.lookupType('test.echo.v1.EchoResponse').decode(b).toJSON() as { text: string };
    const server = await new Promise<string[]>((resolve, reject) => {
      const out: string[] = [];
      const call = client.makeServerStreamRequest('/test.echo.v1.Echo/Expand', ident, ident, Buffer.from(req('x')), new grpc.Metadata());
      call.on('data', (b: Buffer) => out.push(decode(b).text));
      call.on('error', reject);
      call.on('end', () => resolve(out));
    });
    expect(server).toEqual(['s1', 's2']);
    const collected = await new Promise<string>((resolve, reject) => {
      const call = client.makeClientStreamRequest('/test.echo.v1.Echo/Collect', ident, ident, new grpc.Metadata(), (e, v) =>
        e ? reject(e) : resolve(decode(v!).text),
      );
      call.write(Buffer.from(req('a')));
      call.end();
    });
    expect(collected).toBe('a+b+c');
    // bidi, one message at a time: each echo comes back before the next is sent (full duplex)
    const chat = client.makeBidiStreamRequest('/test.echo.v1.Echo/Chat', ident, ident, new grpc.Metadata());
    const replies: string[] = [];
    for (const t of ['p', 'q']) {
      chat.write(Buffer.from(req(t)));
      replies.push(await new Promise<string>((resolve) => chat.once('data', (b: Buffer) => resolve(decode(b).text))));
    }
    chat.end();
    client.close();
    expect(replies).toEqual(['p', 'q']);
  });

  it('connect-node: Connect streams over h2c (bidi turn by turn) and gRPC-Web server streaming', async () => {
    const { Echo, EchoRequest } = echoTypes(files);
    const h2 = createPromiseClient(Echo, createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '2' })) as unknown as Record<
      string,
      (r: unknown) => AsyncIterable<{ text: string }>
    >;
    const got: string[] = [];
    for await (const m of h2.expand(new EchoRequest({ text: 'x' }))) got.push(m.text);
    expect(got).toEqual(['s1', 's2']);
    const chat: string[] = [];
    async function* turns() {
      for (const t of ['m', 'n']) {
        yield new EchoRequest({ text: t });
        while (chat.length < ['m', 'n'].indexOf(t) + 1) await new Promise((r) => setTimeout(r, 5));
      }
    }
    for await (const m of h2.chat(turns())) chat.push(m.text);
    expect(chat).toEqual(['m', 'n']);
    const web = createPromiseClient(Echo, createGrpcWebTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1' })) as unknown as Record<
      string,
      (r: unknown) => AsyncIterable<{ text: string }>
    >;
    const webGot: string[] = [];
    for await (const m of web.expand(new EchoRequest({ text: 'x' }))) webGot.push(m.text);
    expect(webGot).toEqual(['s1', 's2']);
    mock.setAnswer('test.echo.v1.Echo/Expand', { kind: 'error', code: 'permission_denied', message: 'no' });
    const err = await (async () => {
      for await (const _ of h2.expand(new EchoRequest({ text: 'x' }))) void _;
    })().catch((e: unknown) => e as ConnectError);
    expect((err as ConnectError).code).toBe(Code.PermissionDenied);
  });

  it('a method without a scripted answer is unimplemented, and says how to script one', async () => {
    const bare = await startMockServer({ root, port: 0 });
    try {
      const r = await sendRequest({ root, url: bare.grpcUrl, transport: 'grpc', method: 'test.echo.v1.Echo/Expand', body: req('x') });
      expect(r.error?.code).toBe('unimplemented');
      expect(r.error?.message).toMatch(/has no answer in the mock: give one in the fixture's "answers"/);
    } finally {
      await bare.close();
    }
  });
});
