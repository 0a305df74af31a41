/**
 * A small HTTP client over node:http / node:https (HTTP/1.1) and node:http2 (h2 over TLS, h2c in
 * the clear, by prior knowledge): one request, its whole answer, with TLS options, a deadline, a
 * response size limit, cancellation and the body's chunks as they arrive.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect, constants as h2 } from 'node:http2';

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

/**
 * Sends a POST (or GET) and reads the whole response (bounded by maxResponseBytes, default 64 MiB).
 * timeoutMs is a deadline for the whole exchange (connect, send, headers, body), not an idle
 * timeout: a server that trickles its answer is cut off too; it rejects with DeadlineExceededError.
 * Connections are kept alive (Node's global agents); a request that finds its kept-alive
 * connection closed by the server before any answer is sent once more on a new one.
 */
export function httpPost(url: URL, headers: Record<string, string>, body: Uint8Array, opts: HttpExchangeOptions = {}): Promise<HttpResult> {
  if (opts.http2) return http2Exchange(url, headers, body, opts);
  const isHttps = url.protocol === 'https:';
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut: Error | undefined;
    let req: ClientRequest;
    let resent = false;
    const onAbort = (): void => {
      timedOut = new CancelledError();
      req.destroy(timedOut);
    };
    const fail = (e: Error): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(timedOut ?? e);
    };
    const send = (): void => {
      let answered = false;
      const r = (isHttps ? httpsRequest : httpRequest)(
        url,
        {
          method: opts.method ?? 'POST',
          headers: opts.method === 'GET' ? headers : { ...headers, 'content-length': String(body.length) },
          ...(isHttps
            ? {
                rejectUnauthorized: !opts.tls?.insecureSkipVerify,
                ca: opts.tls?.caPem,
                cert: opts.tls?.certPem,
                key: opts.tls?.keyPem,
              }
            : {}),
        },
        (res) => {
          answered = true;
          if (opts.onHeaders) {
            const pairs: [string, string][] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
            opts.onHeaders(res.statusCode ?? 0, pairs);
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > limit) {
              r.destroy(new Error(`response larger than ${limit} bytes (the max message size)`));
              return;
            }
            chunks.push(c);
            opts.onData?.(c);
          });
          res.on('end', () => {
            const pairs: [string, string][] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: pairs,
              body: new Uint8Array(Buffer.concat(chunks)),
            });
          });
          res.on('error', fail);
        },
      );
      r.on('error', (e: NodeJS.ErrnoException) => {
        // The server closed the kept-alive connection as this request went out on it ("socket
        // hang up" before any answer: it never read the request): once more on a new connection,
        // as Node's documentation of request.reusedSocket advises.
        if (r.reusedSocket && e.code === 'ECONNRESET' && !answered && !timedOut && !resent) {
          resent = true;
          send();
          return;
        }
        fail(e);
      });
      if (opts.method === 'GET') r.end();
      else r.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      req = r;
    };
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      const ms = opts.timeoutMs;
      timer = setTimeout(() => {
        timedOut = new DeadlineExceededError(ms);
        req.destroy(timedOut);
      }, ms);
    }
    send();
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The largest message (and response) accepted unless told otherwise, in every transport: 64 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** One exchange over HTTP/2 (a session of its own, closed after): h2 with TLS, h2c by prior knowledge. */
function http2Exchange(url: URL, headers: Record<string, string>, body: Uint8Array, opts: HttpExchangeOptions): Promise<HttpResult> {
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return new Promise((resolve, reject) => {
    const session = http2Connect(
      url.origin,
      url.protocol === 'https:'
        ? { rejectUnauthorized: !opts.tls?.insecureSkipVerify, ca: opts.tls?.caPem, cert: opts.tls?.certPem, key: opts.tls?.keyPem }
        : {},
    );
    let failure: Error | undefined;
    let done = false;
    const finish = (e: Error | undefined, result?: HttpResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      session.close();
      if (e) {
        session.destroy();
        reject(failure ?? e);
      } else resolve(result!);
    };
    const onAbort = (): void => {
      failure = new CancelledError();
      finish(failure);
    };
    const timer =
      opts.timeoutMs && opts.timeoutMs > 0
        ? setTimeout(() => {
            failure = new DeadlineExceededError(opts.timeoutMs!);
            finish(failure);
          }, opts.timeoutMs)
        : undefined;
    session.on('error', (e) => finish(e));
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
    delete lower.connection;
    delete lower.host;
    const stream = session.request({
      [h2.HTTP2_HEADER_METHOD]: opts.method ?? 'POST',
      [h2.HTTP2_HEADER_PATH]: `${url.pathname}${url.search}`,
      ...lower,
    });
    let status = 0;
    const pairs: [string, string][] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('response', (h) => {
      status = Number(h[h2.HTTP2_HEADER_STATUS]);
      for (const [k, v] of Object.entries(h))
        if (!k.startsWith(':') && v !== undefined) pairs.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
      opts.onHeaders?.(status, [...pairs]);
    });
    stream.on('trailers', (t) => {
      for (const [k, v] of Object.entries(t))
        if (!k.startsWith(':') && v !== undefined) pairs.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
    });
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        finish(new Error(`response larger than ${limit} bytes (the max message size)`));
        return;
      }
      chunks.push(c);
      opts.onData?.(c);
    });
    stream.on('end', () => finish(undefined, { status, statusText: '', headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) }));
    stream.on('error', (e) => finish(e));
    if (opts.method === 'GET') stream.end();
    else stream.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** First value of a header in a pair list (name lower-case). */
export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}
