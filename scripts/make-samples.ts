/**
 * Writes samples/: binary LiveKit and Kik video messages plus edge cases, and samples/index.json
 * describing each. Deterministic: the same inputs always give the same bytes (no clocks, no
 * randomness), and samples/samples.test.ts checks the committed files against a fresh run.
 *
 * LiveKit messages are built with @livekit/protocol's own classes (so the bytes are what a
 * LiveKit SDK sends); Kik messages with protobufjs from our schemas/kik-video.
 *
 * Usage: npx tsx scripts/make-samples.ts [--out DIR]
 */
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import protojson from 'protobufjs/ext/protojson.js';
import {
  ActiveSpeakerUpdate,
  AddTrackRequest,
  ClientInfo,
  ClientInfo_SDK,
  ConnectionSettings,
  Codec,
  CreateRoomRequest,
  DataPacket,
  DataPacket_Kind,
  EgressInfo,
  EgressStatus,
  EncodedFileOutput,
  EncodedFileType,
  FileInfo,
  ICEServer,
  JoinRequest,
  JoinResponse,
  ListRoomsResponse,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantPermission,
  ParticipantTracks,
  ParticipantUpdate,
  Pong,
  RoomCompositeEgressRequest,
  Room,
  RpcRequest,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  SpeakerInfo,
  TrackInfo,
  TrackSource,
  TrackType,
  TrickleRequest,
  UpdateSubscription,
  UserPacket,
  VideoLayer,
  VideoQuality,
  WebhookEvent,
} from '@livekit/protocol';
import { WireWriter } from '../core/wire/wire-writer';
import { WireType } from '../core/wire/wire-types';
import { KIK_DIR, loadProtoRoot } from '../schemas/schema-files';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** How a sample's bytes are framed. */
export type Framing = 'single' | 'delimited' | 'grpc';

/** One entry of samples/index.json. */
export interface SampleEntry {
  file: string;
  type: string;
  framing: Framing;
  /** What the sample shows. */
  description: string;
  /** Schema family. */
  family: 'livekit' | 'kik-video';
  /** Edge-case samples: what is unusual (absent for ordinary messages). */
  edgeCase?:
    'unknown-fields' | 'non-canonical-order' | 'large-stream' | 'grpc-capture' | 'invalid-utf8' | 'validation-violations' | 'truncated';
  /** Message count, for streams. */
  messages?: number;
  /** Set when the bytes are, by nature, an equally valid encoding of other types (type detection cannot tell). */
  ambiguous?: string;
}

/** One generated sample: its entry and bytes. */
export interface Sample extends SampleEntry {
  bytes: Uint8Array;
}

// Fixed instants (seconds since the epoch) so output never depends on the clock.
const T0 = 1_747_000_000n;

function participant(i: number, name: string, extra: Partial<ParticipantInfo> = {}): ParticipantInfo {
  return new ParticipantInfo({
    sid: `PA_${name.toUpperCase()}${i}`,
    identity: name,
    name: name[0].toUpperCase() + name.slice(1),
    state: ParticipantInfo_State.ACTIVE,
    joinedAt: T0 + BigInt(i),
    joinedAtMs: (T0 + BigInt(i)) * 1000n,
    version: 3,
    permission: new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true }),
    isPublisher: i % 2 === 0,
    kind: ParticipantInfo_Kind.STANDARD,
    attributes: { role: i === 0 ? 'host' : 'guest' },
    tracks:
      i % 2 === 0
        ? [
            new TrackInfo({
              sid: `TR_CAM${i}`,
              type: TrackType.VIDEO,
              name: 'camera',
              source: TrackSource.CAMERA,
              width: 1280,
              height: 720,
              simulcast: true,
              mimeType: 'video/VP8',
              mid: String(i),
              layers: [
                new VideoLayer({ quality: VideoQuality.LOW, width: 320, height: 180, bitrate: 150_000, ssrc: 1001 + i }),
                new VideoLayer({ quality: VideoQuality.HIGH, width: 1280, height: 720, bitrate: 1_700_000, ssrc: 2001 + i }),
              ],
            }),
          ]
        : [],
    ...extra,
  });
}

