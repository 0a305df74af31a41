/**
 * Sends one unary request in any of the five transports and returns the response with status,
 * headers, trailers, time taken, and a decoded error: Twirp JSON `{code,msg,meta}`; gRPC,
 * gRPC-Web and Connect status with google.rpc.Status details.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import { resolveMethod, splitMethod } from '../rpc/service-method';
import { decodeBadRequest, decodeRpcStatus, type AnyDetail } from '../rpc/rpc-status';
import { grantForRoomServiceMethod, mintLiveKitToken } from '../livekit/access-token';
import { httpPost, headerValue, type TlsOptions } from './http-client';
import { bytesToJson, jsonToBytes } from '../rpc/proto-json';
import { base64ToBytes } from '../../core/wire/base64';
import { GRPC_CODE_NAMES, grpcCodeNumber, type Transport } from '../../core/api/vocabulary';

export { DeadlineExceededError } from './http-client';

/** LiveKit credentials: a key and secret to mint the token the method needs, or a token as is. */
export type LiveKitAuth = { apiKey: string; apiSecret: string; identity?: string; ttlSeconds?: number } | { token: string };

/** What to send. */
export interface SendOptions {
  root: Root;
  /** Base URL: http(s)://host:port[/prefix]. */
  url: string;
  transport: Transport;
  /** "pkg.Service/Method" (also accepted: "pkg.Service.Method", "/pkg.Service/Method"). */
  method: string;
  /** The request message, binary. */
  body: Uint8Array;
  /** Extra headers / metadata, in order (name, value). */
  headers?: readonly [string, string][];
  timeoutMs?: number;
  tls?: TlsOptions;
  livekit?: LiveKitAuth;
  /** Twirp path prefix; default "/twirp". */
  twirpPrefix?: string;
}

/** One detail of an error (google.rpc.Status details or Connect details). */
export interface ErrorDetail {
  type: string;
  /** The detail decoded as proto3 JSON when its type is known. */
  json?: unknown;
  bytes: Uint8Array;
}

/** A decoded error answer. */
export interface DecodedError {
  /** Twirp code, or the gRPC / Connect code name ("not_found", "invalid_argument", ...). */
  code: string;
  message: string;
  /** gRPC status code number (gRPC, gRPC-Web, and mapped for Connect). */
  grpcCode?: number;
  /** Twirp meta. */
  meta?: Record<string, string>;
  details?: ErrorDetail[];
}

/** The outcome of one send. */
export interface SendResult {
  ok: boolean;
  transport: Transport;
  /** Full URL (or gRPC target + path) the request went to. */
  target: string;
  /** HTTP status (absent for gRPC). */
  httpStatus?: number;
  headers: [string, string][];
  trailers: [string, string][];
  /** Time from sending to the full response, in ms. */
  timeMs: number;
  /** The response message, binary (when ok). */
  responseBytes?: Uint8Array;
  /** The response as proto3 JSON (when ok). */
  responseJson?: unknown;
  responseType: string;
  error?: DecodedError;
  /** Headers sent, with authorization redacted. */
  requestHeaders: [string, string][];
}

function redact(headers: [string, string][]): [string, string][] {
  return headers.map(([k, v]) =>
    k.toLowerCase() === 'authorization' ? [k, v.replace(/^(Bearer|Basic)\s+.+$/i, '$1 <redacted>')] : [k, v],
  );
}

function decodeDetail(root: Root, d: AnyDetail): ErrorDetail {
  const type = d.typeUrl.slice(d.typeUrl.lastIndexOf('/') + 1);
  let json: unknown;
  if (type === 'google.rpc.BadRequest') json = decodeBadRequest(d.value);
  else {
    try {
      const t = root.lookup(type);
      if (t instanceof protobuf.Type) json = bytesToJson(t, d.value);
    } catch {
      // unknown detail type: bytes only
    }
  }
  return { type, json, bytes: d.value };
}

function grpcError(root: Root, code: number, message: string, detailsBin: Uint8Array | undefined): DecodedError {
  const err: DecodedError = { code: GRPC_CODE_NAMES[code] ?? String(code), grpcCode: code, message };
  if (detailsBin?.length) {
    try {
      err.details = decodeRpcStatus(detailsBin).details.map((d) => decodeDetail(root, d));
    } catch {
      // undecodable details are left out
    }
  }
  return err;
}

