/**
 * The websocket transport: a LiveKit-style signal connection. It connects to
 * `ws(s)://host[/prefix]/rtc?access_token=…` (an http(s) URL is taken as its ws(s) twin; /rtc is
 * appended unless the URL ends in it), sends every request as one binary frame once the
 * connection is open, listens for `listenMs` more (the server closing ends it sooner), and closes
 * with 1000. Every frame received is decoded with the response type (a text frame as its proto3
 * JSON) and kept with its time since the connection opened. A refused upgrade answers its HTTP
 * status and body; a close code other than 1000 / 1005 is an error naming the code and reason.
 */
import WebSocket from 'ws';
import type { Type } from 'protobufjs';
import { LIVEKIT_SIGNAL } from '../../core/api/vocabulary';
import { jsonToBytes } from '../rpc/proto-json';
import { okResult } from './decode-answer';
import { CancelledError, DEFAULT_MAX_MESSAGE_BYTES, DeadlineExceededError } from './http-client';
import { redactHeaders } from './redact';
import type { DecodedError, SendBase, SendOptions, SendResult } from './send-types';

/** How long the transport listens once every request is sent, unless told otherwise (ms). */
export const DEFAULT_LISTEN_MS = 1000;

/** How long a connection may take to open when the send has no timeout (ms). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** The signal protocol version sent as ?protocol= (what livekit-client 2.x sends; livekit-server reads features from it). */
export const SIGNAL_PROTOCOL_VERSION = '16';

/** The URL a signal connection opens: ws(s), the /rtc path, the token and protocol version in the query. */
export function signalUrl(base: string, token?: string): URL {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new Error(`"${base}" is not a URL: the websocket transport needs ws(s)://host[:port] (or http(s)://)`);
  }
  if (u.protocol === 'http:' || u.protocol === 'https:')
    u = new URL(`${u.protocol === 'https:' ? 'wss' : 'ws'}:${u.href.slice(u.protocol.length)}`);
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    throw new Error(`the websocket transport needs a ws(s):// or http(s):// URL, not ${u.protocol}//`);
  const path = u.pathname.replace(/\/+$/, '');
  if (!path.endsWith(LIVEKIT_SIGNAL.path)) u.pathname = `${path}${LIVEKIT_SIGNAL.path}`;
  if (token) u.searchParams.set('access_token', token);
  if (!u.searchParams.has('protocol')) u.searchParams.set('protocol', SIGNAL_PROTOCOL_VERSION);
  return u;
}

/** WebSocket close codes by number (RFC 6455 7.4.1), for error messages. */
const CLOSE_NAMES: Readonly<Record<number, string>> = {
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1006: 'closed without a close frame',
  1007: 'invalid frame payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'missing extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failed',
};

/** The error of a close code other than a normal one, as a gRPC-style code and a sentence. */
export function closeError(code: number, reason: string): DecodedError {
  const name =
    code === 1007 || code === 1003
      ? 'invalid_argument'
      : code === 1008
        ? 'permission_denied'
        : code === 1009
          ? 'resource_exhausted'
          : code === 1011
            ? 'internal'
            : code === 1001 || code === 1006 || code === 1012 || code === 1013
              ? 'unavailable'
              : 'unknown';
  const what = CLOSE_NAMES[code] ? ` (${CLOSE_NAMES[code]})` : '';
  return { code: name, message: `the server closed the connection with ${code}${what}${reason ? `: ${reason}` : ''}` };
}

/** The error of a refused upgrade, by HTTP status (as Twirp maps an intermediary's status). */
function upgradeError(status: number, body: string): DecodedError {
  const code =
    status === 401
      ? 'unauthenticated'
      : status === 403
        ? 'permission_denied'
        : status === 404
          ? 'not_found'
          : status === 400
            ? 'invalid_argument'
            : [429, 502, 503, 504].includes(status)
              ? 'unavailable'
              : 'unknown';
  return { code, message: `the server refused the WebSocket upgrade with HTTP ${status}${body.trim() ? `: ${body.trim()}` : ''}` };
}

