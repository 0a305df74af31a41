/**
 * A mock of livekit-server's RoomService (Twirp API at /twirp/livekit.RoomService/*), kept in
 * memory and seeded from the fixture. It follows livekit-server's pkg/service/roomservice.go and
 * auth.go: a bad or expired token is a 401 with a plain-text body (the auth middleware); a
 * missing grant is Twirp `unauthenticated` "permissions denied" (twirpAuthError); a missing room
 * or participant is `not_found`; limits are `invalid_argument`.
 */
import { randomBytes } from 'node:crypto';
import { verifyLiveKitToken, TokenError, type LiveKitClaims } from '../livekit/access-token';
import { MockError } from './mock-errors';
import type { FixtureParticipant, FixtureRoom, MockFixture } from './fixture';
import type { JsonObject, MockCallContext, MockServiceImpl } from './mock-service';

/** Limits as livekit-server's defaults (config.LimitConfig). */
export const LIVEKIT_LIMITS = { maxRoomNameLength: 256, maxParticipantNameLength: 256, maxMetadataSize: 64000, maxAttributesSize: 64000 };

const ENABLED_CODECS = ['audio/opus', 'audio/red', 'video/VP8', 'video/H264', 'video/VP9', 'video/AV1'].map((mime) => ({ mime }));
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A LiveKit-style id: prefix and 12 random base62 characters (RM_, PA_, TR_). */
export function livekitId(prefix: string): string {
  const b = randomBytes(12);
  let s = prefix;
  for (const x of b) s += B62[x % 62];
  return s;
}

interface RoomState {
  room: JsonObject;
  participants: Map<string, JsonObject>;
  rpc: Map<string, Record<string, string>>;
}

/** An event the LiveKit mock emits (data sent, participant removed, ...), for the pane's event list. */
export interface LiveKitMockEvent {
  kind: 'livekit';
  method: string;
  room: string;
  detail: JsonObject;
}

/** Options of the LiveKit RoomService mock. */
export interface LiveKitMockOptions {
  /** API key → secret. */
  keys: Record<string, string>;
  fixture?: MockFixture;
  onEvent?(e: LiveKitMockEvent): void;
  now?(): Date;
}

interface Grants {
  claims: LiveKitClaims | null;
}

