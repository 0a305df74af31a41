import { beforeEach, describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../../core/api/contract';
import type { ReplayHistoryEntry, ReplayMethodInfo, ReplaySendResult } from '../../core/api/replay-contract';
import { cancelSend, followSourceMethod, send, type ReplayPaneApi } from './replay-actions';
import { copyCommand, editEnvironment, loadByReflection, restoreHistory, saveEnvironment, startMock } from './replay-tool-actions';
import { applyReplayPatch, initialReplayState, type ReplayStateAccess } from './replay-state';

/** A host API that records each call and answers from `answers` (a function answers with what it returns). */
function recordingApi(answers: Record<string, unknown> = {}): { api: ReplayPaneApi; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const api = new Proxy({} as ReplayPaneApi, {
    get: (_t, name: string) => async (request: unknown) => {
      calls.push([name, request]);
      const a = answers[name];
      if (typeof a === 'function') return (a as (r: unknown) => unknown)(request);
      if (name in answers) return a;
      throw new Error(`${name} is not expected here`);
    },
  });
  return { api, calls };
}

let state = initialReplayState();
const pane: ReplayStateAccess = { get: () => state, set: (patch) => void (state = applyReplayPatch(state, patch)) };

const method = (id: string, requestType: string, livekit = true): ReplayMethodInfo => ({
  id,
  service: id.split('/')[0],
  method: id.split('/')[1],
  requestType,
  responseType: 'x.Out',
  streaming: false,
  livekit,
});
const METHODS = [
  method('livekit.RoomService/CreateRoom', 'livekit.CreateRoomRequest'),
  method('livekit.RoomService/ListRooms', 'livekit.ListRoomsRequest'),
  method('livekit.RoomService/DeleteRoom', 'livekit.DeleteRoomRequest'),
  method('livekit.Other/DeleteRoomToo', 'livekit.DeleteRoomRequest'),
  method('mobile.video.v1.KikVideo/JoinConvoConference', 'mobile.video.v1.JoinConvoConferenceRequest', false),
];
const doc = (docId: string, typeName: string | null): DocumentSummary => ({ docId, name: `${docId}.bin`, typeName }) as DocumentSummary;

const RESULT: ReplaySendResult = {
  id: 'h1',
  ok: true,
  transport: 'twirp',
  target: 'http://127.0.0.1:5000/twirp/livekit.RoomService/CreateRoom',
  headers: [],
  trailers: [],
  timeMs: 1,
  responseType: 'livekit.Room',
  requestHeaders: [],
};

describe('the method follows the source document', () => {
  beforeEach(() => {
    state = { ...initialReplayState(), methods: METHODS };
  });

  it('a CreateRoomRequest selects CreateRoom; a Kik request its method with no auth; the JSON box keeps it', () => {
    pane.set({ source: 'd1', docs: [doc('d1', 'livekit.CreateRoomRequest'), doc('d2', 'mobile.video.v1.JoinConvoConferenceRequest')] });
    followSourceMethod(pane);
    expect(pane.get()).toMatchObject({ method: 'livekit.RoomService/CreateRoom', authKind: 'livekit-key', methodChoices: [] });
    // A tab switch moves the source: the method follows.
    pane.set({ source: 'd2' });
    followSourceMethod(pane);
    expect(pane.get()).toMatchObject({ method: 'mobile.video.v1.KikVideo/JoinConvoConference', authKind: 'none' });
    pane.set({ source: 'json' });
    followSourceMethod(pane);
    expect(pane.get().method).toBe('mobile.video.v1.KikVideo/JoinConvoConference');
  });

  it("keeps the user's pick for the same document; follows again when its type changes", () => {
    pane.set({ source: 'd1', docs: [doc('d1', 'livekit.CreateRoomRequest')] });
    followSourceMethod(pane);
    pane.set({ method: 'livekit.RoomService/ListRooms' });
    followSourceMethod(pane);
    expect(pane.get().method).toBe('livekit.RoomService/ListRooms');
    pane.set({ docs: [doc('d1', 'mobile.video.v1.JoinConvoConferenceRequest')] });
    followSourceMethod(pane);
    expect(pane.get().method).toBe('mobile.video.v1.KikVideo/JoinConvoConference');
  });

  it('asks when several methods take the type; the answer clears the question', () => {
    pane.set({ source: 'd3', docs: [doc('d3', 'livekit.DeleteRoomRequest')] });
    followSourceMethod(pane);
    expect(pane.get()).toMatchObject({
      method: 'livekit.RoomService/ListRooms',
      methodChoices: ['livekit.RoomService/DeleteRoom', 'livekit.Other/DeleteRoomToo'],
    });
  });

  it('waits for the methods before following', () => {
    state = initialReplayState();
    pane.set({ source: 'd1', docs: [doc('d1', 'livekit.CreateRoomRequest')] });
    followSourceMethod(pane);
    expect(pane.get().methodFollows).toBe('');
    pane.set({ methods: METHODS });
    followSourceMethod(pane);
    expect(pane.get().method).toBe('livekit.RoomService/CreateRoom');
  });
});

describe('Cancel', () => {
  beforeEach(() => {
    state = initialReplayState();
  });

  it('names the send in flight; its failure is the notice and nothing stays in flight', async () => {
    let release: (e: Error) => void = () => undefined;
    const { api, calls } = recordingApi({
      replaySend: () => new Promise((_r, reject) => (release = reject)),
      replayCancel: () => {
        release(new Error('cancelled: the send was cancelled'));
        return { cancelled: true };
      },
    });
    const sending = send(pane, api);
    await Promise.resolve();
    const requestId = pane.get().inFlight;
    expect(requestId).toMatch(/^send-/);
    expect((calls[0][1] as { requestId: string }).requestId).toBe(requestId);
    await cancelSend(pane, api);
    await sending;
    expect(calls[1]).toEqual(['replayCancel', { requestId }]);
    expect(pane.get()).toMatchObject({ inFlight: null, busy: false, notice: 'cancelled: the send was cancelled' });
  });
});

describe('the mock, history, commands and environments', () => {
  beforeEach(() => {
    state = initialReplayState();
  });

  it('starting the mock points the form at it, for the transport chosen', async () => {
    pane.set({ transport: 'connect', url: 'https://elsewhere' });
    const auth = { kind: 'livekit-key' as const, apiKey: 'devkey', apiSecret: 'secret' };
    const { api } = recordingApi({
      replayMockStart: { running: true, httpUrl: 'http://127.0.0.1:4001', grpcUrl: 'http://127.0.0.1:4002', services: [] },
      replayPresets: [
        { name: 'Mock: Twirp', url: 'http://127.0.0.1:4001', transport: 'twirp', auth },
        { name: 'Mock: gRPC', url: 'http://127.0.0.1:4002', transport: 'grpc', auth },
        { name: 'Mock: Connect', url: 'http://127.0.0.1:4001', transport: 'connect', auth },
      ],
    });
    await startMock(pane, api);
    expect(pane.get()).toMatchObject({ url: 'http://127.0.0.1:4001', transport: 'connect', apiKey: 'devkey', notice: null });
  });

  it('restoring a history entry brings back its body into the JSON box and shows its answer', async () => {
    const entry: ReplayHistoryEntry = {
      id: 'h9',
      time: '2024-01-01T00:00:00Z',
      url: 'http://127.0.0.1:5000',
      transport: 'grpc',
      method: 'livekit.RoomService/CreateRoom',
      ok: true,
      timeMs: 1,
      requestBytes: new Uint8Array([10, 1, 97]),
      headers: [
        ['x-trace', '1'],
        ['authorization', '[redacted]'],
      ],
    };
    const detail = { entry, requestJson: '{\n  "name": "a"\n}', responseJson: '{\n  "name": "a"\n}' };
    const { api } = recordingApi({ replayHistoryGet: detail });
    await restoreHistory(pane, api, entry);
    expect(pane.get()).toMatchObject({
      url: 'http://127.0.0.1:5000',
      transport: 'grpc',
      method: 'livekit.RoomService/CreateRoom',
      headerText: 'x-trace: 1',
      source: 'json',
      sourceFollows: false,
      jsonText: detail.requestJson,
      historyView: detail,
    });
  });

  it('copy as a command asks the host (no TLS files, no bytes) and shows the command', async () => {
    pane.set({ source: 'json', jsonText: '{}', method: 'livekit.RoomService/ListRooms', verify: false });
    const { api, calls } = recordingApi({ replayCommand: { command: 'grpcurl -d {} h:1 livekit.RoomService/ListRooms', notes: ['n'] } });
    await copyCommand(pane, api, 'grpcurl');
    expect(calls[0][0]).toBe('replayCommand');
    expect(calls[0][1]).toMatchObject({ tool: 'grpcurl', insecure: true, json: '{}', method: 'livekit.RoomService/ListRooms' });
    expect(calls[0][1]).not.toHaveProperty('tls');
    expect(pane.get().command).toEqual({ tool: 'grpcurl', text: 'grpcurl -d {} h:1 livekit.RoomService/ListRooms', notes: ['n'] });
  });

  it('saving an environment sends its variables and secrets, then uses it; secret values are not kept in the form', async () => {
    pane.set({ envForm: { name: 'staging', variables: 'host=https://s:443', secrets: 'apiSecret=s3' } });
    const saved = { name: 'staging', variables: { host: 'https://s:443' }, secretVariables: ['apiSecret'] };
    const { api, calls } = recordingApi({ replayEnvSave: { saved: true }, replayEnvList: { environments: [saved], persistent: false } });
    await saveEnvironment(pane, api);
    expect(calls[0]).toEqual(['replayEnvSave', { name: 'staging', variables: { host: 'https://s:443' }, secrets: { apiSecret: 's3' } }]);
    expect(pane.get()).toMatchObject({
      environment: 'staging',
      envForm: { name: 'staging', variables: 'host=https://s:443', secrets: 'apiSecret=' },
    });
    expect(pane.get().notice).toBe('environment "staging" saved; secrets kept for this session only');
    editEnvironment(pane, '');
    expect(pane.get().envForm).toEqual({ name: '', variables: '', secrets: '' });
  });

  it('a send names the environment chosen', async () => {
    pane.set({ environment: 'staging', url: '{{host}}' });
    const { api, calls } = recordingApi({ replaySend: RESULT, replayHistoryList: [] });
    await send(pane, api);
    expect(calls[0][1]).toMatchObject({ environment: 'staging', url: '{{host}}' });
  });
});

describe('schemas by reflection', () => {
  beforeEach(() => {
    state = { ...initialReplayState(), methods: METHODS, url: 'http://127.0.0.1:9000', headerText: 'x-a: 1' };
  });

  it('adds what the server has and the pane lacks, as a descriptor set named after the server; the methods reload', async () => {
    const set = new Uint8Array([10, 0]);
    const echo = method('test.echo.v1.Echo/Say', 'test.echo.v1.SayRequest', false);
    const { api, calls } = recordingApi({
      replayReflect: {
        services: ['grpc.reflection.v1.ServerReflection', 'livekit.RoomService', 'test.echo.v1.Echo'],
        version: 'v1',
        fileCount: 3,
        descriptorSet: set,
      },
      addSchemas: { errors: [] },
      replayListMethods: [...METHODS, echo],
    });
    await loadByReflection(pane, api);
    expect(calls.map(([m]) => m)).toEqual(['replayReflect', 'addSchemas', 'replayListMethods']);
    expect(calls[0][1]).toMatchObject({ url: 'http://127.0.0.1:9000', insecure: false, headers: [['x-a', '1']] });
    expect(calls[1][1]).toEqual({ uploads: [{ name: 'reflection-127.0.0.1:9000.binpb', contents: set }] });
    expect(pane.get().methods).toContainEqual(echo);
    expect(pane.get().notice).toBe('reflection (v1): added test.echo.v1.Echo');
  });

  it('adds nothing when every service is loaded already, and says so', async () => {
    const { api, calls } = recordingApi({
      replayReflect: { services: ['livekit.RoomService'], version: 'v1alpha', fileCount: 1, descriptorSet: new Uint8Array() },
    });
    await loadByReflection(pane, api);
    expect(calls.map(([m]) => m)).toEqual(['replayReflect']);
    expect(pane.get().notice).toBe("reflection (v1alpha): the server's 1 services are all loaded already");
  });
});