function room(name: string, n: number): Room {
  return new Room({
    sid: `RM_${name.replace(/[^a-z0-9]/gi, '').toUpperCase()}`,
    name,
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 50,
    creationTime: T0,
    creationTimeMs: T0 * 1000n,
    turnPassword: '',
    enabledCodecs: [new Codec({ mime: 'audio/opus' }), new Codec({ mime: 'video/VP8' }), new Codec({ mime: 'video/H264' })],
    metadata: '{"topic":"weekly sync"}',
    numParticipants: n,
    numPublishers: Math.ceil(n / 2),
    activeRecording: n > 2,
  });
}

function signalJoin(others: number): SignalResponse {
  return new SignalResponse({
    message: {
      case: 'join',
      value: new JoinResponse({
        room: room('standup', others + 1),
        participant: participant(0, 'alice'),
        otherParticipants: Array.from({ length: others }, (_, i) => participant(i + 1, ['bob', 'carol', 'dave', 'erin'][i % 4])),
        serverVersion: '1.9.0',
        iceServers: [new ICEServer({ urls: ['turn:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' })],
        subscriberPrimary: true,
        serverRegion: 'eu-west',
        pingTimeout: 15,
        pingInterval: 5,
        serverInfo: new ServerInfo({
          edition: ServerInfo_Edition.Standard,
          version: '1.9.0',
          protocol: 16,
          region: 'eu-west',
          nodeId: 'ND_1',
        }),
      }),
    },
  });
}

/** The LiveKit samples. */
function livekitSamples(): Sample[] {
  const lk = (file: string, type: string, description: string, msg: { toBinary(): Uint8Array }): Sample => ({
    file: `livekit/${file}`,
    type: `livekit.${type}`,
    framing: 'single',
    family: 'livekit',
    description,
    bytes: msg.toBinary(),
  });
  return [
    lk(
      'create-room-request.bin',
      'CreateRoomRequest',
      'RoomService.CreateRoom request: name, timeouts, participant limit, metadata, tags.',
      new CreateRoomRequest({
        name: 'standup',
        emptyTimeout: 300,
        departureTimeout: 20,
        maxParticipants: 50,
        metadata: '{"topic":"weekly sync"}',
        tags: { team: 'video' },
      }),
    ),
    lk('room.bin', 'Room', 'A Room as RoomService returns it: sid, codecs, counts, 64-bit creation times.', room('standup', 3)),
    lk(
      'list-rooms-response.bin',
      'ListRoomsResponse',
      'RoomService.ListRooms response with three rooms.',
      new ListRoomsResponse({ rooms: [room('standup', 3), room('design-review', 1), room('all-hands', 42)] }),
    ),
    lk(
      'participant-info.bin',
      'ParticipantInfo',
      'A publishing participant: permissions, attributes, a simulcast camera track.',
      participant(0, 'alice'),
    ),
    lk(
      'join-request.bin',
      'JoinRequest',
      'The join request a client sends (wrapped in WrappedJoinRequest in the URL): client info and metadata. (SignalRequest has no join case at 1.51.0.)',
      new JoinRequest({
        clientInfo: new ClientInfo({
          sdk: ClientInfo_SDK.JS,
          version: '2.9.0',
          protocol: 16,
          os: 'macOS',
          osVersion: '14.5',
          deviceModel: 'MacBookPro18,3',
          browser: 'Chrome',
          browserVersion: '126.0.0',
        }),
        connectionSettings: new ConnectionSettings({ autoSubscribe: true, adaptiveStream: true }),
        metadata: 'hello',
        participantAttributes: { mood: 'ok' },
        addTrackRequests: [
          new AddTrackRequest({ cid: 'mic-1', name: 'microphone', type: TrackType.AUDIO, source: TrackSource.MICROPHONE }),
        ],
      }),
    ),
    lk(
      'signal-request-offer.bin',
      'SignalRequest',
      'SignalRequest offer: an SDP offer from the publisher.',
      new SignalRequest({
        message: {
          case: 'offer',
          value: new SessionDescription({
            type: 'offer',
            sdp: 'v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n',
            id: 1,
            midToTrackId: { '0': 'TR_MIC0', '1': 'TR_CAM0' },
          }),
        },
      }),
    ),
    lk(
      'signal-request-trickle.bin',
      'SignalRequest',
      'SignalRequest trickle: one ICE candidate for the subscriber transport.',
      new SignalRequest({
        message: {
          case: 'trickle',
          value: new TrickleRequest({
            candidateInit: '{"candidate":"candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host","sdpMid":"0","sdpMLineIndex":0}',
            target: SignalTarget.SUBSCRIBER,
          }),
        },
      }),
    ),
    lk(
      'signal-request-subscription.bin',
      'SignalRequest',
      'SignalRequest subscription: subscribe to tracks of two participants.',
      new SignalRequest({
        message: {
          case: 'subscription',
          value: new UpdateSubscription({
            trackSids: ['TR_CAM2'],
            subscribe: true,
            participantTracks: [
              new ParticipantTracks({ participantSid: 'PA_BOB1', trackSids: ['TR_MIC1'] }),
              new ParticipantTracks({ participantSid: 'PA_CAROL2', trackSids: ['TR_CAM2', 'TR_MIC2'] }),
            ],
          }),
        },
      }),
    ),
    lk(
      'signal-response-join.bin',
      'SignalResponse',
      'SignalResponse join: the room, the local participant and two others, ICE servers, server info.',
      signalJoin(2),
    ),
    lk(
      'signal-response-update.bin',
      'SignalResponse',
      'SignalResponse participant update.',
      new SignalResponse({
        message: {
          case: 'update',
          value: new ParticipantUpdate({ participants: [participant(3, 'dave', { state: ParticipantInfo_State.DISCONNECTED })] }),
        },
      }),
    ),
    lk(
      'data-packet-user.bin',
      'DataPacket',
      'DataPacket with a user payload on a topic, to two identities.',
      new DataPacket({
        kind: DataPacket_Kind.RELIABLE,
        participantIdentity: 'alice',
        destinationIdentities: ['bob', 'carol'],
        value: {
          case: 'user',
          value: new UserPacket({
            payload: new TextEncoder().encode('{"type":"chat","text":"hi"}'),
            topic: 'chat',
            id: 'msg-0001',
            nonce: new Uint8Array([0x9e, 0x11, 0x04, 0x7a]),
          }),
        },
        sequence: 42,
        participantSid: 'PA_ALICE0',
      }),
    ),
    lk(
      'data-packet-rpc-request.bin',
      'DataPacket',
      'DataPacket with an RPC request (method, JSON payload, timeout).',
      new DataPacket({
        kind: DataPacket_Kind.RELIABLE,
        participantIdentity: 'agent-7',
        destinationIdentities: ['alice'],
        value: {
          case: 'rpcRequest',
          value: new RpcRequest({
            id: 'c2f4a3e0-0001',
            method: 'getLocation',
            payload: '{"precise":false}',
            responseTimeoutMs: 10_000,
            version: 1,
          }),
        },
      }),
    ),
    lk(
      'data-packet-speakers.bin',
      'DataPacket',
      'DataPacket with an active-speaker update (floats).',
      new DataPacket({
        kind: DataPacket_Kind.LOSSY,
        value: {
          case: 'speaker',
          value: new ActiveSpeakerUpdate({
            speakers: [
              new SpeakerInfo({ sid: 'PA_ALICE0', level: 0.75, active: true }),
              new SpeakerInfo({ sid: 'PA_BOB1', level: 0.125, active: true }),
            ],
          }),
        },
        participantIdentity: 'alice',
        sequence: 7,
      }),
    ),
    lk(
      'webhook-event.bin',
      'WebhookEvent',
      'Webhook participant_joined: room, participant, event id and time.',
      new WebhookEvent({
        event: 'participant_joined',
        room: room('standup', 2),
        participant: participant(1, 'bob'),
        id: 'EV_9a8b7c',
        createdAt: T0 + 5n,
      }),
    ),
    lk(
      'egress-info.bin',
      'EgressInfo',
      'EgressInfo of a room-composite MP4 recording that completed, with its file result.',
      new EgressInfo({
        egressId: 'EG_3xYz',
        roomId: 'RM_STANDUP',
        roomName: 'standup',
        status: EgressStatus.EGRESS_COMPLETE,
        startedAt: T0 * 1_000_000_000n,
        endedAt: (T0 + 1800n) * 1_000_000_000n,
        updatedAt: (T0 + 1801n) * 1_000_000_000n,
        request: {
          case: 'roomComposite',
          value: new RoomCompositeEgressRequest({
            roomName: 'standup',
            layout: 'speaker',
            fileOutputs: [new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath: 'recordings/standup.mp4' })],
          }),
        },
        result: {
          case: 'file',
          value: new FileInfo({
            filename: 'recordings/standup.mp4',
            startedAt: T0 * 1_000_000_000n,
            endedAt: (T0 + 1800n) * 1_000_000_000n,
            duration: 1800n * 1_000_000_000n,
            size: 734_003_200n,
            location: 's3://bucket/recordings/standup.mp4',
          }),
        },
        fileResults: [new FileInfo({ filename: 'recordings/standup.mp4', size: 734_003_200n })],
      }),
    ),
  ];
}

