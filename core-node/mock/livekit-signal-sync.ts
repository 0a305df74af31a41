/**
 * Keeps the mock's LiveKit signal clients up to date with their room, whoever changed it: a
 * snapshot of each room with connected clients, compared with the room as it is now after every
 * change. Participants that joined or changed go out as SignalResponse { update }, those that left
 * as update with state DISCONNECTED, a changed room metadata (or recording) as { room_update }; a
 * client whose participant was removed gets { leave: PARTICIPANT_REMOVED } and is closed, and every
 * client of a deleted room { leave: ROOM_DELETED }.
 */
import type { WebSocket } from 'ws';
import type { LiveKitRooms } from './livekit-rooms';
import { departed, leaveResponse, participantUpdate, roomUpdate } from './livekit-signal-messages';
import type { JsonObject } from './mock-service';

/** One client's signal connection. */
export interface SignalConnection {
  ws: WebSocket;
  room: string;
  identity: string;
  /** The client speaks proto3 JSON text frames (answers go out the same way). */
  json: boolean;
  /** Frames received so far. */
  frames: number;
  /** Another connection took its identity, or the server removed it: its close leaves the room alone. */
  replaced: boolean;
}

interface Snapshot {
  participants: Map<string, { text: string; info: JsonObject }>;
  room: string;
}

/** What the room sync needs. */
export interface RoomSyncOptions {
  rooms: LiveKitRooms;
  connections(): Iterable<SignalConnection>;
  send(c: SignalConnection, json: JsonObject): void;
}

/** Compares rooms with what their clients were last told, and tells them the difference. */
export class RoomSync {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly opts: RoomSyncOptions) {}

  /** Sends `leave` with a reason and closes the connection (its participant is left to the caller). */
  sendLeave(c: SignalConnection, reason: string, why: string): void {
    c.replaced = true;
    this.opts.send(c, leaveResponse(reason));
    c.ws.close(1000, why);
  }

  /** Tells the room's clients (but `skip`) what changed since the last call. */
  sync(name: string, skip?: SignalConnection): void {
    const members = [...this.opts.connections()].filter((c) => c.room === name && !c.replaced);
    if (members.length === 0) {
      this.snapshots.delete(name);
      return;
    }
    const st = this.opts.rooms.get(name);
    if (!st) {
      this.snapshots.delete(name);
      for (const c of members) this.sendLeave(c, 'ROOM_DELETED', 'the room was deleted');
      return;
    }
    const now: Snapshot = {
      participants: new Map([...st.participants].map(([id, info]) => [id, { text: JSON.stringify(info), info: structuredClone(info) }])),
      room: JSON.stringify([st.room.metadata ?? '', st.room.activeRecording === true]),
    };
    const before = this.snapshots.get(name);
    this.snapshots.set(name, now);
    if (!before) return;
    const changed = [...now.participants].filter(([id, p]) => before.participants.get(id)?.text !== p.text).map(([, p]) => p.info);
    const gone = [...before.participants].filter(([id]) => !now.participants.has(id)).map(([id, p]) => ({ id, info: p.info }));
    const updates = [...changed, ...gone.map((g) => departed(g.info))];
    for (const c of members) {
      if (c === skip) continue;
      if (gone.some((g) => g.id === c.identity)) {
        this.sendLeave(c, 'PARTICIPANT_REMOVED', 'removed from the room');
        continue;
      }
      if (updates.length) this.opts.send(c, participantUpdate(updates));
      if (before.room !== now.room) this.opts.send(c, roomUpdate(st.room));
    }
  }
}
