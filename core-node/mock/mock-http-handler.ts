/**
 * The mock's HTTP/1.1 port: Twirp (JSON and protobuf, /twirp prefix), Connect unary and gRPC-Web
 * (binary and text) on the same paths, and the admin routes (mock-admin-routes.ts). The service
 * routes answer CORS requests from any origin (browser clients such as connect-web need it; every
 * call is authorised by its own token); the admin routes only from the origin they are given.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRPC_CODE_NAMES } from '../../core/api/vocabulary';
import { encodeRpcStatus } from '../rpc/rpc-status';
import { gunzipLimited, headerMap, readBody } from './http-body';
import { CONNECT_HTTP_STATUS, MockError, TWIRP_HTTP_STATUS, toMockError } from './mock-errors';
import { createAdminRoutes, type AdminContext } from './mock-admin-routes';
import type { MockCall } from './mock-service';

/** What the HTTP handler needs from the server around it. */
export interface HttpHandlerContext {
  run: MockCall;
  maxBytes: number;
  requestTimeoutMs: number;
  /** The two base URLs (known once both ports listen). */
  urls(): { httpUrl: string; grpcUrl: string };
  /** The /_mock/* routes. */
  admin: AdminContext;
}

const JSON_CT = /^application\/json\b/i;
const TWIRP_PROTO_CT = /^application\/(x-)?protobuf\b/i;
const CONNECT_PROTO_CT = /^application\/proto\b/i;
const GRPC_WEB_CT = /^application\/grpc-web(-text)?(\+(proto|json))?\s*(;|$)/i;
/** What the Connect / gRPC-Web route accepts (the Accept-Post header of a 415). */
const ACCEPT_POST =
  'application/proto, application/json, application/grpc-web, application/grpc-web+proto, application/grpc-web+json, application/grpc-web-text, application/grpc-web-text+proto, application/grpc-web-text+json';

function percentEncode(s: string): string {
  return s.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'grpc-status, grpc-message, grpc-status-details-bin, connect-protocol-version',
};

