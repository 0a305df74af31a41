/**
 * The grants each LiveKit API method needs, as livekit-server checks them (pkg/service: roomservice.go,
 * egress.go, ingress.go, sip.go, agent_dispatch_service.go, auth.go) and as livekit-server-sdk's clients
 * mint them. One table serves both sides: `send --livekit-key` and the replay pane mint the grant a
 * method needs, and the mock refuses a token without it ("permissions denied").
 */
import type { SipGrant, VideoGrant } from './access-token';

export type { SipGrant };

/** The grants of a token: `video` (rooms, recording, ingress) and `sip`. */
export interface LiveKitGrants {
  video: VideoGrant;
  sip?: SipGrant;
}

/** Context a grant may depend on: the room (and destination room) the request names. */
export interface GrantContext {
  room?: string;
  destinationRoom?: string;
}

/** How a service's methods are granted, for the documentation table and the checks. */
export type GrantRule =
  | { kind: 'room-service' }
  | { kind: 'video'; flag: 'roomRecord' | 'ingressAdmin' | 'roomCreate' }
  | { kind: 'room-admin' }
  | { kind: 'sip' }
  | { kind: 'sip-admin' }
  | { kind: 'token-only' };

/**
 * Per service: livekit-server's rule. RoomService: per method (below). Egress: video.roomRecord
 * (EnsureRecordPermission). Ingress: video.ingressAdmin (EnsureIngressAdminPermission). SIP:
 * sip.admin for trunks and dispatch rules, sip.call for CreateSIPParticipant, sip.call plus
 * roomAdmin on the room for TransferSIPParticipant. AgentDispatchService: roomAdmin on the room
 * (EnsureAdminPermission). Connector (LiveKit Cloud): video.roomCreate, as the SDKs mint it.
 * PhoneNumberService (Cloud): sip.admin, as server-sdk-go mints it. Other Cloud services: a valid
 * token (their grants are not public).
 */
export const LIVEKIT_GRANT_RULES: Readonly<Record<string, GrantRule>> = {
  'livekit.RoomService': { kind: 'room-service' },
  'livekit.Egress': { kind: 'video', flag: 'roomRecord' },
  'livekit.Ingress': { kind: 'video', flag: 'ingressAdmin' },
  'livekit.SIP': { kind: 'sip' },
  'livekit.AgentDispatchService': { kind: 'room-admin' },
  'livekit.Connector': { kind: 'video', flag: 'roomCreate' },
  'livekit.PhoneNumberService': { kind: 'sip-admin' },
};

/**
 * The grant a RoomService method needs, as livekit-server-sdk's RoomServiceClient asks for it:
 * CreateRoom/DeleteRoom → roomCreate; ListRooms → roomList; Forward/MoveParticipant → roomAdmin
 * with room and destinationRoom; everything else → roomAdmin with room.
 */
export function grantForRoomServiceMethod(method: string, ctx: GrantContext = {}): VideoGrant {
  switch (method) {
    case 'CreateRoom':
    case 'DeleteRoom':
      return { roomCreate: true };
    case 'ListRooms':
      return { roomList: true };
    case 'ForwardParticipant':
    case 'MoveParticipant':
      return { roomAdmin: true, room: ctx.room ?? '', destinationRoom: ctx.destinationRoom ?? '' };
    default:
      return { roomAdmin: true, room: ctx.room ?? '' };
  }
}

/** The rule of a service: its own, or token-only for other `livekit.` services; undefined for non-LiveKit services. */
export function grantRuleOf(service: string): GrantRule | undefined {
  if (Object.hasOwn(LIVEKIT_GRANT_RULES, service)) return LIVEKIT_GRANT_RULES[service];
  return service.startsWith('livekit.') ? { kind: 'token-only' } : undefined;
}

/** The grants to mint for a LiveKit method (the room from the request); undefined for a non-LiveKit service. */
export function grantsForLiveKitMethod(service: string, method: string, ctx: GrantContext = {}): LiveKitGrants | undefined {
  const rule = grantRuleOf(service);
  if (!rule) return undefined;
  switch (rule.kind) {
    case 'room-service':
      return { video: grantForRoomServiceMethod(method, ctx) };
    case 'video':
      return { video: { [rule.flag]: true } };
    case 'room-admin':
      return { video: { roomAdmin: true, room: ctx.room ?? '' } };
    case 'sip':
      if (method === 'CreateSIPParticipant') return { video: {}, sip: { call: true } };
      if (method === 'TransferSIPParticipant') return { video: { roomAdmin: true, room: ctx.room ?? '' }, sip: { call: true } };
      return { video: {}, sip: { admin: true } };
    case 'sip-admin':
      return { video: {}, sip: { admin: true } };
    case 'token-only':
      return { video: {} };
  }
}

/** The request fields naming the room a grant is for, per service (proto3 JSON names). */
export function roomFieldsOf(service: string): { room: string[]; destinationRoom: string[] } {
  if (service === 'livekit.SIP' || service === 'livekit.Egress' || service === 'livekit.Ingress' || service === 'livekit.Connector')
    return { room: ['roomName', 'room_name'], destinationRoom: [] };
  return { room: ['room'], destinationRoom: ['destinationRoom', 'destination_room'] };
}

/** The grant claims of a verified token (its `video` and `sip`). */
export interface GrantClaims {
  video?: VideoGrant;
  sip?: SipGrant;
}

/**
 * Whether a token's claims allow the method, as livekit-server's Ensure*Permission checks decide
 * (no claims: no token was sent). RoomService is checked by its mock per method (the rooms come
 * from the request there too), with the same table.
 */
export function grantsAllow(service: string, method: string, claims: GrantClaims | null, ctx: GrantContext = {}): boolean {
  const rule = grantRuleOf(service);
  if (!rule) return true;
  if (!claims) return false;
  const v = claims.video;
  const admin = (room: string | undefined): boolean => !!v?.roomAdmin && (room ?? '') === (v.room ?? '');
  switch (rule.kind) {
    case 'room-service': {
      const need = grantForRoomServiceMethod(method, ctx);
      if (need.roomCreate) return !!v?.roomCreate;
      if (need.roomList) return !!v?.roomList;
      if (need.destinationRoom !== undefined) return admin(ctx.room) && (ctx.destinationRoom ?? '') === (v?.destinationRoom ?? '');
      return admin(ctx.room);
    }
    case 'video':
      return v?.[rule.flag] === true;
    case 'room-admin':
      return admin(ctx.room);
    case 'sip':
      if (method === 'CreateSIPParticipant') return claims.sip?.call === true;
      if (method === 'TransferSIPParticipant') return claims.sip?.call === true && admin(ctx.room);
      return claims.sip?.admin === true;
    case 'sip-admin':
      return claims.sip?.admin === true;
    case 'token-only':
      return true;
  }
}
