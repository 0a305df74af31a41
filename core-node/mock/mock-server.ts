/**
 * The mock server: every loaded service over Twirp (JSON and protobuf, /twirp prefix), Connect
 * unary and gRPC-Web on one HTTP/1.1 port, and gRPC (@grpc/grpc-js) on a second port. LiveKit
 * RoomService and Kik KikVideo are stateful mocks; other services get a configurable answer.
 * Also: GET /_mock/events (server-sent events: Kik notifications, LiveKit changes), GET
 * /_mock/status, POST /_mock/kik/state (simulate a client connecting to the media server).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { constants as http2Constants, type ServerHttp2Stream } from 'node:http2';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { Root } from 'protobufjs';
import { jsonToBytes } from '../rpc/proto-json';
import { allServices as servicesOf } from '../rpc/service-method';
import { bytesToBase64 } from '../../core/wire/base64';
import { MockDispatcher } from './mock-dispatcher';
import { CONNECT_HTTP_STATUS, MockError, TWIRP_HTTP_STATUS } from './mock-errors';
import { GRPC_CODE_NAMES } from '../../core/api/vocabulary';
import { encodeRpcStatus } from '../rpc/rpc-status';
import { createLiveKitRoomService, type LiveKitMockEvent } from './livekit-room-service';
import { createKikVideoService, type KikNotificationEvent } from './kik-video-service';
import type { GenericAnswer, MockFixture } from './fixture';
import type { JsonObject, MockProtocol, MockServiceImpl } from './mock-service';

/** Options of the mock server. */
export interface MockServerOptions {
  /** The loaded schemas (every service in it is served). */
  root: Root;
  /** HTTP port (Twirp, Connect, gRPC-Web); 0 picks a free one. */
  port?: number;
  /** gRPC port; default port + 1 (or a free one when port is 0). */
  grpcPort?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  fixture?: MockFixture;
  /** LiveKit API key and secret; default devkey / secret (as `livekit-server --dev`). */
  apiKey?: string;
  apiSecret?: string;
  /** Largest request body accepted, in bytes; default 4 MiB (gRPC's default too). */
  maxRequestBytes?: number;
  /**
   * Time a client has to send a whole request once it has started (headers and body), in ms;
   * default 30 000. A client that stalls or trickles its body is answered deadline_exceeded
   * (or cut off) when it runs out, so slow clients cannot hold the mock's sockets.
   */
  requestTimeoutMs?: number;
  /** Serve HTTPS and gRPC over TLS with this certificate; with clientCaPem, client certificates are required. */
  tls?: { certPem: string; keyPem: string; clientCaPem?: string };
}

/** An event of the mock, numbered in order. */
export type MockEvent = { seq: number; time: string } & (
  | (KikNotificationEvent & { notificationBinary?: string })
  | LiveKitMockEvent
  | { kind: 'request'; protocol: MockProtocol; service: string; method: string; code: string }
);

/** A running mock server. */
export interface RunningMock {
  /** Base URL of Twirp / Connect / gRPC-Web, e.g. http://127.0.0.1:7880 */
  httpUrl: string;
  /** gRPC target URL, e.g. http://127.0.0.1:7881 */
  grpcUrl: string;
  port: number;
  grpcPort: number;
  /** Services served, by full name, with how they answer. */
  services: { name: string; mock: 'livekit' | 'kik' | 'generic'; methods: string[] }[];
  /** Events so far (latest 1000). */
  events(sinceSeq?: number): MockEvent[];
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (e: MockEvent) => void): () => void;
  /** Sets the answer of a service or method without a stateful mock. */
  setAnswer(target: string, answer: GenericAnswer): void;
  close(): Promise<void>;
}

const JSON_CT = /^application\/json\b/i;
const TWIRP_PROTO_CT = /^application\/(x-)?protobuf\b/i;
const CONNECT_PROTO_CT = /^application\/proto\b/i;
const GRPC_WEB_CT = /^application\/grpc-web(-text)?(\+(proto|json))?\s*(;|$)/i;
/** What the Connect / gRPC-Web route accepts (the Accept-Post header of a 415). */
const ACCEPT_POST =
  'application/proto, application/json, application/grpc-web, application/grpc-web+proto, application/grpc-web+json, application/grpc-web-text, application/grpc-web-text+proto, application/grpc-web-text+json';