/** Status details as sent (base64, either alphabet, padding optional); undefined when they are not base64 (then left out). */
function detailBytes(s: unknown): Uint8Array | undefined {
  try {
    return typeof s === 'string' ? base64ToBytes(s) : undefined;
  } catch {
    return undefined;
  }
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function joinUrl(base: string, path: string): URL {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}

/** The token for a LiveKit method: minted with the grant the method needs (room from the request). */
async function livekitToken(auth: LiveKitAuth, method: string, request: Record<string, unknown>): Promise<string> {
  if ('token' in auth) return auth.token;
  const grant = grantForRoomServiceMethod(method, {
    room: typeof request.room === 'string' ? request.room : undefined,
    destinationRoom: typeof request.destinationRoom === 'string' ? request.destinationRoom : undefined,
  });
  return mintLiveKitToken({ apiKey: auth.apiKey, apiSecret: auth.apiSecret, grant, identity: auth.identity, ttl: auth.ttlSeconds ?? 600 });
}

/**
 * Sends the request and decodes the answer. Over HTTP (Twirp, Connect, gRPC-Web) transport
 * failures (refused, TLS) reject, and so does a timeout: a DeadlineExceededError (code
 * "deadline_exceeded") once timeoutMs has passed without a complete response, its socket closed.
 * gRPC reports all of these as a status (timeout: deadline_exceeded, the stream cancelled).
 */
export async function sendRequest(opts: SendOptions): Promise<SendResult> {
  const { service, method } = splitMethod(opts.method);
  const resolved = resolveMethod(opts.root, service, method);
  if (!resolved) throw new Error(`no method ${service}/${method} in the loaded schemas`);
  const { requestType, responseType } = resolved;
  if (resolved.method.requestStream || resolved.method.responseStream)
    throw new Error(`${service}/${method} is a streaming method; only unary methods can be sent`);
  const requestJson = bytesToJson(requestType, opts.body) as Record<string, unknown>;
  const headers: [string, string][] = [...(opts.headers ?? [])];
  if (opts.livekit) headers.push(['Authorization', `Bearer ${await livekitToken(opts.livekit, method, requestJson)}`]);
  const base: Omit<SendResult, 'ok' | 'headers' | 'trailers' | 'timeMs' | 'target'> = {
    transport: opts.transport,
    responseType: responseType.fullName.slice(1),
    requestHeaders: redact(headers),
  };
  switch (opts.transport) {
    case 'twirp':
    case 'twirp-json':
      return sendTwirp(opts, service, method, requestType, responseType, headers, requestJson, base);
    case 'connect':
      return sendConnect(opts, service, method, responseType, headers, base);
    case 'grpc-web':
      return sendGrpcWeb(opts, service, method, responseType, headers, base);
    case 'grpc':
      return sendGrpc(opts, service, method, responseType, headers, base);
    default:
      throw new Error(`unknown transport '${String(opts.transport)}'`);
  }
}

type Base = Omit<SendResult, 'ok' | 'headers' | 'trailers' | 'timeMs' | 'target'>;

function okResult(responseType: Type, bytes: Uint8Array): { responseBytes: Uint8Array; responseJson: unknown } {
  return { responseBytes: bytes, responseJson: bytesToJson(responseType, bytes) };
}

async function sendTwirp(
  opts: SendOptions,
  service: string,
  method: string,
  _requestType: Type,
  responseType: Type,
  headers: [string, string][],
  requestJson: unknown,
  base: Base,
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
  const res = await httpPost(url, h, body, { timeoutMs: opts.timeoutMs, tls: opts.tls });
  const timeMs = performance.now() - t0;
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers,
    trailers: [] as [string, string][],
    timeMs,
    requestHeaders: redact(Object.entries(h)),
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

async function sendConnect(
  opts: SendOptions,
  service: string,
  method: string,
  responseType: Type,
  headers: [string, string][],
  base: Base,
): Promise<SendResult> {
  const url = joinUrl(opts.url, `/${service}/${method}`);
  const h: Record<string, string> = { 'Content-Type': 'application/proto', 'Connect-Protocol-Version': '1', 'User-Agent': 'protodesk' };
  if (opts.timeoutMs) h['Connect-Timeout-Ms'] = String(opts.timeoutMs);
  for (const [k, v] of headers) h[k] = v;
  const t0 = performance.now();
  const res = await httpPost(url, h, opts.body, { timeoutMs: opts.timeoutMs, tls: opts.tls });
  const timeMs = performance.now() - t0;
  const trailers = res.headers.filter(([k]) => k.startsWith('trailer-')).map(([k, v]) => [k.slice(8), v] as [string, string]);
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers.filter(([k]) => !k.startsWith('trailer-')),
    trailers,
    timeMs,
    requestHeaders: redact(Object.entries(h)),
  };
  let body = res.body;
  if (headerValue(res.headers, 'content-encoding') === 'gzip') body = gunzipSync(body);
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

function parseGrpcWebTrailer(bytes: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  for (const line of Buffer.from(bytes).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()]);
  }
  return out;
}

