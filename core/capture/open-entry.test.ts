/**
 * Opening capture entries: stored bodies back to bytes, frames and envelopes, JSON bodies,
 * compression, what cannot be read, and the delimited export read back.
 */
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeDecompress } from '../../core-node/capture/decompress';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../schema/registry';
import { indexStream, messageAt } from '../stream/stream-framing';
import type { Capture, CaptureEntry } from './capture-model';
import { exportStreams } from './export-streams';
import { harDocument, harHttpEntry, harWebSocketEntry, type HarHttpSpec } from './har-builder';
import { openEntry } from './open-entry';
import { readCapture } from './read-capture';

let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const u8 = (b: Uint8Array) => new Uint8Array(b);
const enc = (type: string, obj: Record<string, unknown>) => {
  const t = registry.findMessage(type)!;
  return u8(t.encode(t.fromObject(obj)).finish());
};
const capture = (...entries: Record<string, unknown>[]) =>
  readCapture(new TextEncoder().encode(JSON.stringify(harDocument(entries))), { schemas: registry });
const open = (cap: Capture, e: CaptureEntry) => openEntry(cap, e, { schemas: registry, decompress: nodeDecompress });
const response = (cap: Capture) => cap.entries.find((e) => e.direction === 'response')!;

/** A 5-byte-header frame: flag, big-endian length, payload. */
function frame(flag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}
const concat = (...parts: Uint8Array[]) => u8(Buffer.concat(parts));
const rpc = (path: string, spec: Partial<HarHttpSpec>): Record<string, unknown> =>
  harHttpEntry({ url: `https://api.test/${path}`, started: T0, ...spec });

