import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import * as jose from 'jose';
import { RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import type { Root, Type } from 'protobufjs';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { testRoot } from '../../testing/mock-schemas';
import { sendRequest, type SendResult } from './send-request';
import { RPC_TRANSPORTS } from '../../core/api/vocabulary';
import { jsonToBytes } from '../rpc/proto-json';

let root: Root;
let mock: RunningMock;

const GROUP = '1234567890123_g';

function encode(typeName: string, json: unknown): Uint8Array {
  return jsonToBytes(root.lookupType(typeName) as Type, json);
}

beforeAll(async () => {
  root = await testRoot();
  mock = await startMockServer({
    root,
    port: 0,
    fixture: {
      livekit: { rooms: [{ name: 'studio', participants: [{ identity: 'alice' }] }] },
      kik: { groups: { [GROUP]: ['alice', 'bob'] } },
      answers: {
        'livekit.PhoneNumberService/ListPhoneNumbers': { kind: 'message', json: { items: [{ id: 'PN_1', e164Format: '+15550100' }] } },
      },
    },
  });
});
afterAll(async () => {
  await mock.close();
});

function urlFor(transport: string): string {
  return transport === 'grpc' ? mock.grpcUrl : mock.httpUrl;
}

describe('sendRequest against the mock, every transport', () => {
  for (const transport of RPC_TRANSPORTS) {
    it(`${transport}: LiveKit ListParticipants with a minted token`, async () => {
      const res = await sendRequest({
        root,
        url: urlFor(transport),
        transport,
        method: 'livekit.RoomService/ListParticipants',
        body: encode('livekit.ListParticipantsRequest', { room: 'studio' }),
        livekit: { apiKey: 'devkey', apiSecret: 'secret' },
        timeoutMs: 5000,
      });
      expect(res.error).toBeUndefined();
      expect(res.ok).toBe(true);
      expect((res.responseJson as { participants: { identity: string }[] }).participants.map((p) => p.identity)).toEqual(['alice']);
      expect(res.timeMs).toBeGreaterThan(0);
      expect(res.requestHeaders.find(([k]) => k.toLowerCase() === 'authorization')?.[1]).toBe('Bearer <redacted>');
    });

    it(`${transport}: Kik join, and a decoded invalid_argument error`, async () => {
      const ok = await sendRequest({
        root,
        url: urlFor(transport),
        transport,
        method: 'mobile.video.v1.KikVideo/JoinConvoConference',
        body: encode('mobile.video.v1.JoinConvoConferenceRequest', { convoId: { group: { localPart: GROUP } } }),
        headers: [['x-kik-user', 'alice']],
      });
      expect(ok.ok).toBe(true);
      expect((ok.responseJson as { connectionInfo: { conferenceId: string } }).connectionInfo.conferenceId).toMatch(/^kik\./);
      const bad = await sendRequest({
        root,
        url: urlFor(transport),
        transport,
        method: 'mobile.video.v1.KikVideo/BatchedGetConvoState',
        body: encode('mobile.video.v1.BatchedGetConvoStateRequest', {}),
        headers: [['x-kik-user', 'alice']],
      });
      expect(bad.ok).toBe(false);
      expect(bad.error?.code).toBe('invalid_argument');
      expect(bad.error?.message).toMatch(/convo_ids/);
      if (transport === 'twirp' || transport === 'twirp-json') {
        expect(bad.httpStatus).toBe(400);
        expect(bad.error?.meta).toEqual({ argument: 'convo_ids' });
      } else {
        expect(bad.error?.grpcCode).toBe(3);
        expect(bad.error?.details?.[0].type).toBe('google.rpc.BadRequest');
        expect((bad.error?.details?.[0].json as { fieldViolations: { field: string }[] }).fieldViolations[0].field).toBe('convo_ids');
      }
    });

    it(`${transport}: a generic LiveKit service checks the token's grant, then answers with the fixture's message`, async () => {
      const send = (livekit?: { apiKey: string; apiSecret: string }) =>
        sendRequest({
          root,
          url: urlFor(transport),
          transport,
          method: 'livekit.PhoneNumberService/ListPhoneNumbers',
          body: new Uint8Array(),
          livekit,
        });
      // --livekit-key mints the sip.admin grant PhoneNumberService needs
      const res = await send({ apiKey: 'devkey', apiSecret: 'secret' });
      expect(res.error).toBeUndefined();
      expect(res.responseJson).toEqual({ items: [{ id: 'PN_1', e164Format: '+15550100' }] });
      const anon = await send();
      expect(anon.error).toMatchObject({ code: 'unauthenticated', message: 'permissions denied' });
      // a method the fixture gives no answer: unimplemented, and the message says how to give one
      const none = await sendRequest({
        root,
        url: urlFor(transport),
        transport,
        method: 'livekit.PhoneNumberService/GetPhoneNumber',
        body: new Uint8Array(),
        livekit: { apiKey: 'devkey', apiSecret: 'secret' },
      });
      expect(none.error?.code).toBe('unimplemented');
      expect(none.error?.message).toMatch(/has no answer in the mock: give one in the fixture's "answers"/);
    });
  }

  it('gRPC reports headers and trailers; unknown methods are unimplemented', async () => {
    const res = await sendRequest({
      root,
      url: mock.grpcUrl,
      transport: 'grpc',
      method: 'livekit.RoomService/ListRooms',
      body: new Uint8Array(),
      livekit: { apiKey: 'devkey', apiSecret: 'secret' },
    });
    expect(res.ok).toBe(true);
    expect(res.headers.some(([k]) => k === 'content-type')).toBe(true);
    const e = await sendRequest({
      root,
      url: mock.grpcUrl,
      transport: 'grpc',
      method: 'livekit.RoomService/ListRooms',
      body: new Uint8Array(),
    });
    expect(e.error).toMatchObject({ code: 'unauthenticated', message: 'permissions denied', grpcCode: 16 });
  });

  it('a timeout rejects', async () => {
    const slow: Server = createServer(() => undefined);
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const port = (slow.address() as { port: number }).port;
    await expect(
      sendRequest({
        root,
        url: `http://127.0.0.1:${port}`,
        transport: 'twirp',
        method: 'livekit.RoomService/ListRooms',
        body: new Uint8Array(),
        timeoutMs: 200,
      }),
    ).rejects.toThrow(/timed out/);
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  });
});

describe('our Twirp request matches livekit-server-sdk, and our token passes TokenVerifier', () => {
  interface Recorded {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let recorder: Server;
  let recorded: Recorded[] = [];
  let base = '';

  beforeAll(async () => {
    recorder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorded.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => recorder.close(() => r()));
  });

  const cases: { method: string; type: string; json: Record<string, unknown>; sdk: (c: RoomServiceClient) => Promise<unknown> }[] = [
    {
      method: 'CreateRoom',
      type: 'livekit.CreateRoomRequest',
      json: { name: 'r1', emptyTimeout: 30, maxParticipants: 4, metadata: 'm' },
      sdk: (c) => c.createRoom({ name: 'r1', emptyTimeout: 30, maxParticipants: 4, metadata: 'm' }),
    },
    { method: 'ListRooms', type: 'livekit.ListRoomsRequest', json: { names: ['a', 'b'] }, sdk: (c) => c.listRooms(['a', 'b']) },
    { method: 'ListParticipants', type: 'livekit.ListParticipantsRequest', json: { room: 'r1' }, sdk: (c) => c.listParticipants('r1') },
    {
      method: 'MutePublishedTrack',
      type: 'livekit.MuteRoomTrackRequest',
      json: { room: 'r1', identity: 'p', trackSid: 'TR_1', muted: true },
      sdk: (c) => c.mutePublishedTrack('r1', 'p', 'TR_1', true),
    },
    {
      method: 'MoveParticipant',
      type: 'livekit.MoveParticipantRequest',
      json: { room: 'r1', identity: 'p', destinationRoom: 'r2' },
      sdk: (c) => c.moveParticipant('r1', 'p', 'r2'),
    },
  ];

  for (const c of cases) {
    it(`${c.method}: same path, headers, body and claims`, async () => {
      recorded = [];
      await c.sdk(new RoomServiceClient(base, 'devkey', 'secret'));
      const res: SendResult = await sendRequest({
        root,
        url: base,
        transport: 'twirp-json',
        method: `livekit.RoomService/${c.method}`,
        body: encode(c.type, c.json),
        livekit: { apiKey: 'devkey', apiSecret: 'secret' },
      });
      expect(res.ok).toBe(true);
      const [sdk, ours] = recorded;
      expect(ours.method).toBe(sdk.method);
      expect(ours.path).toBe(sdk.path);
      expect(ours.path).toBe(`/twirp/livekit.RoomService/${c.method}`);
      // Same request headers, apart from the ones fetch (undici) adds on its own.
      const transportLevel = new Set([
        'host',
        'connection',
        'content-length',
        'accept',
        'accept-language',
        'accept-encoding',
        'sec-fetch-mode',
      ]);
      const names = (h: IncomingHttpHeaders) =>
        Object.keys(h)
          .filter((k) => !transportLevel.has(k))
          .sort();
      expect(names(ours.headers)).toEqual(names(sdk.headers));
      expect(names(ours.headers)).toEqual(['authorization', 'content-type', 'user-agent', 'x-livekit-request-id']);
      expect(ours.headers['content-type']).toBe(sdk.headers['content-type']);
      expect(ours.headers['x-livekit-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(ours.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(JSON.parse(ours.body)).toEqual(JSON.parse(sdk.body));
      const sdkClaims = jose.decodeJwt(sdk.headers.authorization!.slice(7));
      const ourClaims = jose.decodeJwt(ours.headers.authorization!.slice(7));
      expect(ourClaims.video).toEqual(sdkClaims.video);
      expect(ourClaims.iss).toBe(sdkClaims.iss);
      expect(ourClaims.sub).toBe(sdkClaims.sub);
      // The SDK reads the clock once for nbf and again for exp, so its lifetime is one second short
      // when a second ticks over between the two reads; ours is the same ten minutes, exactly.
      expect(ourClaims.exp! - ourClaims.nbf!).toBe(600);
      expect(Math.abs(sdkClaims.exp! - sdkClaims.nbf! - 600)).toBeLessThanOrEqual(1);
      expect(jose.decodeProtectedHeader(ours.headers.authorization!.slice(7))).toEqual(
        jose.decodeProtectedHeader(sdk.headers.authorization!.slice(7)),
      );
      const verified = await new TokenVerifier('devkey', 'secret').verify(ours.headers.authorization!.slice(7));
      expect(verified.iss).toBe('devkey');
    });
  }
});