/** The request handler of the HTTP port. */
export function createHttpHandler(ctx: HttpHandlerContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { run, maxBytes, requestTimeoutMs } = ctx;
  const sendTwirpError = (res: ServerResponse, err: MockError): void => {
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
  };
  const connectErrorBody = (err: MockError): { code: string; body: string } => {
    const code = GRPC_CODE_NAMES[err.grpcCode];
    const body: Record<string, unknown> = { code, message: err.message };
    if (err.details.length) {
      body.details = err.details.map((d) => ({
        type: d.typeUrl.slice(d.typeUrl.lastIndexOf('/') + 1),
        value: Buffer.from(d.value).toString('base64').replace(/=+$/, ''),
      }));
    }
    return { code, body: JSON.stringify(body) };
  };
  const grpcWebTrailer = (status: number, message: string, details?: Uint8Array): Buffer => {
    let text = `grpc-status: ${status}\r\ngrpc-message: ${percentEncode(message)}\r\n`;
    if (details) text += `grpc-status-details-bin: ${Buffer.from(details).toString('base64').replace(/=+$/, '')}\r\n`;
    const payload = Buffer.from(text, 'latin1');
    const head = Buffer.alloc(5);
    head[0] = 0x80;
    head.writeUInt32BE(payload.length, 1);
    return Buffer.concat([head, payload]);
  };

  const handleAdmin = createAdminRoutes(ctx.admin);
  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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

    if (path.startsWith('/twirp/')) {
      const m = /^\/twirp\/([^/]+)\/([^/]+)$/.exec(path);
      try {
        if (req.method !== 'POST') throw new MockError('bad_route', `unsupported method "${req.method}" (only POST is allowed)`);
        if (!m) throw new MockError('bad_route', `no handler for path "${path}"`);
        const json = JSON_CT.test(ct);
        if (!json && !TWIRP_PROTO_CT.test(ct)) throw new MockError('bad_route', `unexpected Content-Type: "${ct}"`);
        const body = await readBody(req, res, maxBytes, requestTimeoutMs);
        const out = await run('twirp', m[1], m[2], headers, body, json);
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/protobuf', ...CORS });
        res.end(out);
      } catch (e) {
        sendTwirpError(res, toMockError(e));
      }
      return;
    }

    const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
    if (m && req.method === 'POST' && GRPC_WEB_CT.test(ct)) {
      const text = /grpc-web-text/i.test(ct);
      const json = /\+json/i.test(ct);
      res.setHeader('content-type', `application/grpc-web${text ? '-text' : ''}+${json ? 'json' : 'proto'}`);
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      let out: Buffer;
      try {
        // Room for the frame header, and for base64 (4/3) in the text variant.
        let raw = Buffer.from(await readBody(req, res, Math.ceil(((maxBytes + 5) * 4) / 3) + 4, requestTimeoutMs));
        if (text) raw = Buffer.from(raw.toString('latin1'), 'base64');
        if (raw.length < 5) throw new MockError('malformed', 'gRPC-Web request has no message frame');
        const flags = raw[0];
        const len = raw.readUInt32BE(1);
        if (flags & 0x80 || raw.length < 5 + len) throw new MockError('malformed', 'bad gRPC-Web frame');
        if (len > maxBytes) throw new MockError('resource_exhausted', `request message larger than ${maxBytes} bytes`);
        let msg: Uint8Array = raw.subarray(5, 5 + len);
        if (flags & 1) {
          if ((headers['grpc-encoding'] ?? '') !== 'gzip')
            throw new MockError('unimplemented', `unsupported grpc-encoding ${headers['grpc-encoding'] ?? ''}`);
          msg = gunzipLimited(msg, maxBytes);
        }
        const resp = await run('grpc-web', m[1], m[2], headers, msg, json);
        const head = Buffer.alloc(5);
        head.writeUInt32BE(resp.length, 1);
        out = Buffer.concat([head, Buffer.from(resp), grpcWebTrailer(0, '')]);
      } catch (e) {
        const err = toMockError(e);
        out = grpcWebTrailer(err.grpcCode, err.message, encodeRpcStatus(err.grpcCode, err.message, err.details));
      }
      res.writeHead(200);
      res.end(text ? Buffer.from(out.toString('base64')) : out);
      return;
    }

    if (m && req.method === 'POST' && (CONNECT_PROTO_CT.test(ct) || JSON_CT.test(ct))) {
      const json = JSON_CT.test(ct);
      try {
        const version = headers['connect-protocol-version'];
        if (version !== undefined && version !== '1')
          throw new MockError('invalid_argument', `connect-protocol-version must be "1": got "${version}"`);
        let body = await readBody(req, res, maxBytes, requestTimeoutMs);
        const enc = headers['content-encoding'];
        if (enc && enc !== 'identity') {
          if (enc !== 'gzip') throw new MockError('unimplemented', `unsupported content-encoding "${enc}"`);
          body = gunzipLimited(body, maxBytes);
        }
        const out = await run('connect', m[1], m[2], headers, body, json);
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/proto', ...CORS });
        res.end(out);
      } catch (e) {
        const err = toMockError(e);
        const { code, body } = connectErrorBody(err);
        // An unknown service or method: 404, as connect-go behind its ServeMux (which Connect
        // clients read as unimplemented), with the Connect error body saying so too.
        const status = err.code === 'bad_route' ? 404 : (CONNECT_HTTP_STATUS[code] ?? 500);
        res.writeHead(status, { 'content-type': 'application/json', ...CORS });
        res.end(body);
      }
      return;
    }

    if (m && req.method === 'POST') {
      // Neither Connect nor gRPC-Web: as connect-go, 415 with the accepted types.
      res.writeHead(415, { 'content-type': 'text/plain; charset=utf-8', 'accept-post': ACCEPT_POST, ...CORS });
      res.end(
        `unsupported content-type "${ct}": expected Connect (application/proto, application/json) or gRPC-Web (application/grpc-web[-text][+proto|+json])\n`,
      );
      return;
    }

    if (path === '/' && req.method === 'GET') {
      const { httpUrl, grpcUrl } = ctx.urls();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `Protodesk mock server\nTwirp: ${httpUrl}/twirp/<pkg.Service>/<Method>\nConnect / gRPC-Web: ${httpUrl}/<pkg.Service>/<Method>\ngRPC: ${grpcUrl}\nEvents: ${httpUrl}/_mock/events\n`,
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  };

  return handleHttp;
}
