/** Reading a mock request's body within its size and time limits, and its headers as one map. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { MockError } from './mock-errors';

/** Bytes of an oversized body read and thrown away (so the error can be answered on a kept-alive connection) before the connection is cut. */
export const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

/** Ends a client's request for good: its HTTP/2 stream (the connection's other streams live on), or its HTTP/1.1 socket. */
export function cutOff(req: IncomingMessage): void {
  const stream = (req as unknown as { stream?: { close(code?: number): void } }).stream;
  if (req.httpVersionMajor >= 2 && stream) stream.close(8 /* NGHTTP2_CANCEL */);
  else req.socket.destroy();
}

/** Asks for the connection to be closed after the answer (HTTP/1.1 only: HTTP/2 has no such header). */
function closeAfter(req: IncomingMessage, res: ServerResponse): void {
  if (!res.headersSent && req.httpVersionMajor < 2) res.setHeader('connection', 'close');
}

/** The request headers by lower-case name (repeated ones joined with ", "). */
export function headerMap(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Reads a request body of at most `limit` bytes within `timeoutMs` (counted from the call).
 * Too large (by Content-Length, before reading, or while reading): resource_exhausted, and the
 * rest is read and thrown away (up to MAX_DISCARD_BYTES, then the connection is cut). Not all
 * there in time (a stalled or trickling client): deadline_exceeded, and the connection is
 * closed after the answer. Either way the request never holds more than `limit` bytes.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      chunks.length = 0;
      reject(e);
    };
    const timer = setTimeout(() => {
      // The answer goes out with Connection: close; a socket still not done after that is cut.
      closeAfter(req, res);
      fail(new MockError('deadline_exceeded', `request body not received within ${timeoutMs} ms`));
      setTimeout(() => cutOff(req), 1000).unref();
    }, timeoutMs);
    timer.unref();
    const done = (): void => clearTimeout(timer);
    req.on('end', done);
    req.on('close', done);
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      fail(new MockError('resource_exhausted', `request body larger than ${limit} bytes (content-length ${declared})`));
      if (declared > MAX_DISCARD_BYTES) closeAfter(req, res);
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (failed) {
        if (size > MAX_DISCARD_BYTES) cutOff(req);
        return;
      }
      if (size > limit) {
        fail(new MockError('resource_exhausted', `request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', (e) => fail(e));
  });
}

/** Gunzips a request body into at most `limit` bytes: a gzip bomb is resource_exhausted, a broken stream malformed. */
export function gunzipLimited(body: Uint8Array, limit: number): Uint8Array {
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new MockError('resource_exhausted', `request body larger than ${limit} bytes after gzip decompression`);
    throw new MockError('malformed', `the gzip request body could not be decompressed: ${(e as Error).message}`);
  }
}
