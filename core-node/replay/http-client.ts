/**
 * A small HTTP client over node:http / node:https (HTTP/1.1) and node:http2 (h2 over TLS, h2c in
 * the clear, by prior knowledge; in http2-exchange.ts, loaded only when used): one request, its
 * whole answer, with TLS options, a deadline, a response size limit, cancellation and the body's
 * chunks as they arrive.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import {
  CancelledError,
  DEFAULT_MAX_MESSAGE_BYTES,
  DeadlineExceededError,
  type HttpExchangeOptions,
  type HttpResult,
} from './http-exchange-types';

export {
  CancelledError,
  DEFAULT_MAX_MESSAGE_BYTES,
  DeadlineExceededError,
  type HttpExchangeOptions,
  type HttpResult,
  type TlsOptions,
} from './http-exchange-types';

/**
 * Sends a POST (or GET) and reads the whole response (bounded by maxResponseBytes, default 64 MiB).
 * timeoutMs is a deadline for the whole exchange (connect, send, headers, body), not an idle
 * timeout: a server that trickles its answer is cut off too; it rejects with DeadlineExceededError.
 * Connections are kept alive (Node's global agents); a request that finds its kept-alive
 * connection closed by the server before any answer is sent once more on a new one.
 */
export function httpPost(url: URL, headers: Record<string, string>, body: Uint8Array, opts: HttpExchangeOptions = {}): Promise<HttpResult> {
  // node:http2 loads only for an HTTP/2 exchange: an HTTP/1.1 send starts without it.
  if (opts.http2) return import('./http2-exchange').then(({ http2Exchange }) => http2Exchange(url, headers, body, opts));
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
      // node:https (and TLS) loads for the first https exchange only: an http:// send starts without it.
      const r = (isHttps ? process.getBuiltinModule('node:https').request : httpRequest)(
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

/** First value of a header in a pair list (name lower-case). */
export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}
