/**
 * The HTTP transports whose bodies are enveloped messages: gRPC-Web (unary and server streaming; the
 * status in a trailer frame) and Connect streaming (server, client and bidi; the error in the
 * end-stream message). Response messages are handed to onMessage as their frames arrive, decompressed
 * (gzip) within the max message size. Connect bidi needs HTTP/2 (full duplex): it is sent over h2 or h2c.
 */
import type { Type } from 'protobufjs';
import { httpPost, headerValue } from './http-client';
import { CONNECT_END_STREAM, ENVELOPE_COMPRESSED, EnvelopeReader, GRPC_WEB_TRAILERS, envelope, type Envelope } from '../rpc/envelope';
import type { CallKind } from '../rpc/service-method';
import { grpcCodeNumber } from '../../core/api/vocabulary';
import { answerOf, decodeDetail, detailBytes, grpcError } from './decode-answer';
import { redactHeaders } from './redact';
import { exchangeOptions, gunzipAnswer, joinUrl } from './send-http';
import type { DecodedError, SendBase, SendOptions, SendResult } from './send-types';

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseGrpcWebTrailer(bytes: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  for (const line of Buffer.from(bytes).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()]);
  }
  return out;
}

/** The request messages of a call, each in an envelope. */
function requestBody(opts: SendOptions): Buffer {
  return Buffer.concat((opts.requests ?? [opts.body]).map((m) => envelope(0, m)));
}

/**
 * Reads envelopes as chunks arrive: data envelopes (decompressed per `encoding`) go to `messages`
 * and onMessage; the first frame problem is kept; the others (trailers, end of stream) are returned.
 */
function envelopeCollector(opts: SendOptions, control: (flags: number) => boolean) {
  const reader = new EnvelopeReader(opts.maxMessageBytes ?? Number.MAX_SAFE_INTEGER);
  const messages: Uint8Array[] = [];
  const controls: Envelope[] = [];
  let encoding = 'identity';
  let problem: string | undefined;
  const take = (env: Envelope): void => {
    let data = env.data;
    if (env.flags & ENVELOPE_COMPRESSED) {
      if (encoding === 'gzip') {
        try {
          data = gunzipAnswer(data, opts.maxMessageBytes, 'a response frame');
        } catch (e) {
          problem ??= (e as Error).message;
          return;
        }
      } else {
        problem ??= `a response frame is marked compressed, but the answer's encoding is "${encoding}"`;
        return;
      }
    }
    if (control(env.flags)) controls.push({ flags: env.flags, data });
    else {
      messages.push(data);
      opts.onMessage?.(messages.length - 1, data);
    }
  };
  return {
    messages,
    controls,
    setEncoding(e: string | undefined) {
      encoding = e ?? 'identity';
    },
    push(chunk: Uint8Array) {
      try {
        for (const env of reader.push(chunk)) take(env);
      } catch (e) {
        problem ??= (e as Error).message;
      }
    },
    problem: () => problem,
  };
}

/** Sends over gRPC-Web: a unary call or a server stream (gRPC-Web carries no client or bidi streams). */
export async function sendGrpcWeb(
  opts: SendOptions,
  service: string,
  method: string,
  kind: CallKind,
  responseType: Type,
  headers: [string, string][],
  base: SendBase,
): Promise<SendResult> {
  if (kind === 'client-stream' || kind === 'bidi')
    throw new Error(
      `${service}/${method} is a ${kind} method: gRPC-Web carries unary and server-streaming calls only (use gRPC or Connect)`,
    );
  const url = joinUrl(opts.url, `/${service}/${method}`);
  const h: Record<string, string> = {
    'Content-Type': 'application/grpc-web+proto',
    'X-Grpc-Web': '1',
    Accept: 'application/grpc-web+proto',
    'User-Agent': 'protodesk',
  };
  if (opts.timeoutMs) h['grpc-timeout'] = `${opts.timeoutMs}m`;
  for (const [k, v] of headers) h[k] = v;
  const collector = envelopeCollector(opts, (flags) => (flags & GRPC_WEB_TRAILERS) !== 0);
  const t0 = performance.now();
  const res = await httpPost(url, h, requestBody({ ...opts, requests: (opts.requests ?? [opts.body]).slice(0, 1) }), {
    ...exchangeOptions(opts),
    // A server that compresses (when asked with grpc-accept-encoding) names its encoding in grpc-encoding.
    onHeaders: (_status, hs) => collector.setEncoding(headerValue(hs, 'grpc-encoding')),
    onData: (chunk) => collector.push(chunk),
  });
  const timeMs = performance.now() - t0;
  const trailerFrame = collector.controls.at(-1);
  const trailers = trailerFrame ? parseGrpcWebTrailer(trailerFrame.data) : [];
  // Trailers-only answers carry the status in the HTTP headers.
  const statusText = headerValue(trailers, 'grpc-status') ?? headerValue(res.headers, 'grpc-status');
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers,
    trailers,
    timeMs,
    requestHeaders: redactHeaders(Object.entries(h)),
  };
  if (res.status !== 200 && statusText === undefined) {
    return { ...common, ok: false, error: { code: `http_${res.status}`, message: Buffer.from(res.body).toString('utf8') } };
  }
  const answers = answerOf(responseType, kind, collector.messages);
  const problem = collector.problem();
  if (problem) return { ...common, ok: false, error: grpcError(opts.root, 13, problem, undefined) };
  const code = Number(statusText ?? 2);
  if (code === 0 && (kind !== 'unary' || collector.messages.length)) return { ...common, ok: true, ...answers };
  const msg = percentDecode(
    headerValue(trailers, 'grpc-message') ?? headerValue(res.headers, 'grpc-message') ?? (code === 0 ? 'no response message' : ''),
  );
  const det = headerValue(trailers, 'grpc-status-details-bin') ?? headerValue(res.headers, 'grpc-status-details-bin');
  return {
    ...common,
    ok: false,
    ...(kind === 'unary' ? {} : answers),
    error: grpcError(opts.root, code === 0 ? 13 : code, msg, det ? detailBytes(det) : undefined),
  };
}

