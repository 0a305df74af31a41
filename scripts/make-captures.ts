/**
 * Writes samples/captures/: a HAR file as Chrome DevTools' "Save all as HAR" writes it, of a
 * browser joining a LiveKit room: the page, Twirp RoomService calls (protobuf and JSON), the
 * signal WebSocket (/rtc: the join request in the URL, SignalResponse join/answer/offer/
 * trickle/update/pong received, SignalRequest offer/answer/trickle/subscription/ping sent)
 * and a gRPC-Web (text) ListParticipants call. Messages are built from the bundled schemas
 * (schemas/livekit) through protobufjs. Deterministic: fixed times, no randomness, so
 * samples/captures/captures.test.ts can check the committed file against a fresh run.
 *
 * Like Chrome, it stores request bodies as text: one binary request body is not UTF-8 and
 * becomes lossy (U+FFFD), as it would in a real capture.
 *
 * Usage: npx tsx scripts/make-captures.ts [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import protojson from 'protobufjs/ext/protojson.js';
import { harDocument, harHttpEntry, harWebSocketEntry } from '../core/capture/har-builder';
import { LIVEKIT_DIR, loadProtoRoot } from '../schemas/schema-files';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The sample file's name under samples/captures/. */
export const CAPTURE_FILE = 'livekit-session.har';

/** What each listed entry of the sample should be, in capture order (the tests check it). */
export interface ExpectedEntry {
  direction: 'request' | 'response';
  protocol: 'twirp' | 'connect' | 'grpc-web' | 'websocket';
  type: string;
  /** The entry cannot be decoded (the HAR holds it lossily), as in a real Chrome capture. */
  lossy?: boolean;
  /** For /rtc messages: the oneof case of the SignalRequest/SignalResponse. */
  signal?: string;
}

// 2025-05-11T21:46:40Z, the instant make-samples.ts uses; times below are offsets from it in ms.
const T0 = 1_747_000_000_000;
const API = 'https://lk.example.com';

