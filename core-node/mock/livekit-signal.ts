/**
 * The mock's LiveKit signal WebSocket (`/rtc`), as livekit-server's RTCService serves it: the
 * access token (`?access_token=`, or `Authorization: Bearer`) is checked before the upgrade (a bad
 * one is a 401 with a plain-text body, like the Twirp auth; a token without roomJoin is refused
 * too), the room is created when absent (livekit-server's auto-create), and the client's
 * participant joins it. The first answer is SignalResponse { join }; each binary frame is read as
 * a livekit.SignalRequest (a text frame as its proto3 JSON, answered in JSON as livekit-server
 * does). ping_req gets pong_resp, add_track track_published, leave closes; a frame that is no
 * SignalRequest closes the connection with code 1007 and a reason saying why. Changes to a room
 * (another connection joins or leaves, RoomService updates or removes a participant, changes the
 * room's metadata, deletes the room) reach its connected clients as update / room_update / leave
 * (livekit-signal-sync.ts).
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TokenError, verifyLiveKitToken, type LiveKitClaims } from '../livekit/access-token';
import { bytesToJson, jsonToBytes } from '../rpc/proto-json';
import type { ApiKeys } from './livekit-auth';
import type { LiveKitRooms, RoomState } from './livekit-rooms';
import type { LiveKitMockEvent } from './livekit-room-service';
import { joinResponse, legacyPong, pongResponse, trackOf } from './livekit-signal-messages';
import { RoomSync, type SignalConnection } from './livekit-signal-sync';
import { MockError } from './mock-errors';
import type { JsonObject } from './mock-service';

/** Signal connections the mock holds at once unless told otherwise. */
export const DEFAULT_MAX_SIGNAL_CONNECTIONS = 256;

/** Options of the signal endpoint. */
export interface SignalServerOptions {
  root: Root;
  keys: ApiKeys;
  rooms: LiveKitRooms;
  now(): Date;
  onEvent(e: LiveKitMockEvent): void;
  /** Largest frame accepted, in bytes. */
  maxPayload: number;
  maxConnections?: number;
}

/** The signal endpoint of a running mock. */
export interface SignalServer {
  /** The HTTP/1.1 server's 'upgrade' listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * GET /rtc/validate, which livekit-client asks when its WebSocket fails: 200 "success" when the
   * token would join, else the status and sentence the upgrade would have refused with.
   */
  validate(req: IncomingMessage): Promise<{ status: number; text: string }>;
  /** Tells a room's connected clients what changed in it (after any LiveKit change the mock makes). */
  sync(room: string): void;
  /** Cuts every signal connection. */
  close(): void;
}

