/**
 * The mock's HTTP port, speaking HTTP/1.1 and HTTP/2 on one socket as Connect and gRPC-Web clients
 * expect of a server: in the clear, a connection that opens with the HTTP/2 preface ("PRI * HTTP/2.0",
 * h2c with prior knowledge) goes to an HTTP/2 server, any other to an HTTP/1.1 server; over TLS, ALPN
 * picks (h2 or http/1.1). Both hand requests to the same handler (node:http2's compatibility API).
 * HTTP/2 settings cap concurrent streams at 100 per connection.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type Http2Session } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

/** HTTP/2 streams one client connection may have open at once. */
export const HTTP2_MAX_CONCURRENT_STREAMS = 100;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** Options of the HTTP port. */
export interface HttpPortOptions {
  onRequest(req: IncomingMessage, res: ServerResponse): void;
  requestTimeoutMs: number;
  tls?: { certPem: string; keyPem: string; clientCaPem?: string };
}

/** A listening HTTP port. */
export interface HttpPort {
  /** The listening socket server (address(), close()). */
  server: NetServer;
  /** The HTTP/1.1 server behind it (timeouts, clientError). */
  http1: HttpServer;
  http2: Http2Server;
  /** Cuts every open connection (HTTP/1.1 and HTTP/2). */
  closeAllConnections(): void;
  /** Once the port listens: starts the HTTP/1.1 server's own timers (headers and request timeouts). */
  started(): void;
}

/** Creates the HTTP port (not listening yet: call server.listen). */
export function createHttpPort(opts: HttpPortOptions): HttpPort {
  const connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(opts.requestTimeoutMs / 4)));
  const http1 = createHttpServer({ connectionsCheckingInterval }, opts.onRequest);
  const http2 = createHttp2Server({ settings: { maxConcurrentStreams: HTTP2_MAX_CONCURRENT_STREAMS } }, opts.onRequest as never);
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  http2.on('session', (s: Http2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    // An idle HTTP/2 connection is closed as an idle HTTP/1.1 one would be. (This is the session's
    // idle timer, not the global setTimeout electronegativity takes it for: no code is evaluated.)
    s.setTimeout(Math.max(opts.requestTimeoutMs, 5000) * 2, () => s.close()); // eng-disable DANGEROUS_FUNCTIONS_JS_CHECK
  });
  http2.on('sessionError', () => undefined);
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  const dispatch = (socket: Socket): void => {
    track(socket);
    let head = Buffer.alloc(0);
    // A client that sends nothing (or only "P") is dropped after the request timeout.
    socket.setTimeout(opts.requestTimeoutMs, () => socket.destroy());
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      // Wait until the first bytes tell the preface from an HTTP/1.1 request line.
      if (head.length < PREFACE.length && PREFACE.subarray(0, head.length).equals(head)) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(head);
      // Both servers take the bytes already read from the socket's buffer before reading on.
      if (head.subarray(0, PREFACE.length).equals(PREFACE)) http2.emit('connection', socket);
      else {
        http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  };

  let server: NetServer;
  if (opts.tls) {
    const tls = opts.tls;
    server = createTlsServer(
      {
        cert: tls.certPem,
        key: tls.keyPem,
        ca: tls.clientCaPem,
        requestCert: !!tls.clientCaPem,
        rejectUnauthorized: !!tls.clientCaPem,
        ALPNProtocols: ['h2', 'http/1.1'],
      },
      (socket: TLSSocket) => {
        track(socket);
        socket.on('error', () => socket.destroy());
        (socket.alpnProtocol === 'h2' ? http2 : http1).emit('connection', socket);
      },
    );
    server.on('tlsClientError', () => undefined);
  } else server = createNetServer(dispatch);

  return {
    server,
    http1,
    http2,
    started() {
      // node:http starts its connection checks (headersTimeout, requestTimeout) on 'listening';
      // this server gets its connections from the front socket server, so it is told here.
      http1.emit('listening');
      server.once('close', () => http1.close(() => undefined));
    },
    closeAllConnections() {
      http1.closeAllConnections();
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
    },
  };
}
