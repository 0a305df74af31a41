/**
 * The browser-served mode's HTTP server: serves the built renderer and the ProtodeskApi
 * contract on 127.0.0.1 only. Calls are `POST /api/<method>` with a tagged-JSON body, registered
 * through the contract's one registration (core/api/register.ts: every request checked) and
 * answered with its Outcome, `{result}` or `{error: {code, message}}`; host events go over a
 * WebSocket at `/api/events`.
 *
 * Who may call: 127.0.0.1 is open to every user of the machine, so being able to connect proves
 * nothing. The link printed at start carries a one-time key (as Jupyter's does); opening it sets
 * an HttpOnly, SameSite=Strict session cookie and redirects to `/` without the key, and a fresh
 * key is announced for the next browser. Everything but that exchange and a small "open the link
 * printed in your terminal" page needs the cookie; API calls and the event socket also need our
 * Origin (when a browser sends one) and a Host header naming the loopback address (against DNS
 * rebinding). No page ever contains a key. See docs/security.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeTagged, encodeTagged } from '../core/api/tagged-json';
import type { ErrorCode } from '../core/api/api-error';
import type { AppEvent, MethodName, ProtodeskApi } from '../core/api/contract';
import type { Outcome } from '../core/api/method-map';
import { registerContract, type BoundaryCall } from '../core/api/register';

/** Options of startServer. */
export interface ServerOptions {
  /** Port to listen on (0: any free port). */
  port: number;
  /** Directory of the built renderer (dist/renderer). */
  rendererDir: string;
  /** One handler per contract method (a missing one does not type-check). */
  api: ProtodeskApi;
  /** Largest request body accepted, in bytes (default 1 GiB: dropped files travel in the body). */
  maxBody?: number;
  /** The first one-time key of the link (tests); a random one when absent. */
  token?: string;
  /** Called with the next one-time link each time a link has been used (serve prints it). */
  onLink?(link: string): void;
}

/** A running server. */
export interface RunningServer {
  /** The base URL, http://127.0.0.1:PORT/ (without a key: it only shows the "open the link" page). */
  url: string;
  port: number;
  /** The link to open now: the base URL with the current one-time key. */
  link(): string;
  /** Sends an event to every connected page. */
  broadcast(event: AppEvent): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The Content-Security-Policy of the served UI (Monaco needs inline styles and blob workers). */
export const SERVER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** An error that answers with its HTTP status. */
function httpError(status: number, message: string): Error & { status: number } {
  return Object.assign(new Error(message), { status });
}

/** The HTTP status of an error answer, by its code (the bridge reads the code from the body). */
const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  cancelled: 409,
  conflict: 409,
  exists: 409,
  'read-only': 409,
  'schema-added': 409,
  'not-found': 404,
  'invalid-input': 400,
  refused: 403,
  unsupported: 501,
  failed: 400,
};

/** Sends an Outcome as tagged JSON, with the status of its error code. */
function sendOutcome(res: ServerResponse, outcome: Outcome<unknown>): void {
  send(res, 'error' in outcome ? HTTP_STATUS[outcome.error.code] : 200, encodeTagged(outcome), 'application/json');
}

/**
 * Reads a request body. With a Content-Length (what fetch sends for a File or bytes) the body
 * goes straight into one buffer of that size: no list of chunks and no concatenating copy, so a
 * dropped 100 MB file costs the server 100 MB. A declared length over `max` is refused before
 * anything is read.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const tooBig = (size: string) => httpError(413, `the request body (${size}) is over the ${max}-byte limit of this server`);
  const declared = req.headers['content-length'];
  if (declared === undefined) return readChunked(req, max, tooBig);
  const length = Number(declared);
  if (length > max) return Promise.reject(tooBig(`${length} bytes`));
  return new Promise((ok, fail) => {
    const body = Buffer.allocUnsafe(length);
    let filled = 0;
    // Node's parser stops at Content-Length, so a chunk never runs past the end.
    req.on('data', (c: Buffer) => (filled += c.copy(body, filled)));
    req.on('end', () =>
      filled === length ? ok(body) : fail(httpError(400, `the request body ended after ${filled} of its ${length} bytes`)),
    );
    req.on('error', fail);
  });
}

/** Reads a body without Content-Length (chunked transfer) up to `max` bytes. */
function readChunked(req: IncomingMessage, max: number, tooBig: (size: string) => Error): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        fail(tooBig(`over ${max} bytes`));
        // The rest stays unread; the 413 answer closes the connection.
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks, size)));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extra });
  res.end(body);
}

