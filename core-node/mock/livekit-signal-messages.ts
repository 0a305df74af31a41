/**
 * The messages of the mock's LiveKit signal connection (/rtc), as proto3 JSON of
 * livekit.SignalResponse: the JoinResponse a client gets first (room and participants from the
 * mock's rooms, server info, ICE servers, ping settings as livekit-server sends them), pongs, and
 * the updates that tell connected clients about changes to their room.
 */
import { livekitId } from './livekit-rooms';
import type { JsonObject } from './mock-service';

/** The livekit-server version the mock says it is (JoinResponse.server_version, ServerInfo.version). */
export const MOCK_SERVER_VERSION = '1.9.0';

/** The signal protocol version the mock speaks (ServerInfo.protocol; livekit-client 2.x sends protocol=16). */
export const MOCK_SIGNAL_PROTOCOL = 16;

/** livekit-server's defaults: a client pings every 5 s and is dropped after 15 s without one. */
export const PING_INTERVAL_SECONDS = 5;
export const PING_TIMEOUT_SECONDS = 15;

/** The mock's node id, one per process (ServerInfo.node_id). */
const NODE_ID = livekitId('ND_');

/** What a JoinResponse is built from. */
export interface JoinParts {
  room: JsonObject;
  participant: JsonObject;
  others: JsonObject[];
  /** The host the client connected to (Host header, without the port): the ICE servers point there. */
  host: string;
}

/** SignalResponse { join } for a participant that has just joined. */
export function joinResponse(p: JoinParts): JsonObject {
  const codecs = Array.isArray(p.room.enabledCodecs) ? (p.room.enabledCodecs as JsonObject[]) : [];
  return {
    join: {
      room: p.room,
      participant: p.participant,
      otherParticipants: p.others,
      serverVersion: MOCK_SERVER_VERSION,
      // What livekit-server with its embedded TURN server offers: STUN and TURN on the node's host.
      iceServers: [
        { urls: [`stun:${p.host}:3478`] },
        {
          urls: [`turn:${p.host}:3478?transport=udp`],
          username: String(p.participant.sid ?? ''),
          credential: String(p.room.turnPassword ?? ''),
        },
      ],
      subscriberPrimary: true,
      serverRegion: 'mock',
      pingTimeout: PING_TIMEOUT_SECONDS,
      pingInterval: PING_INTERVAL_SECONDS,
      serverInfo: {
        edition: 'Standard',
        version: MOCK_SERVER_VERSION,
        protocol: MOCK_SIGNAL_PROTOCOL,
        region: 'mock',
        nodeId: NODE_ID,
      },
      enabledPublishCodecs: codecs.map((c) => ({ mime: c.mime })),
    },
  };
}

/** SignalResponse { pong_resp } for a ping_req: its timestamp echoed, and the server's time (ms). */
export function pongResponse(ping: JsonObject, nowMs: number): JsonObject {
  return { pongResp: { lastPingTimestamp: String(ping.timestamp ?? '0'), timestamp: String(nowMs) } };
}

/** SignalResponse { pong } for the legacy int64 ping: the server's time (ms). */
export function legacyPong(nowMs: number): JsonObject {
  return { pong: String(nowMs) };
}

/** SignalResponse { update } with these participants. */
export function participantUpdate(participants: JsonObject[]): JsonObject {
  return { update: { participants } };
}

/** SignalResponse { room_update } for a room whose metadata (or recording) changed. */
export function roomUpdate(room: JsonObject): JsonObject {
  return { roomUpdate: { room } };
}

/** SignalResponse { leave } telling a client the server disconnects it, and why (a livekit.DisconnectReason name). */
export function leaveResponse(reason: string): JsonObject {
  return { leave: { canReconnect: false, reason, action: 'DISCONNECT' } };
}

/** A participant as others see it once it has left (state DISCONNECTED). */
export function departed(p: JsonObject): JsonObject {
  return { ...p, state: 'DISCONNECTED' };
}

/** The TrackInfo of an AddTrackRequest, as livekit-server publishes it (a new TR_ sid; type, name, size, source, muted). */
export function trackOf(req: JsonObject): JsonObject {
  const type = typeof req.type === 'string' ? req.type : 'AUDIO';
  return {
    sid: livekitId('TR_'),
    type,
    name: typeof req.name === 'string' ? req.name : '',
    muted: req.muted === true,
    ...(typeof req.width === 'number' ? { width: req.width } : {}),
    ...(typeof req.height === 'number' ? { height: req.height } : {}),
    source: typeof req.source === 'string' ? req.source : type === 'VIDEO' ? 'CAMERA' : 'MICROPHONE',
    mimeType: type === 'VIDEO' ? 'video/VP8' : type === 'AUDIO' ? 'audio/opus' : '',
  };
}
