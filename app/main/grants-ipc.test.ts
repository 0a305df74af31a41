/**
 * What the page may make main write and where it may make it send, through main's real IPC
 * handlers (bundled and loaded with a fake `electron`, as security-ipc.test.ts does): a file
 * only read-granted (inside a granted schemas folder, a recovery entry) is not saved over
 * unless the user confirms natively; a symbolic link inside a granted folder does not lead out
 * of it; the Replay pane sends only to the presets, the mock, the history or an origin the user
 * confirmed; stored secrets say they are kept in memory only when nothing encrypts them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ipcChannel } from '../../core/api/contract';
import type { Outcome } from '../../core/api/method-map';
import { unwrapOutcome } from '../../core/api/register';
import { launchMain, sharedFakeElectron, type LaunchedMain } from '../../testing/fake-electron';

const fake = sharedFakeElectron();
const root = resolve(__dirname, '../..');
const { rec, user } = fake;
const userData = mkdtempSync(join(tmpdir(), 'protodesk-grants-ipc-'));
const outside = mkdtempSync(join(tmpdir(), 'protodesk-grants-outside-'));
let main: LaunchedMain;
let win: LaunchedMain['win'];
/** A service that counts the requests it gets (the replay target), and one an earlier session sent to (in the history). */
let server: Server;
let earlier: Server;
let hits = 0;
let serverUrl = '';
let earlierUrl = '';

