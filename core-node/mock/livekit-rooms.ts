/**
 * The LiveKit mock's rooms, shared by its services (RoomService, Egress, SIP, AgentDispatch): rooms
 * with their participants, created and closed as livekit-server does, within the mock's caps. A
 * room without participants closes after `emptyTimeout` seconds from its creation when no one has
 * joined it yet, else `departureTimeout` seconds after the last one left (livekit-server's
 * Room.CloseIfEmpty; defaults 300 and 20 s).
 */
import { randomBytes } from 'node:crypto';
import { MockError } from './mock-errors';
import type { FixtureParticipant } from './fixture';
import type { JsonObject } from './mock-service';

/** Limits as livekit-server's defaults (config.LimitConfig). */
export const LIVEKIT_LIMITS = { maxRoomNameLength: 256, maxParticipantNameLength: 256, maxMetadataSize: 64000, maxAttributesSize: 64000 };

/** Rooms the mock holds at most unless told otherwise (its own cap: livekit-server has none). */
export const DEFAULT_MAX_ROOMS = 1000;

const ENABLED_CODECS = ['audio/opus', 'audio/red', 'video/VP8', 'video/H264', 'video/VP9', 'video/AV1'].map((mime) => ({ mime }));
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A LiveKit-style id: prefix and 12 random base62 characters (RM_, PA_, TR_, EG_, IN_, ...). */
export function livekitId(prefix: string): string {
  const b = randomBytes(12);
  let s = prefix;
  for (const x of b) s += B62[x % 62];
  return s;
}

/** A room and what is in it. */
export interface RoomState {
  room: JsonObject;
  participants: Map<string, JsonObject>;
  /** PerformRpc answers by participant. */
  rpc: Map<string, Record<string, string>>;
  /** When the first participant joined and the last one left, ms (0: never). */
  firstJoinedAt: number;
  lastLeftAt: number;
}

/** Options of the room store. */
export interface LiveKitRoomsOptions {
  now(): Date;
  /** Most rooms held at once; more are refused with resource_exhausted. */
  maxRooms?: number;
  /** A room closed because it stayed empty. */
  onClosed?(room: string, why: 'empty' | 'departed'): void;
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && v > 0 ? v : fallback;
}

/** Rooms by name, closed lazily (`sweep` runs before every lookup) when their timeout has passed. */
export class LiveKitRooms {
  private readonly rooms = new Map<string, RoomState>();
  readonly maxRooms: number;

  constructor(private readonly opts: LiveKitRoomsOptions) {
    this.maxRooms = opts.maxRooms ?? DEFAULT_MAX_ROOMS;
  }

  /** Closes every empty room whose timeout has passed. */
  sweep(): void {
    const t = this.opts.now().getTime();
    for (const [name, st] of this.rooms) {
      if (st.participants.size > 0) continue;
      const departed = st.firstJoinedAt > 0 && st.lastLeftAt > 0;
      const since = departed ? st.lastLeftAt : Number(st.room.creationTimeMs);
      const timeout = departed ? num(st.room.departureTimeout, 20) : num(st.room.emptyTimeout, 300);
      if (t - since >= timeout * 1000) {
        this.rooms.delete(name);
        this.opts.onClosed?.(name, departed ? 'departed' : 'empty');
      }
    }
  }

  /** The room, if it is open. */
  get(name: string): RoomState | undefined {
    this.sweep();
    return this.rooms.get(name);
  }

  /** The room, or not_found "requested room does not exist" (livekit-server's ErrRoomNotFound). */
  require(name: string): RoomState {
    const st = this.get(name);
    if (!st) throw new MockError('not_found', 'requested room does not exist');
    return st;
  }

  /** Open rooms, oldest first. */
  list(): RoomState[] {
    this.sweep();
    return [...this.rooms.values()];
  }

  /** How many rooms are open. */
  get size(): number {
    this.sweep();
    return this.rooms.size;
  }

  /** Opens a room (CreateRoomRequest fields in proto3 JSON); resource_exhausted past the cap. */
  create(name: string, req: JsonObject = {}): RoomState {
    this.sweep();
    if (this.rooms.size >= this.maxRooms)
      throw new MockError('resource_exhausted', `the mock holds ${this.maxRooms} rooms, its limit (--max-rooms): delete some first`);
    const t = this.opts.now().getTime();
    const room: JsonObject = {
      sid: livekitId('RM_'),
      name,
      emptyTimeout: num(req.emptyTimeout, 300),
      departureTimeout: num(req.departureTimeout, 20),
      maxParticipants: typeof req.maxParticipants === 'number' ? req.maxParticipants : 0,
      creationTime: String(Math.floor(t / 1000)),
      creationTimeMs: String(t),
      turnPassword: randomBytes(16).toString('base64url'),
      enabledCodecs: ENABLED_CODECS,
      metadata: typeof req.metadata === 'string' ? req.metadata : '',
      numParticipants: 0,
      numPublishers: 0,
      activeRecording: false,
    };
    const st: RoomState = { room, participants: new Map(), rpc: new Map(), firstJoinedAt: 0, lastLeftAt: 0 };
    this.rooms.set(name, st);
    return st;
  }

  /** Closes a room now. */
  delete(name: string): boolean {
    return this.rooms.delete(name);
  }

  /** Adds (or replaces) a participant, seeded from the fixture's shape. */
  addParticipant(st: RoomState, p: FixtureParticipant): JsonObject {
    const t = this.opts.now().getTime();
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
    this.put(st, p.identity, info);
    if (rpc) st.rpc.set(p.identity, rpc);
    return info;
  }

  /** Puts a participant in a room as it is (a moved one keeps its sid). */
  put(st: RoomState, identity: string, info: JsonObject): void {
    st.participants.set(identity, info);
    if (!st.firstJoinedAt) st.firstJoinedAt = this.opts.now().getTime();
    refreshCounts(st);
  }

  /** Takes a participant out; the room's departure timeout starts when it is the last. */
  removeParticipant(st: RoomState, identity: string): boolean {
    const had = st.participants.delete(identity);
    if (had && st.participants.size === 0) st.lastLeftAt = this.opts.now().getTime();
    refreshCounts(st);
    return had;
  }
}

function refreshCounts(st: RoomState): void {
  st.room.numParticipants = st.participants.size;
  st.room.numPublishers = [...st.participants.values()].filter((p) => Array.isArray(p.tracks) && p.tracks.length > 0).length;
}