describe('openEntry', () => {
  it('returns the exact bytes of base64 bodies and of exact text bodies', () => {
    const room = enc('livekit.Room', { sid: 'RM_1', name: 'standup', num_participants: 3 });
    const req = enc('livekit.CreateRoomRequest', { name: 'standup', empty_timeout: 60 }); // valid UTF-8: Chrome's text keeps it
    const cap = capture(
      rpc('twirp/livekit.RoomService/CreateRoom', {
        requestHeaders: { 'content-type': 'application/protobuf' },
        request: { chromeText: req },
        responseType: 'application/protobuf',
        response: { base64: room },
      }),
    );
    const [r, s] = cap.entries.map((e) => open(cap, e));
    expect(r.messages).toEqual([{ bytes: req, offset: 0, typeName: 'livekit.CreateRoomRequest', typeSource: 'method' }]);
    expect(s.messages[0].bytes).toEqual(room);
    expect(s.problem).toBeUndefined();
  });

  it('splits gRPC-Web frames and reports the trailers', () => {
    const a = enc('livekit.ListRoomsResponse', { rooms: [{ name: 'a' }] });
    const body = concat(frame(0, a), frame(0x80, new TextEncoder().encode('grpc-status: 0\r\ngrpc-message: \r\n')));
    const cap = capture(
      rpc('livekit.RoomService/ListRooms', {
        requestHeaders: { 'content-type': 'application/grpc-web+proto' },
        request: { base64: frame(0, new Uint8Array(0)) },
        responseType: 'application/grpc-web+proto',
        response: { base64: body },
      }),
    );
    const opened = open(cap, response(cap));
    expect(opened.messages.map((m) => [m.offset, m.typeName, m.bytes])).toEqual([[5, 'livekit.ListRoomsResponse', a]]);
    expect(opened.notes).toEqual(['trailers: grpc-status 0']);
  });

  it('decodes gRPC-Web text sent as separately padded base64 chunks, with a gzip-compressed frame', () => {
    const a = enc('livekit.ListRoomsResponse', { rooms: [{ name: 'first' }] });
    const b = enc('livekit.ListRoomsResponse', { rooms: [{ name: 'second' }] });
    const text =
      Buffer.from(frame(0, a)).toString('base64') +
      Buffer.from(frame(1, u8(gzipSync(b)))).toString('base64') +
      Buffer.from(frame(0x80, new TextEncoder().encode('grpc-status: 0\r\n'))).toString('base64');
    expect(text.slice(0, -4)).toMatch(/=/); // padding inside the text: chunks are padded on their own
    const cap = capture(
      rpc('livekit.RoomService/ListRooms', {
        requestHeaders: { 'content-type': 'application/grpc-web-text' },
        request: { text: Buffer.from(frame(0, new Uint8Array(0))).toString('base64') },
        responseHeaders: { 'content-type': 'application/grpc-web-text+proto', 'grpc-encoding': 'gzip' },
        response: { text },
      }),
    );
    const opened = open(cap, response(cap));
    expect(opened.problem).toBeUndefined();
    expect(opened.messages.map((m) => m.bytes)).toEqual([a, b]);
    expect(open(cap, cap.entries[0]).messages).toEqual([
      { bytes: new Uint8Array(0), offset: 5, typeName: 'livekit.ListRoomsRequest', typeSource: 'method' },
    ]);
  });

  it('keeps the frames before a truncated one and says where it breaks', () => {
    const a = enc('livekit.ListRoomsResponse', { rooms: [{ name: 'a' }] });
    const body = concat(frame(0, a), frame(0, a).subarray(0, 7));
    const cap = capture(
      rpc('livekit.RoomService/ListRooms', { responseType: 'application/grpc-web+proto', response: { base64: body }, method: 'GET' }),
    );
    const opened = open(cap, response(cap));
    expect(opened.messages.map((m) => m.bytes)).toEqual([a]);
    expect(opened.problem).toBe(
      `the gRPC-Web frames break at byte ${5 + a.length}: a frame of ${a.length} bytes, but only 2 remain (the body is cut short)`,
    );
  });

  it('splits Connect streaming envelopes and reads the end-of-stream error', () => {
    const a = enc('livekit.Room', { name: 'a' });
    const end = new TextEncoder().encode('{"error":{"code":"unavailable","message":"draining"}}');
    const cap = capture(
      rpc('livekit.RoomService/ListRooms', {
        method: 'GET',
        responseType: 'application/connect+proto',
        response: { base64: concat(frame(0, a), frame(2, end)) },
      }),
    );
    const opened = open(cap, response(cap));
    expect(opened.messages.map((m) => m.bytes)).toEqual([a]);
    expect(opened.notes).toEqual(['end of stream: error unavailable: draining']);
  });

  it('encodes JSON Twirp and Connect bodies through the schema', () => {
    const cap = capture(
      rpc('twirp/livekit.RoomService/CreateRoom', {
        requestHeaders: { 'content-type': 'application/json' },
        request: { text: '{"name":"standup","emptyTimeout":300}' },
        responseType: 'application/json',
        response: { text: '{"sid":"RM_1","name":"standup","creationTime":"1747000000"}' },
      }),
    );
    const [r, s] = cap.entries.map((e) => open(cap, e));
    expect(r.messages[0]).toMatchObject({ fromJson: true, typeName: 'livekit.CreateRoomRequest' });
    expect(r.messages[0].bytes).toEqual(enc('livekit.CreateRoomRequest', { name: 'standup', empty_timeout: 300 }));
    expect(s.messages[0].bytes).toEqual(enc('livekit.Room', { sid: 'RM_1', name: 'standup', creation_time: 1747000000 }));
  });

  it('says why a JSON body does not fit its type', () => {
    const cap = capture(
      rpc('twirp/livekit.RoomService/CreateRoom', {
        requestHeaders: { 'content-type': 'application/json' },
        request: { text: '{"name":7}' },
      }),
    );
    expect(open(cap, cap.entries[0]).problem).toMatch(/^the body is not JSON of livekit\.CreateRoomRequest: at \$\.name: /);
  });

  it('describes a Twirp error response instead of decoding it', () => {
    const cap = capture(
      rpc('twirp/livekit.RoomService/DeleteRoom', {
        status: 404,
        responseType: 'application/json',
        response: { text: '{"code":"not_found","msg":"room not found"}' },
        method: 'GET',
      }),
    );
    const opened = open(cap, response(cap));
    expect(opened.messages).toEqual([]);
    expect(opened.notes).toEqual(['Twirp error not_found: room not found']);
  });

  it('decompresses bodies a tool stored encoded, and leaves decoded ones (as Chrome stores them) alone', () => {
    const room = enc('livekit.Room', { name: 'compressed', metadata: 'x'.repeat(200) });
    const gz = u8(gzipSync(room));
    const br = u8(brotliCompressSync(room));
    const headers = (coding: string) => ({ 'content-type': 'application/protobuf', 'content-encoding': coding });
    const cap = capture(
      rpc('twirp/livekit.RoomService/GetRoom1', {
        method: 'GET',
        responseHeaders: headers('gzip'),
        response: { base64: gz },
        contentSize: room.length,
      }),
      rpc('twirp/livekit.RoomService/GetRoom2', {
        method: 'GET',
        responseHeaders: headers('br'),
        response: { base64: br },
        contentSize: room.length,
      }),
      rpc('twirp/livekit.RoomService/GetRoom3', {
        method: 'GET',
        responseHeaders: headers('gzip'),
        response: { base64: room },
        contentSize: room.length,
      }),
    );
    const opened = cap.entries.map((e) => open(cap, e));
    expect(opened.map((o) => o.messages[0]?.bytes)).toEqual([room, room, room]);
    expect(opened.map((o) => o.notes)).toEqual([
      ['decompressed (gzip)'],
      ['decompressed (br)'],
      ['content-encoding gzip: stored decoded (as browsers save bodies)'],
    ]);
    // Without a decompressor the compressed body is reported, not guessed at.
    expect(openEntry(cap, cap.entries[0], { schemas: registry }).problem).toBe(
      'the body is stored gzip-encoded and no decompressor is available',
    );
  });

  it('says a dropped or lossy body cannot be read', () => {
    const cap = capture(
      rpc('twirp/livekit.RoomService/CreateRoom', {
        requestHeaders: { 'content-type': 'application/protobuf' },
        request: { chromeText: enc('livekit.CreateRoomRequest', { empty_timeout: 300 }) },
        responseType: 'application/protobuf',
        contentSize: 99,
      }),
    );
    const [r, s] = cap.entries.map((e) => open(cap, e));
    expect(r.body).toBeNull();
    expect(r.problem).toMatch(/^lossy body/);
    expect(s.problem).toBe('the HAR holds no body (99 bytes were sent; the tool that saved it dropped the body)');
  });

  it('detects the type of untyped WebSocket messages', () => {
    const join = enc('livekit.SignalResponse', {
      join: { room: { sid: 'RM_X', name: 'standup' }, participant: { sid: 'PA_1', identity: 'alice' }, server_version: '1.9.0' },
    });
    const cap = capture(
      harWebSocketEntry({ url: 'wss://lk.test/custom', started: T0, messages: [{ type: 'receive', time: T0 + 1, binary: join }] }),
    );
    const m = open(cap, cap.entries[0]).messages[0];
    expect(m.typeSource).toBe('detect');
    expect(m.typeName).toBe('livekit.SignalResponse');
    expect(m.score).toBeGreaterThan(0.5);
  });
});

