/** A small HTTP/1.1 POST over node:http / node:https with TLS options and a timeout. */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

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
 * Sends a POST and reads the whole response (bounded by maxResponseBytes, default 64 MiB).
 * timeoutMs is a deadline for the whole exchange (connect, send, headers, body), not an idle
 * timeout: a server that trickles its answer is cut off too; it rejects with DeadlineExceededError.
 * Connections are kept alive (Node's global agents); a request that finds its kept-alive
 * connection closed by the server before any answer is sent once more on a new one.
 */
export function httpPost(
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
  opts: { timeoutMs?: number; tls?: TlsOptions; maxResponseBytes?: number } = {},
): Promise<HttpResult> {
  const isHttps = url.protocol === 'https:';
  const limit = opts.maxResponseBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut: DeadlineExceededError | undefined;
    let req: ClientRequest;
    let resent = false;
    const fail = (e: Error): void => {
      clearTimeout(timer);
      reject(timedOut ?? e);
    };
    const send = (): void => {
      let answered = false;
      const r = (isHttps ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(body.length) },
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
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > limit) {
              r.destroy(new Error(`response larger than ${limit} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const pairs: [string, string][] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
            clearTimeout(timer);
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
      r.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
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
  });
}

/** First value of a header in a pair list (name lower-case). */
export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}
