/**
 * What the mock's HTTP routes (Twirp, Connect, gRPC-Web) share: content types, CORS for the
 * service routes, each protocol's error bodies, and a request's envelopes read as a stream (a
 * streaming call's messages as they arrive, each within the size limit, the stream within an idle
 * timeout, decompressed as its encoding header says).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRPC_CODE_NAMES } from '../../core/api/vocabulary';
import { ENVELOPE_COMPRESSED, EnvelopeError, EnvelopeReader } from '../rpc/envelope';
import { cutOff, gunzipLimited } from './http-body';
import { MockError } from './mock-errors';

export const JSON_CT = /^application\/json\b/i;
export const TWIRP_PROTO_CT = /^application\/(x-)?protobuf\b/i;
export const CONNECT_PROTO_CT = /^application\/proto\b/i;
export const CONNECT_STREAM_CT = /^application\/connect\+(proto|json)\s*(;|$)/i;
export const GRPC_WEB_CT = /^application\/grpc-web(-text)?(\+(proto|json))?\s*(;|$)/i;
/** What the Connect / gRPC-Web route accepts (the Accept-Post header of a 415). */
export const ACCEPT_POST =
  'application/proto, application/json, application/connect+proto, application/connect+json, application/grpc-web, application/grpc-web+proto, application/grpc-web+json, application/grpc-web-text, application/grpc-web-text+proto, application/grpc-web-text+json';

/** CORS of the service routes: any origin (each call carries its own token), the gRPC and Connect headers exposed. */
export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'grpc-status, grpc-message, grpc-status-details-bin, grpc-encoding, connect-protocol-version',
};

/** A grpc-message value: percent-encoded as the gRPC spec asks (printable ASCII but %). */
export function percentEncode(s: string): string {
  return s.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** A Connect error as JSON: {code, message, details} (details base64 without padding, as connect-go). */
export function connectErrorJson(err: MockError): { code: string; message: string; details?: { type: string; value: string }[] } {
  const code = GRPC_CODE_NAMES[err.grpcCode];
  return {
    code,
    message: err.message,
    ...(err.details.length
      ? {
          details: err.details.map((d) => ({
            type: d.typeUrl.slice(d.typeUrl.lastIndexOf('/') + 1),
            value: Buffer.from(d.value).toString('base64').replace(/=+$/, ''),
          })),
        }
      : {}),
  };
}

/** Whether the answer goes out over HTTP/2 (no connection-specific headers there). */
export function isHttp2(req: IncomingMessage): boolean {
  return req.httpVersionMajor >= 2;
}

/**
 * A request body's envelopes as they arrive, decompressed: each at most `maxBytes`, the next one
 * within `idleMs`. A flagged envelope needs `encoding` gzip (another encoding is unimplemented; none,
 * or identity, is the gRPC spec's INTERNAL). Framing errors are malformed, sizes resource_exhausted.
 */
export async function* requestEnvelopes(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { maxBytes: number; idleMs: number; encoding: string | undefined; text?: boolean },
): AsyncGenerator<Uint8Array> {
  const reader = new EnvelopeReader(opts.maxBytes);
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let pendingText = '';
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const onData = (c: Buffer): void => {
    try {
      let bytes: Uint8Array = c;
      if (opts.text) {
        // gRPC-Web text: base64, decoded in whole 4-character groups.
        pendingText += c.toString('latin1');
        const usable = pendingText.length - (pendingText.length % 4);
        bytes = Buffer.from(pendingText.slice(0, usable), 'base64');
        pendingText = pendingText.slice(usable);
      }
      for (const env of reader.push(bytes)) {
        if (env.flags & ~ENVELOPE_COMPRESSED) throw new MockError('malformed', `a request frame has flags 0x${env.flags.toString(16)}`);
        let data = env.data;
        if (env.flags & ENVELOPE_COMPRESSED) {
          const enc = opts.encoding ?? 'identity';
          if (enc === 'identity') throw new MockError('internal', 'a message is marked compressed, but the request names no encoding');
          if (enc !== 'gzip') throw new MockError('unimplemented', `unsupported message encoding "${enc}"`);
          data = gunzipLimited(data, opts.maxBytes);
        }
        queue.push(data);
      }
    } catch (e) {
      failure = e instanceof EnvelopeError ? new MockError(e.tooLarge ? 'resource_exhausted' : 'malformed', e.message) : e;
      req.off('data', onData);
      req.resume();
    }
    notify();
  };
  req.on('data', onData);
  req.on('end', () => {
    ended = true;
    try {
      reader.end();
    } catch (e) {
      failure ??= new MockError('malformed', (e as Error).message);
    }
    notify();
  });
  req.on('error', (e) => {
    failure ??= e;
    notify();
  });
  req.on('close', () => {
    ended = true;
    notify();
  });
  while (true) {
    if (queue.length) {
      yield queue.shift()!;
      continue;
    }
    if (failure) throw failure;
    if (ended) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await new Promise<boolean>((resolve) => {
      wake = () => resolve(false);
      timer = setTimeout(() => resolve(true), opts.idleMs);
      timer.unref();
    });
    clearTimeout(timer);
    if (timedOut) {
      if (!res.headersSent && !isHttp2(req)) res.setHeader('connection', 'close');
      setTimeout(() => cutOff(req), 1000).unref();
      throw new MockError('deadline_exceeded', `no request message within ${opts.idleMs} ms`);
    }
  }
}
