/** The edge-case samples: unknown fields, non-canonical order, streams, gRPC captures, invalid UTF-8, validation violations, truncation. */
import { ParticipantUpdate, Pong, SignalResponse, SignalTarget, TrickleRequest } from '@livekit/protocol';
import { WireWriter } from '../../core/wire/wire-writer';
import { WireType } from '../../core/wire/wire-types';
import { participant, room, signalJoin, T0 } from './livekit-samples';
import type { Sample } from './sample-entry';

/** Edge cases: unusual bytes the app must still show faithfully. */
export function edgeSamples(kikRequest: (json: unknown) => Uint8Array, kikPush: (json: unknown) => Uint8Array): Sample[] {
  const out: Sample[] = [];
  const enc = new TextEncoder();

  // A Room followed by one unknown field of each wire type (numbers the schema does not use).
  const roomBytes = room('standup', 3).toBinary();
  const unknown = new WireWriter()
    .raw(roomBytes)
    .tag(900, WireType.VARINT)
    .uvarint(150) // 900: varint 150
    .tag(901, WireType.I64)
    .fixed64(0x0102030405060708n) // 901: i64
    .tag(902, WireType.LEN)
    .lengthDelimited(enc.encode('extra')) // 902: len "extra"
    .tag(903, WireType.SGROUP)
    .tag(1, WireType.VARINT)
    .uvarint(7)
    .tag(903, WireType.EGROUP) // 903: group { 1: 7 }
    .tag(904, WireType.I32)
    .fixed32(0xdeadbeef) // 904: i32
    .finish();
  out.push({
    file: 'edge/unknown-fields.bin',
    type: 'livekit.Room',
    framing: 'single',
    family: 'livekit',
    edgeCase: 'unknown-fields',
    description:
      'A Room followed by unknown fields 900-904, one of each wire type (varint, i64, len, group, i32); they must survive a save unchanged.',
    bytes: unknown.slice(),
  });

  // ParticipantInfo with fields written highest number first, a repeated field split around others,
  // and a scalar field repeated (last one wins).
  const nc = new WireWriter()
    .tag(14, WireType.VARINT)
    .uvarint(1) // 14 kind = INGRESS (overridden below)
    .tag(2, WireType.LEN)
    .lengthDelimited(enc.encode('zoe')) // 2 identity
    .tag(3, WireType.VARINT)
    .uvarint(2) // 3 state = ACTIVE
    .tag(1, WireType.LEN)
    .lengthDelimited(enc.encode('PA_ZOE')) // 1 sid
    .tag(9, WireType.LEN)
    .lengthDelimited(enc.encode('Zoe')) // 9 name
    .tag(14, WireType.VARINT)
    .uvarint(0) // 14 kind = STANDARD (last wins)
    .tag(5, WireType.LEN)
    .lengthDelimited(enc.encode('{"a":1}')) // 5 metadata
    .finish();
  out.push({
    file: 'edge/non-canonical-order.bin',
    type: 'livekit.ParticipantInfo',
    framing: 'single',
    family: 'livekit',
    edgeCase: 'non-canonical-order',
    description:
      'ParticipantInfo with fields out of number order and `kind` written twice (the last value wins); re-encoding untouched must keep this order.',
    bytes: nc.slice(),
  });

  // 1,000 SignalResponses, each preceded by its length as a varint.
  const stream = new WireWriter(1 << 20);
  for (let i = 0; i < 1000; i++) {
    const r =
      i === 0
        ? signalJoin(1)
        : i % 3 === 0
          ? new SignalResponse({
              message: {
                case: 'pongResp',
                value: new Pong({ lastPingTimestamp: T0 * 1000n + BigInt(i), timestamp: T0 * 1000n + BigInt(i) + 12n }),
              },
            })
          : i % 3 === 1
            ? new SignalResponse({
                message: {
                  case: 'update',
                  value: new ParticipantUpdate({ participants: [participant(i, ['bob', 'carol', 'dave'][i % 3])] }),
                },
              })
            : new SignalResponse({
                message: {
                  case: 'trickle',
                  value: new TrickleRequest({
                    candidateInit: `{"candidate":"candidate:${i} 1 udp 2122260223 192.0.2.${i % 250} ${40000 + i} typ host"}`,
                    target: SignalTarget.PUBLISHER,
                  }),
                },
              });
    stream.lengthDelimited(r.toBinary());
  }
  out.push({
    file: 'edge/signal-responses-1000.delimited',
    type: 'livekit.SignalResponse',
    framing: 'delimited',
    family: 'livekit',
    edgeCase: 'large-stream',
    messages: 1000,
    description:
      'A varint-delimited stream of 1,000 SignalResponses (join, then pong / participant update / trickle), as written by writeDelimitedTo.',
    bytes: stream.finish().slice(),
  });

  // gRPC: three length-prefixed frames (flag 0 = uncompressed, 4-byte big-endian length) of server pushes.
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    frames.push(
      kikPush({
        convoVideoState: {
          convoId: { group: { localPart: '1234567890123_g' } },
          userStates: [
            { user: { localPart: 'alice' }, state: i === 0 ? 'CONNECTING' : 'CONNECTED' },
            ...(i === 2 ? [{ user: { localPart: 'bob' }, state: 'CONNECTING' }] : []),
          ],
          timestamp: new Date((1_700_000_010 + i) * 1000).toISOString(),
        },
        notificationId: `n-${i + 1}`,
      }),
    );
  }
  const grpc = new WireWriter();
  for (const f of frames) {
    grpc.raw(new Uint8Array([0, (f.length >>> 24) & 0xff, (f.length >>> 16) & 0xff, (f.length >>> 8) & 0xff, f.length & 0xff])).raw(f);
  }
  out.push({
    file: 'edge/grpc-capture.grpc',
    type: 'mobileremote.video.v1.OnConvoVideoStateChangedNotification',
    framing: 'grpc',
    family: 'kik-video',
    edgeCase: 'grpc-capture',
    messages: 3,
    description:
      'A captured gRPC body: three length-prefixed frames (0x00 + 4-byte big-endian length) of MobileVideo.OnConvoVideoStateChanged pushes.',
    bytes: grpc.finish().slice(),
  });

  // A string field whose bytes are not UTF-8.
  const bad = new WireWriter()
    .tag(1, WireType.LEN)
    .lengthDelimited(enc.encode('PA_BAD')) // 1 sid
    .tag(2, WireType.LEN)
    .lengthDelimited(new Uint8Array([0x62, 0x6f, 0xff, 0xfe, 0x62])) // 2 identity: "bo" FF FE "b"
    .tag(9, WireType.LEN)
    .lengthDelimited(new Uint8Array([0xc3, 0x28])) // 9 name: C3 28 (bad 2-byte sequence)
    .finish();
  out.push({
    file: 'edge/invalid-utf8.bin',
    type: 'livekit.ParticipantInfo',
    framing: 'single',
    family: 'livekit',
    edgeCase: 'invalid-utf8',
    description: 'ParticipantInfo whose identity (62 6f ff fe 62) and name (c3 28) are not valid UTF-8; the bytes must be kept exactly.',
    bytes: bad.slice(),
  });

  // A Kik request breaking its validation rules.
  const convo = (a: string, b: string) => ({ oneToOne: { users: [{ localPart: a }, { localPart: b }] } });
  const invalid = kikRequest({
    convoIds: [
      convo('zed', 'amy'), // users not in ascending order
      { oneToOne: { users: [{ localPart: 'solo' }] } }, // only one user (min_repetitions 2)
      { group: { localPart: 'not-a-group' } }, // regex ^\d{13}_g$
      convo('Bad Name!', 'carol'), // regex on user local_part
      ...Array.from({ length: 18 }, (_, i) => convo(`user${String(i).padStart(2, '0')}`, `user${String(i + 50)}`)),
    ],
  });
  out.push({
    file: 'edge/kik-invalid-request.bin',
    type: 'mobile.video.v1.BatchedGetConvoStateRequest',
    framing: 'single',
    family: 'kik-video',
    edgeCase: 'validation-violations',
    description:
      'BatchedGetConvoStateRequest that breaks its kik.validation rules: 22 convo ids (max 20), unsorted users, a one-user convo, a bad group JID and a bad user JID.',
    bytes: invalid,
  });

  // A message cut off in the middle of a length-delimited field.
  const full = room('standup', 3).toBinary();
  out.push({
    file: 'edge/truncated.bin',
    type: 'livekit.Room',
    framing: 'single',
    family: 'livekit',
    edgeCase: 'truncated',
    description: `A Room cut to ${Math.floor(full.length * 0.6)} of its ${full.length} bytes, mid-field: decoding must fail at a named offset (or show what parsed in tolerant mode).`,
    bytes: full.slice(0, Math.floor(full.length * 0.6)),
  });
  return out;
}
