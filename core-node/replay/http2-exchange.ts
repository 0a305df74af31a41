/** HTTP/2 exchanges of the HTTP client (http-client.ts), in a module of their own so an HTTP/1.1 send never loads node:http2. */
import { connect as http2Connect, constants as h2 } from 'node:http2';
import {
  CancelledError,
  DEFAULT_MAX_MESSAGE_BYTES,
  DeadlineExceededError,
  type HttpExchangeOptions,
  type HttpResult,
} from './http-exchange-types';

/** One exchange over HTTP/2 (a session of its own, closed after): h2 with TLS, h2c by prior knowledge. */
export function http2Exchange(url: URL, headers: Record<string, string>, body: Uint8Array, opts: HttpExchangeOptions): Promise<HttpResult> {
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