/** A Connect error JSON ({code, message, details}) as a decoded error. */
export function connectError(
  opts: SendOptions,
  j: { code?: string; message?: string; details?: { type: string; value: string }[] },
  fallback: string,
): DecodedError {
  return {
    code: j.code ?? fallback,
    message: j.message ?? '',
    grpcCode: j.code ? grpcCodeNumber(j.code) : undefined,
    details: j.details?.flatMap((d) => {
      const value = detailBytes(d.value);
      return value ? [decodeDetail(opts.root, { typeUrl: d.type, value })] : [];
    }),
  };
}

/** Sends a streaming call over Connect (application/connect+proto). */
export async function sendConnectStream(
  opts: SendOptions,
  service: string,
  method: string,
  kind: CallKind,
  responseType: Type,
  headers: [string, string][],
  base: SendBase,
): Promise<SendResult> {
  const url = joinUrl(opts.url, `/${service}/${method}`);
  const h: Record<string, string> = {
    'Content-Type': 'application/connect+proto',
    'Connect-Protocol-Version': '1',
    'Connect-Accept-Encoding': 'gzip',
    'User-Agent': 'protodesk',
  };
  if (opts.timeoutMs) h['Connect-Timeout-Ms'] = String(opts.timeoutMs);
  for (const [k, v] of headers) h[k] = v;
  const collector = envelopeCollector(opts, (flags) => (flags & CONNECT_END_STREAM) !== 0);
  const body = requestBody(kind === 'server-stream' ? { ...opts, requests: (opts.requests ?? [opts.body]).slice(0, 1) } : opts);
  const t0 = performance.now();
  let ok = false;
  const res = await httpPost(url, h, body, {
    ...exchangeOptions(opts),
    // Full duplex needs HTTP/2; a server reading the whole request first would do on HTTP/1.1, but connect-go refuses.
    http2: opts.http2 || kind === 'bidi',
    onHeaders: (status, hs) => {
      ok = status === 200;
      collector.setEncoding(headerValue(hs, 'connect-content-encoding'));
    },
    // An error answer (not 200) is a unary-style JSON body, read whole below.
    onData: (chunk) => ok && collector.push(chunk),
  });
  const common = {
    ...base,
    target: url.toString(),
    httpStatus: res.status,
    headers: res.headers,
    trailers: [] as [string, string][],
    timeMs: performance.now() - t0,
    requestHeaders: redactHeaders(Object.entries(h)),
  };
  if (res.status !== 200) {
    const text = Buffer.from(res.body).toString('utf8');
    let error: DecodedError = { code: `http_${res.status}`, message: text };
    try {
      error = connectError(opts, JSON.parse(text) as Record<string, never>, `http_${res.status}`);
    } catch {
      // not a Connect error body
    }
    return { ...common, ok: false, error };
  }
  const answers = answerOf(responseType, kind, collector.messages);
  const problem = collector.problem();
  if (problem) return { ...common, ok: false, ...answers, error: grpcError(opts.root, 13, problem, undefined) };
  const end = collector.controls.at(-1);
  if (!end)
    return {
      ...common,
      ok: false,
      ...answers,
      error: { code: 'internal', grpcCode: 13, message: 'the stream ended without its end-stream message' },
    };
  let endJson: { error?: Record<string, never>; metadata?: Record<string, string[]> };
  try {
    endJson = JSON.parse(Buffer.from(end.data).toString('utf8')) as typeof endJson;
  } catch (e) {
    return {
      ...common,
      ok: false,
      ...answers,
      error: { code: 'internal', grpcCode: 13, message: `the end-stream message is not JSON: ${(e as Error).message}` },
    };
  }
  const trailers = Object.entries(endJson.metadata ?? {}).flatMap(([k, vs]) => vs.map((v) => [k, v] as [string, string]));
  if (endJson.error) return { ...common, trailers, ok: false, ...answers, error: connectError(opts, endJson.error, 'unknown') };
  return { ...common, trailers, ok: true, ...answers };
}