/** Bytes of an oversized body read and thrown away (so the error can be answered on a kept-alive connection) before the connection is cut. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

function headerMap(h: IncomingMessage['headers']): Record<string, string> {
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
function readBody(req: IncomingMessage, res: ServerResponse, limit: number, timeoutMs: number): Promise<Uint8Array> {
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
      if (!res.headersSent) res.setHeader('connection', 'close');
      fail(new MockError('deadline_exceeded', `request body not received within ${timeoutMs} ms`));
      setTimeout(() => req.socket.destroy(), 1000).unref();
    }, timeoutMs);
    timer.unref();
    const done = (): void => clearTimeout(timer);
    req.on('end', done);
    req.on('close', done);
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      fail(new MockError('resource_exhausted', `request body larger than ${limit} bytes (content-length ${declared})`));
      if (declared > MAX_DISCARD_BYTES && !res.headersSent) res.setHeader('connection', 'close');
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (failed) {
        if (size > MAX_DISCARD_BYTES) req.socket.destroy();
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
function gunzipLimited(body: Uint8Array, limit: number): Uint8Array {
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new MockError('resource_exhausted', `request body larger than ${limit} bytes after gzip decompression`);
    throw new MockError('malformed', `the gzip request body could not be decompressed: ${(e as Error).message}`);
  }
}

function toMockError(e: unknown): MockError {
  if (e instanceof MockError) return e;
  return new MockError('internal', e instanceof Error ? e.message : String(e));
}

function percentEncode(s: string): string {
  return s.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/**
 * gRPC: a call whose request (message and half-close) is not all in within `timeoutMs` is ended
 * with DEADLINE_EXCEEDED (a client that sends headers, then stalls or trickles). The status alone
 * only half-closes the HTTP/2 stream, so the stream is then reset (RST_STREAM NO_ERROR, as
 * grpc-go does) and the stalled client holds nothing. grpc-js does not expose the stream of a
 * call: it is read from the base call (`stream`), and skipped if a grpc-js release renames it.
 */
function requestTimeoutInterceptor(timeoutMs: number): grpc.ServerInterceptor {
  return (_method, call) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const clear = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    return new grpc.ServerInterceptingCall(
      call,
      new grpc.ResponderBuilder()
        .withStart((next) => {
          timer = setTimeout(() => {
            timer = undefined;
            call.sendStatus({
              code: grpc.status.DEADLINE_EXCEEDED,
              details: `request not received within ${timeoutMs} ms`,
              metadata: new grpc.Metadata(),
            });
            const stream = (call as unknown as { stream?: Partial<ServerHttp2Stream> }).stream;
            if (typeof stream?.close === 'function')
              setImmediate(() => {
                if (!stream.closed) stream.close?.(http2Constants.NGHTTP2_NO_ERROR);
              });
          }, timeoutMs);
          timer.unref();
          next(
            new grpc.ServerListenerBuilder()
              .withOnReceiveHalfClose((n) => {
                clear();
                n();
              })
              .withOnCancel(clear)
              .build(),
          );
        })
        .withSendStatus((status, next) => {
          clear();
          next(status);
        })
        .build(),
    );
  };
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'grpc-status, grpc-message, grpc-status-details-bin, connect-protocol-version',
};

