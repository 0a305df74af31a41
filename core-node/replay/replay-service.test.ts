import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { Root } from 'protobufjs';
import { TokenVerifier } from 'livekit-server-sdk';
import { createReplayService, type ReplayService } from './replay-service';
import { testRoot } from '../../testing/mock-schemas';
import { jsonToBytes } from '../rpc/proto-json';
import { createNodeWorkbench, type NodeWorkbench } from '../workbench/node-hosts';
import type { ReplayEvent } from '../../core/api/replay-contract';
import { METHOD_NAMES } from '../../core/api/request-check';

let root: Root;
let dir: string;
let svc: ReplayService;
/** The open documents requests name by reference: a real workbench session. */
let wb: NodeWorkbench;
const GROUP = '1234567890123_g';

beforeAll(async () => {
  root = await testRoot();
  dir = mkdtempSync(join(tmpdir(), 'protodesk-replay-'));
  wb = await createNodeWorkbench({ cwd: dir, stateFile: null });
  svc = createReplayService({ getRoot: () => root, historyDir: dir, documents: wb.api });
});
afterAll(async () => {
  await svc.close();
  wb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens bytes as a document of `typeName` in the session; its docId. */
async function openAs(name: string, bytes: Uint8Array, typeName: string): Promise<string> {
  const { docId } = await wb.api.openBytes({ name, bytes });
  await wb.api.setType({ docId, typeName });
  return docId;
}

describe('replay service', () => {
  it('implements every contract method', () => {
    for (const m of METHOD_NAMES.filter((n) => n.startsWith('replay'))) expect(typeof svc[m as keyof ReplayService], m).toBe('function');
  });

  it('lists methods with LiveKit RoomService and KikVideo first', async () => {
    const methods = await svc.replayListMethods({});
    expect(methods[0].service).toBe('livekit.RoomService');
    expect(methods.find((m) => m.id === 'mobile.video.v1.KikVideo/JoinConvoConference')).toMatchObject({
      requestType: 'mobile.video.v1.JoinConvoConferenceRequest',
      streaming: false,
    });
  });

  it('starts the mock, sends with a stored secret in each transport, keeps history without secrets', async () => {
    const status = await svc.replayMockStart({
      fixtureJson: JSON.stringify({ livekit: { rooms: [{ name: 'r' }] }, kik: { groups: { [GROUP]: ['alice', 'bob'] } } }),
    });
    expect(status.running).toBe(true);
    await svc.replaySecretSet({ name: 'dev', value: 'secret' });
    expect(await svc.replaySecretList({})).toEqual({ names: ['dev'], persistent: false, note: expect.stringMatching(/in memory only/) });
    for (const transport of ['twirp', 'twirp-json', 'grpc', 'grpc-web', 'connect'] as const) {
      const res = await svc.replaySend({
        url: transport === 'grpc' ? status.grpcUrl! : status.httpUrl!,
        transport,
        method: 'livekit.RoomService/ListRooms',
        json: '{"names":["r"]}',
        auth: { kind: 'livekit-key', apiKey: 'devkey', secretName: 'dev' },
      });
      expect(res.error).toBeUndefined();
      expect(JSON.parse(res.responseJson!).rooms[0].name).toBe('r');
      expect(res.responseBytes!.length).toBeGreaterThan(0);
    }
    const hist = await svc.replayHistoryList({});
    expect(hist).toHaveLength(5);
    expect(hist[0].transport).toBe('connect');
    expect(hist[0].livekitKey).toBe('devkey');
    const file = readFileSync(join(dir, 'history.jsonl'), 'utf8');
    expect(file).not.toMatch(/eyJ/); // no JWT
    expect(file).not.toContain('"secret"');
    const again = createReplayService({ getRoot: () => root, historyDir: dir });
    expect((await again.replayHistoryList({ limit: 2 })).map((e) => e.id)).toEqual(hist.slice(0, 2).map((e) => e.id));
  });

  it('shows Kik notifications as events', async () => {
    const status = await svc.replayMockStatus({});
    const before = (await svc.replayEvents({ since: 0 })).last;
    const res = await svc.replaySend({
      url: status.grpcUrl!,
      transport: 'grpc',
      method: 'mobile.video.v1.KikVideo/JoinConvoConference',
      json: JSON.stringify({ convoId: { group: { localPart: GROUP } } }),
      headers: [['x-kik-user', 'bob']],
    });
    expect(res.ok).toBe(true);
    const { events } = await svc.replayEvents({ since: before });
    const note = events.find((e) => e.kind === 'kik-notification');
    expect(note?.recipients?.sort()).toEqual(['alice', 'bob']);
    expect(note?.summary).toMatch(/OnConvoVideoStateChanged .*bob CONNECTING/);
    expect(JSON.parse(note!.json!)).toHaveProperty('notificationId');
  });

  it('replays an open stream document message by message, as it is now, listing each result', async () => {
    const status = await svc.replayMockStatus({});
    const t = root.lookupType('livekit.ListRoomsRequest');
    const w = protobuf.Writer.create();
    for (const names of [['r'], [], ['x']]) w.bytes(jsonToBytes(t, { names }));
    const docId = await openAs('rooms.delimited', w.finish(), 'livekit.ListRoomsRequest');
    const target = { url: status.httpUrl!, transport: 'twirp' as const, method: 'livekit.RoomService/ListRooms', docId };
    const res = await svc.replayStream({ ...target, auth: { kind: 'livekit-key', apiKey: 'devkey', apiSecret: 'secret' } });
    expect(res.framing).toBe('delimited');
    expect(res.items).toHaveLength(3);
    expect(res.okCount).toBe(3);
    expect(JSON.parse(res.items[0].responseJson!).rooms).toHaveLength(1);
    expect(JSON.parse(res.items[2].responseJson!).rooms ?? []).toHaveLength(0); // no room named x
    const bad = await svc.replayStream(target);
    expect(bad.errorCount).toBe(3);
    expect(bad.items[0].code).toBe('unauthenticated');
    expect((await svc.replayStream({ ...target, maxMessages: 2 })).items).toHaveLength(2);
  });

  it('sends an open document by reference, as it is now (edits included), and says so when it is no longer open', async () => {
    const status = await svc.replayMockStatus({});
    const create = root.lookupType('livekit.CreateRoomRequest');
    const docId = await openAs('create.bin', jsonToBytes(create, { name: 'standup' }), 'livekit.CreateRoomRequest');
    await wb.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'edited' } });
    const target = {
      url: status.httpUrl!,
      transport: 'twirp' as const,
      method: 'livekit.RoomService/CreateRoom',
      auth: { kind: 'livekit-key' as const, apiKey: 'devkey', apiSecret: 'secret' },
    };
    const res = await svc.replaySend({ ...target, docId, message: 0 });
    expect(res.ok).toBe(true);
    expect(res.converted).toBeUndefined();
    expect(JSON.parse(res.responseJson!).name).toBe('edited');
    expect(create.decode((await svc.replayHistoryList({ limit: 1 }))[0].requestBytes).toJSON()).toEqual({ name: 'edited' });
    await wb.api.closeDocument({ docId });
    await expect(svc.replaySend({ ...target, docId })).rejects.toMatchObject({
      code: 'not-found',
      message: 'the source document is no longer open; choose another one',
    });
  });

  it('converts a document of another type to the method input, for Send and for the token Mint reads the room from', async () => {
    const status = await svc.replayMockStatus({});
    const from = root.lookupType('livekit.DeleteRoomRequest');
    const docId = await openAs('delete.bin', jsonToBytes(from, { room: 'r' }), 'livekit.DeleteRoomRequest');
    const method = 'livekit.RoomService/ListParticipants';
    const converted = { fromType: 'livekit.DeleteRoomRequest', toType: 'livekit.ListParticipantsRequest', dropped: [] };
    const minted = await svc.replayMintLiveKitToken({ apiKey: 'devkey', secretName: 'dev', method, docId });
    expect(JSON.parse(minted.claims).video).toEqual({ roomAdmin: true, room: 'r' });
    expect(minted.converted).toEqual(converted);
    const fromJson = await svc.replayMintLiveKitToken({ apiKey: 'devkey', secretName: 'dev', method, json: '{"room":"j"}' });
    expect(JSON.parse(fromJson.claims).video).toEqual({ roomAdmin: true, room: 'j' });
    const res = await svc.replaySend({
      url: status.httpUrl!,
      transport: 'twirp',
      method,
      docId,
      auth: { kind: 'livekit-key', apiKey: 'devkey', secretName: 'dev' },
    });
    expect(res.converted).toEqual(converted);
    expect(res.ok).toBe(true);
    const sent = (await svc.replayHistoryList({ limit: 1 }))[0].requestBytes;
    expect(root.lookupType('livekit.ListParticipantsRequest').decode(sent).toJSON()).toEqual({ room: 'r' });
  });

  it('pushes each event to subscribers as it happens', async () => {
    const pushed: ReplayEvent[] = [];
    const stop = svc.onEvent((e) => pushed.push(e));
    await svc.replaySend({
      url: 'http://127.0.0.1:1',
      transport: 'connect',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      history: false,
    });
    stop();
    await svc.replaySend({
      url: 'http://127.0.0.1:1',
      transport: 'connect',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      history: false,
    });
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({
      kind: 'sent',
      summary: expect.stringMatching(/^connect livekit\.RoomService\/ListRooms → unavailable in /),
    });
    expect((await svc.replayEvents({ since: pushed[0].seq - 1 })).events[0]).toEqual(pushed[0]);
  });

  it('mints a LiveKit token that TokenVerifier accepts, sets generic answers', async () => {
    const { token, claims } = await svc.replayMintLiveKitToken({
      apiKey: 'devkey',
      secretName: 'dev',
      method: 'livekit.RoomService/UpdateRoomMetadata',
      room: 'r',
    });
    expect(JSON.parse(claims).video).toEqual({ roomAdmin: true, room: 'r' });
    await expect(new TokenVerifier('devkey', 'secret').verify(token)).resolves.toMatchObject({ iss: 'devkey' });
    const status = await svc.replayMockStatus({});
    await svc.replayMockSetAnswer({
      target: 'mobileremote.video.v1.MobileVideo/OnConvoVideoStateChanged',
      answer: { kind: 'error', code: 'unavailable', message: 'down for the test' },
    });
    const res = await svc.replaySend({
      url: status.httpUrl!,
      transport: 'twirp',
      method: 'mobileremote.video.v1.MobileVideo/OnConvoVideoStateChanged',
      json: '{}',
      history: false,
    });
    expect(res.error).toMatchObject({ code: 'unavailable', message: 'down for the test' });
    expect(res.httpStatus).toBe(503);
  });

  it('reports a refused connection as a transport error, not a throw', async () => {
    const res = await svc.replaySend({
      url: 'http://127.0.0.1:1',
      transport: 'connect',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      history: false,
    });
    expect(res.ok).toBe(false);
    expect(res.transportError).toMatch(/ECONNREFUSED/);
  });
});