async function sendGrpcWeb(
  opts: SendOptions,
  service: string,
  method: string,
  responseType: Type,
  headers: [string, string][],
  base: Base,
): Promise<SendResult> {
  const url = joinUrl(opts.url, `/${service}/${method}`);
  const h: Record<string, string> = {
    'Content-Type': 'application/grpc-web+proto',
    'X-Grpc-Web': '1',
    Accept: 'application/grpc-web+proto',
    'User-Agent': 'protodesk',
  };
  if (opts.timeoutMs) h['grpc-timeout'] = `${opts.timeoutMs}m`;
  for (const [k, v] of headers) h[k] = v;
  const frame = Buffer.alloc(5 + opts.body.length);
  frame.writeUInt32BE(opts.body.length, 1);
  frame.set(opts.body, 5);
  const t0 = performance.now();
  const res = await httpPost(url, h, frame, { timeoutMs: opts.timeoutMs, tls: opts.tls });
  const timeMs = performance.now() - t0;
  let message: Uint8Array | undefined;
  let trailers: [string, string][] = [];
  const buf = Buffer.from(res.body);
  for (let pos = 0; pos + 5 <= buf.length;) {
    const flags = buf[pos];
    const len = buf.readUInt32BE(pos + 1);
    const payload = buf.subarray(pos + 5, pos + 5 + len);
    if (flags & 0x80) trailers = parseGrpcWebTrailer(payload);
    else message = new Uint8Array(payload);
    pos += 5 + len;
  }
  // Trailers-only answers carry the status in the HTTP headers.
  const statusText = headerValue(trailers, 'grpc-status') ?? headerValue(res.headers, 'grpc-status');
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers,
    trailers,
    timeMs,
    requestHeaders: redact(Object.entries(h)),
  };
  if (res.status !== 200 && statusText === undefined) {
    return { ...common, ok: false, error: { code: `http_${res.status}`, message: buf.toString('utf8') } };
  }
  const code = Number(statusText ?? 2);
  if (code === 0 && message) return { ...common, ok: true, ...okResult(responseType, message) };
  const msg = percentDecode(
    headerValue(trailers, 'grpc-message') ?? headerValue(res.headers, 'grpc-message') ?? (code === 0 ? 'no response message' : ''),
  );
  const det = headerValue(trailers, 'grpc-status-details-bin') ?? headerValue(res.headers, 'grpc-status-details-bin');
  return { ...common, ok: false, error: grpcError(opts.root, code === 0 ? 13 : code, msg, det ? detailBytes(det) : undefined) };
}

function grpcCredentials(url: URL, tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (url.protocol === 'http:') return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(
    tls?.caPem ? Buffer.from(tls.caPem) : null,
    tls?.keyPem ? Buffer.from(tls.keyPem) : null,
    tls?.certPem ? Buffer.from(tls.certPem) : null,
    tls?.insecureSkipVerify ? { checkServerIdentity: () => undefined } : {},
  );
}

/** A gRPC channel shared by the sends to one target with the same TLS settings. */
interface CachedChannel {
  client: grpc.Client;
  key: string;
  /** Sends in flight on it. */
  calls: number;
  /** Closes it after GRPC_IDLE_MS without sends. */
  timer?: ReturnType<typeof setTimeout>;
  /** Out of the cache (its connection is suspect): closed once its last send ends. */
  retired?: boolean;
}
const grpcChannels = new Map<string, CachedChannel>();
const GRPC_IDLE_MS = 15000;

/**
 * The channel for a send: the cached one for the target and TLS settings, unless it is failing
 * (TRANSIENT_FAILURE: it would fail the send from its reconnect back-off), else a new one.
 */
