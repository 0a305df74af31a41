/**
 * The Electron security checklist's IPC items, proven without the Electron runtime (as
 * security.test.ts does): every contract method has one IPC handler, registered through the
 * contract's one registration; each refuses senders other than our page, checks its request, and
 * accepts only file paths the user chose; answers are Outcomes whose errors carry their code.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DROPPED_FILE_CHANNEL, ipcChannel } from '../../core/api/contract';
import type { Outcome } from '../../core/api/method-map';
import { unwrapOutcome } from '../../core/api/register';
import { METHOD_NAMES } from '../../core/api/request-check';
import { launchMain, requireWithFakeElectron, sharedFakeElectron, type LaunchedMain } from '../../testing/fake-electron';

const fake = sharedFakeElectron();
const root = resolve(__dirname, '../..');
const { rec, user, app, FakeWebContents } = fake;
const userData = mkdtempSync(join(tmpdir(), 'protodesk-security-ipc-'));
let main: LaunchedMain;
let win: LaunchedMain['win'];

beforeAll(async () => {
  main = await launchMain(fake, root, 'security-ipc-test', userData);
  win = main.win;
}, 60_000);

afterAll(() => main?.close());

/** Every IPC channel main handles: one per contract method, and the preload's dropped-file report. */
const ALL_CHANNELS: readonly string[] = [...METHOD_NAMES.map(ipcChannel), DROPPED_FILE_CHANNEL];
const okEvent = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
/** Calls main's handler of a method as the preload does; its Outcome's error is thrown (with its code), as the renderer's bridge does. */
const invoke = async (method: string, request: unknown, event: unknown = okEvent()) =>
  unwrapOutcome((await rec.ipc.get(ipcChannel(method))!(event, request)) as Outcome<unknown>);

