/**
 * The mock server: every loaded service over Twirp (JSON and protobuf, /twirp prefix), Connect
 * (unary, GET, streaming) and gRPC-Web on one HTTP port (HTTP/1.1 and HTTP/2: h2c, or h2 by ALPN),
 * and gRPC (@grpc/grpc-js) on a second port; streaming methods on gRPC, Connect and gRPC-Web. LiveKit
 * RoomService and Kik KikVideo are stateful mocks; other services get a configurable answer.
 * Also: GET /_mock/events (server-sent events: Kik notifications, LiveKit changes), GET
 * /_mock/status, POST /_mock/kik/state (simulate a client connecting to the media server), and the
 * LiveKit signal WebSocket /rtc (livekit-signal.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { EventEmitter } from 'node:events';
import protobuf from 'protobufjs';
import type { Root } from 'protobufjs';
import { jsonToBytes } from '../rpc/proto-json';
import { allServices as servicesOf, resolveMethod } from '../rpc/service-method';
import { bytesToBase64 } from '../../core/wire/base64';
import { MockDispatcher } from './mock-dispatcher';
import { MockError, toMockError } from './mock-errors';
import { createHttpHandler } from './mock-http-handler';
import { createHttpPort } from './http-port';
import { startGrpcServer } from './mock-grpc-server';
import type { LiveKitMockEvent } from './livekit-room-service';
import { createLiveKitMocks } from './livekit-mocks';
import { apiKeys } from './livekit-auth';
import { createSignalServer } from './livekit-signal';
import { createKikVideoService, type KikNotificationEvent } from './kik-video-service';
import type { GenericAnswer, MockFixture } from './fixture';
import type { MockCall, MockProtocol, MockServiceImpl, MockStreamCall } from './mock-service';

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
  /** Most LiveKit rooms held at once (default 1000); more are refused with resource_exhausted. */
  maxRooms?: number;
  /** The LiveKit mocks' clock (tokens, room timeouts); default the system's. */
  now?: () => Date;
  /** The one origin allowed to call /_mock/* from a browser (CORS); none by default. */
  adminCorsOrigin?: string;
  /** Event streams (/_mock/events) open at once, at most; default 64. */
  maxEventStreams?: number;
  /** An event stream idle this long (ms) is closed; default 300 000. */
  eventStreamIdleMs?: number;
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
  (KikNotificationEvent & { notificationBinary?: string }) | LiveKitMockEvent | MockRequestEvent
);

/** A request the mock served: its code, and for an error its message (the mock's log shows both). */
export interface MockRequestEvent {
  kind: 'request';
  protocol: MockProtocol;
  service: string;
  method: string;
  code: string;
  message?: string;
}