/** Sends `requests` over a signal connection and collects every answer until the listen time is over. */
export async function sendWebSocket(
  opts: SendOptions,
  responseType: Type,
  token: string | undefined,
  headers: [string, string][],
  base: SendBase,
): Promise<SendResult> {
  const url = signalUrl(opts.url, token);
  const requests = opts.requests ?? [opts.body];
  const max = opts.maxMessageBytes || DEFAULT_MAX_MESSAGE_BYTES;
  const big = requests.findIndex((r) => r.length > max);
  if (big >= 0) throw new Error(`request ${big} is ${requests[big].length} bytes, larger than ${max} bytes (the max message size)`);
  const listenMs = opts.listenMs ?? DEFAULT_LISTEN_MS;
  const connectTimeout = opts.timeoutMs || DEFAULT_CONNECT_TIMEOUT_MS;
  const sentHeaders = headers.filter(([k]) => k.toLowerCase() !== 'authorization');
  const t0 = performance.now();
  return new Promise<SendResult>((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: Object.fromEntries(sentHeaders),
      maxPayload: max,
      handshakeTimeout: connectTimeout,
      rejectUnauthorized: !opts.tls?.insecureSkipVerify,
      ...(opts.tls?.caPem ? { ca: opts.tls.caPem } : {}),
      ...(opts.tls?.certPem ? { cert: opts.tls.certPem, key: opts.tls.keyPem } : {}),
    });
    ws.binaryType = 'nodebuffer';
    let openedAt = 0;
    let upgradeHeaders: [string, string][] = [];
    let settled = false;
    let closing = false;
    let failure: Error | undefined;
    const responses: { bytes: Uint8Array; json: unknown; timeMs: number }[] = [];
    const warnings: string[] = [];
    const timers: NodeJS.Timeout[] = [];

    const done = (r: SendResult | Error): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const result = (ok: boolean, extra: Partial<SendResult>): SendResult => ({
      ...base,
      ok,
      target: url.toString(),
      headers: upgradeHeaders,
      trailers: [],
      timeMs: performance.now() - t0,
      requestHeaders: redactHeaders([...sentHeaders, ...(token ? ([['Authorization', `Bearer ${token}`]] as [string, string][]) : [])]),
      responses,
      ...(warnings.length ? { warnings } : {}),
      ...extra,
    });
    const onAbort = (): void => {
      ws.terminate();
      done(new CancelledError());
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    /** Stops listening: a normal close, then the answers. */
    const finish = (): void => {
      if (closing || settled) return;
      closing = true;
      ws.close(1000, 'done');
      // A server that never answers the close frame is cut after a second.
      timers.push(setTimeout(() => ws.terminate(), 1000));
    };

    ws.on('upgrade', (res) => {
      upgradeHeaders = Object.entries(res.headers).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]],
      ) as [string, string][];
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 4096) body += d;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        done(
          result(false, {
            httpStatus: status,
            headers: redactHeaders(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            error: upgradeError(status, body.slice(0, 4096)),
          }),
        );
        ws.terminate();
      });
      res.on('error', () => undefined);
    });
    ws.on('open', () => {
      openedAt = performance.now();
      for (const r of requests) ws.send(r, { binary: true });
      timers.push(setTimeout(finish, listenMs));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const timeMs = performance.now() - openedAt;
      const index = responses.length;
      let bytes: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      let json: unknown;
      try {
        if (!isBinary) bytes = jsonToBytes(responseType, data.toString('utf8'), { ignoreUnknownFields: true });
        const r = okResult(responseType, bytes);
        json = r.responseJson;
        for (const w of r.warnings ?? []) warnings.push(`message ${index}: ${w}`);
      } catch (e) {
        warnings.push(
          `message ${index} (${isBinary ? 'binary' : 'text'}, ${data.length} bytes) is not a ${responseType.fullName.slice(1)}: ${(e as Error).message}`,
        );
        json = null;
      }
      responses.push({ bytes, json, timeMs });
      try {
        opts.onMessage?.(index, bytes);
      } catch (e) {
        // A listener's fault must not escape the socket's event handler (it would end the process).
        warnings.push(`message ${index}: its listener failed: ${(e as Error).message}`);
      }
    });
    ws.on('error', (e) => {
      // Before the connection opened: the send failed (refused, TLS, timed out); after, the close says how it ended.
      if (openedAt) failure = e;
      else if (/handshake has timed out/i.test(e.message)) done(new DeadlineExceededError(connectTimeout));
      else if (!settled) done(e);
    });
    ws.on('close', (code: number, reasonBuf: Buffer) => {
      if (!openedAt) return;
      const reason = reasonBuf.toString('utf8');
      const trailers: [string, string][] = [
        ['close-code', String(code)],
        ['close-reason', reason],
      ];
      if (closing || code === 1000 || code === 1005) return done(result(true, { httpStatus: 101, trailers }));
      const error = closeError(code, reason || failure?.message || '');
      done(result(false, { httpStatus: 101, trailers, error }));
    });
  });
}