/** Starts the mock server; resolves when both ports listen. */
export async function startMockServer(opts: MockServerOptions): Promise<RunningMock> {
  const host = opts.host ?? '127.0.0.1';
  const maxBytes = opts.maxRequestBytes ?? 4 * 1024 * 1024;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  if (!(requestTimeoutMs > 0)) throw new Error('requestTimeoutMs must be positive');
  const root = opts.root;
  root.resolveAll();
  const bus = new EventEmitter();
  const history: MockEvent[] = [];
  let seq = 0;
  const notificationType = root.lookup('mobileremote.video.v1.OnConvoVideoStateChangedNotification');
  const publish = (
    e: KikNotificationEvent | LiveKitMockEvent | { kind: 'request'; protocol: MockProtocol; service: string; method: string; code: string },
  ): void => {
    const ev = { ...e, seq: ++seq, time: new Date().toISOString() } as MockEvent;
    if (ev.kind === 'kik' && notificationType instanceof protobuf.Type) {
      try {
        ev.notificationBinary = bytesToBase64(jsonToBytes(notificationType, ev.notification));
      } catch {
        // JSON stays the source of truth
      }
    }
    history.push(ev);
    if (history.length > 1000) history.shift();
    bus.emit('event', ev);
  };

  const impls = new Map<string, MockServiceImpl>();
  const livekit = createLiveKitRoomService({
    keys: { [opts.apiKey ?? 'devkey']: opts.apiSecret ?? 'secret' },
    fixture: opts.fixture,
    onEvent: publish,
  });
  const kik = createKikVideoService({ fixture: opts.fixture?.kik, onEvent: publish });
  const allServices = servicesOf(root);
  const names = new Set(allServices.map((s) => s.fullName.slice(1)));
  if (names.has(livekit.service)) impls.set(livekit.service, livekit);
  if (names.has(kik.service)) impls.set(kik.service, kik);

  const answers = new Map<string, GenericAnswer>(Object.entries(opts.fixture?.answers ?? {}));
  const dispatcher = new MockDispatcher(root, impls, (s, m) => answers.get(`${s}/${m}`) ?? answers.get(s) ?? { kind: 'empty' });

  const run = async (
    protocol: MockProtocol,
    service: string,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array,
    json: boolean,
  ): Promise<Uint8Array> => {
    try {
      const jsonStyle = protocol === 'twirp' ? { protoNames: true, emitUnpopulated: true } : undefined;
      const res = await dispatcher.dispatch({ service, method, protocol, headers, body, json, jsonStyle });
      publish({ kind: 'request', protocol, service, method, code: 'ok' });
      return res.body;
    } catch (e) {
      const err = toMockError(e);
      publish({ kind: 'request', protocol, service, method, code: err.code });
      throw err;
    }
  };

  // ---- HTTP/1.1: Twirp, Connect, gRPC-Web, admin ----
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

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const headers = headerMap(req.headers);
    const ct = headers['content-type'] ?? '';
    // livekit-server also takes the token from an access_token query parameter.
    const queryToken = url.searchParams.get('access_token');
    if (queryToken && !headers.authorization) headers.authorization = `Bearer ${queryToken}`;

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

    if (path.startsWith('/_mock/')) return handleAdmin(req, res, url);

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
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `Protodesk mock server\nTwirp: ${httpUrl}/twirp/<pkg.Service>/<Method>\nConnect / gRPC-Web: ${httpUrl}/<pkg.Service>/<Method>\ngRPC: ${grpcUrl}\nEvents: ${httpUrl}/_mock/events\n`,
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const sendJson = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...CORS });
      res.end(JSON.stringify(v));
    };
    if (url.pathname === '/_mock/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...CORS });
      res.flushHeaders();
      res.write(': protodesk mock events\n\n');
      const since = Number(url.searchParams.get('since') ?? req.headers['last-event-id'] ?? 0);
      const write = (e: MockEvent): void => {
        res.write(`id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      for (const e of history) if (e.seq > since) write(e);
      bus.on('event', write);
      req.on('close', () => bus.off('event', write));
      return;
    }
    if (url.pathname === '/_mock/status' && req.method === 'GET') {
      sendJson(200, { httpUrl, grpcUrl, services: running.services, livekitRooms: livekit.rooms(), kikConferences: kik.conferences() });
      return;
    }
    if (url.pathname === '/_mock/kik/state' && req.method === 'POST') {
      try {
        const body = JSON.parse(Buffer.from(await readBody(req, res, 65536, requestTimeoutMs)).toString('utf8')) as {
          convoId: JsonObject;
          user: string;
          state: 'CONNECTING' | 'CONNECTED';
        };
        sendJson(200, kik.setUserState(body.convoId, body.user, body.state ?? 'CONNECTED'));
      } catch (e) {
        const err = toMockError(e);
        sendJson(TWIRP_HTTP_STATUS[err.code], { code: err.code, msg: err.message });
      }
      return;
    }
    sendJson(404, { code: 'bad_route', msg: `no handler for path "${url.pathname}"` });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleHttp(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  };
  const tls = opts.tls;
  const connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(requestTimeoutMs / 4)));
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: tls.certPem,
          key: tls.keyPem,
          ca: tls.clientCaPem,
          requestCert: !!tls.clientCaPem,
          rejectUnauthorized: !!tls.clientCaPem,
          connectionsCheckingInterval,
        },
        onRequest,
      )
    : createServer({ connectionsCheckingInterval }, onRequest);
  // Node's own limits back the body timer up: headers trickled for longer than the request
  // timeout, or a request still arriving well after it, get Node's 408 and a closed socket.
  server.headersTimeout = requestTimeoutMs;
  server.requestTimeout = requestTimeoutMs + 1000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Headers not all in within the request timeout: 408, as Node's default handler says.
    if (socket.writable && err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    else if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  const scheme = tls ? 'https' : 'http';
  const httpUrl = `${scheme}://${host}:${port}`;

  // ---- gRPC (grpc-js, identity serializers: bytes pass through) ----
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    interceptors: [requestTimeoutInterceptor(requestTimeoutMs)],
  });
  const ident = (b: Buffer): Buffer => b;
  for (const svc of allServices) {
    const def: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const impl: grpc.UntypedServiceImplementation = {};
    const svcName = svc.fullName.slice(1);
    for (const method of svc.methodsArray) {
      if (method.requestStream || method.responseStream) continue;
      def[method.name] = {
        path: `/${svcName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: ident,
        requestDeserialize: ident,
        responseSerialize: ident,
        responseDeserialize: ident,
      };
      impl[method.name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const md: Record<string, string> = {};
        for (const [k, v] of Object.entries(call.metadata.getMap()))
          md[k.toLowerCase()] = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
        run('grpc', svcName, method.name, md, new Uint8Array(call.request), false).then(
          (out) => callback(null, Buffer.from(out)),
          (e: unknown) => {
            const err = toMockError(e);
            const trailer = new grpc.Metadata();
            trailer.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus(err.grpcCode, err.message, err.details)));
            callback({ code: err.grpcCode, details: err.message, metadata: trailer });
          },
        );
      };
    }
    if (Object.keys(def).length) grpcServer.addService(def, impl);
  }
  const wantGrpc = opts.grpcPort ?? (opts.port ? opts.port + 1 : 0);
  const grpcPort = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(
      `${host}:${wantGrpc}`,
      tls
        ? grpc.ServerCredentials.createSsl(
            tls.clientCaPem ? Buffer.from(tls.clientCaPem) : null,
            [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
            !!tls.clientCaPem,
          )
        : grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    );
  }).catch(async (e: unknown) => {
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  });
  const grpcUrl = `${scheme}://${host}:${grpcPort}`;

  const running: RunningMock = {
    httpUrl,
    grpcUrl,
    port,
    grpcPort,
    services: allServices.map((s) => {
      const name = s.fullName.slice(1);
      return {
        name,
        mock: name === livekit.service && impls.has(name) ? 'livekit' : name === kik.service && impls.has(name) ? 'kik' : 'generic',
        methods: s.methodsArray.map((m) => m.name),
      };
    }),
    events: (since = 0) => history.filter((e) => e.seq > since),
    onEvent(listener) {
      bus.on('event', listener);
      return () => bus.off('event', listener);
    },
    setAnswer(target, answer) {
      answers.set(target, answer);
    },
    async close() {
      bus.removeAllListeners();
      // Graceful first; a client holding a connection open gets 2 s, then it is cut.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          grpcServer.forceShutdown();
          resolve();
        }, 2000);
        grpcServer.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return running;
}