/** Starts an empty Twirp service on a free port; its URL. */
async function listen(s: Server): Promise<string> {
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}/`;
}

const answer = (count: boolean) =>
  createServer((req, res) => {
    if (count) hits++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/protobuf' }).end());
  });

beforeAll(async () => {
  server = answer(true);
  serverUrl = await listen(server);
  earlier = answer(false);
  earlierUrl = await listen(earlier);
  // The history an earlier session kept (main wrote it after a send it allowed).
  mkdirSync(join(userData, 'replay'), { recursive: true });
  const entry = {
    id: 'e1',
    time: '2026-01-01T00:00:00.000Z',
    url: earlierUrl,
    transport: 'twirp',
    method: 'livekit.RoomService/ListRooms',
  };
  writeFileSync(
    join(userData, 'replay', 'history.jsonl'),
    `${JSON.stringify({ ...entry, ok: true, timeMs: 1, request: '', headers: [] })}\n`,
  );
  main = await launchMain(fake, root, 'grants-ipc-test', userData);
  win = main.win;
}, 60_000);

afterAll(async () => {
  main?.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  await new Promise<void>((ok) => earlier.close(() => ok()));
});

afterEach(() => {
  user.openPicks = null;
  user.savePick = null;
  user.messageBoxAnswer = null;
});

const okEvent = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
const invoke = async (method: string, request: unknown) =>
  unwrapOutcome((await rec.ipc.get(ipcChannel(method))!(okEvent(), request)) as Outcome<unknown>);

describe('writing: only files the user opened or chose to save', () => {
  const protos = join(userData, 'protos');
  const inFolder = join(protos, 'message.bin');

  beforeAll(async () => {
    mkdirSync(protos, { recursive: true });
    copyFileSync(join(root, 'samples/livekit/room.bin'), inFolder);
    writeFileSync(join(outside, 'private.bin'), 'outside the folder');
    symlinkSync(join(outside, 'private.bin'), join(protos, 'link-out.bin'));
    symlinkSync(outside, join(protos, 'dir-out'));
    user.openPicks = [protos];
    await invoke('addSchemasDialog', { kind: 'folder' });
  });

  it('a file inside a granted schemas folder opens, but saving over it asks first; Cancel writes nothing', async () => {
    const before = readFileSync(inFolder);
    const doc = (await invoke('openPath', { path: inFolder })) as { docId: string };
    await invoke('edit', { docId: doc.docId, message: 0, edit: { op: 'set', path: [0], value: 'changed by the page' } });
    const asked = rec.messageBoxes.length;
    await expect(invoke('save', { docId: doc.docId })).rejects.toMatchObject({
      code: 'cancelled',
      message: `save: not saved; ${inFolder} was opened for reading only`,
    });
    expect(rec.messageBoxes.length).toBe(asked + 1);
    expect(rec.messageBoxes.at(-1)).toMatchObject({ message: 'Save over message.bin?', buttons: ['Save', 'Cancel'], cancelId: 1 });
    expect(readFileSync(inFolder)).toEqual(before);
    // Nor by name through Save As.
    await expect(invoke('saveAs', { docId: doc.docId, path: inFolder })).rejects.toThrow(/not chosen by you in a save dialog/);
    // The user says Save: written, and the next save asks no more.
    user.messageBoxAnswer = 0;
    await invoke('save', { docId: doc.docId });
    expect(readFileSync(inFolder)).not.toEqual(before);
    user.messageBoxAnswer = null;
    await invoke('edit', { docId: doc.docId, message: 0, edit: { op: 'set', path: [0], value: 'again' } });
    await invoke('save', { docId: doc.docId });
    expect(rec.messageBoxes.length).toBe(asked + 2); // Cancel, then Save; none the second time
  });

  it('a file the user opened in the open dialog is saved without a question', async () => {
    const picked = join(userData, 'picked.bin');
    copyFileSync(join(root, 'samples/livekit/room.bin'), picked);
    user.openPicks = [picked];
    const [doc] = (await invoke('openDialog', {})) as { docId: string }[];
    await invoke('edit', { docId: doc.docId, message: 0, edit: { op: 'set', path: [0], value: 'mine' } });
    const asked = rec.messageBoxes.length;
    await invoke('save', { docId: doc.docId });
    expect(rec.messageBoxes.length).toBe(asked);
    expect(readFileSync(picked).toString('latin1')).toContain('mine');
  });

  it('a symbolic link inside a granted folder does not lead out of it', async () => {
    for (const path of [join(protos, 'link-out.bin'), join(protos, 'dir-out', 'private.bin')]) {
      await expect(invoke('openPath', { path }), path).rejects.toThrow(/was not chosen by you in this window/);
      await expect(invoke('addSchemas', { descriptorSets: [path] }), path).rejects.toThrow(/was not chosen by you/);
    }
  });
});

describe('sending: only to origins the user chose', () => {
  const sendTo = (url: string) =>
    invoke('replaySend', { url, transport: 'twirp', method: 'livekit.RoomService/ListRooms', json: '{}', history: false });

  it('a new origin is confirmed natively first; Cancel sends nothing', async () => {
    const asked = rec.messageBoxes.length;
    await expect(sendTo(serverUrl)).rejects.toMatchObject({
      code: 'refused',
      message: `replaySend: sending to ${serverUrl.slice(0, -1)} was not confirmed`,
    });
    expect(hits).toBe(0);
    expect(rec.messageBoxes.at(-1)).toMatchObject({ message: `Send requests to ${serverUrl.slice(0, -1)}?`, buttons: ['Send', 'Cancel'] });
    await expect(invoke('replayStream', { url: serverUrl, transport: 'twirp', method: 'a.B/C', docId: 'd1' })).rejects.toMatchObject({
      code: 'refused',
    });
    // Confirmed: sent, and the origin's other paths need no question again.
    user.messageBoxAnswer = 0;
    expect(await sendTo(serverUrl)).toMatchObject({ ok: true });
    user.messageBoxAnswer = null;
    expect(await sendTo(`${serverUrl}prefix/`)).toMatchObject({ ok: true });
    expect(hits).toBe(2);
    expect(rec.messageBoxes.length).toBe(asked + 3);
  });

  it('the mock main starts and the presets need no question', async () => {
    const status = (await invoke('replayMockStart', {})) as { httpUrl: string; grpcUrl: string };
    const asked = rec.messageBoxes.length;
    expect(await sendTo(status.httpUrl)).toMatchObject({ transport: 'twirp' });
    const presets = (await invoke('replayPresets', {})) as { url: string }[];
    // The LiveKit dev preset (nothing listens there): past the check, the request goes out and fails.
    expect(await sendTo(presets[0].url)).toMatchObject({ ok: false });
    expect(rec.messageBoxes.length).toBe(asked);
    await invoke('replayMockStop', {});
  });

  it('an origin an earlier session sent to (in the replay history) needs no question', async () => {
    const asked = rec.messageBoxes.length;
    expect(await sendTo(earlierUrl)).toMatchObject({ ok: true });
    expect(rec.messageBoxes.length).toBe(asked);
  });
});

describe('stored secrets', () => {
  it('say they are kept in memory only, and why, when nothing encrypts them', async () => {
    expect(await invoke('replaySecretSet', { name: 'k', value: 'v' })).toEqual({
      persistent: false,
      note: expect.stringMatching(/kept in memory only and forgotten when Protodesk quits/),
    });
    expect(await invoke('replaySecretList', {})).toMatchObject({ names: ['k'], persistent: false, note: expect.any(String) });
  });
});
