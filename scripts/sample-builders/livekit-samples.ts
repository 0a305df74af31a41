/** The LiveKit samples, built with @livekit/protocol's own classes, so the bytes are what a LiveKit SDK sends. */
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
import type { Sample } from './sample-entry';

/** A fixed instant (seconds since the epoch), so output never depends on the clock. */
export const T0 = 1_747_000_000n;

/** A ParticipantInfo as a LiveKit server sends it (even `i`: a publisher with a simulcast camera track). */
export function participant(i: number, name: string, extra: Partial<ParticipantInfo> = {}): ParticipantInfo {
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

/** A Room with `n` participants and fixed settings. */
export function room(name: string, n: number): Room {
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

/** A SignalResponse answering a join, with `others` other participants in the room. */
export function signalJoin(others: number): SignalResponse {
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
export function livekitSamples(): Sample[] {
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