describe('exportStreams', () => {
  it('writes one delimited stream per direction that indexStream reads back, and lists what it left out', () => {
    const reqs = [enc('livekit.SignalRequest', { ping: 1 }), enc('livekit.SignalRequest', { ping: 2 })];
    const res = [enc('livekit.SignalResponse', { pong: 1 })];
    const doc = harDocument([
      harWebSocketEntry({
        url: 'wss://lk.test/rtc',
        started: T0,
        messages: [
          { type: 'send', time: T0 + 1, binary: reqs[0] },
          { type: 'receive', time: T0 + 2, binary: res[0] },
          { type: 'send', time: T0 + 3, binary: reqs[1] },
          { type: 'receive', time: T0 + 4, binary: new Uint8Array(0) },
        ],
      }),
    ]) as { log: { entries: { _webSocketMessages: { data: string }[] }[] } };
    doc.log.entries[0]._webSocketMessages[3].data = 'not*base64';
    const cap = readCapture(new TextEncoder().encode(JSON.stringify(doc)), { schemas: registry });
    const out = exportStreams(cap, { schemas: registry });
    const back = (bytes: Uint8Array) => {
      const index = indexStream(bytes, 'delimited');
      expect(index.error).toBeNull();
      return Array.from({ length: index.count }, (_, i) => u8(messageAt(index, i)));
    };
    expect(back(out.requests.bytes)).toEqual(reqs);
    expect(back(out.responses.bytes)).toEqual(res);
    expect(out.requests.types).toEqual(['livekit.SignalRequest', 'livekit.SignalRequest']);
    expect(out.skipped).toEqual([
      { index: 3, reason: 'the stored body does not decode: not valid base64 at character 3: byte 0x2a is not a base64 character' },
    ]);
  });
});