/** A running mock server. */
export interface RunningMock {
  /** Base URL of Twirp / Connect / gRPC-Web, e.g. http://127.0.0.1:7880 */
  httpUrl: string;
  /** gRPC target URL, e.g. http://127.0.0.1:7881 */
  grpcUrl: string;
  port: number;
  grpcPort: number;
  /** Services served, by full name, with how they answer (LiveKit Cloud services without a stateful mock are generic). */
  services: { name: string; mock: 'livekit' | 'kik' | 'generic'; methods: string[] }[];
  /** Events so far (latest 1000). */
  events(sinceSeq?: number): MockEvent[];
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (e: MockEvent) => void): () => void;
  /** Sets the answer of a service or method without a stateful mock. */
  setAnswer(target: string, answer: GenericAnswer): void;
  close(): Promise<void>;
}

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
  const publish = (e: KikNotificationEvent | LiveKitMockEvent | MockRequestEvent): void => {
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
  const allServices = servicesOf(root);
  const names = new Set(allServices.map((s) => s.fullName.slice(1)));
  const livekit = createLiveKitMocks({
    apiKey: opts.apiKey ?? 'devkey',
    apiSecret: opts.apiSecret ?? 'secret',
    fixture: opts.fixture,
    maxRooms: opts.maxRooms,
    serviceNames: [...names],
    now: opts.now,
    onEvent: publish,
  });
  for (const impl of livekit.impls) impls.set(impl.service, impl);
  // The LiveKit signal WebSocket (/rtc): its clients hear of every change the mock makes to their room.
  const signal = createSignalServer({
    root,
    keys: apiKeys(opts.apiKey ?? 'devkey', opts.apiSecret ?? 'secret'),
    rooms: livekit.rooms,
    now: opts.now ?? (() => new Date()),
    onEvent: publish,
    maxPayload: maxBytes,
  });
  bus.on('event', (e: MockEvent) => {
    if (e.kind !== 'livekit' || !signal) return;
    signal.sync(e.room);
    const dest = e.detail.destinationRoom;
    if (typeof dest === 'string') signal.sync(dest);
  });
  const kik = createKikVideoService({ fixture: opts.fixture?.kik, onEvent: publish });
  if (names.has(kik.service)) impls.set(kik.service, kik);

  const answers = new Map<string, GenericAnswer>(Object.entries(opts.fixture?.answers ?? {}));
  const dispatcher = new MockDispatcher(root, impls, (s, m) => answers.get(`${s}/${m}`) ?? answers.get(s));
  // Rooms close on their own (empty and departure timeouts): checked every second, so their
  // events come out and their memory goes even when no one calls.
  const sweeper = setInterval(() => livekit.rooms.sweep(), 1000);
  sweeper.unref();

  const run: MockCall = async (protocol, service, method, headers, body, json) => {
    try {
      const jsonStyle = protocol === 'twirp' ? { protoNames: true, emitUnpopulated: true } : undefined;
      const res = await dispatcher.dispatch({ service, method, protocol, headers, body, json, jsonStyle });
      publish({ kind: 'request', protocol, service, method, code: 'ok' });
      return res.body;
    } catch (e) {
      const err = toMockError(e);
      publish({ kind: 'request', protocol, service, method, code: err.code, message: err.message.slice(0, 300) });
      throw err;
    }
  };

  bus.setMaxListeners(0);
  const runStream: MockStreamCall = async (protocol, service, method, headers, json, requests, send) => {
    try {
      const jsonStyle = protocol === 'twirp' ? { protoNames: true, emitUnpopulated: true } : undefined;
      await dispatcher.dispatchStream({ service, method, protocol, headers, json, jsonStyle, requests, send });
      publish({ kind: 'request', protocol, service, method, code: 'ok' });
    } catch (e) {
      const err = toMockError(e);
      publish({ kind: 'request', protocol, service, method, code: err.code, message: err.message.slice(0, 300) });
      throw err;
    }
  };
  const kindOf = (service: string, method: string) => dispatcher.kindOf(service, method);
  const methodOf = (service: string, method: string) => resolveMethod(root, service, method)?.method;

  const handleHttp = createHttpHandler({
    run,
    runStream,
    kindOf,
    methodOf,
    maxBytes,
    requestTimeoutMs,
    urls: () => ({ httpUrl, grpcUrl }),
    ...(signal ? { rtcValidate: (req: IncomingMessage) => signal.validate(req) } : {}),
    admin: {
      requestTimeoutMs,
      async authenticate(headers) {
        if (!(await livekit.authenticate(headers)).claims)
          throw new MockError('unauthenticated', "the mock's admin routes need a LiveKit token signed with its API key", {}, true);
      },
      corsOrigin: opts.adminCorsOrigin,
      maxEventStreams: opts.maxEventStreams,
      eventStreamIdleMs: opts.eventStreamIdleMs,
      urls: () => ({ httpUrl, grpcUrl }),
      services: () => running.services,
      rooms: () => livekit.roomList(),
      conferences: () => kik.conferences(),
      events: (since) => history.filter((e) => e.seq > since),
      onEvent(listener) {
        bus.on('event', listener);
        return () => bus.off('event', listener);
      },
      setKikState: (convoId, user, state) => kik.setUserState(convoId, user, state),
    },
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleHttp(req, res).catch((e: unknown) => {
      // A fault of the mock's own: said plainly, never as a stack.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`protodesk mock: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  };
  const tls = opts.tls;
  const httpPort = createHttpPort({ onRequest, requestTimeoutMs, tls });
  const server = httpPort.server;
  // Node's own limits back the body timer up: headers trickled for longer than the request
  // timeout, or a request still arriving well after it, get Node's 408 and a closed socket.
  httpPort.http1.headersTimeout = requestTimeoutMs;
  httpPort.http1.requestTimeout = requestTimeoutMs + 1000;
  if (signal) httpPort.http1.on('upgrade', signal.upgrade);
  else
    httpPort.http1.on('upgrade', (_req: IncomingMessage, socket: Duplex) =>
      socket.end(
        'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nno livekit.SignalRequest in the loaded schemas: no /rtc\n',
      ),
    );
  httpPort.http1.on('clientError', (err: NodeJS.ErrnoException, socket) => {
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
  httpPort.started();
  const port = (server.address() as { port: number }).port;
  const scheme = tls ? 'https' : 'http';
  const httpUrl = `${scheme}://${host}:${port}`;

  const { server: grpcServer, port: grpcPort } = await startGrpcServer({
    root,
    services: allServices,
    run,
    runStream,
    host,
    port: opts.grpcPort ?? (opts.port ? opts.port + 1 : 0),
    maxBytes,
    requestTimeoutMs,
    ...(tls ? { tls } : {}),
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
        mock: impls.get(name)?.generic
          ? 'generic'
          : name === kik.service && impls.has(name)
            ? 'kik'
            : impls.has(name)
              ? 'livekit'
              : 'generic',
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
      clearInterval(sweeper);
      signal?.close();
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
      httpPort.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return running;
}
