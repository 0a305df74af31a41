/**
 * The mock's HTTP port (HTTP/1.1, and HTTP/2 as h2c or h2): Twirp under /twirp (mock-twirp-route.ts),
 * Connect unary, GET and streaming (mock-connect-route.ts) and gRPC-Web (mock-grpc-web-route.ts) on
 * /<pkg.Service>/<Method>, and the admin routes (mock-admin-routes.ts). The service routes answer
 * CORS requests from any origin (browser clients such as connect-web need it; every call is
 * authorised by its own token); the admin routes only from the origin they are given.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Method } from 'protobufjs';
import { headerMap } from './http-body';
import { createAdminRoutes, type AdminContext } from './mock-admin-routes';
import { createTwirpRoute } from './mock-twirp-route';
import { createConnectRoute } from './mock-connect-route';
import { createGrpcWebRoute } from './mock-grpc-web-route';
import { ACCEPT_POST, CONNECT_PROTO_CT, CONNECT_STREAM_CT, CORS, GRPC_WEB_CT, JSON_CT } from './mock-route-common';
import type { CallKind, MockCall, MockStreamCall } from './mock-service';

/** What the HTTP handler needs from the server around it. */
export interface HttpHandlerContext {
  run: MockCall;
  runStream: MockStreamCall;
  kindOf(service: string, method: string): CallKind | undefined;
  methodOf(service: string, method: string): Method | undefined;
  maxBytes: number;
  requestTimeoutMs: number;
  /** The two base URLs (known once both ports listen). */
  urls(): { httpUrl: string; grpcUrl: string };
  /** The /_mock/* routes. */
  admin: AdminContext;
  /** GET /rtc/validate (the LiveKit signal endpoint's token check), when the signal endpoint is served. */
  rtcValidate?(req: IncomingMessage): Promise<{ status: number; text: string }>;
}

/** The request handler of the HTTP port. */
export function createHttpHandler(ctx: HttpHandlerContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handleAdmin = createAdminRoutes(ctx.admin);
  const twirp = createTwirpRoute(ctx);
  const connect = createConnectRoute(ctx);
  const grpcWeb = createGrpcWebRoute(ctx);

  return async (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      // A request target that is no URL ("//%zz", "http://[::1/"): the client's mistake.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`bad request target: ${JSON.stringify(req.url)}\n`);
      return;
    }
    const path = url.pathname;
    const headers = headerMap(req.headers);
    const ct = headers['content-type'] ?? '';
    // livekit-server also takes the token from an access_token query parameter.
    const queryToken = url.searchParams.get('access_token');
    if (queryToken && !headers.authorization) headers.authorization = `Bearer ${queryToken}`;

    if (path.startsWith('/_mock/')) return handleAdmin(req, res, url, headers);

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    if (path.startsWith('/twirp/')) return twirp(req, res, path, headers);

    if (path === '/rtc/validate' && req.method === 'GET' && ctx.rtcValidate) {
      const { status, text } = await ctx.rtcValidate(req);
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...CORS });
      res.end(`${text}\n`);
      return;
    }

    const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
    if (m && req.method === 'POST' && GRPC_WEB_CT.test(ct)) return grpcWeb(req, res, m[1], m[2], headers, ct);
    if (m && req.method === 'POST' && (CONNECT_PROTO_CT.test(ct) || JSON_CT.test(ct) || CONNECT_STREAM_CT.test(ct)))
      return connect(req, res, url, m[1], m[2], headers);
    if (m && req.method === 'GET' && url.searchParams.has('message')) return connect(req, res, url, m[1], m[2], headers);

    if (m && req.method === 'POST') {
      // Neither Connect nor gRPC-Web: as connect-go, 415 with the accepted types.
      res.writeHead(415, { 'content-type': 'text/plain; charset=utf-8', 'accept-post': ACCEPT_POST, ...CORS });
      res.end(
        `unsupported content-type "${ct}": expected Connect (application/proto, application/json, application/connect+proto|json) or gRPC-Web (application/grpc-web[-text][+proto|+json])\n`,
      );
      return;
    }

    if (path === '/' && req.method === 'GET') {
      const { httpUrl, grpcUrl } = ctx.urls();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `Protodesk mock server\nTwirp: ${httpUrl}/twirp/<pkg.Service>/<Method>\nConnect / gRPC-Web: ${httpUrl}/<pkg.Service>/<Method>\ngRPC: ${grpcUrl}\nLiveKit signal: ${httpUrl.replace(/^http/, 'ws')}/rtc\nEvents: ${httpUrl}/_mock/events\n`,
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  };
}