function unauth(): MockError {
  return new MockError('unauthenticated', 'permissions denied');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Creates the RoomService mock. */
export function createLiveKitRoomService(opts: LiveKitMockOptions): MockServiceImpl & { rooms(): JsonObject[] } {
  const now = opts.now ?? (() => new Date());
  const rooms = new Map<string, RoomState>();
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.({ kind: 'livekit', method, room, detail });

  const grantsOf = (call: MockCallContext): LiveKitClaims | null => (call.auth as Grants | undefined)?.claims ?? null;
  const ensureCreate = (call: MockCallContext): void => {
    if (!grantsOf(call)?.video?.roomCreate) throw unauth();
  };
  const ensureList = (call: MockCallContext): void => {
    if (!grantsOf(call)?.video?.roomList) throw unauth();
  };
  const ensureAdmin = (call: MockCallContext, room: string): void => {
    const v = grantsOf(call)?.video;
    if (!v || !v.roomAdmin || room !== (v.room ?? '')) throw unauth();
  };
  const ensureDest = (call: MockCallContext, room: string, dest: string): void => {
    const v = grantsOf(call)?.video;
    if (!v || !v.roomAdmin || room !== (v.room ?? '') || dest !== (v.destinationRoom ?? '')) throw unauth();
  };

  const refreshCounts = (st: RoomState): void => {
    st.room.numParticipants = st.participants.size;
    st.room.numPublishers = [...st.participants.values()].filter((p) => Array.isArray(p.tracks) && p.tracks.length > 0).length;
  };

  const newRoom = (name: string, req: JsonObject = {}): RoomState => {
    const t = now().getTime();
    const room: JsonObject = {
      sid: livekitId('RM_'),
      name,
      emptyTimeout: typeof req.emptyTimeout === 'number' && req.emptyTimeout > 0 ? req.emptyTimeout : 300,
      departureTimeout: typeof req.departureTimeout === 'number' && req.departureTimeout > 0 ? req.departureTimeout : 20,
      maxParticipants: typeof req.maxParticipants === 'number' ? req.maxParticipants : 0,
      creationTime: String(Math.floor(t / 1000)),
      creationTimeMs: String(t),
      turnPassword: randomBytes(16).toString('base64url'),
      enabledCodecs: ENABLED_CODECS,
      metadata: str(req.metadata),
      numParticipants: 0,
      numPublishers: 0,
      activeRecording: false,
    };
    const st: RoomState = { room, participants: new Map(), rpc: new Map() };
    rooms.set(name, st);
    return st;
  };

  const addParticipant = (st: RoomState, p: FixtureParticipant): void => {
    const t = now().getTime();
    const { rpc, tracks, ...rest } = p;
    const info: JsonObject = {
      sid: livekitId('PA_'),
      state: 'ACTIVE',
      joinedAt: String(Math.floor(t / 1000)),
      joinedAtMs: String(t),
      name: '',
      metadata: '',
      permission: { canSubscribe: true, canPublish: true, canPublishData: true },
      isPublisher: (tracks ?? []).length > 0,
      kind: 'STANDARD',
      attributes: {},
      ...rest,
      tracks: (tracks ?? []).map((tr) => ({
        type: 'AUDIO',
        name: '',
        muted: false,
        source: tr.type === 'VIDEO' ? 'CAMERA' : 'MICROPHONE',
        ...tr,
      })),
    };
    st.participants.set(p.identity, info);
    if (rpc) st.rpc.set(p.identity, rpc);
    refreshCounts(st);
  };

  const seed = (r: FixtureRoom): void => {
    const st = newRoom(r.name, r as unknown as JsonObject);
    for (const p of r.participants ?? []) addParticipant(st, p);
  };
  for (const r of opts.fixture?.livekit?.rooms ?? []) seed(r);
  const remoteUnmute = opts.fixture?.livekit?.enableRemoteUnmute ?? false;

  const participantOf = (room: string, identity: string): { st: RoomState; p: JsonObject } => {
    const st = rooms.get(room);
    const p = st?.participants.get(identity);
    if (!st || !p) throw new MockError('not_found', 'participant does not exist');
    return { st, p };
  };
  const roomOf = (room: string): RoomState => {
    const st = rooms.get(room);
    if (!st) throw new MockError('not_found', 'requested room does not exist');
    return st;
  };
  const checkMetadata = (metadata: unknown): void => {
    if (str(metadata).length > LIVEKIT_LIMITS.maxMetadataSize) {
      throw new MockError('invalid_argument', 'metadata size exceeds limits', { argument: String(LIVEKIT_LIMITS.maxMetadataSize) });
    }
  };

  return {
    service: 'livekit.RoomService',
    rooms: () => [...rooms.values()].map((s) => s.room),
    async authenticate(headers) {
      const h = headers.authorization ?? '';
      let token = '';
      if (h) {
        if (!h.startsWith('Bearer '))
          throw new MockError('unauthenticated', 'invalid authorization header. Must start with Bearer ', {}, true);
        token = h.slice('Bearer '.length);
      }
      if (!token) return { claims: null } satisfies Grants;
      try {
        return { claims: await verifyLiveKitToken(token, (k) => opts.keys[k], now()) } satisfies Grants;
      } catch (e) {
        if (e instanceof TokenError) throw new MockError('unauthenticated', e.message, {}, true);
        throw e;
      }
    },
    methods: {
      CreateRoom(req, call) {
        ensureCreate(call);
        const name = str(req.name);
        if (name.length > LIVEKIT_LIMITS.maxRoomNameLength) {
          throw new MockError('invalid_argument', `room name length exceeds limits: max length ${LIVEKIT_LIMITS.maxRoomNameLength}`);
        }
        if (!name) throw new MockError('invalid_argument', 'no room name');
        const existing = rooms.get(name);
        if (existing) return existing.room;
        const st = newRoom(name, req);
        emit('CreateRoom', name, { sid: st.room.sid as string });
        return st.room;
      },
      ListRooms(req, call) {
        ensureList(call);
        const names = Array.isArray(req.names) ? (req.names as string[]) : [];
        const list = [...rooms.values()].map((s) => s.room).filter((r) => names.length === 0 || names.includes(r.name as string));
        return { rooms: list };
      },
      DeleteRoom(req, call) {
        ensureCreate(call);
        const room = str(req.room);
        roomOf(room);
        rooms.delete(room);
        emit('DeleteRoom', room, {});
        return {};
      },
      ListParticipants(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        return { participants: [...(rooms.get(room)?.participants.values() ?? [])] };
      },
      GetParticipant(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        return participantOf(room, str(req.identity)).p;
      },
      RemoveParticipant(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        const st = rooms.get(room);
        if (!st?.participants.has(str(req.identity))) throw new MockError('not_found', 'participant not found');
        st.participants.delete(str(req.identity));
        refreshCounts(st);
        emit('RemoveParticipant', room, { identity: str(req.identity) });
        return {};
      },
      MutePublishedTrack(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        const { p } = participantOf(room, str(req.identity));
        const track = ((p.tracks as JsonObject[]) ?? []).find((t) => t.sid === str(req.trackSid));
        if (!track) throw new MockError('not_found', 'track is not found');
        const muted = req.muted === true;
        if (!muted && track.muted && !remoteUnmute) throw new MockError('failed_precondition', 'remote unmute not enabled');
        track.muted = muted;
        emit('MutePublishedTrack', room, { identity: str(req.identity), trackSid: str(req.trackSid), muted });
        return { track };
      },
      UpdateParticipant(req, call) {
        const room = str(req.room);
        if (str(req.name).length > LIVEKIT_LIMITS.maxParticipantNameLength) {
          throw new MockError('invalid_argument', 'name length exceeds limits', {
            argument: String(LIVEKIT_LIMITS.maxParticipantNameLength),
          });
        }
        checkMetadata(req.metadata);
        const attrs = (req.attributes as Record<string, string> | undefined) ?? {};
        const attrSize = Object.entries(attrs).reduce((n, [k, v]) => n + k.length + v.length, 0);
        if (attrSize > LIVEKIT_LIMITS.maxAttributesSize) {
          throw new MockError('invalid_argument', 'attribute size exceeds limits', { argument: String(LIVEKIT_LIMITS.maxAttributesSize) });
        }
        ensureAdmin(call, room);
        const { p } = participantOf(room, str(req.identity));
        if (str(req.metadata)) p.metadata = req.metadata;
        if (str(req.name)) p.name = req.name;
        if (req.permission && typeof req.permission === 'object') p.permission = req.permission;
        const current = { ...((p.attributes as Record<string, string>) ?? {}) };
        for (const [k, v] of Object.entries(attrs)) {
          if (v === '') delete current[k];
          else current[k] = v;
        }
        p.attributes = current;
        emit('UpdateParticipant', room, { identity: str(req.identity) });
        return p;
      },
      UpdateSubscriptions(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        participantOf(room, str(req.identity));
        emit('UpdateSubscriptions', room, {
          identity: str(req.identity),
          trackSids: (req.trackSids as string[]) ?? [],
          subscribe: req.subscribe === true,
        });
        return {};
      },
      SendData(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        const nonce = Buffer.from(str(req.nonce), 'base64');
        if (nonce.length !== 0 && nonce.length !== 16) {
          throw new MockError('invalid_argument', `nonce should be 16-bytes or not present, got: ${nonce.length} bytes`);
        }
        roomOf(room);
        emit('SendData', room, {
          bytes: Buffer.from(str(req.data), 'base64').length,
          kind: req.kind ?? 'RELIABLE',
          topic: req.topic ?? null,
          destinationIdentities: (req.destinationIdentities as string[]) ?? [],
        });
        return {};
      },
      UpdateRoomMetadata(req, call) {
        const room = str(req.room);
        checkMetadata(req.metadata);
        ensureAdmin(call, room);
        const st = roomOf(room);
        st.room.metadata = str(req.metadata);
        emit('UpdateRoomMetadata', room, {});
        return st.room;
      },
      ForwardParticipant(req, call) {
        const room = str(req.room);
        const dest = str(req.destinationRoom);
        ensureDest(call, room, dest);
        if (room === dest) throw new MockError('invalid_argument', 'destination room cannot be the same as source room');
        participantOf(room, str(req.identity));
        if (!rooms.has(dest)) newRoom(dest);
        emit('ForwardParticipant', room, { identity: str(req.identity), destinationRoom: dest });
        return {};
      },
      MoveParticipant(req, call) {
        const room = str(req.room);
        const dest = str(req.destinationRoom);
        ensureDest(call, room, dest);
        if (room === dest) throw new MockError('invalid_argument', 'destination room cannot be the same as source room');
        const { st, p } = participantOf(room, str(req.identity));
        const target = rooms.get(dest) ?? newRoom(dest);
        st.participants.delete(str(req.identity));
        target.participants.set(str(req.identity), p);
        const rpc = st.rpc.get(str(req.identity));
        if (rpc) target.rpc.set(str(req.identity), rpc);
        refreshCounts(st);
        refreshCounts(target);
        emit('MoveParticipant', room, { identity: str(req.identity), destinationRoom: dest });
        return {};
      },
      PerformRpc(req, call) {
        const room = str(req.room);
        ensureAdmin(call, room);
        const dest = str(req.destinationIdentity);
        if (!dest) throw new MockError('invalid_argument', 'destination identity is required');
        const { st } = participantOf(room, dest);
        const answers = st.rpc.get(dest);
        const method = str(req.method);
        emit('PerformRpc', room, { destinationIdentity: dest, method });
        return { payload: answers && method in answers ? answers[method] : str(req.payload) };
      },
    },
  };
}
