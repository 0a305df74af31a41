/** What both HTTP exchanges (http-client.ts over HTTP/1.1, http2-exchange.ts) share: their options, result, errors and the default size limit. */

/** TLS settings: verification is on unless turned off; a custom CA and a client certificate may be given (PEM). */
export interface TlsOptions {
  /** Skip certificate verification (off by default). */
  insecureSkipVerify?: boolean;
  /** PEM of CA certificates to trust instead of the system ones. */
  caPem?: string;
  /** PEM of the client certificate and its key (mutual TLS). */
  certPem?: string;
  keyPem?: string;
}

/** The raw HTTP response. */
export interface HttpResult {
  status: number;
  statusText: string;
  /** Header name (lower-case) and value pairs, in order. */
  headers: [string, string][];
  body: Uint8Array;
}

/** The send was cancelled (its AbortSignal fired) before the answer was complete. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  readonly code = 'canceled';
  constructor() {
    super('canceled: the request was cancelled before its answer was complete');
  }
}

/** Options of one exchange. */
export interface HttpExchangeOptions {
  /** GET (Connect's GET for side-effect-free methods) or POST (default). */
  method?: 'GET' | 'POST';
  timeoutMs?: number;
  tls?: TlsOptions;
  /** Largest response body accepted; default 64 MiB. */
  maxResponseBytes?: number;
  /** Cancels the exchange (it rejects with CancelledError). */
  signal?: AbortSignal;
  /** HTTP/2: h2 over TLS (ALPN), h2c over http: (prior knowledge). Default HTTP/1.1. */
  http2?: boolean;
  /** The status and headers, once they arrive (before any onData). */
  onHeaders?(status: number, headers: [string, string][]): void;
  /** Each chunk of the response body as it arrives (a stream's messages can be shown before the end). */
  onData?(chunk: Uint8Array): void;
}

/** No complete response within the timeout (a server that never answers, stalls or trickles): the request was aborted and its socket closed. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  /** As a gRPC / Connect / Twirp code. */
  readonly code = 'deadline_exceeded';
  constructor(readonly timeoutMs: number) {
    super(`deadline_exceeded: no complete response within ${timeoutMs} ms (timed out)`);
  }
}

/** The largest message (and response) accepted unless told otherwise, in every transport: 64 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