/** Kik messages: JSON in, bytes out through our schema. */
function kikSamples(): Sample[] {
  const root = loadProtoRoot(KIK_DIR);
  const enc = (type: string, json: unknown): Uint8Array => {
    const t = root.lookupType(type);
    return t.encode(protojson.fromJson(t, json)).finish();
  };
  const group = { group: { localPart: '1234567890123_g' } };
  const oneToOne = { oneToOne: { users: [{ localPart: 'alice' }, { localPart: 'bob' }] } };
  const state = (users: Array<[string, string]>, seconds: number) => ({
    convoId: group,
    userStates: users.map(([u, s]) => ({ user: { localPart: u }, state: s })),
    timestamp: new Date(seconds * 1000).toISOString(),
  });
  const kik = (file: string, type: string, description: string, json: unknown): Sample => ({
    file: `kik-video/${file}`,
    type,
    framing: 'single',
    family: 'kik-video',
    description,
    bytes: enc(type, json),
  });
  return [
    kik(
      'batched-get-convo-state-request.bin',
      'mobile.video.v1.BatchedGetConvoStateRequest',
      'KikVideo.BatchedGetConvoState request for a group and a one-to-one convo.',
      { convoIds: [group, oneToOne] },
    ),
    kik(
      'batched-get-convo-state-response.bin',
      'mobile.video.v1.BatchedGetConvoStateResponse',
      'BatchedGetConvoState response: one active conference, one empty state.',
      {
        latestStates: [
          state(
            [
              ['alice', 'CONNECTED'],
              ['carol', 'CONNECTING'],
            ],
            1_700_000_000,
          ),
          { convoId: oneToOne, timestamp: '2023-11-14T22:13:21Z' },
        ],
      },
    ),
    {
      ...kik(
        'join-convo-conference-request.bin',
        'mobile.video.v1.JoinConvoConferenceRequest',
        'KikVideo.JoinConvoConference request for a group convo.',
        { convoId: group },
      ),
      ambiguous:
        'byte-identical to a BatchedGetConvoStateRequest with one convo id and to a LeaveConvoConferenceNotification without a token (convo_id is all a client sends); detect breaks the tie: one occurrence fits a singular field better than a repeated one, and the notification leaves its token unused',
    },
    kik(
      'join-convo-conference-response-ok.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response OK: state, media server host/port/conference id, connection token.',
      {
        latestState: state([['alice', 'CONNECTING']], 1_700_000_002),
        connectionInfo: { host: 'media-7.video.kik.example', port: 443, conferenceId: 'kik.AAAAAAAAAAAAAAAA.BBBB' },
        connectionToken: { payload: 'AQID/w==' },
      },
    ),
    kik(
      'join-convo-conference-response-full.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response FULL: the conference is at capacity; current state only.',
      {
        result: 'FULL',
        latestState: state(
          [
            ['alice', 'CONNECTED'],
            ['bob', 'CONNECTED'],
            ['carol', 'CONNECTED'],
            ['dave', 'CONNECTED'],
            ['erin', 'CONNECTED'],
            ['frank', 'CONNECTED'],
          ],
          1_700_000_003,
        ),
      },
    ),
    kik(
      'join-convo-conference-response-not-allowed.bin',
      'mobile.video.v1.JoinConvoConferenceResponse',
      'Join response NOT_ALLOWED (e.g. not a member of the group): the result and the conference state the service still returns (latest_state MAY be set for any result); no connection info or token.',
      {
        result: 'NOT_ALLOWED',
        latestState: state(
          [
            ['alice', 'CONNECTED'],
            ['bob', 'CONNECTING'],
          ],
          1_700_000_005,
        ),
      },
    ),
    kik(
      'leave-convo-conference-notification.bin',
      'mobile.video.v1.LeaveConvoConferenceNotification',
      'KikVideo.OnLeaveConvoConference: convo and the token from the join.',
      { convoId: oneToOne, connectionToken: { payload: 'dG9rLTQy' } },
    ),
    kik(
      'on-convo-video-state-changed-notification.bin',
      'mobileremote.video.v1.OnConvoVideoStateChangedNotification',
      'MobileVideo push: a user connected; notification id for the ack.',
      { convoVideoState: state([['alice', 'CONNECTED']], 1_700_000_004), notificationId: '6f1c2a9e-1b7d-4c1e-9a51-2f3b4c5d6e7f' },
    ),
  ];
}

