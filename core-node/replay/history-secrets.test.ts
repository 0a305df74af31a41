/**
 * The replay history and what the page gets hold no secret, on success and on a transport
 * failure alike: credential headers sent (authorization of any scheme, cookie, x-api-key, any
 * *-token, *-secret, *-password), credentials the server sends back (set-cookie, a session
 * token header), URL credentials and secret query parameters.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Root } from 'protobufjs';
import { createReplayService, type ReplayService } from './replay-service';
import { HistoryStore } from './history-store';
import { testRoot } from '../../testing/mock-schemas';

/** Every secret value below: none may appear in the history file or in an answer to the page. */
const SECRETS = [
  'tok-1a2b3c',
  'key-4d5e6f',
  'sid-7a8b9c',
  'proxy-0d1e2f',
  'pw-3a4b5c',
  'sec-6d7e8f',
  'set-9a0b1c',
  'resp-2d3e4f',
  'url-5a6b7c',
];

const HEADERS: [string, string][] = [
  ['authorization', `Token ${SECRETS[0]}`],
  ['x-api-key', SECRETS[1]],
  ['cookie', `sid=${SECRETS[2]}`],
  ['proxy-authorization', `Basic ${SECRETS[3]}`],
  ['x-db-password', SECRETS[4]],
  ['x-client-secret', SECRETS[5]],
  ['x-kik-user', 'alice'],
];

let root: Root;
let dir: string;
let svc: ReplayService;
let server: Server;
let port = 0;

beforeAll(async () => {
  root = await testRoot();
  dir = mkdtempSync(join(tmpdir(), 'protodesk-history-secrets-'));
  svc = createReplayService({ getRoot: () => root, historyDir: dir });
  // A Twirp server that answers an empty ListRoomsResponse and sets credentials of its own.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/protobuf',
        'set-cookie': `session=${SECRETS[6]}; HttpOnly`,
        'x-session-token': SECRETS[7],
      });
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await svc.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
});

/** Fails when any secret value is in `text`. */
function expectNoSecret(text: string, where: string): void {
  for (const s of SECRETS) expect(text, `${where} holds ${s}`).not.toContain(s);
}

const send = (url: string) =>
  svc.replaySend({ url, transport: 'twirp', method: 'livekit.RoomService/ListRooms', json: '{}', headers: HEADERS, timeoutMs: 5000 });

describe('replay history and answers hold no secret', () => {
  it('on success: request and response headers are redacted in the answer, the history and its file', async () => {
    const res = await send(`http://user:${SECRETS[8]}@127.0.0.1:${port}/?access_token=${SECRETS[8]}`);
    expect(res.ok).toBe(true);
    expectNoSecret(JSON.stringify(res), 'the answer');
    expect(res.requestHeaders).toEqual(
      expect.arrayContaining([
        ['authorization', 'Token <redacted>'],
        ['x-api-key', '<redacted>'],
        ['cookie', '<redacted>'],
        ['x-kik-user', 'alice'],
      ]),
    );
    expect(res.headers).toEqual(expect.arrayContaining([['set-cookie', '<redacted>']]));
    const [entry] = await svc.replayHistoryList({ limit: 1 });
    expectNoSecret(JSON.stringify(entry), 'the history entry');
    expect(entry.headers).toEqual(expect.arrayContaining([['proxy-authorization', 'Basic <redacted>']]));
    expectNoSecret(readFileSync(join(dir, 'history.jsonl'), 'utf8'), 'history.jsonl');
  });

  it('on a transport failure (nothing listens): the headers meant to be sent are redacted too', async () => {
    const res = await send(`http://127.0.0.1:1/?api_key=${SECRETS[8]}`);
    expect(res.ok).toBe(false);
    expect(res.transportError).toMatch(/ECONNREFUSED/);
    expectNoSecret(JSON.stringify(res), 'the answer');
    expect(res.requestHeaders).toEqual(expect.arrayContaining([['x-client-secret', '<redacted>']]));
    const [entry] = await svc.replayHistoryList({ limit: 1 });
    expect(entry.ok).toBe(false);
    expect(entry.headers).toEqual(
      expect.arrayContaining([
        ['authorization', 'Token <redacted>'],
        ['x-kik-user', 'alice'],
      ]),
    );
    expectNoSecret(JSON.stringify(entry), 'the history entry');
    expectNoSecret(readFileSync(join(dir, 'history.jsonl'), 'utf8'), 'history.jsonl');
  });

  it('a history file an older version wrote with secrets is redacted when read, and rewritten without them', async () => {
    const old = mkdtempSync(join(tmpdir(), 'protodesk-history-old-'));
    const line = {
      id: 'old',
      time: '2026-01-01T00:00:00.000Z',
      url: `http://127.0.0.1:1/?token=${SECRETS[8]}`,
      transport: 'twirp',
      method: 'livekit.RoomService/ListRooms',
      ok: false,
      timeMs: 1,
      request: '',
      headers: HEADERS,
    };
    writeFileSync(join(old, 'history.jsonl'), `${JSON.stringify(line)}\n`);
    const [entry] = await new HistoryStore(old).list();
    expectNoSecret(JSON.stringify(entry), 'the entry read back');
    expectNoSecret(readFileSync(join(old, 'history.jsonl'), 'utf8'), 'the rewritten file');
    expect(entry.headers).toContainEqual(['x-kik-user', 'alice']);
    rmSync(old, { recursive: true, force: true });
  });
});
