/**
 * The LiveKit signal connection as a replay target: the method id the websocket transport
 * carries (LIVEKIT_SIGNAL in core/api/vocabulary.ts), its message types in the loaded schemas, and
 * the join token a key and secret mint for it (roomJoin on a room, for an identity).
 */
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import { LIVEKIT_SIGNAL } from '../../core/api/vocabulary';
import { callKindOf, resolveMethod, splitMethod, type CallKind } from '../rpc/service-method';
import { bytesToJson } from '../rpc/proto-json';
import type { LiveKitAuth } from './send-types';

/** The room a minted signal token joins when none is given: the mock's seeded room. */
export const DEFAULT_SIGNAL_ROOM = 'demo-room';

/** The identity a minted signal token joins as when none is given. */
export const DEFAULT_SIGNAL_IDENTITY = 'protodesk';

/** Whether a target's method names the LiveKit signal connection ("livekit/rtc", a leading slash allowed). */
export function isSignalMethod(method: string): boolean {
  return method.replace(/^\//, '') === LIVEKIT_SIGNAL.method;
}

/** SignalRequest and SignalResponse in the loaded schemas, or undefined when they are not loaded. */
export function signalTypes(root: Root): { requestType: Type; responseType: Type } | undefined {
  const find = (name: string): Type | undefined => {
    try {
      const t = root.lookup(name);
      return t instanceof protobuf.Type ? t : undefined;
    } catch {
      return undefined;
    }
  };
  const requestType = find(LIVEKIT_SIGNAL.requestType);
  const responseType = find(LIVEKIT_SIGNAL.responseType);
  return requestType && responseType ? { requestType, responseType } : undefined;
}

/** SignalRequest and SignalResponse, or an error saying they are not loaded. */
export function requireSignalTypes(root: Root): { requestType: Type; responseType: Type } {
  const t = signalTypes(root);
  if (!t)
    throw new Error(
      `${LIVEKIT_SIGNAL.method} needs ${LIVEKIT_SIGNAL.requestType} and ${LIVEKIT_SIGNAL.responseType}: load the LiveKit schemas`,
    );
  return t;
}

/** Checks that transport and method go together: the signal connection only over websocket, and websocket only for it. */
export function checkSignalPairing(transport: string, method: string): void {
  const signal = isSignalMethod(method);
  if (signal && transport !== 'websocket')
    throw new Error(`${LIVEKIT_SIGNAL.method} is the LiveKit signal WebSocket: send it with the websocket transport, not ${transport}`);
  if (!signal && transport === 'websocket')
    throw new Error(
      `the websocket transport carries the LiveKit signal connection (method ${LIVEKIT_SIGNAL.method}); ${method} is an RPC method: use twirp, grpc, grpc-web or connect`,
    );
}

/** The access token of a signal connection: the given one, or one minted with roomJoin on the auth's room for its identity. */
export async function signalToken(auth: LiveKitAuth): Promise<string> {
  if ('token' in auth) return auth.token;
  const { mintLiveKitToken } = await import('../livekit/access-token');
  return mintLiveKitToken({
    apiKey: auth.apiKey,
    apiSecret: auth.apiSecret,
    grant: { roomJoin: true, room: auth.room || DEFAULT_SIGNAL_ROOM, canPublish: true, canSubscribe: true, canPublishData: true },
    identity: auth.identity || DEFAULT_SIGNAL_IDENTITY,
    ttl: auth.ttlSeconds ?? 600,
  });
}

/** A replay target's method with its types and kind: an RPC method of the loaded services, or the signal connection (bidi). */
export interface ReplayMethodTypes {
  /** "pkg.Service/Method", or LIVEKIT_SIGNAL.method. */
  id: string;
  requestType: Type;
  responseType: Type;
  kind: CallKind;
}

/** The method a target names, resolved in the loaded schemas; undefined when it is not there. */
export function resolveReplayMethod(root: Root, id: string): ReplayMethodTypes | undefined {
  if (isSignalMethod(id)) {
    const t = signalTypes(root);
    return t && { id: LIVEKIT_SIGNAL.method, ...t, kind: 'bidi' };
  }
  const { service, method } = splitMethod(id);
  const r = resolveMethod(root, service, method);
  return r && { id: `${service}/${method}`, requestType: r.requestType, responseType: r.responseType, kind: callKindOf(r.method) };
}

/** A frame's bytes as proto3 JSON of `type`, or undefined when they do not decode (for event lines). */
export function frameJson(type: Type, bytes: Uint8Array): unknown {
  try {
    return bytesToJson(type, bytes);
  } catch {
    return undefined;
  }
}
