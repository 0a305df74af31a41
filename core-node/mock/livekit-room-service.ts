/**
 * A mock of livekit-server's RoomService (Twirp API at /twirp/livekit.RoomService/*), kept in
 * memory and seeded from the fixture. It follows livekit-server's pkg/service/roomservice.go and
 * auth.go: a bad or expired token is a 401 with a plain-text body (the auth middleware); a
 * missing grant is Twirp `unauthenticated` "permissions denied" (twirpAuthError); a missing room
 * or participant is `not_found`; limits are `invalid_argument`. Rooms live in LiveKitRooms (shared
 * with the other LiveKit mocks), which closes empty ones after their timeouts.
 */
import { MockError } from './mock-errors';
import { LIVEKIT_LIMITS, type LiveKitRooms, type RoomState } from './livekit-rooms';
import { authenticateLiveKit, invalidArgument, requireGrants, type ApiKeys } from './livekit-auth';
import type { MockFixture } from './fixture';
import type { JsonObject, MockCallContext, MockServiceImpl } from './mock-service';

export { LIVEKIT_LIMITS, livekitId } from './livekit-rooms';

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
  keys: ApiKeys;
  rooms: LiveKitRooms;
  fixture?: MockFixture;
  onEvent?(e: LiveKitMockEvent): void;
  now?(): Date;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Creates the RoomService mock. */
export function createLiveKitRoomService(opts: LiveKitMockOptions): MockServiceImpl & { rooms(): JsonObject[] } {
  const now = opts.now ?? (() => new Date());
  const rooms = opts.rooms;
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.({ kind: 'livekit', method, room, detail });

  const ensureCreate = (call: MockCallContext): void => requireGrants(call);
  const ensureList = (call: MockCallContext): void => requireGrants(call);
  const ensureAdmin = (call: MockCallContext, room: string): void => requireGrants(call, { room });
  const ensureDest = (call: MockCallContext, room: string, destinationRoom: string): void => requireGrants(call, { room, destinationRoom });
  const newRoom = (name: string, req: JsonObject = {}): RoomState => rooms.create(name, req);
  // Twirp's InvalidArgumentError(ErrDestinationSameAsSourceRoom.Error(), ""), as livekit-server answers it.
  const sameRoom = (): MockError => invalidArgument('destination room cannot be the same as source room', '');

  for (const r of opts.fixture?.livekit?.rooms ?? []) {
    const st = rooms.get(r.name) ?? newRoom(r.name, r as unknown as JsonObject);
    for (const p of r.participants ?? []) rooms.addParticipant(st, p);
  }
  const remoteUnmute = opts.fixture?.livekit?.enableRemoteUnmute ?? false;

  const participantOf = (room: string, identity: string): { st: RoomState; p: JsonObject } => {
    const st = rooms.get(room);
    const p = st?.participants.get(identity);
    if (!st || !p) throw new MockError('not_found', 'participant does not exist');
    return { st, p };
  };
  const roomOf = (room: string): RoomState => rooms.require(room);
  const checkMetadata = (metadata: unknown): void => {
    if (Buffer.byteLength(str(metadata)) > LIVEKIT_LIMITS.maxMetadataSize)
      throw invalidArgument('metadata size exceeds limits', String(LIVEKIT_LIMITS.maxMetadataSize));
  };

  return {
    service: 'livekit.RoomService',
    rooms: () => rooms.list().map((s) => s.room),
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, now()),
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
        // The mock's own cap (livekit-server keeps room metadata to the same limit on update).
        checkMetadata(req.metadata);
        const st = newRoom(name, req);
        emit('CreateRoom', name, { sid: st.room.sid as string });
        return st.room;
      },
      ListRooms(req, call) {
        ensureList(call);
        const names = Array.isArray(req.names) ? (req.names as string[]) : [];
        const list = rooms
          .list()
          .map((s) => s.room)
          .filter((r) => names.length === 0 || names.includes(r.name as string));
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
        rooms.removeParticipant(st, str(req.identity));
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
        if (str(req.name).length > LIVEKIT_LIMITS.maxParticipantNameLength)
          throw invalidArgument('name length exceeds limits', String(LIVEKIT_LIMITS.maxParticipantNameLength));
        checkMetadata(req.metadata);
        const attrs = (req.attributes as Record<string, string> | undefined) ?? {};
        const attrSize = Object.entries(attrs).reduce((n, [k, v]) => n + k.length + v.length, 0);
        if (attrSize > LIVEKIT_LIMITS.maxAttributesSize) {
          throw invalidArgument('attribute size exceeds limits', String(LIVEKIT_LIMITS.maxAttributesSize));
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
        if (room === dest) throw sameRoom();
        participantOf(room, str(req.identity));
        if (!rooms.get(dest)) newRoom(dest);
        emit('ForwardParticipant', room, { identity: str(req.identity), destinationRoom: dest });
        return {};
      },
      MoveParticipant(req, call) {
        const room = str(req.room);
        const dest = str(req.destinationRoom);
        ensureDest(call, room, dest);
        if (room === dest) throw sameRoom();
        const { st, p } = participantOf(room, str(req.identity));
        const target = rooms.get(dest) ?? newRoom(dest);
        rooms.removeParticipant(st, str(req.identity));
        rooms.put(target, str(req.identity), p);
        const rpc = st.rpc.get(str(req.identity));
        if (rpc) target.rpc.set(str(req.identity), rpc);
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
        return { payload: answers && Object.hasOwn(answers, method) ? str(answers[method]) : str(req.payload) };
      },
    },
  };
}
