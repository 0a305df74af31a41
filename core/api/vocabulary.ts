/**
 * The words both sides of the process boundary share, each written once: how a file is cut into
 * messages (framings), the replay transports, and the gRPC status code names. The contract, the
 * request checks, the replay client, the mock server and the replay pane all read these lists.
 */
import type { Framing } from '../wire/framing';

export type { Framing };

/** How each framing is named on screen (the status bar of a stream document). */
export const FRAMING_LABELS: Readonly<Record<Framing, string>> = {
  single: 'single',
  delimited: 'varint-delimited',
  grpc: 'grpc',
};

/** The transports that carry RPC methods of the loaded services. */
export const RPC_TRANSPORTS = ['twirp', 'twirp-json', 'grpc', 'grpc-web', 'connect'] as const;

/** The replay transports, in the order the pane offers them: the RPC ones, and websocket (the LiveKit signal connection). */
export const TRANSPORTS = [...RPC_TRANSPORTS, 'websocket'] as const;

/**
 * The LiveKit signal connection, which the websocket transport carries: `method` is what a replay
 * target names for it (it is no RPC method of a service), `path` the endpoint (appended to the URL
 * unless it ends in it), SignalRequest frames go out and SignalResponse frames come back.
 */
export const LIVEKIT_SIGNAL = {
  method: 'livekit/rtc',
  path: '/rtc',
  requestType: 'livekit.SignalRequest',
  responseType: 'livekit.SignalResponse',
} as const;

/** One replay transport. */
export type Transport = (typeof TRANSPORTS)[number];

/** gRPC status code names as Connect writes them ("not_found"), indexed by the status number (5). */
export const GRPC_CODE_NAMES = [
  'ok',
  'canceled',
  'unknown',
  'invalid_argument',
  'deadline_exceeded',
  'not_found',
  'already_exists',
  'permission_denied',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
  'unauthenticated',
] as const;

/** A gRPC status code name (also Connect's code). */
export type GrpcCodeName = (typeof GRPC_CODE_NAMES)[number];

/** The gRPC status number of a code name, or undefined for a name that is not one. */
export function grpcCodeNumber(name: string): number | undefined {
  const i = (GRPC_CODE_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : i;
}

/** Identifies an open document (one tab) within the session. */
export type DocId = string;