/** A refusal before the upgrade: an HTTP status and a sentence. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Writes an HTTP answer on a socket that asked for an upgrade, and closes it. */
function refuse(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A WebSocket close reason within the protocol's 123 bytes. */
export function closeReason(text: string): string {
  const b = Buffer.from(text);
  if (b.length <= 123) return text;
  let cut = 120;
  while (cut > 0 && (b[cut] & 0xc0) === 0x80) cut--;
  return `${b.subarray(0, cut).toString('utf8')}...`;
}

/** Creates the /rtc endpoint; undefined when the loaded schemas have no livekit.SignalRequest / SignalResponse. */
export function createSignalServer(opts: SignalServerOptions): SignalServer | undefined {
  const lookup = (name: string): Type | undefined => {
    try {
      const t = opts.root.lookup(name);
      return t instanceof protobuf.Type ? t : undefined;
    } catch {
      return undefined;
    }
  };
  const requestType = lookup('livekit.SignalRequest');
  const responseType = lookup('livekit.SignalResponse');
  if (!requestType || !responseType) return undefined;
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_SIGNAL_CONNECTIONS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload });
  const conns = new Set<SignalConnection>();
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent({ kind: 'livekit', method, room, detail });

  const send = (c: SignalConnection, json: JsonObject): void => {
    if (c.ws.readyState !== c.ws.OPEN) return;
    let bytes: Uint8Array;
    try {
      bytes = jsonToBytes(responseType, json);
    } catch (e) {
      // The mock's own state does not fit the schema (a fixture field of the wrong kind): said, not crashed.
      c.ws.close(1011, closeReason(`the mock could not encode its answer: ${(e as Error).message}`));
      return;
    }
    c.ws.send(c.json ? JSON.stringify(bytesToJson(responseType, bytes)) : bytes);
  };
  const sync = new RoomSync({ rooms: opts.rooms, connections: () => conns, send });

  /** The verified claims, room and identity of an upgrade request; a Refusal when it may not join. */
  const admit = async (req: IncomingMessage, validating = false): Promise<{ claims: LiveKitClaims; room: string; identity: string }> => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!(validating ? ['/rtc/validate'] : ['/rtc', '/rtc/']).includes(url.pathname))
      throw new Refusal(404, `no WebSocket endpoint at ${url.pathname}: LiveKit signal is /rtc`);
    const auth = req.headers.authorization ?? '';
    const token = url.searchParams.get('access_token') ?? (auth.startsWith('Bearer ') ? auth.slice(7) : '');
    if (!token) throw new Refusal(401, 'no access token: connect to /rtc?access_token=<a LiveKit token with the roomJoin grant>');
    let claims: LiveKitClaims;
    try {
      claims = await verifyLiveKitToken(token, (k) => opts.keys.get(k), opts.now());
    } catch (e) {
      if (e instanceof TokenError) throw new Refusal(401, e.message);
      throw e;
    }
    if (claims.video?.roomJoin !== true) throw new Refusal(401, 'permissions denied: the token has no roomJoin grant');
    const room = typeof claims.video.room === 'string' ? claims.video.room : '';
    if (!room) throw new Refusal(400, 'the token names no room to join (video.room is empty)');
    const identity = typeof claims.sub === 'string' ? claims.sub : '';
    if (!identity) throw new Refusal(400, 'the token names no participant (its sub, the identity, is empty)');
    if (conns.size >= maxConnections) throw new Refusal(503, `the mock holds ${maxConnections} signal connections, its limit`);
    return { claims, room, identity };
  };

  const roomFor = (name: string, identity: string): RoomState => {
    let st = opts.rooms.get(name);
    if (!st) {
      try {
        st = opts.rooms.create(name);
      } catch (e) {
        throw new Refusal(503, e instanceof MockError ? e.message : String(e));
      }
      emit('CreateRoom', name, { sid: st.room.sid as string, by: 'signal join' });
    }
    const max = typeof st.room.maxParticipants === 'number' ? st.room.maxParticipants : 0;
    if (max > 0 && st.participants.size >= max && !st.participants.has(identity))
      throw new Refusal(503, `room ${name} is full (${max} participants)`);
    return st;
  };

  const join = (ws: WebSocket, req: IncomingMessage, claims: LiveKitClaims, room: string, identity: string): void => {
    const st = opts.rooms.get(room) ?? roomFor(room, identity);
    // The same identity again: the older connection is told DUPLICATE_IDENTITY and closed (livekit-server does so).
    for (const old of conns) {
      if (old.room !== room || old.identity !== identity) continue;
      old.replaced = true;
      sync.sendLeave(old, 'DUPLICATE_IDENTITY', 'another connection joined with this identity');
    }
    const v = claims.video ?? {};
    const info = opts.rooms.addParticipant(st, {
      identity,
      name: typeof claims.name === 'string' ? claims.name : '',
      metadata: typeof claims.metadata === 'string' ? claims.metadata : '',
      attributes: (claims.attributes as Record<string, string> | undefined) ?? {},
      permission: {
        canSubscribe: v.canSubscribe !== false,
        canPublish: v.canPublish !== false,
        canPublishData: v.canPublishData !== false,
        canUpdateMetadata: v.canUpdateOwnMetadata === true,
        hidden: v.hidden === true,
      },
    });
    const c: SignalConnection = { ws, room, identity, json: false, frames: 0, replaced: false };
    conns.add(c);
    const others = [...st.participants.values()].filter((p) => p.identity !== identity);
    const host = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
    send(c, joinResponse({ room: st.room, participant: info, others, host }));
    sync.sync(room, c);
    emit('SignalJoin', room, { identity, sid: info.sid as string });
    ws.on('message', (data, isBinary) => {
      try {
        onFrame(c, data, isBinary);
      } catch (e) {
        // A fault of the mock's own: the client is told, the mock goes on.
        ws.close(1011, closeReason(`protodesk mock: internal error: ${(e as Error).message}`));
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      conns.delete(c);
      if (c.replaced) return;
      const now = opts.rooms.get(room);
      if (now && now.participants.get(identity)?.sid === info.sid) opts.rooms.removeParticipant(now, identity);
      sync.sync(room);
      emit('SignalLeave', room, { identity });
    });
  };

  const onFrame = (c: SignalConnection, data: RawData, isBinary: boolean): void => {
    c.frames++;
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let req: JsonObject;
    try {
      if (isBinary) req = bytesToJson(requestType, raw) as JsonObject;
      else {
        // livekit-server also reads a text frame as the request's proto3 JSON, and then answers in JSON.
        req = bytesToJson(requestType, jsonToBytes(requestType, raw.toString('utf8'))) as JsonObject;
        c.json = true;
      }
    } catch (e) {
      const why = `frame ${c.frames} is not a livekit.SignalRequest: ${(e as Error).message}`;
      emit('SignalError', c.room, { identity: c.identity, frame: c.frames, error: why });
      c.ws.close(1007, closeReason(why));
      return;
    }
    handle(c, req);
  };

  const participantOf = (c: SignalConnection): JsonObject | undefined => opts.rooms.get(c.room)?.participants.get(c.identity);

  const handle = (c: SignalConnection, req: JsonObject): void => {
    const kind = Object.keys(req)[0];
    const value = (req[kind] ?? {}) as JsonObject;
    const nowMs = opts.now().getTime();
    if (kind === 'pingReq') return send(c, pongResponse(value, nowMs));
    if (kind === 'ping') return send(c, legacyPong(nowMs));
    if (kind === undefined) return;
    emit('SignalRequest', c.room, { identity: c.identity, request: kind });
    const p = participantOf(c);
    switch (kind) {
      case 'leave':
        c.ws.close(1000, 'participant left');
        return;
      case 'addTrack': {
        if (!p) return;
        const track = trackOf(value);
        p.tracks = [...((p.tracks as JsonObject[] | undefined) ?? []), track];
        p.isPublisher = true;
        send(c, { trackPublished: { cid: typeof value.cid === 'string' ? value.cid : '', track } });
        sync.sync(c.room);
        return;
      }
      case 'mute': {
        const track = ((p?.tracks as JsonObject[] | undefined) ?? []).find((t) => t.sid === value.sid);
        if (!track) return;
        track.muted = value.muted === true;
        sync.sync(c.room);
        return;
      }
      case 'updateMetadata': {
        if (!p) return;
        if (typeof value.metadata === 'string') p.metadata = value.metadata;
        if (typeof value.name === 'string' && value.name) p.name = value.name;
        if (value.attributes && typeof value.attributes === 'object') {
          const attrs = { ...((p.attributes as Record<string, string> | undefined) ?? {}) };
          for (const [k, v] of Object.entries(value.attributes as Record<string, string>)) {
            if (v === '') delete attrs[k];
            else attrs[k] = v;
          }
          p.attributes = attrs;
        }
        if (typeof value.requestId === 'number' && value.requestId > 0)
          send(c, { requestResponse: { requestId: value.requestId, reason: 'OK', updateMetadata: value } });
        sync.sync(c.room);
        return;
      }
      default:
        // Media negotiation (offer, answer, trickle) and the rest: received and logged; the mock has no media.
        return;
    }
  };

  return {
    upgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      admit(req)
        .then(({ claims, room, identity }) => {
          roomFor(room, identity);
          wss.handleUpgrade(req, socket, head, (ws) => {
            try {
              join(ws, req, claims, room, identity);
            } catch (e) {
              // The room went away between the check and the upgrade (and no new one fits), or a fault of the mock's own.
              ws.close(e instanceof Refusal ? 1013 : 1011, closeReason(e instanceof Error ? e.message : String(e)));
            }
          });
        })
        .catch((e: unknown) => {
          if (e instanceof Refusal) refuse(socket, e.status, e.message);
          else refuse(socket, 500, `protodesk mock: internal error: ${e instanceof Error ? e.message : String(e)}`);
        });
    },
    async validate(req) {
      try {
        await admit(req, true);
        return { status: 200, text: 'success' };
      } catch (e) {
        if (e instanceof Refusal) return { status: e.status, text: e.message };
        throw e;
      }
    },
    sync: (room) => sync.sync(room),
    close() {
      for (const c of conns) c.ws.terminate();
      conns.clear();
      wss.close();
    },
  };
}
