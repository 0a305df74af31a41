/**
 * Sends one request (unary) or request stream (server, client, bidi streaming: gRPC and Connect;
 * server streaming: gRPC-Web too) in any of the five RPC transports, or a stream of SignalRequests
 * over the LiveKit signal WebSocket (websocket), and returns the response with status,
 * headers, trailers, time taken, and a decoded error: Twirp JSON `{code,msg,meta}`; gRPC,
 * gRPC-Web and Connect status with google.rpc.Status details.
 */
import { callKindOf, resolveMethod, splitMethod } from '../rpc/service-method';
import { grantsForLiveKitMethod, roomFieldsOf } from '../livekit/grants';
import { bytesToJson } from '../rpc/proto-json';
import { redactHeaders } from './redact';
import { sendConnect, sendTwirp } from './send-http';
import { sendConnectStream, sendGrpcWeb } from './send-envelopes';
import { checkSignalPairing, isSignalMethod, requireSignalTypes, signalToken } from './signal-target';
import type { DecodedError, LiveKitAuth, SendBase, SendOptions, SendResult } from './send-types';
import type * as SendGrpcModule from './send-grpc';
import type * as SendWebSocketModule from './send-websocket';
import { CancelledError, DeadlineExceededError } from './http-client';

export { CancelledError, DeadlineExceededError } from './http-client';

/**
 * gRPC (grpc-js), the websocket transport (ws) and token minting (jose) load on first use: a
 * Twirp or Connect send without a LiveKit key never pays for them (the CLI starts faster).
 */
type GrpcModule = typeof SendGrpcModule;
let grpcModule: GrpcModule | undefined;
async function loadGrpc(): Promise<GrpcModule> {
  grpcModule ??= await import('./send-grpc');
  return grpcModule;
}

/** The websocket transport, loaded on first use (see loadGrpc). */
async function loadWebSocket(): Promise<typeof SendWebSocketModule> {
  return import('./send-websocket');
}

/** Closes the cached gRPC channels (tests, shutdown); nothing to do when gRPC was never used. */
export function closeGrpcClients(): void {
  grpcModule?.closeGrpcClients();
}
export type { DecodedError, ErrorDetail, LiveKitAuth, SendOptions, SendResult } from './send-types';

/** The room fields of a LiveKit request (proto3 JSON), as the service names them. */
export function roomsOfRequest(service: string, request: Record<string, unknown>): { room?: string; destinationRoom?: string } {
  const fields = roomFieldsOf(service);
  const pick = (keys: string[]): string | undefined => keys.map((k) => request[k]).find((v): v is string => typeof v === 'string');
  return { room: pick(fields.room), destinationRoom: pick(fields.destinationRoom) };
}

/** The token for a LiveKit method: minted with the grants the method needs (the room from the request). */
async function livekitToken(auth: LiveKitAuth, service: string, method: string, request: Record<string, unknown>): Promise<string> {
  if ('token' in auth) return auth.token;
  const grants = grantsForLiveKitMethod(service, method, roomsOfRequest(service, request)) ?? { video: {} };
  const { mintLiveKitToken } = await import('../livekit/access-token');
  return mintLiveKitToken({
    apiKey: auth.apiKey,
    apiSecret: auth.apiSecret,
    grant: grants.video,
    sip: grants.sip,
    identity: auth.identity,
    ttl: auth.ttlSeconds ?? 600,
  });
}

/**
 * Sends the request and decodes the answer. Over HTTP (Twirp, Connect, gRPC-Web) transport
 * failures (refused, TLS) reject, and so does a timeout: a DeadlineExceededError (code
 * "deadline_exceeded") once timeoutMs has passed without a complete response, its socket closed.
 * gRPC reports all of these as a status (timeout: deadline_exceeded, the stream cancelled).
 */
