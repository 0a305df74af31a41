// The browser-served workbench as the page calls it: every request, replay ones included, is
// checked at the contract's one registration before the session or the replay service sees it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTagged, encodeTagged } from '../core/api/tagged-json';
import { startWorkbenchServer, type WorkbenchServer } from './workbench-server';
import { signIn, type ServedSession } from '../testing/served-sign-in';

let server: WorkbenchServer;
let session: ServedSession;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-served-'));
  server = await startWorkbenchServer({ port: 0, cwd: dir, rendererDir: dir, stateFile: null });
  session = await signIn(server.link());
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POST /api/<method> as the page does; the HTTP status and the decoded answer. */
async function call(method: string, request: unknown): Promise<{ status: number; answer: { result?: unknown; error?: unknown } }> {
  const res = await session.post(method, encodeTagged(request));
  return { status: res.status, answer: decodeTagged(await res.text()) };
}

describe('the browser-served workbench', () => {
  it('checks replay requests before the replay service sees them', async () => {
    const target = { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'livekit.RoomService/ListRooms' };
    for (const [method, request, message] of [
      ['replaySend', { ...target, url: 'file:///etc/passwd' }, 'replaySend: field "url" must be an http(s) or ws(s) URL'],
      ['replaySend', { ...target, transport: 'ftp' }, /^replaySend: field "transport" must be one of twirp, /],
      ['replaySend', { ...target, auth: { kind: 'root' } }, /^replaySend: field "auth" must be an auth/],
      ['replaySend', { ...target, tls: { caFile: 1 } }, /^replaySend: field "tls" must be TLS settings/],
      ['replayMockStart', { port: '8080' }, 'replayMockStart: field "port" must be a port number (0..65535)'],
      ['replayMockSetAnswer', { target: 'a.B', answer: { kind: 'crash' } }, /^replayMockSetAnswer: field "answer"/],
      ['replayHistoryClear', { all: true }, 'replayHistoryClear: unexpected field "all"'],
      ['replayEvents', { since: '0' }, 'replayEvents: field "since" must be an integer'],
      ['choosePaths', { purpose: 'ssh-key', kind: 'file' }, /^choosePaths: field "purpose" must be one of /],
    ] as const) {
      const { status, answer } = await call(method, request);
      expect(status, `${method} ${JSON.stringify(request)}`).toBe(400);
      expect(answer.error).toEqual({
        code: 'invalid-input',
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
    }
    // Nothing reached the service: no send was kept, and the mock did not start.
    expect((await call('replayHistoryList', {})).answer).toEqual({ result: [] });
    expect((await call('replayMockStatus', {})).answer).toEqual({ result: { running: false, services: [] } });
  });

  it('answers a well-formed replay request, and says what this host does not support with its code', async () => {
    const sent = await call('replaySend', {
      url: 'http://127.0.0.1:1/',
      transport: 'connect',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      history: false,
    });
    expect(sent.status).toBe(200);
    expect(sent.answer.result).toMatchObject({ ok: false, transportError: expect.stringMatching(/ECONNREFUSED/) });
    const picked = await call('choosePaths', { purpose: 'tls-ca', kind: 'file' });
    expect(picked.status).toBe(501);
    expect(picked.answer.error).toEqual({
      code: 'unsupported',
      message: "choosePaths: native file dialogs are not available in the browser; type the file's path instead",
    });
  });

  it('checks document requests the same way', async () => {
    const { status, answer } = await call('getRows', { docId: 1, message: 0, start: 0, count: 5 });
    expect(status).toBe(400);
    expect(answer.error).toEqual({ code: 'invalid-input', message: 'getRows: field "docId" must be a string' });
  });
});

describe('opening what is not a regular file', () => {
  it('answers a clear error for a directory, a device and a FIFO instead of blocking or reading forever', async () => {
    const fifo = join(dir, 'a-fifo');
    const canFifo = process.platform !== 'win32' && spawnSync('mkfifo', [fifo]).status === 0;
    const cases: [string, string][] = [
      // A folder is read as schemas when it holds .proto files; this one holds none.
      [dir, 'is a folder with no .proto files in it'],
      ...(existsSync('/dev/zero') ? ([['/dev/zero', 'is a character device, not a regular file']] as [string, string][]) : []),
      ...(canFifo ? ([[fifo, 'is a named pipe (FIFO), not a regular file']] as [string, string][]) : []),
    ];
    for (const [path, what] of cases) {
      const { status, answer } = await call('openPath', { path });
      expect(status, path).toBe(400);
      expect(answer.error).toEqual({ code: 'failed', message: expect.stringContaining(path === dir ? what : `${path}: ${what}`) });
    }
    // The session still answers (no thread of the pool is stuck on the FIFO).
    expect((await call('listDocuments', {})).answer).toEqual({ result: [] });
  });
});
