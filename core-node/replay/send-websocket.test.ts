/**
 * The websocket transport against the mock's /rtc and against an independent server written here
 * with `ws` (WebSocketServer) that reads every frame with @livekit/protocol (protobuf-es) and
 * checks the token with livekit-server-sdk: our framing and tokens are judged by others' code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Root } from 'protobufjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { TokenVerifier } from 'livekit-server-sdk';
import { LeaveRequest, Ping, Pong, SignalRequest, SignalResponse, TrickleRequest } from '@livekit/protocol';
import { testRoot } from '../../testing/mock-schemas';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { defaultFixture } from '../mock/default-fixture';
import { sendRequest, transportFailure } from './send-request';
import { signalUrl } from './send-websocket';
import type { SendOptions } from './send-types';

let root: Root;
let mock: RunningMock;
const dev = { apiKey: 'devkey', apiSecret: 'secret' };

/** SignalRequest bytes as livekit-client frames them (protobuf-es). */
const ping = (timestamp: bigint): Uint8Array =>
  new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp, rtt: 0n }) } }).toBinary();
const leave = (): Uint8Array => new SignalRequest({ message: { case: 'leave', value: new LeaveRequest({}) } }).toBinary();

beforeAll(async () => {
  root = await testRoot();
  mock = await startMockServer({ root, port: 0, fixture: defaultFixture() });
});
afterAll(async () => {
  await mock.close();
});

function signal(over: Partial<SendOptions>): SendOptions {
  return {
    root,
    url: mock.httpUrl,
    transport: 'websocket',
    method: 'livekit/rtc',
    body: new Uint8Array(),
    listenMs: 300,
    timeoutMs: 5000,
    ...over,
  };
}

/** The oneof case of a decoded answer (proto3 JSON: its one key). */
const caseOf = (json: unknown): string => Object.keys(json as object)[0];