export async function sendRequest(opts: SendOptions): Promise<SendResult> {
  if (opts.transport === 'websocket' || isSignalMethod(opts.method)) return sendSignal(opts);
  const { service, method } = splitMethod(opts.method);
  const resolved = resolveMethod(opts.root, service, method);
  if (!resolved) throw new Error(`no method ${service}/${method} in the loaded schemas`);
  const { requestType, responseType } = resolved;
  const kind = callKindOf(resolved.method);
  const requests = opts.requests ?? [opts.body];
  if ((kind === 'unary' || kind === 'server-stream') && requests.length !== 1)
    throw new Error(
      `${service}/${method} takes one request message (${kind === 'unary' ? 'a unary' : 'a server-streaming'} method), not ${requests.length}`,
    );
  if (kind !== 'unary' && opts.transport.startsWith('twirp'))
    throw new Error(`${service}/${method} is a ${kind} method: Twirp has no streaming (use gRPC or Connect)`);
  if (kind !== 'unary' && opts.httpGet) throw new Error('Connect GET is for unary methods');
  // The token's rooms come from the first request message.
  const requestJson = bytesToJson(requestType, requests[0] ?? new Uint8Array()) as Record<string, unknown>;
  const headers: [string, string][] = [...(opts.headers ?? [])];
  if (opts.livekit) headers.push(['Authorization', `Bearer ${await livekitToken(opts.livekit, service, method, requestJson)}`]);
  const base: SendBase = {
    transport: opts.transport,
    responseType: responseType.fullName.slice(1),
    requestHeaders: redactHeaders(headers),
  };
  switch (opts.transport) {
    case 'twirp':
    case 'twirp-json':
      return sendTwirp(opts, service, method, requestType, responseType, headers, requestJson, base);
    case 'connect':
      if (kind !== 'unary') return sendConnectStream(opts, service, method, kind, responseType, headers, base);
      return sendConnect(opts, service, method, responseType, headers, base);
    case 'grpc-web':
      return sendGrpcWeb(opts, service, method, kind, responseType, headers, base);
    case 'grpc':
      return (await loadGrpc()).sendGrpc(opts, service, method, kind, responseType, headers, base);
    default:
      throw new Error(`unknown transport '${String(opts.transport)}'`);
  }
}

/** Sends over the LiveKit signal WebSocket: every request a SignalRequest frame, every answer read as a SignalResponse. */
async function sendSignal(opts: SendOptions): Promise<SendResult> {
  checkSignalPairing(opts.transport, opts.method);
  const { responseType } = requireSignalTypes(opts.root);
  const headers: [string, string][] = [...(opts.headers ?? [])];
  const token = opts.livekit ? await signalToken(opts.livekit) : undefined;
  const base: SendBase = { transport: 'websocket', responseType: responseType.fullName.slice(1), requestHeaders: redactHeaders(headers) };
  return (await loadWebSocket()).sendWebSocket(opts, responseType, token, headers, base);
}

/** Error codes of a connection that never carried an answer (refused, unreachable, reset, TLS refused). */
const UNAVAILABLE =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ETIMEDOUT|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_|ERR_HTTP2_)/;

/**
 * A send that failed before any answer (HTTP transports reject with it), as the error gRPC would
 * report for it, so every transport shows one shape: unavailable (14) for a connection refused,
 * reset, unreachable or refused by TLS; deadline_exceeded (4); canceled (1); resource_exhausted (8)
 * for an answer over the max message size; unknown (2) otherwise.
 */
export function transportFailure(e: unknown): DecodedError {
  const message = (e instanceof Error ? e.message : String(e)).replace(/^(deadline_exceeded|canceled): /, '');
  if (e instanceof DeadlineExceededError) return { code: 'deadline_exceeded', grpcCode: 4, message };
  if (e instanceof CancelledError) return { code: 'canceled', grpcCode: 1, message };
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) return { code: 'unavailable', grpcCode: 14, message };
  if (/larger than \d+ bytes/.test(message)) return { code: 'resource_exhausted', grpcCode: 8, message };
  return { code: 'unknown', grpcCode: 2, message };
}