describe('IPC (checklist 17; arguments validated at the boundary)', () => {
  it('registers one handler per contract method, the dropped-file report, and nothing else', () => {
    // registerContract stops main at start-up (an error box, failing beforeAll) when a contract method has no handler.
    expect(rec.errorBoxes).toEqual([]);
    expect([...rec.ipc.keys()].sort()).toEqual([...ALL_CHANNELS].sort());
  });

  it('every handler refuses a sender that is not our page in our window', async () => {
    const wc = win.webContents;
    const bad = [
      { sender: new FakeWebContents(), senderFrame: { url: 'app://protodesk/index.html', parent: null } },
      { sender: wc, senderFrame: { url: 'https://evil.example/index.html', parent: null } },
      { sender: wc, senderFrame: { url: 'app://protodesk.evil.example/index.html', parent: null } },
      { sender: wc, senderFrame: { url: pathToFileURL(join(root, 'dist/renderer/index.html')).href, parent: null } },
      { sender: wc, senderFrame: { url: 'app://protodesk/index.html', parent: wc.mainFrame } },
      { sender: wc, senderFrame: null },
    ];
    for (const channel of ALL_CHANNELS) {
      for (const event of bad) await expect(rec.ipc.get(channel)!(event, {}), channel).rejects.toThrow(/unexpected sender/);
    }
  });

  it('answers our page', async () => {
    expect(await invoke('appInfo', {})).toMatchObject({ mode: 'electron', version: '0.0.0-test' });
    expect(await invoke('listDocuments', {})).toEqual([]);
    expect(await invoke('replayMockStatus', {})).toMatchObject({ running: false });
    expect(await invoke('replayEvents', { since: 0 })).toMatchObject({ events: [] });
  });

  it('answers an Outcome: the result, or an error with its code (a refused path, a bad request)', async () => {
    const raw = (method: string, request: unknown) => rec.ipc.get(ipcChannel(method))!(okEvent(), request);
    expect(await raw('listDocuments', {})).toEqual({ result: [] });
    expect(await raw('getRows', { docId: 1, message: 0, start: 0, count: 5 })).toEqual({
      error: { code: 'invalid-input', message: 'getRows: field "docId" must be a string' },
    });
    expect(await raw('openPath', { path: '/etc/passwd' })).toEqual({
      error: { code: 'refused', message: expect.stringMatching(/^openPath: path "\/etc\/passwd" was not chosen by you/) },
    });
  });

  it.each([
    ['getRows', { docId: 1, message: 0, start: 0, count: 5 }, /docId/],
    ['getRows', null, /object/],
    ['openPath', { path: '/etc/passwd', extra: 1 }, /extra/],
    ['openBytes', { name: 'a.bin', bytes: [1, 2] }, /bytes/],
    ['edit', { docId: 'd1', message: 0, edit: { op: 'explode', path: [] } }, /unknown op/],
    ['edit', { docId: 'd1', message: 0, edit: { op: 'set', path: [-1], value: 1 } }, /path/],
    ['setExpanded', { docId: 'd1', message: 0, path: [0], expanded: 'yes' }, /expanded/],
    ['addSchemas', { protoFiles: '/etc/passwd' }, /protoFiles/],
    ['saveAs', { docId: 'd1', path: 42 }, /path/],
    ['replaySend', { url: 'file:///etc/passwd', transport: 'twirp', method: 'a.B/C' }, /url/],
    ['replaySend', { url: 'http://127.0.0.1:1/', transport: 'ftp', method: 'a.B/C' }, /transport/],
    ['replaySend', { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', headers: [['a']] }, /headers/],
    ['replaySend', { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', auth: { kind: 'root' } }, /auth/],
    ['replaySend', { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', tls: { caFile: 1 } }, /tls/],
    ['replayStream', { url: 'http://127.0.0.1:1/', transport: 'grpc', method: 'a.B/C' }, /docId/],
    ['replayStream', { url: 'http://127.0.0.1:1/', transport: 'grpc', method: 'a.B/C', docId: 'd1', bytes: new Uint8Array(1) }, /bytes/],
    [
      'replaySend',
      { url: 'http://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', docId: 'd1', json: '{}' },
      /one of docId, json and body/,
    ],
    ['replaySecretSet', { name: 'k', value: 42 }, /value/],
    ['replaySecretDelete', {}, /name/],
    ['replayMockStart', { port: '8080' }, /port/],
    ['replayMockStart', { port: 70000 }, /port/],
    ['replayMockSetAnswer', { target: 'a.B', answer: { kind: 'crash' } }, /answer/],
    ['replayEvents', { since: '0' }, /since/],
    ['replayHistoryList', { limit: -1 }, /limit/],
    ['replayHistoryClear', { all: true }, /all/],
    ['choosePaths', { purpose: 'ssh-key', kind: 'file' }, /purpose/],
    ['choosePaths', { purpose: 'tls-ca', kind: 'folder' }, /kind/],
    ['choosePaths', { purpose: 'tls-ca', kind: 'file', defaultPath: '/etc' }, /defaultPath/],
  ])('%s refuses %j', async (method, request, problem) => {
    await expect(invoke(method, request)).rejects.toThrow(problem);
  });
});

describe('file paths from the renderer (only paths the user chose)', () => {
  const dir = join(userData, 'chosen');
  const file = (name: string) => join(dir, name);
  const notChosen = /was not chosen by you/;
  const open = (path: string) => invoke('openPath', { path }) as Promise<{ docId: string; path: string }>;
  const refusedRequests = (path: string): [string, unknown][] => [
    ['openPath', { path }],
    ['saveAs', { docId: 'd1', path }],
    ['addSchemas', { protoFiles: [path] }],
    ['addSchemas', { importPaths: [path] }],
    ['addSchemas', { descriptorSets: [path] }],
    ['replaySend', { url: 'https://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', tls: { caFile: path } }],
    ['replaySend', { url: 'https://127.0.0.1:1/', transport: 'twirp', method: 'a.B/C', tls: { certFile: path, keyFile: path } }],
    ['replayStream', { url: 'https://127.0.0.1:1/', transport: 'grpc', method: 'a.B/C', docId: 'd1', tls: { keyFile: path } }],
    ['replayMockStart', { fixtureFile: path }],
  ];

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    for (const name of ['room.bin', 'dropped.bin', 'picked.bin', 'argv.bin', 'os.bin'])
      copyFileSync(join(root, 'samples/livekit/room.bin'), file(name));
    writeFileSync(file('fixture.json'), '{}');
    writeFileSync(file('m.proto'), 'syntax = "proto3"; package chosen; message M { int32 a = 1; }');
  });

  afterEach(() => {
    user.openPicks = null;
    user.savePick = null;
    user.droppedPath = '';
    user.ipcEvent = null;
    user.messageBoxAnswer = null;
  });

  it.each([
    ...refusedRequests(join(root, 'package.json')),
    ...refusedRequests('/etc/passwd'),
    ...refusedRequests('relative/../package.json'),
  ])('%s refuses a path the user did not choose: %j', async (method, request) => {
    await expect(invoke(method, request)).rejects.toThrow(notChosen);
  });

  it('names the method, the field and the path, and says how to choose one', async () => {
    const target = file('room.bin');
    await expect(open(target)).rejects.toThrow(
      `openPath: path "${target}" was not chosen by you in this window; use File › Open, or drop the file on the window`,
    );
    await expect(invoke('addSchemas', { protoFiles: [file('m.proto')] })).rejects.toThrow(`addSchemas: protoFiles[0] "${file('m.proto')}"`);
    expect(await invoke('listDocuments', {})).toEqual([]);
  });

  it('opens a file dropped on the window (the preload reports it) and nothing beside it', async () => {
    requireWithFakeElectron(fake, join(main.outDir, 'preload.cjs'));
    const exposed = rec.exposed.get('protodesk') as {
      api: Record<string, (r: unknown) => Promise<Outcome<unknown>>>;
      pathForFile(f: object): string;
    };
    // Through the preload as the page calls it; its Outcome unwrapped as the renderer's bridge does.
    const openPath = async (request: object) => unwrapOutcome(await exposed.api.openPath(request));
    user.ipcEvent = okEvent();
    user.droppedPath = file('dropped.bin');
    const path = exposed.pathForFile({});
    expect(path).toBe(file('dropped.bin'));
    expect(await openPath({ path })).toMatchObject({ path: file('dropped.bin'), name: 'dropped.bin' });
    await expect(openPath({ path: file('room.bin') })).rejects.toThrow(notChosen);
    await expect(openPath({ path: join(dir, '..', 'chosen', 'dropped.bin', '..', 'room.bin') })).rejects.toThrow(notChosen);
    // The user chose the dropped file, as in the open dialog: it may be saved over, by name too; the file beside it may not.
    const doc = (await openPath({ path })) as { docId: string };
    expect(unwrapOutcome(await exposed.api.saveAs({ docId: doc.docId, path }))).toMatchObject({ path });
    const beside = await exposed.api.saveAs({ docId: doc.docId, path: file('room.bin') });
    expect(beside).toEqual({
      error: { code: 'refused', message: expect.stringMatching(/not chosen by you in a save dialog; use File › Save As/) },
    });
  });

  it('refuses a dropped-file report without a path', async () => {
    await expect(rec.ipc.get(DROPPED_FILE_CHANNEL)!(okEvent(), 42)).rejects.toThrow(/path/);
  });

  it('opens what the user picked in the open dialog, and that path again later', async () => {
    user.openPicks = [file('picked.bin')];
    expect(await invoke('openDialog', {})).toEqual([expect.objectContaining({ path: file('picked.bin') })]);
    expect(await open(file('picked.bin'))).toMatchObject({ path: file('picked.bin') });
  });

  it('opens files named on the command line of a second instance and by the OS', async () => {
    app.emit('second-instance', {}, [process.execPath, 'main.cjs', 'argv.bin'], dir);
    app.emit('open-file', { preventDefault: () => {} }, file('os.bin'));
    await vi.waitFor(async () => {
      const paths = ((await invoke('listDocuments', {})) as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining([file('argv.bin'), file('os.bin')]));
    });
    expect(await open(file('argv.bin'))).toMatchObject({ path: file('argv.bin') });
    expect(await open(file('os.bin'))).toMatchObject({ path: file('os.bin') });
  });

  it('saves to a path chosen in the save dialog, and later to that path by name', async () => {
    user.openPicks = [file('picked.bin')];
    const [doc] = (await invoke('openDialog', {})) as { docId: string }[];
    await expect(invoke('saveAs', { docId: doc.docId, path: file('saved.bin') })).rejects.toThrow(notChosen);
    expect(existsSync(file('saved.bin'))).toBe(false);
    user.savePick = file('saved.bin');
    expect(await invoke('saveAs', { docId: doc.docId })).toMatchObject({ path: file('saved.bin') });
    expect(readFileSync(file('saved.bin'))).toEqual(readFileSync(file('picked.bin')));
    expect(await invoke('saveAs', { docId: doc.docId, path: file('saved.bin') })).toMatchObject({ path: file('saved.bin') });
  });

  it('loads schemas from a folder picked in the schemas dialog, files inside it included', async () => {
    user.openPicks = [dir];
    const status = (await invoke('addSchemasDialog', { kind: 'folder' })) as { importPaths: string[] };
    expect(status.importPaths).toContain(dir);
    const withFile = (await invoke('addSchemas', { protoFiles: [file('m.proto')] })) as { protoFiles: string[]; errors: unknown[] };
    expect(withFile.protoFiles.some((f) => f.endsWith('m.proto'))).toBe(true);
    await expect(invoke('addSchemas', { protoFiles: [join(dir, '..', 'elsewhere.proto')] })).rejects.toThrow(notChosen);
  });

  describe('the Choose… buttons of the replay pane (choosePaths)', () => {
    // Not under `dir`: a test above granted that whole folder.
    const certs = join(userData, 'certs');
    const cert = (name: string) => join(certs, name);
    const tlsSend = (tls: object) =>
      invoke('replaySend', {
        url: 'https://127.0.0.1:1/',
        transport: 'twirp',
        method: 'livekit.RoomService/ListRooms',
        tls,
        history: false,
      });
    beforeAll(() => {
      mkdirSync(certs, { recursive: true });
      writeFileSync(cert('ca.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
      for (const name of ['typed.pem', 'cancelled.pem']) writeFileSync(cert(name), '');
      writeFileSync(cert('fixture.json'), '{}');
    });

    it('a TLS file picked in the native dialog may then be sent with; a typed path is still refused', async () => {
      await expect(tlsSend({ caFile: cert('ca.pem') })).rejects.toThrow(notChosen);
      user.openPicks = [cert('ca.pem')];
      expect(await invoke('choosePaths', { purpose: 'tls-ca', kind: 'file' })).toEqual([cert('ca.pem')]);
      // One file, PEM certificates first, with a title saying which file is asked for.
      expect(rec.openDialogs.at(-1)).toEqual({
        title: 'Choose the CA certificate',
        properties: ['openFile'],
        filters: [
          { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      // Past the grant check (and the user confirms the new address): the request goes out (and fails there, nothing listens on port 1).
      user.messageBoxAnswer = 0;
      expect(await tlsSend({ caFile: cert('ca.pem') })).toMatchObject({ ok: false, transportError: expect.any(String) });
      await expect(tlsSend({ caFile: cert('ca.pem'), keyFile: cert('typed.pem') })).rejects.toThrow(
        `replaySend: tls.keyFile "${cert('typed.pem')}" was not chosen by you in this window; use the field's Choose… button in the Replay pane`,
      );
    });

    it('asks for a client key with key filters', async () => {
      await invoke('choosePaths', { purpose: 'tls-key', kind: 'file' });
      expect(rec.openDialogs.at(-1)).toMatchObject({
        title: 'Choose the client key',
        filters: [{ extensions: ['pem', 'key'] }, { name: 'All files' }],
      });
    });

    it('starts the mock with a fixture picked in the dialog', async () => {
      await expect(invoke('replayMockStart', { fixtureFile: cert('fixture.json') })).rejects.toThrow(notChosen);
      user.openPicks = [cert('fixture.json')];
      expect(await invoke('choosePaths', { purpose: 'mock-fixture', kind: 'file' })).toEqual([cert('fixture.json')]);
      expect(rec.openDialogs.at(-1)).toMatchObject({
        title: 'Choose a mock fixture',
        filters: [{ extensions: ['json'] }, { name: 'All files' }],
      });
      expect(await invoke('replayMockStart', { fixtureFile: cert('fixture.json') })).toMatchObject({ running: true });
      await invoke('replayMockStop', {});
    });

    it('a cancelled dialog answers no path and grants nothing', async () => {
      expect(await invoke('choosePaths', { purpose: 'tls-cert', kind: 'file' })).toEqual([]);
      await expect(tlsSend({ certFile: cert('cancelled.pem') })).rejects.toThrow(notChosen);
    });
  });

  it('starts the mock with a fixture file the user dropped', async () => {
    await rec.ipc.get(DROPPED_FILE_CHANNEL)!(okEvent(), file('fixture.json'));
    expect(await invoke('replayMockStart', { fixtureFile: file('fixture.json') })).toMatchObject({ running: true });
    await invoke('replayMockStop', {});
  });
});
