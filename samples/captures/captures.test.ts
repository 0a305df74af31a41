/**
 * The sample capture: the committed HAR is what scripts/make-captures.ts writes, it lists with
 * every entry typed as expected, and every readable message decodes as its type, checked by
 * @livekit/protocol (an independent decoder): each /rtc frame holds the oneof case expected.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListParticipantsResponse, ListRoomsResponse, Room, SignalRequest, SignalResponse, WrappedJoinRequest } from '@livekit/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeDecompress } from '../../core-node/capture/decompress';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { exportStreams } from '../../core/capture/export-streams';
import { openEntry } from '../../core/capture/open-entry';
import { readCapture } from '../../core/capture/read-capture';
import { decodeMessage } from '../../core/document/decode';
import type { SchemaRegistry } from '../../core/schema/registry';
import { indexStream, messageAt } from '../../core/stream/stream-framing';
import { CAPTURE_FILE, buildCaptureSample } from '../../scripts/make-captures';

const HAR = readFileSync(join(import.meta.dirname, CAPTURE_FILE));
let registry: SchemaRegistry;
beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

describe('samples/captures', () => {
  it('is what scripts/make-captures.ts writes', () => {
    expect(HAR.toString('utf8')).toBe(buildCaptureSample().har);
  });

  it('lists every entry with the direction, protocol and type expected, in time order', () => {
    const { expected } = buildCaptureSample();
    const capture = readCapture(new Uint8Array(HAR), { schemas: registry });
    expect(capture.entries.map((e) => [e.direction, e.protocol, e.type])).toEqual(expected.map((e) => [e.direction, e.protocol, e.type]));
    expect(capture.skippedEntries).toBe(1); // the HTML page
    const times = capture.entries.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('decodes every readable message as its type, and reports the lossy request', () => {
    const { expected } = buildCaptureSample();
    const capture = readCapture(new Uint8Array(HAR), { schemas: registry });
    capture.entries.forEach((entry, i) => {
      const opened = openEntry(capture, entry, { schemas: registry, decompress: nodeDecompress });
      if (expected[i].lossy) {
        expect(opened.problem).toMatch(/^lossy body/);
        return;
      }
      expect(opened.problem).toBeUndefined();
      expect(opened.messages).toHaveLength(1);
      const [m] = opened.messages;
      expect(m.typeName).toBe(expected[i].type);
      // Our decoder reads it completely...
      expect(decodeMessage(m.bytes, registry.findMessage(m.typeName!)!).fields.length).toBeGreaterThan(0);
      // ...and so does LiveKit's own, with the expected signal case.
      if (expected[i].signal) {
        const decoded = entry.direction === 'request' ? SignalRequest.fromBinary(m.bytes) : SignalResponse.fromBinary(m.bytes);
        expect(decoded.message.case).toBe(expected[i].signal);
      }
    });
  });

  it('carries the RPC payloads a LiveKit SDK reads back', () => {
    const capture = readCapture(new Uint8Array(HAR), { schemas: registry });
    const message = (type: string) => {
      const entry = capture.entries.find((e) => e.type === type)!;
      return openEntry(capture, entry, { schemas: registry, decompress: nodeDecompress }).messages[0].bytes;
    };
    expect(Room.fromBinary(message('livekit.Room')).name).toBe('standup');
    // The JSON body, encoded through the schema.
    expect(ListRoomsResponse.fromBinary(message('livekit.ListRoomsResponse')).rooms.map((r) => r.sid)).toEqual(['RM_STANDUP']);
    // The gRPC-Web text body, its frames base64-encoded apart.
    expect(ListParticipantsResponse.fromBinary(message('livekit.ListParticipantsResponse')).participants.map((p) => p.identity)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    expect(WrappedJoinRequest.fromBinary(message('livekit.WrappedJoinRequest')).joinRequest.length).toBeGreaterThan(0);
  });

  it('exports the signal channel as delimited streams of SignalRequest and SignalResponse', () => {
    const capture = readCapture(new Uint8Array(HAR), { schemas: registry });
    const rtc = capture.entries.filter((e) => e.protocol === 'websocket' && e.type !== 'livekit.WrappedJoinRequest').map((e) => e.index);
    const out = exportStreams(capture, { schemas: registry }, rtc);
    expect(out.skipped).toEqual([]);
    const read = (bytes: Uint8Array) => {
      const index = indexStream(bytes, 'delimited');
      expect(index.error).toBeNull();
      return Array.from({ length: index.count }, (_, i) => messageAt(index, i));
    };
    expect(read(out.requests.bytes).map((b) => SignalRequest.fromBinary(b).message.case)).toEqual([
      'offer',
      'trickle',
      'answer',
      'trickle',
      'subscription',
      'pingReq',
    ]);
    expect(read(out.responses.bytes).map((b) => SignalResponse.fromBinary(b).message.case)).toEqual([
      'join',
      'answer',
      'trickle',
      'offer',
      'update',
      'pongResp',
    ]);
  });
});
