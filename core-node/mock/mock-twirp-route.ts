/**
 * The mock's Twirp route: POST /twirp/<pkg.Service>/<Method>, protobuf or JSON, errors as Twirp JSON
 * {code, msg, meta} with Twirp's HTTP statuses. A bad route is answered as Twirp Go's server does:
 * `bad_route` "no handler for path "/twirp/..."" with meta.twirp_invalid_route "POST /twirp/..."
 * (also for a wrong HTTP method or content type). Twirp has no streaming: a streaming method has
 * no route either.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-body';
import { MockError, TWIRP_HTTP_STATUS, toMockError } from './mock-errors';
import { CORS, JSON_CT, TWIRP_PROTO_CT } from './mock-route-common';
import type { CallKind, MockCall } from './mock-service';

/** What the Twirp route needs. */
export interface TwirpRouteContext {
  run: MockCall;
  kindOf(service: string, method: string): CallKind | undefined;
  maxBytes: number;
  requestTimeoutMs: number;
}

/** Twirp Go's badRouteError: the message, and where the request went in meta.twirp_invalid_route. */
function badRoute(msg: string, method: string, path: string): MockError {
  return new MockError('bad_route', msg, { twirp_invalid_route: `${method} ${path}` });
}

/** Writes a Twirp error (or livekit-server's plain-text 401). */
export function sendTwirpError(res: ServerResponse, err: MockError): void {
  const status = TWIRP_HTTP_STATUS[err.code];
  if (err.plainText) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...CORS });
    res.end(err.message);
    return;
  }
  const body: Record<string, unknown> = { code: err.code, msg: err.message };
  if (Object.keys(err.meta).length) body.meta = err.meta;
  res.writeHead(status, { 'content-type': 'application/json', ...CORS });
  res.end(JSON.stringify(body));
}

/** The handler of paths under /twirp/. */
export function createTwirpRoute(ctx: TwirpRouteContext) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>): Promise<void> => {
    const method = req.method ?? '';
    const m = /^\/twirp\/([^/]+)\/([^/]+)$/.exec(path);
    const ct = headers['content-type'] ?? '';
    try {
      if (method !== 'POST') throw badRoute(`unsupported method "${method}" (only POST is allowed)`, method, path);
      if (!m || ctx.kindOf(m[1], m[2]) !== 'unary') throw badRoute(`no handler for path "${path}"`, method, path);
      const json = JSON_CT.test(ct);
      if (!json && !TWIRP_PROTO_CT.test(ct)) throw badRoute(`unexpected Content-Type: "${ct}"`, method, path);
      const body = await readBody(req, res, ctx.maxBytes, ctx.requestTimeoutMs);
      const out = await ctx.run('twirp', m[1], m[2], headers, body, json);
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/protobuf', ...CORS });
      res.end(out);
    } catch (e) {
      const err = toMockError(e);
      // The dispatcher's "no such method" becomes Twirp's own bad route, with the full path.
      sendTwirpError(
        res,
        err.code === 'bad_route' && !err.meta.twirp_invalid_route ? badRoute(`no handler for path "${path}"`, method, path) : err,
      );
    }
  };
}
