/**
 * The mock's Connect route on /<pkg.Service>/<Method>: unary POST (application/proto or json, gzip
 * request bodies), unary GET (?connect=v1&encoding=...&message=..., only for methods marked
 * idempotency_level = NO_SIDE_EFFECTS, as connect-go: 405 otherwise) and streaming
 * (application/connect+proto or +json: enveloped messages, the end-stream message carrying the
 * error). Unary errors are {code, message, details} with Connect's HTTP status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Method } from 'protobufjs';
import { CONNECT_END_STREAM, envelope } from '../rpc/envelope';
import { gunzipLimited, readBody } from './http-body';
import { CONNECT_HTTP_STATUS, MockError, toMockError } from './mock-errors';
import { CONNECT_PROTO_CT, CONNECT_STREAM_CT, CORS, JSON_CT, connectErrorJson, requestEnvelopes } from './mock-route-common';
import type { CallKind, MockCall, MockStreamCall } from './mock-service';

/** What the Connect route needs. */
export interface ConnectRouteContext {
  run: MockCall;
  runStream: MockStreamCall;
  kindOf(service: string, method: string): CallKind | undefined;
  /** The method, for its options (idempotency_level). */
  methodOf(service: string, method: string): Method | undefined;
  maxBytes: number;
  requestTimeoutMs: number;
}

/** Whether a method is marked idempotency_level = NO_SIDE_EFFECTS (what Connect's GET needs). */
export function sideEffectFree(method: Method | undefined): boolean {
  const level = (method?.options as Record<string, unknown> | undefined)?.idempotency_level;
  return level === 'NO_SIDE_EFFECTS' || level === 1;
}

function writeUnaryError(res: ServerResponse, e: unknown): void {
  const err = toMockError(e);
  const body = connectErrorJson(err);
  // An unknown service or method: 404, as connect-go behind its ServeMux (which Connect clients
  // read as unimplemented), with the Connect error body saying so too.
  const status = err.code === 'bad_route' ? 404 : (CONNECT_HTTP_STATUS[body.code] ?? 500);
  res.writeHead(status, { 'content-type': 'application/json', ...CORS });
  res.end(JSON.stringify(body));
}

/** The handler of Connect requests (the caller has matched /<service>/<method> and the content type or GET). */
export function createConnectRoute(ctx: ConnectRouteContext) {
  const unary = async (
    res: ServerResponse,
    service: string,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array,
    json: boolean,
  ) => {
    const kind = ctx.kindOf(service, method);
    if (kind && kind !== 'unary')
      throw new MockError('unimplemented', `${service}/${method} is a streaming method: use application/connect+proto or +json`);
    const out = await ctx.run('connect', service, method, headers, body, json);
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/proto', ...CORS });
    res.end(out);
  };

  /** GET /<service>/<method>?connect=v1&encoding=proto|json&message=...[&base64=1][&compression=gzip]. */
  const get = async (res: ServerResponse, url: URL, service: string, method: string, headers: Record<string, string>) => {
    try {
      const m = ctx.methodOf(service, method);
      if (!m) throw new MockError('bad_route', `no handler for path "/${service}/${method}"`);
      if (!sideEffectFree(m)) {
        res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8', ...CORS });
        res.end(`${service}/${method} is not marked idempotency_level = NO_SIDE_EFFECTS: Connect answers it over POST only\n`);
        return;
      }
      const q = url.searchParams;
      if (q.get('connect') !== null && q.get('connect') !== 'v1')
        throw new MockError('invalid_argument', `connect must be "v1": got "${q.get('connect')}"`);
      const encoding = q.get('encoding');
      if (encoding !== 'proto' && encoding !== 'json') throw new MockError('invalid_argument', 'encoding must be "proto" or "json"');
      const message = q.get('message') ?? '';
      let body: Uint8Array =
        q.get('base64') === '1' ? Buffer.from(message, 'base64url') : Buffer.from(message, encoding === 'json' ? 'utf8' : 'latin1');
      const compression = q.get('compression');
      if (compression && compression !== 'identity') {
        if (compression !== 'gzip') throw new MockError('unimplemented', `unsupported compression "${compression}"`);
        body = gunzipLimited(body, ctx.maxBytes);
      }
      if (body.length > ctx.maxBytes) throw new MockError('resource_exhausted', `request message larger than ${ctx.maxBytes} bytes`);
      await unary(res, service, method, headers, body, encoding === 'json');
    } catch (e) {
      writeUnaryError(res, e);
    }
  };

  /** A streaming call: envelopes in, envelopes out, the end-stream message last. */
  const stream = async (
    req: IncomingMessage,
    res: ServerResponse,
    service: string,
    method: string,
    headers: Record<string, string>,
    json: boolean,
  ) => {
    res.writeHead(200, { 'content-type': `application/connect+${json ? 'json' : 'proto'}`, ...CORS });
    let end: Record<string, unknown> = {};
    try {
      const kind = ctx.kindOf(service, method);
      if (kind === 'unary') throw new MockError('unimplemented', `${service}/${method} is a unary method: use application/proto or json`);
      const requests = requestEnvelopes(req, res, {
        maxBytes: ctx.maxBytes,
        idleMs: ctx.requestTimeoutMs,
        encoding: headers['connect-content-encoding'],
      });
      await ctx.runStream('connect', service, method, headers, json, requests, (body) => {
        res.write(envelope(0, body));
      });
    } catch (e) {
      const err = toMockError(e);
      end = { error: connectErrorJson(err.code === 'bad_route' ? new MockError('unimplemented', err.message) : err) };
    }
    res.end(envelope(CONNECT_END_STREAM, Buffer.from(JSON.stringify(end))));
  };

  return async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    service: string,
    method: string,
    headers: Record<string, string>,
  ): Promise<void> => {
    if (req.method === 'GET') return get(res, url, service, method, headers);
    const ct = headers['content-type'] ?? '';
    const version = headers['connect-protocol-version'];
    const streaming = CONNECT_STREAM_CT.exec(ct);
    if (streaming) return stream(req, res, service, method, headers, streaming[1].toLowerCase() === 'json');
    const json = JSON_CT.test(ct);
    if (!json && !CONNECT_PROTO_CT.test(ct)) throw new Error('not a Connect content type');
    try {
      if (version !== undefined && version !== '1')
        throw new MockError('invalid_argument', `connect-protocol-version must be "1": got "${version}"`);
      let body = await readBody(req, res, ctx.maxBytes, ctx.requestTimeoutMs);
      const enc = headers['content-encoding'];
      if (enc && enc !== 'identity') {
        if (enc !== 'gzip') throw new MockError('unimplemented', `unsupported content-encoding "${enc}"`);
        body = gunzipLimited(body, ctx.maxBytes);
      }
      await unary(res, service, method, headers, body, json);
    } catch (e) {
      writeUnaryError(res, e);
    }
  };
}