describe('signalUrl', () => {
  it('turns http(s) into ws(s), appends /rtc once and carries the token and protocol version', () => {
    expect(signalUrl('http://127.0.0.1:7880', 'T').toString()).toBe('ws://127.0.0.1:7880/rtc?access_token=T&protocol=16');
    expect(signalUrl('https://example.com/lk/').toString()).toBe('wss://example.com/lk/rtc?protocol=16');
    expect(signalUrl('wss://example.com/rtc?protocol=15').toString()).toBe('wss://example.com/rtc?protocol=15');
    expect(() => signalUrl('ftp://x')).toThrow(/ws\(s\):\/\/ or http\(s\):\/\//);
  });
});

describe('websocket transport against the mock /rtc', () => {
  it('joins with a token minted from key and secret, and receives join and pong_resp, each with its time', async () => {
    const r = await sendRequest(signal({ livekit: { ...dev, room: 'demo-room', identity: 'tester' }, requests: [ping(777n)] }));
    expect(r.ok).toBe(true);
    expect(r.httpStatus).toBe(101);
    expect(r.responseType).toBe('livekit.SignalResponse');
    const kinds = r.responses!.map((m) => caseOf(m.json));
    expect(kinds[0]).toBe('join');
    expect(kinds).toContain('pongResp');
    const join = r.responses![0].json as {
      join: { room: { name: string }; participant: { identity: string }; otherParticipants: { identity: string }[] };
    };
    expect(join.join.room.name).toBe('demo-room');
    expect(join.join.participant.identity).toBe('tester');
    expect(join.join.otherParticipants.map((p) => p.identity)).toEqual(['alice', 'bob']);
    const pong = r.responses!.find((m) => caseOf(m.json) === 'pongResp')!;
    expect((pong.json as { pongResp: { lastPingTimestamp: string } }).pongResp.lastPingTimestamp).toBe('777');
    // Bytes are the server's frame: @livekit/protocol reads the same message.
    expect(SignalResponse.fromBinary(pong.bytes).message.case).toBe('pongResp');
    const times = r.responses!.map((m) => m.timeMs!);
    expect(times.every((t) => t >= 0)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The token never shows: the target and the request headers are redacted.
    expect(r.requestHeaders.find(([k]) => k === 'Authorization')?.[1]).not.toMatch(/^Bearer ey/);
    expect(r.trailers).toContainEqual(['close-code', '1000']);
  });

  it('ends when the server closes after leave, and sends a whole stream in order', async () => {
    const r = await sendRequest(
      signal({ livekit: { ...dev, room: 'stream-room', identity: 'streamer' }, requests: [ping(1n), ping(2n), leave()], listenMs: 5000 }),
    );
    expect(r.ok).toBe(true);
    const pongs = r
      .responses!.filter((m) => caseOf(m.json) === 'pongResp')
      .map((m) => (m.json as { pongResp: { lastPingTimestamp: string } }).pongResp.lastPingTimestamp);
    expect(pongs).toEqual(['1', '2']);
    expect(r.trailers).toContainEqual(['close-reason', 'participant left']);
  });

  it('says why the mock refused the upgrade: HTTP 401 with its body, as unauthenticated', async () => {
    const r = await sendRequest(signal({ livekit: { apiKey: 'devkey', apiSecret: 'wrong', room: 'demo-room' }, requests: [ping(1n)] }));
    expect(r.ok).toBe(false);
    expect(r.httpStatus).toBe(401);
    expect(r.error?.code).toBe('unauthenticated');
    expect(r.error?.message).toMatch(/refused the WebSocket upgrade with HTTP 401: invalid token/);
    const none = await sendRequest(signal({ requests: [ping(1n)] }));
    expect(none.error?.message).toMatch(/no access token/);
  });

  it('reports the close code and reason when the server closes on a frame that is no SignalRequest', async () => {
    const r = await sendRequest(signal({ livekit: dev, requests: [new Uint8Array([0xff, 0xff, 0xff, 0xff])] }));
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('invalid_argument');
    expect(r.error?.message).toMatch(
      /closed the connection with 1007 \(invalid frame payload data\): frame 1 is not a livekit\.SignalRequest/,
    );
    expect(caseOf(r.responses![0].json)).toBe('join');
  });

  it('refuses an RPC method over websocket, and the signal connection over an RPC transport', async () => {
    await expect(sendRequest(signal({ method: 'livekit.RoomService/ListRooms' }))).rejects.toThrow(
      /websocket transport carries the LiveKit signal connection/,
    );
    await expect(sendRequest(signal({ transport: 'twirp' }))).rejects.toThrow(/send it with the websocket transport/);
  });
});

describe('websocket transport against an independent server', () => {
  let server: WebSocketServer;
  let port: number;
  const seen: { url: string; requests: SignalRequest[] }[] = [];
  let onConnect: (ws: WebSocket, requests: SignalRequest[]) => void = () => undefined;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    port = (server.address() as AddressInfo).port;
    server.on('connection', (ws, req) => {
      const requests: SignalRequest[] = [];
      seen.push({ url: req.url ?? '', requests });
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) return ws.close(1003, 'binary frames only');
        const msg = SignalRequest.fromBinary(new Uint8Array(data));
        requests.push(msg);
        if (msg.message.case === 'pingReq')
          ws.send(
            new SignalResponse({
              message: { case: 'pongResp', value: new Pong({ lastPingTimestamp: msg.message.value.timestamp, timestamp: 99n }) },
            }).toBinary(),
          );
        if (msg.message.case === 'leave') ws.close(1000, 'bye');
      });
      onConnect(ws, requests);
    });
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('frames each request so protobuf-es reads it back, and mints a join token livekit-server-sdk verifies', async () => {
    const trickle = new SignalRequest({
      message: { case: 'trickle', value: new TrickleRequest({ candidateInit: '{"candidate":"x"}', final: true }) },
    });
    const r = await sendRequest(
      signal({
        url: `ws://127.0.0.1:${port}`,
        livekit: { ...dev, room: 'r1', identity: 'judge' },
        requests: [trickle.toBinary(), ping(31n), leave()],
        listenMs: 5000,
      }),
    );
    expect(r.ok).toBe(true);
    const s = seen.at(-1)!;
    expect(s.requests.map((q) => q.message.case)).toEqual(['trickle', 'pingReq', 'leave']);
    expect(s.requests[0].equals(trickle)).toBe(true);
    const url = new URL(s.url, 'ws://x');
    expect(url.pathname).toBe('/rtc');
    const claims = await new TokenVerifier('devkey', 'secret').verify(url.searchParams.get('access_token')!);
    expect(claims.sub).toBe('judge');
    expect(claims.video).toMatchObject({ roomJoin: true, room: 'r1' });
    expect(r.responses!.map((m) => m.json)).toEqual([{ pongResp: { lastPingTimestamp: '31', timestamp: '99' } }]);
    expect(r.trailers).toEqual([
      ['close-code', '1000'],
      ['close-reason', 'bye'],
    ]);
  });

  it('names the close code when the server closes abnormally, keeping what it received', async () => {
    onConnect = (ws) => {
      ws.send(new SignalResponse({ message: { case: 'refreshToken', value: 'tok' } }).toBinary());
      setImmediate(() => ws.close(1011, 'boom'));
    };
    const r = await sendRequest(signal({ url: `ws://127.0.0.1:${port}`, requests: [], listenMs: 5000 }));
    onConnect = () => undefined;
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'internal', message: 'the server closed the connection with 1011 (internal error): boom' });
    expect(r.responses!.map((m) => m.json)).toEqual([{ refreshToken: 'tok' }]);
  });

  it('warns about a frame that is not a SignalResponse, and keeps its bytes', async () => {
    onConnect = (ws) => ws.send(Buffer.from([0x0a, 0x05, 0x01])); // field 1 (join), LEN 5, but only 1 byte follows
    const r = await sendRequest(signal({ url: `ws://127.0.0.1:${port}`, requests: [], listenMs: 200 }));
    onConnect = () => undefined;
    expect(r.ok).toBe(true);
    expect(r.responses![0]).toMatchObject({ json: null, bytes: new Uint8Array([0x0a, 0x05, 0x01]) });
    expect(r.warnings?.[0]).toMatch(/^message 0 \(binary, 3 bytes\) is not a livekit\.SignalResponse/);
  });

  it('cancels: the send rejects as cancelled and the connection is cut', async () => {
    const ac = new AbortController();
    onConnect = () => setImmediate(() => ac.abort());
    const p = sendRequest(signal({ url: `ws://127.0.0.1:${port}`, requests: [ping(1n)], listenMs: 60_000, signal: ac.signal }));
    await expect(p).rejects.toMatchObject({ name: 'CancelledError' });
    onConnect = () => undefined;
  });
});

describe('websocket transport failures before any answer', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts the TCP connection and never answers the upgrade.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('a server that never completes the handshake is deadline_exceeded after the timeout', async () => {
    const port = (silent.address() as AddressInfo).port;
    const e = await sendRequest(signal({ url: `ws://127.0.0.1:${port}`, timeoutMs: 200 })).catch((x: unknown) => x);
    expect(transportFailure(e)).toMatchObject({ code: 'deadline_exceeded', message: 'no complete response within 200 ms (timed out)' });
  });

  it('a refused connection is unavailable', async () => {
    const port = (silent.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(free).not.toBe(port);
    const e = await sendRequest(signal({ url: `ws://127.0.0.1:${free}` })).catch((x: unknown) => x);
    expect(transportFailure(e).code).toBe('unavailable');
  });
});
