/** What the replay client sends and what it answers: the shapes shared by its transports. */
import type { Root } from 'protobufjs';
import type { Transport } from '../../core/api/vocabulary';
import type { TlsOptions } from './http-client';

/** LiveKit credentials: a key and secret to mint the token the method needs, or a token as is. */
export type LiveKitAuth = { apiKey: string; apiSecret: string; identity?: string; ttlSeconds?: number; room?: string } | { token: string };

/** What to send. */
export interface SendOptions {
  root: Root;
  /** Base URL: http(s)://host:port[/prefix]. */
  url: string;
  transport: Transport;
  /** "pkg.Service/Method" (also accepted: "pkg.Service.Method", "/pkg.Service/Method"). */
  method: string;
  /** The request message, binary. */
  body: Uint8Array;
  /** Extra headers / metadata, in order (name, value). */
  headers?: readonly [string, string][];
  timeoutMs?: number;
  tls?: TlsOptions;
  livekit?: LiveKitAuth;
  /** Twirp path prefix; default "/twirp". */
  twirpPrefix?: string;
  /** Largest message sent or received, in every transport; default 64 MiB. */
  maxMessageBytes?: number;
  /** Cancels the send: it rejects with CancelledError (gRPC: the call is cancelled). */
  signal?: AbortSignal;
  /** Connect and gRPC-Web over HTTP/2 (h2 with TLS, h2c in the clear); default HTTP/1.1. */
  http2?: boolean;
  /** Connect unary as GET (what Connect clients send for methods marked idempotency_level = NO_SIDE_EFFECTS). */
  httpGet?: boolean;
  /**
   * The request stream of a client- or bidi-streaming method (binary messages, in order); a
   * server-streaming or unary method takes one (`body` when this is absent).
   */
  requests?: readonly Uint8Array[];
  /** websocket: how long to keep listening once every request is sent, in ms (default 1000); the server closing ends it sooner. */
  listenMs?: number;
  /** Each response message as it arrives (a stream's are shown before the call ends). */
  onMessage?(index: number, bytes: Uint8Array): void;
}

/** One detail of an error (google.rpc.Status details or Connect details). */
export interface ErrorDetail {
  type: string;
  /** The detail decoded as proto3 JSON when its type is known. */
  json?: unknown;
  bytes: Uint8Array;
}

/** A decoded error answer. */
export interface DecodedError {
  /** Twirp code, or the gRPC / Connect code name ("not_found", "invalid_argument", ...). */
  code: string;
  message: string;
  /** gRPC status code number (gRPC, gRPC-Web, and mapped for Connect). */
  grpcCode?: number;
  /** Twirp meta. */
  meta?: Record<string, string>;
  details?: ErrorDetail[];
}

/** The outcome of one send. */
export interface SendResult {
  ok: boolean;
  transport: Transport;
  /** Full URL (or gRPC target + path) the request went to. */
  target: string;
  /** HTTP status (absent for gRPC). */
  httpStatus?: number;
  headers: [string, string][];
  trailers: [string, string][];
  /** Time from sending to the full response, in ms. */
  timeMs: number;
  /** The response message, binary (when ok). */
  responseBytes?: Uint8Array;
  /** The response as proto3 JSON (when ok). */
  responseJson?: unknown;
  responseType: string;
  error?: DecodedError;
  /** Headers sent, with authorization redacted. */
  requestHeaders: [string, string][];
  /** Fields of the response whose wire type does not fit the schema (left out of responseJson), one sentence each. */
  warnings?: string[];
  /** A server or bidi stream's response messages, in order (also those before an error); over websocket with the time each arrived (ms since the connection opened). */
  responses?: { bytes: Uint8Array; json: unknown; timeMs?: number }[];
}

/** The part of a result every transport fills the same way. */
export type SendBase = Omit<SendResult, 'ok' | 'headers' | 'trailers' | 'timeMs' | 'target'>;
