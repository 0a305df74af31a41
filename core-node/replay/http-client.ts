/** A small HTTP/1.1 POST over node:http / node:https with TLS options and a timeout. */
import { request as httpRequest } from 'node:http';
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

/** Sends a POST and reads the whole response (bounded by maxResponseBytes, default 64 MiB). */
export function httpPost(url: URL, headers: Record<string, string>, body: Uint8Array, opts: { timeoutMs?: number; tls?: TlsOptions; maxResponseBytes?: number } = {}): Promise<HttpResult> {
  const isHttps = url.protocol === 'https:';
  const limit = opts.maxResponseBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)(url, {
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
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          req.destroy(new Error(`response larger than ${limit} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) });
      });
      res.on('error', reject);
    });
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error(`timed out after ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    }
    req.on('error', reject);
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

/** First value of a header in a pair list (name lower-case). */
export function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}