/** The page shown without a session: where to find the link, and never a key. */
const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Protodesk</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>Protodesk</h1>
<p>Open the link printed in your terminal, where you started <code>protodesk serve</code>
(or <code>npm start</code>). It carries a one-time key that signs this browser in.</p>
<p>Each link works once; after it is used, the terminal prints a new one for another browser.</p>
</body></html>
`;

/** Most sessions kept at once (each browser that opened a link holds one). */
const MAX_SESSIONS = 64;

/** True when two secrets are equal, compared in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie in a Cookie header, or undefined. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A random secret: 32 bytes as hex. */
const secret = () => randomBytes(32).toString('hex');

/** Starts the server on 127.0.0.1. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let linkKey = options.token ?? secret();
  const sessions = new Set<string>();
  const maxBody = options.maxBody ?? 2 ** 30;
  const rendererDir = resolve(options.rendererDir);
  // The contract's one registration: every request is checked there, in this mode as in Electron.
  const routes = new Map<MethodName, BoundaryCall>();
  registerContract(options.api, (method, call) => routes.set(method, call));
  let port = options.port;
  const hostOk = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  // No Origin: not a browser (a browser sends one with every POST and WebSocket).
  const originOk = (origin: string | undefined) =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  // Cookies are not kept apart by port: the port in the name keeps two servers' sessions apart.
  const cookieName = () => `protodesk-${port}`;
  const signedIn = (req: IncomingMessage) => {
    const value = cookieValue(req.headers.cookie, cookieName());
    return value !== undefined && [...sessions].some((s) => sameSecret(s, value));
  };
  const baseUrl = () => `http://127.0.0.1:${port}/`;
  const currentLink = () => `${baseUrl()}?token=${linkKey}`;

  /** `/?token=KEY`: a valid key signs this browser in (a cookie) once, and a new key is made for the next link. */
  function exchange(res: ServerResponse, key: string): void {
    if (!sameSecret(key, linkKey)) {
      return send(
        res,
        403,
        SIGN_IN_PAGE.replace('<p>Open', '<p><strong>That link was already used or is not valid.</strong></p>\n<p>Open'),
        'text/html; charset=utf-8',
        {
          'content-security-policy': SERVER_CSP,
        },
      );
    }
    linkKey = secret();
    const session = secret();
    sessions.add(session);
    if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.values().next().value!);
    res.writeHead(303, {
      location: '/',
      'set-cookie': `${cookieName()}=${session}; Path=/; HttpOnly; SameSite=Strict`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
    options.onLink?.(currentLink());
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let rel: string;
    try {
      rel = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'malformed %-escape in the path', 'text/plain');
    }
    const file = normalize(join(rendererDir, rel));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return send(res, 403, 'forbidden', 'text/plain');
    let data: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      data = await readFile(file);
    } catch {
      if (rel === '/index.html') {
        // Only a --renderer folder without a build (or one deleted while serving) gets here: `protodesk serve` builds its own first.
        return send(
          res,
          503,
          `The Protodesk UI is not built in ${rendererDir}. Run \`npm run build\` (or start \`protodesk serve\` without --renderer, which builds it), then reload this page.`,
          'text/plain; charset=utf-8',
        );
      }
      return send(res, 404, 'not found', 'text/plain');
    }
    const ext = extname(file);
    if (ext === '.html') {
      // The page carries no key: the session cookie authenticates its calls.
      const html = data.toString('utf8').replace('%PROTODESK_TOKEN%', '');
      return send(res, 200, html, MIME[ext], { 'content-security-policy': SERVER_CSP });
    }
    send(res, 200, data, MIME[ext] ?? 'application/octet-stream', { 'cache-control': 'max-age=3600' });
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'POST only', 'text/plain');
    if (!originOk(req.headers.origin))
      return sendOutcome(res, { error: { code: 'refused', message: 'calls from another origin are refused' } });
    if (!signedIn(req))
      return sendOutcome(res, {
        error: { code: 'refused', message: 'not signed in: open the link printed in the terminal where Protodesk was started' },
      });
    const call = routes.get(method as MethodName);
    if (!call) return sendOutcome(res, { error: { code: 'not-found', message: `no such method: ${method}` } });
    let request: unknown;
    try {
      const body = await readBody(req, maxBody);
      // Large bytes (a dropped file) may come raw: the body is the bytes, the other fields are in
      // the x-protodesk-request header (tagged JSON), and `bytes` is added to them.
      if (req.headers['content-type'] === 'application/octet-stream') {
        const rest = decodeTagged<Record<string, unknown>>(decodeURIComponent(String(req.headers['x-protodesk-request'] ?? '%7B%7D')));
        request = { ...rest, bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) };
      } else request = body.length ? decodeTagged(body.toString('utf8')) : {};
    } catch (e) {
      const err = e as { message?: string; status?: number };
      // A refused body is left unread: closing the connection stops the rest of the upload.
      const status = err.status ?? 400;
      const outcome = { error: { code: 'invalid-input' as const, message: err.message ?? String(e) } };
      return send(res, status, encodeTagged(outcome), 'application/json', status === 413 ? { connection: 'close' } : {});
    }
    sendOutcome(res, await call(request));
  }

  const server: Server = createServer((req, res) => {
    if (!hostOk(req.headers.host)) return send(res, 421, 'wrong host', 'text/plain');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const key = url.searchParams.get('token');
    if (url.pathname === '/' && key !== null) return exchange(res, key);
    if (!signedIn(req) && !url.pathname.startsWith('/api/')) {
      if (url.pathname === '/' || url.pathname === '/index.html')
        return send(res, 401, SIGN_IN_PAGE, 'text/html; charset=utf-8', { 'content-security-policy': SERVER_CSP });
      return send(res, 403, 'not signed in: open the link printed in the terminal where Protodesk was started', 'text/plain');
    }
    const p = url.pathname.startsWith('/api/') ? serveApi(req, res, url.pathname.slice(5)) : serveStatic(req, res, url.pathname);
    p.catch((e) => {
      if (!res.headersSent) send(res, 500, String(e), 'text/plain');
    });
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/api/events' || !signedIn(req) || !hostOk(req.headers.host) || !originOk(req.headers.origin)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : options.port;
  return {
    url: baseUrl(),
    port,
    link: currentLink,
    broadcast(event) {
      const text = encodeTagged(event);
      for (const s of sockets) s.send(text);
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