function acquireGrpcChannel(target: string, url: URL, tls: TlsOptions | undefined): CachedChannel {
  const key = JSON.stringify([url.protocol, target, tls ?? null]);
  let c = grpcChannels.get(key);
  if (c && c.client.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE) {
    retireGrpcChannel(c);
    c = undefined;
  }
  if (!c) {
    c = { client: new grpc.Client(target, grpcCredentials(url, tls)), key, calls: 0 };
    grpcChannels.set(key, c);
  }
  clearTimeout(c.timer);
  c.timer = undefined;
  c.calls++;
  return c;
}

/** Takes a channel out of the cache; it closes when its last send ends. */
function retireGrpcChannel(c: CachedChannel): void {
  if (grpcChannels.get(c.key) === c) grpcChannels.delete(c.key);
  c.retired = true;
  if (c.calls === 0) c.client.close();
}

/**
 * Ends a send on a channel. A send that ran out of time or found the server unavailable retires
 * the channel: its connection may be one the server will never answer on (grpc-js waits for the
 * HTTP/2 settings of a connection without a timeout of its own) or one in reconnect back-off,
 * and the next send should connect afresh. Otherwise the channel stays for GRPC_IDLE_MS.
 */
function releaseGrpcChannel(c: CachedChannel, code: grpc.status): void {
  c.calls--;
  if (code === grpc.status.DEADLINE_EXCEEDED || code === grpc.status.UNAVAILABLE) retireGrpcChannel(c);
  else if (c.calls > 0) return;
  else if (c.retired) c.client.close();
  else {
    c.timer = setTimeout(() => retireGrpcChannel(c), GRPC_IDLE_MS);
    c.timer.unref?.();
  }
}

/** Closes the cached gRPC channels (tests, shutdown). */
export function closeGrpcClients(): void {
  for (const c of grpcChannels.values()) {
    clearTimeout(c.timer);
    c.client.close();
  }
  grpcChannels.clear();
}

function metadataPairs(md: grpc.Metadata): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(md.getMap())) out.push([k, typeof v === 'string' ? v : Buffer.from(v).toString('base64')]);
  return out;
}

async function sendGrpc(
  opts: SendOptions,
  service: string,
  method: string,
  responseType: Type,
  headers: [string, string][],
  base: Base,
): Promise<SendResult> {
  const url = new URL(opts.url);
  const target = `${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const channel = acquireGrpcChannel(target, url, opts.tls);
  const md = new grpc.Metadata();
  for (const [k, v] of headers) md.add(k.toLowerCase(), v);
  const path = `/${service}/${method}`;
  const ident = (b: Buffer): Buffer => b;
  const t0 = performance.now();
  let code: grpc.status = grpc.status.UNKNOWN;
  try {
    return await new Promise<SendResult>((resolve) => {
      let respHeaders: [string, string][] = [];
      let result: { err: grpc.ServiceError | null; value?: Buffer } | undefined;
      let status: grpc.StatusObject | undefined;
      const finish = (): void => {
        if (!result || !status) return;
        const common = {
          ...base,
          target: `${opts.url.replace(/\/+$/, '')}${path}`,
          headers: respHeaders,
          trailers: metadataPairs(status.metadata),
          timeMs: performance.now() - t0,
          requestHeaders: redact(headers),
        };
        if (!result.err && result.value) {
          resolve({ ...common, ok: true, ...okResult(responseType, new Uint8Array(result.value)) });
          return;
        }
        const e = result.err as grpc.ServiceError;
        const det = e.metadata?.get('grpc-status-details-bin')[0];
        // grpc-js's own deadline: say which timeout ran out ("Deadline exceeded after 0.301s" alone does not).
        const ownDeadline = e.code === grpc.status.DEADLINE_EXCEEDED && opts.timeoutMs && common.timeMs >= opts.timeoutMs - 5;
        const message = ownDeadline ? `no response within ${opts.timeoutMs} ms (timed out: ${e.details})` : e.details;
        resolve({ ...common, ok: false, error: grpcError(opts.root, e.code, message, det ? new Uint8Array(det as Buffer) : undefined) });
      };
      const call = channel.client.makeUnaryRequest(
        path,
        ident,
        ident,
        Buffer.from(opts.body),
        md,
        opts.timeoutMs ? { deadline: Date.now() + opts.timeoutMs } : {},
        (err, value) => {
          result = { err, value };
          finish();
        },
      );
      call.on('metadata', (m: grpc.Metadata) => {
        respHeaders = metadataPairs(m);
      });
      call.on('status', (s: grpc.StatusObject) => {
        status = s;
        code = s.code;
        finish();
      });
    });
  } finally {
    releaseGrpcChannel(channel, code);
  }
}