/** Builds the sample HAR (pretty JSON, as DevTools writes it) and what its entries should be. */
export function buildCaptureSample(): { har: string; expected: ExpectedEntry[] } {
  const root = loadProtoRoot(LIVEKIT_DIR);
  const enc = (type: string, json: unknown): Uint8Array => {
    const t = root.lookupType(type);
    return new Uint8Array(t.encode(protojson.fromJson(t, json)).finish());
  };
  const jsonOf = (type: string, json: unknown): string =>
    protojson.toJsonString(root.lookupType(type), protojson.fromJson(root.lookupType(type), json));
  const expected: { ms: number; e: ExpectedEntry }[] = [];
  const expect = (ms: number, e: ExpectedEntry) => expected.push({ ms, e });
  const entries: Record<string, unknown>[] = [];
  const twirp = 'livekit.RoomService';

  const room = (n: number) => ({
    sid: 'RM_STANDUP',
    name: 'standup',
    emptyTimeout: 60,
    departureTimeout: 20,
    maxParticipants: 50,
    creationTime: '1747000000',
    creationTimeMs: '1747000000000',
    metadata: '{"topic":"weekly sync"}',
    numParticipants: n,
    enabledCodecs: [{ mime: 'audio/opus' }, { mime: 'video/VP8' }],
  });
  const participant = (sid: string, identity: string, joinedAt: number) => ({
    sid,
    identity,
    name: identity[0].toUpperCase() + identity.slice(1),
    state: 'ACTIVE',
    joinedAt: String(joinedAt),
    version: 2,
    permission: { canSubscribe: true, canPublish: true, canPublishData: true },
    tracks:
      identity === 'bob'
        ? [{ sid: 'TR_BOBCAM', type: 'VIDEO', name: 'camera', source: 'CAMERA', width: 1280, height: 720, mimeType: 'video/VP8', mid: '0' }]
        : [],
  });

  // The meeting page itself: HTML, not listed.
  entries.push({
    ...harHttpEntry({
      url: 'https://meet.example.com/room/standup',
      method: 'GET',
      started: T0,
      time: 85,
      responseType: 'text/html; charset=utf-8',
      response: { text: '<!doctype html><title>standup</title>' },
    }),
    _resourceType: 'document',
  });

  // Twirp CreateRoom over protobuf. Its request is valid UTF-8, so Chrome's text keeps it exactly.
  const createRequest = { name: 'standup', emptyTimeout: 60, maxParticipants: 50, metadata: '{"topic":"weekly sync"}' };
  entries.push(
    harHttpEntry({
      url: `${API}/twirp/${twirp}/CreateRoom`,
      started: T0 + 120,
      time: 38,
      requestHeaders: { 'content-type': 'application/protobuf', authorization: 'Bearer <redacted>' },
      request: { chromeText: enc('livekit.CreateRoomRequest', createRequest) },
      responseType: 'application/protobuf',
      response: { base64: enc('livekit.Room', room(0)) },
    }),
  );
  expect(120, { direction: 'request', protocol: 'twirp', type: 'livekit.CreateRoomRequest' });
  expect(158, { direction: 'response', protocol: 'twirp', type: 'livekit.Room' });

  // A second CreateRoom whose request holds the varint 300 (ac 02): not UTF-8, lossy in Chrome's text.
  entries.push(
    harHttpEntry({
      url: `${API}/twirp/${twirp}/CreateRoom`,
      started: T0 + 200,
      time: 35,
      requestHeaders: { 'content-type': 'application/protobuf', authorization: 'Bearer <redacted>' },
      request: { chromeText: enc('livekit.CreateRoomRequest', { ...createRequest, emptyTimeout: 300 }) },
      responseType: 'application/protobuf',
      response: { base64: enc('livekit.Room', { ...room(0), emptyTimeout: 300 }) },
    }),
  );
  expect(200, { direction: 'request', protocol: 'twirp', type: 'livekit.CreateRoomRequest', lossy: true });
  expect(235, { direction: 'response', protocol: 'twirp', type: 'livekit.Room' });

  // Twirp ListRooms over JSON.
  entries.push(
    harHttpEntry({
      url: `${API}/twirp/${twirp}/ListRooms`,
      started: T0 + 260,
      time: 22,
      requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer <redacted>' },
      request: { text: jsonOf('livekit.ListRoomsRequest', { names: ['standup'] }) },
      responseType: 'application/json',
      response: { text: jsonOf('livekit.ListRoomsResponse', { rooms: [room(0)] }) },
    }),
  );
  expect(260, { direction: 'request', protocol: 'twirp', type: 'livekit.ListRoomsRequest' });
  expect(282, { direction: 'response', protocol: 'twirp', type: 'livekit.ListRoomsResponse' });

  // The signal WebSocket. The client's JoinRequest travels in the URL (join_request, base64 of a WrappedJoinRequest).
  const joinRequest = enc('livekit.JoinRequest', {
    clientInfo: { sdk: 'JS', version: '2.9.0', protocol: 16, os: 'macOS', browser: 'Chrome', browserVersion: '126.0.0' },
    connectionSettings: { autoSubscribe: true, adaptiveStream: true },
    metadata: 'hello',
  });
  const wrapped = enc('livekit.WrappedJoinRequest', { compression: 'NONE', joinRequest: Buffer.from(joinRequest).toString('base64') });
  const joinParam = encodeURIComponent(Buffer.from(wrapped).toString('base64'));
  const signalUrl = `wss://lk.example.com/rtc?access_token=eyJhbGciOiJIUzI1NiJ9.c2FtcGxl.c2lnbmF0dXJl&auto_subscribe=1&sdk=js&version=2.9.0&protocol=16&join_request=${joinParam}`;
  expect(400, { direction: 'request', protocol: 'websocket', type: 'livekit.WrappedJoinRequest' });
  const sdp = (kind: string) => `v=0\r\no=- 4611731${kind.length} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n`;
  const candidate = (port: number) =>
    `{"candidate":"candidate:1 1 udp 2122260223 192.0.2.10 ${port} typ host","sdpMid":"0","sdpMLineIndex":0}`;
  const frames: { type: 'send' | 'receive'; ms: number; signal: string; json: unknown }[] = [
    {
      type: 'receive',
      ms: 420,
      signal: 'join',
      json: {
        join: {
          room: room(2),
          participant: participant('PA_ALICE', 'alice', 1747000000),
          otherParticipants: [participant('PA_BOB', 'bob', 1746999990)],
          serverVersion: '1.9.0',
          iceServers: [{ urls: ['turn:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' }],
          subscriberPrimary: true,
          pingTimeout: 15,
          pingInterval: 5,
          serverInfo: { edition: 'Standard', version: '1.9.0', protocol: 16, region: 'eu-west', nodeId: 'ND_1' },
        },
      },
    },
    { type: 'send', ms: 455, signal: 'offer', json: { offer: { type: 'offer', sdp: sdp('offer'), id: 1 } } },
    { type: 'receive', ms: 480, signal: 'answer', json: { answer: { type: 'answer', sdp: sdp('answer'), id: 1 } } },
    { type: 'send', ms: 490, signal: 'trickle', json: { trickle: { candidateInit: candidate(54321), target: 'PUBLISHER' } } },
    { type: 'receive', ms: 505, signal: 'trickle', json: { trickle: { candidateInit: candidate(61000), target: 'PUBLISHER' } } },
    { type: 'receive', ms: 530, signal: 'offer', json: { offer: { type: 'offer', sdp: sdp('subscriber'), id: 2 } } },
    { type: 'send', ms: 560, signal: 'answer', json: { answer: { type: 'answer', sdp: sdp('sub-answer'), id: 2 } } },
    { type: 'send', ms: 570, signal: 'trickle', json: { trickle: { candidateInit: candidate(54322), target: 'SUBSCRIBER' } } },
    {
      type: 'send',
      ms: 900,
      signal: 'subscription',
      json: {
        subscription: {
          trackSids: ['TR_BOBCAM'],
          subscribe: true,
          participantTracks: [{ participantSid: 'PA_BOB', trackSids: ['TR_BOBCAM'] }],
        },
      },
    },
    { type: 'receive', ms: 1400, signal: 'update', json: { update: { participants: [participant('PA_CAROL', 'carol', 1747000001)] } } },
    { type: 'send', ms: 5420, signal: 'pingReq', json: { pingReq: { timestamp: String(T0 + 5420), rtt: '18' } } },
    {
      type: 'receive',
      ms: 5438,
      signal: 'pongResp',
      json: { pongResp: { lastPingTimestamp: String(T0 + 5420), timestamp: String(T0 + 5431) } },
    },
  ];
  for (const f of frames) {
    const direction = f.type === 'send' ? 'request' : 'response';
    expect(f.ms, {
      direction,
      protocol: 'websocket',
      type: direction === 'request' ? 'livekit.SignalRequest' : 'livekit.SignalResponse',
      signal: f.signal,
    });
  }
  entries.push(
    harWebSocketEntry({
      url: signalUrl,
      started: T0 + 400,
      messages: frames.map((f) => ({
        type: f.type,
        time: T0 + f.ms,
        binary: enc(f.type === 'send' ? 'livekit.SignalRequest' : 'livekit.SignalResponse', f.json),
      })),
    }),
  );

  // gRPC-Web in text mode: base64 bodies; the response's data frame and trailers are base64-encoded apart (chunked).
  const frame = (flag: number, payload: Uint8Array) => {
    const out = new Uint8Array(5 + payload.length);
    out[0] = flag;
    new DataView(out.buffer).setUint32(1, payload.length);
    out.set(payload, 5);
    return out;
  };
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const listParticipants = enc('livekit.ListParticipantsResponse', {
    participants: [
      participant('PA_ALICE', 'alice', 1747000000),
      participant('PA_BOB', 'bob', 1746999990),
      participant('PA_CAROL', 'carol', 1747000001),
    ],
  });
  entries.push(
    harHttpEntry({
      url: `${API}/${twirp}/ListParticipants`,
      started: T0 + 1600,
      time: 31,
      requestHeaders: { 'content-type': 'application/grpc-web-text', 'x-grpc-web': '1', accept: 'application/grpc-web-text' },
      request: { text: b64(frame(0, enc('livekit.ListParticipantsRequest', { room: 'standup' }))) },
      responseType: 'application/grpc-web-text+proto',
      response: {
        text: b64(frame(0, listParticipants)) + b64(frame(0x80, new TextEncoder().encode('grpc-status:0\r\ngrpc-message:\r\n'))),
      },
    }),
  );
  expect(1600, { direction: 'request', protocol: 'grpc-web', type: 'livekit.ListParticipantsRequest' });
  expect(1631, { direction: 'response', protocol: 'grpc-web', type: 'livekit.ListParticipantsResponse' });
  // The capture lists by time: the WebSocket messages interleave with the HTTP calls.
  expected.sort((a, b) => a.ms - b.ms);
  return {
    har: `${JSON.stringify(harDocument(entries, { url: 'https://meet.example.com/room/standup', started: T0 }), null, 2)}\n`,
    expected: expected.map((t) => t.e),
  };
}

/** Writes the sample into `dir` (default samples/captures); returns the file's path. */
export function writeCaptureSample(dir = join(ROOT, 'samples/captures')): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CAPTURE_FILE);
  writeFileSync(path, buildCaptureSample().har);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  process.stdout.write(`wrote ${writeCaptureSample(values.out ? resolve(values.out) : undefined)}\n`);
}