/** Edge cases: unusual bytes the app must still show faithfully. */
function edgeSamples(kikRequest: (json: unknown) => Uint8Array, kikPush: (json: unknown) => Uint8Array): Sample[] {
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

/** Every sample, in index order. */
export function buildSamples(): Sample[] {
  const root = loadProtoRoot(KIK_DIR);
  const encoder =
    (type: string) =>
    (json: unknown): Uint8Array => {
      const t = root.lookupType(type);
      return t.encode(protojson.fromJson(t, json)).finish();
    };
  return [
    ...livekitSamples(),
    ...kikSamples(),
    ...edgeSamples(
      encoder('mobile.video.v1.BatchedGetConvoStateRequest'),
      encoder('mobileremote.video.v1.OnConvoVideoStateChangedNotification'),
    ),
  ];
}

/** Writes the samples and index.json into dir (cleaning the sample folders first). */
export function writeSamples(dir: string): SampleEntry[] {
  const samples = buildSamples();
  for (const sub of ['livekit', 'kik-video', 'edge']) {
    const p = join(dir, sub);
    if (existsSync(p)) rmSync(p, { recursive: true, force: true });
  }
  const index: SampleEntry[] = [];
  for (const { bytes, ...entry } of samples) {
    const p = join(dir, entry.file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
    index.push(entry);
  }
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ note: 'Written by scripts/make-samples.ts; do not edit by hand.', samples: index }, null, 2) + '\n',
  );
  return index;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = resolve(values.out ?? join(ROOT, 'samples'));
  const index = writeSamples(dir);
  console.log(`wrote ${index.length} samples to ${dir}`);
}
