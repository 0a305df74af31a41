/** Twirp (protobuf and JSON) and Connect unary: the transports over one HTTP request and answer (gRPC-Web and Connect streaming: send-envelopes.ts). */
import { randomUUID } from 'node:crypto';
import type { Type } from 'protobufjs';
import { DEFAULT_MAX_MESSAGE_BYTES, httpPost, headerValue, type HttpExchangeOptions } from './http-client';
import { jsonToBytes } from '../rpc/proto-json';
import { grpcCodeNumber } from '../../core/api/vocabulary';
import { decodeDetail, detailBytes, okResult } from './decode-answer';
import { redactHeaders } from './redact';
import type { DecodedError, SendBase, SendOptions, SendResult } from './send-types';

/** The exchange options every HTTP transport passes on: deadline, TLS, size limit, cancellation, HTTP/2. */
export function exchangeOptions(opts: SendOptions): HttpExchangeOptions {
  return { timeoutMs: opts.timeoutMs, tls: opts.tls, maxResponseBytes: opts.maxMessageBytes, signal: opts.signal, http2: opts.http2 };
}

/** Gunzips an answer's body or message within the max message size; throws a sentence when it cannot. */
export function gunzipAnswer(bytes: Uint8Array, limit: number | undefined, what: string): Uint8Array {
  const max = limit ?? DEFAULT_MAX_MESSAGE_BYTES;
  try {
    // node:zlib loads for the first compressed answer only (most sends never need it).
    return process.getBuiltinModule('node:zlib').gunzipSync(bytes, { maxOutputLength: max });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new Error(`${what} is larger than ${max} bytes once decompressed (the max message size)`, { cause: e });
    throw new Error(`${what} could not be decompressed (gzip): ${(e as Error).message}`, { cause: e });
  }
}

/** The base URL with a path appended (keeping the base's own path prefix). */
export function joinUrl(base: string, path: string): URL {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}

/** Sends over Twirp. */
export async function sendTwirp(
  opts: SendOptions,
  service: string,
  method: string,
  _requestType: Type,
  responseType: Type,
  headers: [string, string][],
  requestJson: unknown,
  base: SendBase,
): Promise<SendResult> {
  const json = opts.transport === 'twirp-json';
  const url = joinUrl(opts.url, `${opts.twirpPrefix ?? '/twirp'}/${service}/${method}`);
  const h: Record<string, string> = {
    'Content-Type': json ? 'application/json;charset=UTF-8' : 'application/protobuf',
    'User-Agent': 'protodesk',
  };
  if (service.startsWith('livekit.')) h['X-Livekit-Request-Id'] = randomUUID();
  for (const [k, v] of headers) h[k] = v;
  const body = json ? new TextEncoder().encode(JSON.stringify(requestJson)) : opts.body;
  const t0 = performance.now();
  const res = await httpPost(url, h, body, exchangeOptions(opts));
  const timeMs = performance.now() - t0;
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers,
    trailers: [] as [string, string][],
    timeMs,
    requestHeaders: redactHeaders(Object.entries(h)),
  };
  if (res.status === 200) {
    if (json) {
      return {
        ...common,
        ok: true,
        ...okResult(responseType, jsonToBytes(responseType, Buffer.from(res.body).toString('utf8'), { ignoreUnknownFields: true })),
      };
    }
    return { ...common, ok: true, ...okResult(responseType, res.body) };
  }
  const text = Buffer.from(res.body).toString('utf8');
  // Not a Twirp JSON error (a proxy, or livekit-server's auth middleware): the Twirp spec's
  // "error from intermediary" mapping of the HTTP status.
  const intermediary =
    res.status === 401
      ? 'unauthenticated'
      : res.status === 403
        ? 'permission_denied'
        : res.status === 404
          ? 'bad_route'
          : [429, 502, 503, 504].includes(res.status)
            ? 'unavailable'
            : res.status >= 300 && res.status < 400
              ? 'internal'
              : 'unknown';
  let error: DecodedError = {
    code: intermediary,
    message: text || res.statusText,
    meta: { http_error_from_intermediary: 'true', status_code: String(res.status) },
  };
  if (/^application\/json/i.test(headerValue(res.headers, 'content-type') ?? '')) {
    try {
      const j = JSON.parse(text) as { code?: string; msg?: string; meta?: Record<string, string> };
      error = { code: j.code ?? error.code, message: j.msg ?? '', ...(j.meta ? { meta: j.meta } : {}) };
    } catch {
      // not JSON after all: keep the text
    }
  }
  return { ...common, ok: false, error };
}

/** Sends over Connect. */
export async function sendConnect(
  opts: SendOptions,
  service: string,
  method: string,
  responseType: Type,
  headers: [string, string][],
  base: SendBase,
): Promise<SendResult> {
  const url = joinUrl(opts.url, `/${service}/${method}`);
  const h: Record<string, string> = { 'Content-Type': 'application/proto', 'Connect-Protocol-Version': '1', 'User-Agent': 'protodesk' };
  if (opts.timeoutMs) h['Connect-Timeout-Ms'] = String(opts.timeoutMs);
  if (opts.httpGet) {
    // Connect's GET: the message in the query (base64url), no body and no Content-Type.
    delete h['Content-Type'];
    delete h['Connect-Protocol-Version'];
    url.searchParams.set('connect', 'v1');
    url.searchParams.set('encoding', 'proto');
    url.searchParams.set('base64', '1');
    url.searchParams.set('message', Buffer.from(opts.body).toString('base64url'));
  }
  for (const [k, v] of headers) h[k] = v;
  const t0 = performance.now();
  const res = await httpPost(url, h, opts.body, { ...exchangeOptions(opts), method: opts.httpGet ? 'GET' : 'POST' });
  const timeMs = performance.now() - t0;
  const trailers = res.headers.filter(([k]) => k.startsWith('trailer-')).map(([k, v]) => [k.slice(8), v] as [string, string]);
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers.filter(([k]) => !k.startsWith('trailer-')),
    trailers,
    timeMs,
    requestHeaders: redactHeaders(Object.entries(h)),
  };
  let body = res.body;
  if (headerValue(res.headers, 'content-encoding') === 'gzip') body = gunzipAnswer(body, opts.maxMessageBytes, 'the Connect answer');
  if (res.status === 200) return { ...common, ok: true, ...okResult(responseType, body) };
  const text = Buffer.from(body).toString('utf8');
  let error: DecodedError = { code: `http_${res.status}`, message: text };
  try {
    const j = JSON.parse(text) as { code?: string; message?: string; details?: { type: string; value: string }[] };
    error = {
      code: j.code ?? error.code,
      message: j.message ?? '',
      grpcCode: j.code ? grpcCodeNumber(j.code) : undefined,
      details: j.details?.flatMap((d) => {
        const value = detailBytes(d.value);
        return value ? [decodeDetail(opts.root, { typeUrl: d.type, value })] : [];
      }),
    };
  } catch {
    // not a Connect error body
  }
  return { ...common, ok: false, error };
}
