/**
 * Listing HAR files: which bodies are protobuf, how they are classified and typed, time order,
 * missing and lossy bodies, type overrides. Messages are built with protobufjs from the
 * bundled schemas (an independent encoder).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../schema/registry';
import { harDocument, harHttpEntry, harWebSocketEntry } from './har-builder';
import { HarFormatError } from './har-read';
import { readCapture } from './read-capture';
import { applyTypeOverrides } from './type-overrides';

let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const har = (...entries: Record<string, unknown>[]) => new TextEncoder().encode(JSON.stringify(harDocument(entries)));
const enc = (type: string, obj: Record<string, unknown>) => {
  const t = registry.findMessage(type)!;
  return new Uint8Array(t.encode(t.fromObject(obj)).finish());
};
const PB = { 'content-type': 'application/protobuf' };

describe('readCapture classification', () => {
  it('types Twirp protobuf calls by their method: input type for the request, output type for the response', () => {
    const cap = readCapture(
      har(
        harHttpEntry({
          url: 'https://lk.example.com/twirp/livekit.RoomService/CreateRoom',
          started: T0,
          time: 35,
          requestHeaders: PB,
          request: { base64: enc('livekit.CreateRoomRequest', { name: 'standup' }) },
          responseType: 'application/protobuf',
          response: { base64: enc('livekit.Room', { sid: 'RM_1', name: 'standup' }) },
        }),
      ),
      { schemas: registry },
    );
    expect(cap.entries.map((e) => [e.index, e.direction, e.protocol, e.rpc, e.type, e.typeSource, e.status, e.time - T0])).toEqual([
      [0, 'request', 'twirp', 'livekit.RoomService/CreateRoom', 'livekit.CreateRoomRequest', 'method', 200, 0],
      [1, 'response', 'twirp', 'livekit.RoomService/CreateRoom', 'livekit.Room', 'method', 200, 35],
    ]);
    expect(cap.entries[0].size).toBe(enc('livekit.CreateRoomRequest', { name: 'standup' }).length);
  });

  it('classifies Connect, gRPC-Web and text gRPC-Web by content type', () => {
    const url = 'https://api.example.com/livekit.RoomService/ListRooms';
    const body = { base64: new Uint8Array(0) };
    const kinds = [
      ['application/proto', 'connect', 'single', false],
      ['application/connect+proto', 'connect', 'connect-stream', false],
      ['application/grpc-web+proto', 'grpc-web', 'grpc-web', false],
      ['application/grpc-web-text', 'grpc-web', 'grpc-web', true],
      ['application/grpc-web-text+proto', 'grpc-web', 'grpc-web', true],
      ['application/json', 'connect', 'single', false],
    ] as const;
    const cap = readCapture(
      har(
        ...kinds.map(([ct], i) =>
          harHttpEntry({
            url,
            started: T0 + i * 1000,
            requestHeaders: { 'content-type': ct },
            request: body,
            responseType: ct,
            response: body,
          }),
        ),
      ),
      { schemas: registry },
    );
    const requests = cap.entries.filter((e) => e.direction === 'request');
    expect(requests.map((e) => [e.contentType, e.protocol, e.framing, !!e.grpcWebText, e.type])).toEqual(
      kinds.map(([ct, p, f, text]) => [ct, p, f, text, 'livekit.ListRoomsRequest']),
    );
    expect(requests[5].encoding).toBe('json');
  });

  it('lists application/octet-stream only on a Twirp path or for a known method, and JSON only for RPCs', () => {
    const any = { base64: new Uint8Array([8, 1]) };
    const cap = readCapture(
      har(
        harHttpEntry({
          url: 'https://x.test/twirp/livekit.RoomService/ListRooms',
          started: T0,
          requestHeaders: { 'content-type': 'application/octet-stream' },
          request: any,
        }),
        harHttpEntry({
          url: 'https://x.test/upload/file.bin',
          started: T0 + 1,
          requestHeaders: { 'content-type': 'application/octet-stream' },
          request: any,
        }),
        // Looks like pkg.Service/Method, but no loaded service has it: a download, not an RPC.
        harHttpEntry({
          url: 'https://cdn.test/assets.v2/logo',
          started: T0 + 1,
          requestHeaders: { 'content-type': 'application/octet-stream' },
          request: any,
        }),
        harHttpEntry({
          url: 'https://x.test/livekit.RoomService/ListRooms',
          started: T0 + 4,
          requestHeaders: { 'content-type': 'application/octet-stream' },
          request: any,
        }),
        harHttpEntry({
          url: 'https://x.test/api/users',
          started: T0 + 2,
          requestHeaders: { 'content-type': 'application/json' },
          request: { text: '{}' },
        }),
        harHttpEntry({
          url: 'https://x.test/acme.Unknown/Call',
          started: T0 + 3,
          requestHeaders: { 'content-type': 'application/json' },
          request: { text: '{}' },
        }),
      ),
      { schemas: registry },
    );
    expect(cap.entries.map((e) => [e.harIndex, e.direction, e.protocol, e.type])).toEqual([
      [0, 'request', 'twirp', 'livekit.ListRoomsRequest'],
      [3, 'request', 'connect', 'livekit.ListRoomsRequest'],
    ]);
    expect(cap.skippedEntries).toBe(4);
  });

  it('types plain protobuf HTTP bodies by a proto= parameter, and leaves the rest to detection', () => {
    const room = enc('livekit.Room', { name: 'x' });
    const cap = readCapture(
      har(
        harHttpEntry({
          url: 'https://x.test/room',
          method: 'GET',
          started: T0,
          responseType: 'application/x-protobuf; proto=livekit.Room',
          response: { base64: room },
        }),
        harHttpEntry({
          url: 'https://x.test/data',
          method: 'GET',
          started: T0 + 1,
          responseType: 'application/x-protobuf',
          response: { base64: room },
        }),
        harHttpEntry({
          url: 'https://x.test/gone',
          method: 'GET',
          started: T0 + 2,
          responseType: 'application/x-protobuf; proto=acme.Gone',
          response: { base64: room },
        }),
      ),
      { schemas: registry },
    );
    // GET requests carry no body, so only responses are listed.
    expect(cap.entries.map((e) => [e.direction, e.protocol, e.type, e.typeSource, e.notes])).toEqual([
      ['response', 'http', 'livekit.Room', 'content-type', []],
      ['response', 'http', undefined, 'detect', []],
      ['response', 'http', undefined, 'detect', ['type acme.Gone is not loaded']],
    ]);
  });

  it('types LiveKit /rtc WebSocket binary frames by direction, in time order with HTTP calls', () => {
    const req = enc('livekit.SignalRequest', { ping: 5 });
    const res = enc('livekit.SignalResponse', { pong: 5 });
    const cap = readCapture(
      har(
        harWebSocketEntry({
          url: 'wss://lk.example.com/rtc?access_token=abc&protocol=16',
          started: T0,
          messages: [
            { type: 'receive', time: T0 + 10, binary: res },
            { type: 'send', time: T0 + 30, binary: req },
            { type: 'send', time: T0 + 40, text: '{"not":"protobuf"}' },
          ],
        }),
        harHttpEntry({
          url: 'https://lk.example.com/twirp/livekit.RoomService/ListRooms',
          started: T0 + 20,
          time: 5,
          requestHeaders: PB,
          request: { base64: new Uint8Array(0) },
        }),
        harWebSocketEntry({
          url: 'wss://other.example.com/socket',
          started: T0 + 50,
          messages: [{ type: 'receive', time: T0 + 60, binary: res }],
        }),
      ),
      { schemas: registry },
    );
    expect(cap.entries.map((e) => [e.time - T0, e.protocol, e.direction, e.type, e.typeSource, e.frameIndex])).toEqual([
      [10, 'websocket', 'response', 'livekit.SignalResponse', 'signal', 0],
      [20, 'twirp', 'request', 'livekit.ListRoomsRequest', 'method', undefined],
      [30, 'websocket', 'request', 'livekit.SignalRequest', 'signal', 1],
      [60, 'websocket', 'response', undefined, 'detect', 0],
    ]);
    expect(cap.skippedTextFrames).toBe(1);
    expect(cap.entries[0].size).toBe(res.length);
  });

  it("reads WebSocket message times in Chrome's seconds and in Playwright's milliseconds", () => {
    const res = enc('livekit.SignalResponse', { pong: 5 });
    const chrome = harWebSocketEntry({
      url: 'wss://lk.example.com/rtc',
      started: T0,
      messages: [{ type: 'receive', time: T0 + 10, binary: res }],
    });
    const playwright = harWebSocketEntry({
      url: 'wss://lk.example.com/rtc',
      started: T0,
      messages: [{ type: 'receive', time: T0 + 20, binary: res }],
    });
    // Playwright's recordHar writes the wall time in ms where Chrome writes seconds.
    const msg = (playwright as { _webSocketMessages: { time: number }[] })._webSocketMessages[0];
    msg.time = T0 + 20;
    const cap = readCapture(har(chrome, playwright), { schemas: registry });
    expect(cap.entries.map((e) => e.time - T0)).toEqual([10, 20]);
  });

  it('lists the join_request URL parameter of a LiveKit signal connection as a WrappedJoinRequest', () => {
    const wrapped = enc('livekit.WrappedJoinRequest', { join_request: enc('livekit.JoinRequest', { metadata: 'hi' }) });
    const b64url = Buffer.from(wrapped).toString('base64url');
    const cap = readCapture(
      har(harWebSocketEntry({ url: `wss://lk.example.com/rtc/v1?join_request=${b64url}`, started: T0, messages: [] })),
      {
        schemas: registry,
      },
    );
    expect(cap.entries).toHaveLength(1);
    expect(cap.entries[0]).toMatchObject({
      direction: 'request',
      type: 'livekit.WrappedJoinRequest',
      body: { kind: 'inline', bytes: wrapped },
    });
  });
});

describe('readCapture: what real HAR files hold', () => {
  it('reports a dropped body per entry, with the comment the tool left', () => {
    const doc = harDocument([
      harHttpEntry({
        url: 'https://x.test/twirp/livekit.RoomService/ListRooms',
        started: T0,
        requestHeaders: PB,
        request: { base64: new Uint8Array(0) },
        responseType: 'application/protobuf',
        contentSize: 512,
      }),
      harHttpEntry({
        url: 'https://x.test/twirp/livekit.RoomService/ListRooms',
        started: T0 + 1,
        requestHeaders: PB,
        request: { base64: new Uint8Array(0) },
        responseType: 'application/protobuf',
        contentSize: 0,
      }),
    ]) as { log: { entries: { response: { content: Record<string, unknown> } }[] } };
    doc.log.entries[0].response.content.comment = 'Response body is too large';
    const cap = readCapture(new TextEncoder().encode(JSON.stringify(doc)), { schemas: registry });
    const responses = cap.entries.filter((e) => e.direction === 'response');
    expect(responses[0].body).toEqual({ kind: 'unavailable', reason: 'the HAR holds no body (Response body is too large)' });
    // content.size 0 and no text: an empty body, a valid (all-default) message.
    expect(responses[1].body).toEqual({ kind: 'empty' });
  });

  it('reports a binary body stored as lossy text (U+FFFD), and keeps exact text bodies', () => {
    // empty_timeout = 300 is the varint ac 02: not UTF-8, so Chrome's text holds U+FFFD.
    const lossy = enc('livekit.CreateRoomRequest', { name: 'a', empty_timeout: 300 });
    const exact = enc('livekit.CreateRoomRequest', { name: 'a', empty_timeout: 60 });
    const url = 'https://x.test/twirp/livekit.RoomService/CreateRoom';
    const cap = readCapture(
      har(
        harHttpEntry({ url, started: T0, requestHeaders: PB, request: { chromeText: lossy } }),
        harHttpEntry({ url, started: T0 + 1, requestHeaders: PB, request: { chromeText: exact } }),
      ),
      { schemas: registry },
    );
    expect(cap.entries[0].body.kind).toBe('unavailable');
    expect((cap.entries[0].body as { reason: string }).reason).toMatch(/^lossy body: .*U\+FFFD/);
    expect(cap.entries[1].body).toMatchObject({ kind: 'stored', base64: false });
  });

  it('reports a body whose stored string is malformed, and lists the rest', () => {
    const text = JSON.stringify(
      harDocument([
        harHttpEntry({
          url: 'https://x.test/twirp/livekit.RoomService/ListRooms',
          started: T0,
          requestHeaders: PB,
          request: { text: 'QQ' },
        }),
      ]),
    ).replace('"text":"QQ"', '"text":"Q\\xQ"'); // \x is no JSON escape
    const cap = readCapture(new TextEncoder().encode(text), { schemas: registry });
    expect(cap.entries[0].body.kind).toBe('unavailable');
    expect((cap.entries[0].body as { reason: string }).reason).toMatch(/^the stored body is not a well-formed JSON string: at byte \d+/);
  });

  it('lists a failed request with a response entry saying why', () => {
    const doc = harDocument([
      harHttpEntry({
        url: 'https://x.test/twirp/livekit.RoomService/ListRooms',
        started: T0,
        requestHeaders: PB,
        request: { base64: new Uint8Array(0) },
        status: 0,
      }),
    ]) as { log: { entries: { response: Record<string, unknown> }[] } };
    doc.log.entries[0].response._error = 'net::ERR_CONNECTION_REFUSED';
    const cap = readCapture(new TextEncoder().encode(JSON.stringify(doc)), { schemas: registry });
    expect(cap.entries[1]).toMatchObject({
      direction: 'response',
      body: { kind: 'unavailable', reason: 'no response (net::ERR_CONNECTION_REFUSED)' },
    });
  });

  it('marks an error response as untyped and notes grpc-status from the headers', () => {
    const cap = readCapture(
      har(
        harHttpEntry({
          url: 'https://x.test/twirp/livekit.RoomService/DeleteRoom',
          started: T0,
          status: 404,
          requestHeaders: PB,
          request: { base64: new Uint8Array(0) },
          responseType: 'application/json',
          response: { text: '{"code":"not_found","msg":"room not found"}' },
        }),
        harHttpEntry({
          url: 'https://x.test/livekit.RoomService/DeleteRoom',
          started: T0 + 1,
          requestHeaders: { 'content-type': 'application/grpc-web+proto' },
          request: { base64: new Uint8Array(0) },
          responseHeaders: { 'content-type': 'application/grpc-web+proto', 'grpc-status': '5', 'grpc-message': 'room%20not%20found' },
          response: { base64: new Uint8Array(0) },
        }),
      ),
      { schemas: registry },
    );
    const response = (harIndex: number) => cap.entries.find((e) => e.harIndex === harIndex && e.direction === 'response');
    expect(response(0)).toMatchObject({ type: undefined, typeSource: 'none', notes: ['HTTP 404'] });
    expect(response(1)).toMatchObject({ type: 'livekit.DeleteRoomResponse', notes: ['grpc-status 5: room not found'] });
  });

  it('says where a malformed HAR breaks, and what is not a HAR', () => {
    const text = new TextEncoder().encode('{"log": {"entries": [ {"request": {"url": "x"}} {"request": {}} ]}}');
    expect(() => readCapture(text)).toThrow(HarFormatError);
    expect(() => readCapture(text)).toThrow("HAR is not well-formed JSON: at byte 48 (line 1, column 49): expected ',' or ']', found '{'");
    expect(() => readCapture(new TextEncoder().encode('{"entries": []}'))).toThrow('not a HAR file: no "log" object');
    expect(() => readCapture(new Uint8Array([0x0a, 0x03, 0x61]))).toThrow(/not a HAR file/);
  });
});

describe('type overrides', () => {
  const signal = () =>
    readCapture(
      har(
        harWebSocketEntry({
          url: 'wss://lk.example.com/custom/socket',
          started: T0,
          messages: [
            { type: 'send', time: T0 + 1, binary: enc('livekit.SignalRequest', { ping: 1 }) },
            { type: 'receive', time: T0 + 2, binary: enc('livekit.SignalResponse', { pong: 1 }) },
          ],
        }),
      ),
      { schemas: registry },
    );

  it('applies URL rules by direction, entry overrides over them, and restores the automatic type when removed', () => {
    const cap = signal();
    expect(cap.entries.map((e) => e.typeSource)).toEqual(['detect', 'detect']);
    const ruled = applyTypeOverrides(cap, { urls: [{ url: '*/custom/*', direction: 'request', type: 'livekit.SignalRequest' }] }, registry);
    expect(ruled.entries.map((e) => [e.type, e.typeSource])).toEqual([
      ['livekit.SignalRequest', 'url-override'],
      [undefined, 'detect'],
    ]);
    const both = applyTypeOverrides(ruled, {
      entries: { 0: 'livekit.Ping', 1: 'livekit.SignalResponse' },
      urls: [{ url: '/custom/socket', type: 'livekit.Room' }],
    });
    expect(both.entries.map((e) => [e.type, e.typeSource])).toEqual([
      ['livekit.Ping', 'entry-override'],
      ['livekit.SignalResponse', 'entry-override'],
    ]);
    const none = applyTypeOverrides(both, {});
    expect(none.entries.map((e) => e.typeSource)).toEqual(['detect', 'detect']);
  });

  it('refuses an override naming a type that is not loaded, or an entry that does not exist', () => {
    const cap = signal();
    expect(() => applyTypeOverrides(cap, { entries: { 0: 'acme.Nope' } }, registry)).toThrow(
      "type override: unknown message type 'acme.Nope'",
    );
    expect(() => applyTypeOverrides(cap, { entries: { 5: 'livekit.Room' } })).toThrow('type override: no entry 5 (the capture has 2)');
  });
});
