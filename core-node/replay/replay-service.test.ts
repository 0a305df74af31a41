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
import { METHOD_NAMES } from '../../core/api/request-check';

let root: Root;
let dir: string;
let svc: ReplayService;
const GROUP = '1234567890123_g';

beforeAll(async () => {
  root = await testRoot();
  dir = mkdtempSync(join(tmpdir(), 'protodesk-replay-'));
  svc = createReplayService({ getRoot: () => root, historyDir: dir });
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

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
    expect(await svc.replaySecretList({})).toEqual({ names: ['dev'], persistent: false });
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

  it('replays a delimited stream message by message, listing each result', async () => {
    const status = await svc.replayMockStatus({});
    const t = root.lookupType('livekit.ListRoomsRequest');
    const w = protobuf.Writer.create();
    for (const names of [['r'], [], ['x']]) w.bytes(jsonToBytes(t, { names }));
    const res = await svc.replayStream({
      url: status.httpUrl!,
      transport: 'twirp',
      method: 'livekit.RoomService/ListRooms',
      bytes: w.finish(),
      framing: 'delimited',
      auth: { kind: 'livekit-key', apiKey: 'devkey', apiSecret: 'secret' },
    });
    expect(res.items).toHaveLength(3);
    expect(res.okCount).toBe(3);
    expect(JSON.parse(res.items[0].responseJson!).rooms).toHaveLength(1);
    const bad = await svc.replayStream({
      url: status.httpUrl!,
      transport: 'twirp',
      method: 'livekit.RoomService/ListRooms',
      bytes: w.finish(),
      framing: 'delimited',
    });
    expect(bad.errorCount).toBe(3);
    expect(bad.items[0].code).toBe('unauthenticated');
  });

  it('mints a LiveKit token that TokenVerifier accepts, converts messages, sets generic answers', async () => {
    const { token, claims } = await svc.replayMintLiveKitToken({
      apiKey: 'devkey',
      secretName: 'dev',
      method: 'livekit.RoomService/UpdateRoomMetadata',
      room: 'r',
    });
    expect(JSON.parse(claims).video).toEqual({ roomAdmin: true, room: 'r' });
    await expect(new TokenVerifier('devkey', 'secret').verify(token)).resolves.toMatchObject({ iss: 'devkey' });
    const from = root.lookupType('livekit.DeleteRoomRequest');
    const conv = await svc.replayConvert({
      fromType: 'livekit.DeleteRoomRequest',
      toType: 'livekit.ListParticipantsRequest',
      bytes: jsonToBytes(from, { room: 'r' }),
    });
    expect(root.lookupType('livekit.ListParticipantsRequest').decode(conv.bytes).toJSON()).toEqual({ room: 'r' });
    const status = await svc.replayMockStatus({});
    await svc.replayMockSetAnswer({
      target: 'livekit.Egress/ListEgress',
      answer: { kind: 'error', code: 'unavailable', message: 'down for the test' },
    });
    const res = await svc.replaySend({
      url: status.httpUrl!,
      transport: 'twirp',
      method: 'livekit.Egress/ListEgress',
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
