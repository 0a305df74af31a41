/**
 * The mock's own routes under /_mock/: GET /_mock/events (server-sent events), GET /_mock/status
 * (paged) and POST /_mock/kik/state. They are authenticated like the API (a LiveKit token signed
 * with the mock's key, in `Authorization: Bearer` or `?access_token=`), have no CORS unless the mock
 * was started with an origin for them, and are bounded: a capped number of event streams, each
 * closed after an idle time, and status pages of at most MAX_STATUS_PAGE items.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-body';
import { MockError, TWIRP_HTTP_STATUS, toMockError } from './mock-errors';
import type { JsonObject } from './mock-service';

/** An event as the admin stream writes it. */
export interface StreamedEvent {
  seq: number;
  kind: string;
}

/** Items a status page holds at most. */
export const MAX_STATUS_PAGE = 500;
/** Items a status page holds when the request does not say. */
export const DEFAULT_STATUS_PAGE = 100;
/** Characters of room metadata the status shows (the rest is counted in metadataBytes). */
export const STATUS_METADATA_PREVIEW = 256;

/** What the admin routes need from the server around them. */
export interface AdminContext {
  requestTimeoutMs: number;
  /** Throws a MockError (401, plain text) unless the request carries a token signed with the mock's key. */
  authenticate(headers: Readonly<Record<string, string>>): Promise<void>;
  /** The origin allowed to call /_mock/* from a browser (CORS); none by default. */
  corsOrigin?: string;
  /** Event streams open at once, at most (more get 503); default 64. */
  maxEventStreams?: number;
  /** An event stream with nothing to send for this long is closed (the client reconnects with Last-Event-ID); default 300 000 ms. */
  eventStreamIdleMs?: number;
  urls(): { httpUrl: string; grpcUrl: string };
  services(): unknown[];
  rooms(): JsonObject[];
  conferences(): JsonObject[];
  events(since: number): StreamedEvent[];
  onEvent(listener: (e: StreamedEvent) => void): () => void;
  setKikState(convoId: JsonObject, user: string, state: 'CONNECTING' | 'CONNECTED'): unknown;
}

/** A room as the status lists it: no TURN password, metadata cut to a preview. */
function roomSummary(room: JsonObject): JsonObject {
  const { turnPassword: _secret, metadata, ...rest } = room;
  const text = typeof metadata === 'string' ? metadata : '';
  return {
    ...rest,
    metadata: text.length > STATUS_METADATA_PREVIEW ? `${text.slice(0, STATUS_METADATA_PREVIEW)}…` : text,
    metadataBytes: Buffer.byteLength(text),
  };
}

/** One page of a list: `offset` and `limit` from the query, and where the next page starts. */
function page<T>(items: T[], offset: number, limit: number, map: (x: T) => unknown): JsonObject {
  const slice = items.slice(offset, offset + limit).map(map);
  return { total: items.length, offset, items: slice, ...(offset + limit < items.length ? { next: offset + limit } : {}) };
}

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new MockError('invalid_argument', `${name} must be a non-negative integer`);
  return Math.min(n, max);
}

const KIK_STATES = new Set(['CONNECTING', 'CONNECTED']);

/** The handler of /_mock/* (the caller has parsed the URL). */
export function createAdminRoutes(
  ctx: AdminContext,
): (req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>) => Promise<void> {
  const maxStreams = ctx.maxEventStreams ?? 64;
  const idleMs = ctx.eventStreamIdleMs ?? 300_000;
  let openStreams = 0;
  const cors: Record<string, string> = ctx.corsOrigin
    ? { 'access-control-allow-origin': ctx.corsOrigin, vary: 'origin', 'access-control-allow-headers': 'authorization, content-type' }
    : {};
  const http2 = (req: IncomingMessage): boolean => req.httpVersionMajor >= 2;

  return async (req, res, url, headers) => {
    const sendJson = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(v));
    };
    const fail = (e: unknown): void => {
      const err = toMockError(e);
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err.plainText) {
        res.writeHead(TWIRP_HTTP_STATUS[err.code], { 'content-type': 'text/plain; charset=utf-8', ...cors });
        res.end(err.message);
        return;
      }
      sendJson(TWIRP_HTTP_STATUS[err.code], { code: err.code, msg: err.message });
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, ctx.corsOrigin ? { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-max-age': '600' } : {});
      res.end();
      return;
    }
    try {
      await ctx.authenticate(headers);
      if (url.pathname === '/_mock/events' && req.method === 'GET') {
        if (openStreams >= maxStreams) {
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', ...cors });
          res.end(`the mock serves at most ${maxStreams} event streams at once\n`);
          return;
        }
        openStreams++;
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          ...(http2(req) ? {} : { connection: 'keep-alive' }),
          ...cors,
        });
        res.flushHeaders();
        res.write(': protodesk mock events\n\n');
        const since = Number(url.searchParams.get('since') ?? headers['last-event-id'] ?? 0) || 0;
        let idle: ReturnType<typeof setTimeout> | undefined;
        const arm = (): void => {
          clearTimeout(idle);
          idle = setTimeout(() => res.end(': idle, closing (reconnect with Last-Event-ID)\n\n'), idleMs);
          idle.unref();
        };
        const write = (e: StreamedEvent): void => {
          res.write(`id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
          arm();
        };
        for (const e of ctx.events(since)) write(e);
        arm();
        const unsubscribe = ctx.onEvent(write);
        res.on('close', () => {
          openStreams--;
          clearTimeout(idle);
          unsubscribe();
        });
        return;
      }
      if (url.pathname === '/_mock/status' && req.method === 'GET') {
        const limit = intParam(url, 'limit', DEFAULT_STATUS_PAGE, MAX_STATUS_PAGE);
        const { httpUrl, grpcUrl } = ctx.urls();
        sendJson(200, {
          httpUrl,
          grpcUrl,
          services: ctx.services(),
          livekitRooms: page(ctx.rooms(), intParam(url, 'rooms', 0, Number.MAX_SAFE_INTEGER), limit, roomSummary),
          kikConferences: page(ctx.conferences(), intParam(url, 'conferences', 0, Number.MAX_SAFE_INTEGER), limit, (c) => c),
        });
        return;
      }
      if (url.pathname === '/_mock/kik/state' && req.method === 'POST') {
        const text = Buffer.from(await readBody(req, res, 65536, ctx.requestTimeoutMs)).toString('utf8');
        let body: { convoId?: unknown; user?: unknown; state?: unknown };
        try {
          body = JSON.parse(text) as typeof body;
        } catch (e) {
          throw new MockError('malformed', `the body is not JSON: ${(e as Error).message}`);
        }
        if (!body || typeof body !== 'object' || !body.convoId || typeof body.convoId !== 'object' || typeof body.user !== 'string')
          throw new MockError('invalid_argument', 'expected {"convoId": {...}, "user": "alice", "state": "CONNECTED"}');
        const state = body.state ?? 'CONNECTED';
        if (typeof state !== 'string' || !KIK_STATES.has(state))
          throw new MockError('invalid_argument', 'state must be CONNECTING or CONNECTED');
        sendJson(200, ctx.setKikState(body.convoId as JsonObject, body.user, state as 'CONNECTING' | 'CONNECTED'));
        return;
      }
      sendJson(404, { code: 'bad_route', msg: `no handler for path "${url.pathname}"` });
    } catch (e) {
      fail(e);
    }
  };
}
