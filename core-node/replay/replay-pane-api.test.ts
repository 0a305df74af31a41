/**
 * What the replay pane builds on, through the replay service as the hosts register it: Cancel of a
 * send in flight, history entries with their messages, copy as curl / grpcurl / buf curl (no secret
 * in the command), environments with secret variables in the secret store, streaming sends,
 * schemas by reflection, and each method's call kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { createReplayService, type ReplayService } from './replay-service';
import { MemorySecretStore } from './secret-store';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { mintLiveKitToken } from '../livekit/access-token';
import { testRoot } from '../../testing/mock-schemas';
import { echoFiles, echoRoot } from '../../testing/echo-service';
import { ApiError } from '../../core/api/api-error';

let root: Root;
let dir: string;
let secrets: MemorySecretStore;
let svc: ReplayService;
let echoMock: RunningMock;
let silent: Server;
const sockets = new Set<Socket>();
const connectionWaiters: (() => void)[] = [];
/** Resolves when the silent server gets its next connection (the send is then in flight). */
const nextConnection = (): Promise<void> => new Promise((r) => connectionWaiters.push(r));
let silentUrl: string;

beforeAll(async () => {
  root = await testRoot();
  dir = mkdtempSync(join(tmpdir(), 'protodesk-pane-api-'));
  secrets = new MemorySecretStore();
  svc = createReplayService({ getRoot: () => root, historyDir: dir, secrets });
  await svc.replayMockStart({});
  echoMock = await startMockServer({
    root: await echoRoot(echoFiles()),
    port: 0,
    fixture: { answers: { 'test.echo.v1.Echo': { kind: 'echo' } } },
  });
  silent = createNetServer((s) => {
    sockets.add(s);
    for (const w of connectionWaiters.splice(0)) w();
    s.on('error', () => undefined);
    s.resume();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await svc.close();
  await echoMock.close();
  rmSync(dir, { recursive: true, force: true });
});

const mockUrl = async (): Promise<{ http: string; grpc: string }> => {
  const st = await svc.replayMockStatus({});
  return { http: st.httpUrl!, grpc: st.grpcUrl! };
};
const dev = { kind: 'livekit-key' as const, apiKey: 'devkey', apiSecret: 'secret' };

describe('Cancel', () => {
  it('cancels a send in flight: it fails with the code cancelled; an unknown id cancels nothing', async () => {
    for (const transport of ['twirp', 'grpc', 'connect'] as const) {
      const connected = nextConnection();
      const sending = svc.replaySend({
        url: silentUrl,
        transport,
        method: 'livekit.RoomService/ListRooms',
        json: '{}',
        requestId: `c-${transport}`,
        timeoutMs: 60_000,
      });
      await connected;
      expect(await svc.replayCancel({ requestId: `c-${transport}` })).toEqual({ cancelled: true });
      const err = await sending.catch((e: unknown) => e);
      expect(err, transport).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('cancelled');
    }
    expect(await svc.replayCancel({ requestId: 'nothing' })).toEqual({ cancelled: false });
  });

  it('refuses a second send with an id in flight', async () => {
    const first = svc.replaySend({
      url: silentUrl,
      transport: 'twirp',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      requestId: 'dup',
      timeoutMs: 60_000,
    });
    const second = await svc
      .replaySend({ url: silentUrl, transport: 'twirp', method: 'livekit.RoomService/ListRooms', json: '{}', requestId: 'dup' })
      .catch((e: unknown) => e);
    expect((second as ApiError).code).toBe('conflict');
    await svc.replayCancel({ requestId: 'dup' });
    await first.catch(() => undefined);
  });
});

describe('history with bodies and answers', () => {
  it('an entry comes back with its request and response as JSON, types and error', async () => {
    const { http } = await mockUrl();
    const ok = await svc.replaySend({
      url: http,
      transport: 'twirp',
      method: 'livekit.RoomService/CreateRoom',
      json: '{"name":"hist-room"}',
      auth: dev,
    });
    const detail = await svc.replayHistoryGet({ id: ok.id });
    expect(JSON.parse(detail.requestJson!)).toEqual({ name: 'hist-room' });
    expect(JSON.parse(detail.responseJson!)).toMatchObject({ name: 'hist-room' });
    expect(detail.entry).toMatchObject({ requestType: 'livekit.CreateRoomRequest', responseType: 'livekit.Room', ok: true });
    const bad = await svc.replaySend({
      url: http,
      transport: 'twirp',
      method: 'livekit.RoomService/DeleteRoom',
      json: '{"room":"nope"}',
      auth: dev,
    });
    expect((await svc.replayHistoryGet({ id: bad.id })).entry.error).toEqual({
      code: 'not_found',
      message: 'requested room does not exist',
    });
    expect(((await svc.replayHistoryGet({ id: 'gone' }).catch((e: unknown) => e)) as ApiError).code).toBe('not-found');
  });
});

describe('copy as a command line', () => {
  it('curl for Twirp JSON runs as written (the token from $LIVEKIT_TOKEN, never in the command)', async () => {
    const { http } = await mockUrl();
    const { command, notes } = await svc.replayCommand({
      tool: 'curl',
      url: http,
      transport: 'twirp-json',
      method: 'livekit.RoomService/ListRooms',
      json: '{"names":["demo-room"]}',
      auth: dev,
    });
    expect(command).not.toMatch(/secret|eyJ/);
    expect(command).toContain('$LIVEKIT_TOKEN');
    expect(notes.join(' ')).toMatch(/LIVEKIT_TOKEN/);
    const token = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'secret', grant: { roomList: true } });
    // Asynchronously: the mock answers from this process's event loop.
    const r = await promisify(execFile)('bash', ['-c', command], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, LIVEKIT_TOKEN: token },
    });
    expect((JSON.parse(r.stdout) as { rooms: { name: string }[] }).rooms.map((x) => x.name)).toEqual(['demo-room']);
  });

  it('grpcurl for gRPC and buf curl for gRPC-Web; a tool that cannot speak the transport is refused', async () => {
    const { http, grpc } = await mockUrl();
    const g = await svc.replayCommand({
      tool: 'grpcurl',
      url: grpc,
      transport: 'grpc',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      headers: [['x-trace', "it's"]],
    });
    expect(g.command).toBe(`grpcurl -plaintext -H 'x-trace: it'\\''s' -d '{}' ${new URL(grpc).host} livekit.RoomService/ListRooms`);
    const b = await svc.replayCommand({
      tool: 'buf-curl',
      url: http,
      transport: 'grpc-web',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
    });
    expect(b.command).toBe(`buf curl --protocol grpcweb -d '{}' ${http}/livekit.RoomService/ListRooms`);
    const no = await svc
      .replayCommand({ tool: 'curl', url: grpc, transport: 'grpc', method: 'livekit.RoomService/ListRooms', json: '{}' })
      .catch((e: unknown) => e);
    expect([(no as ApiError).code, (no as ApiError).message]).toEqual([
      'unsupported',
      'curl cannot speak grpc (binary frames): use buf curl or grpcurl',
    ]);
  });
});

describe('environments', () => {
  it('variables fill a send; secret ones live in the secret store, never in the file or a listing', async () => {
    const { http } = await mockUrl();
    await svc.replayEnvSave({ name: 'local', variables: { host: http, room: 'demo-room' }, secrets: { apiSecret: 'secret' } });
    const listed = await svc.replayEnvList({});
    expect(listed.environments).toEqual([{ name: 'local', variables: { host: http, room: 'demo-room' }, secretVariables: ['apiSecret'] }]);
    expect(readFileSync(join(dir, 'environments.json'), 'utf8')).not.toContain('"secret"');
    expect(await secrets.get('env/local/apiSecret')).toBe('secret');
    const r = await svc.replaySend({
      environment: 'local',
      url: '{{host}}',
      transport: 'connect',
      method: 'livekit.RoomService/ListParticipants',
      json: '{"room":"{{room}}"}',
      auth: { kind: 'livekit-key', apiKey: 'devkey', apiSecret: '{{apiSecret}}' },
    });
    expect(r.error).toBeUndefined();
    expect((JSON.parse(r.responseJson!) as { participants: unknown[] }).participants.length).toBe(2);
    expect((await svc.replayHistoryGet({ id: r.id })).entry.environment).toBe('local');
    // What a host checks before letting the send go: the URL as filled in.
    expect(await svc.targetUrl({ environment: 'local', url: '{{host}}/x' })).toBe(`${http}/x`);
    expect(await svc.targetUrl({ url: 'http://a.example' })).toBe('http://a.example');
    const missing = await svc
      .replaySend({ environment: 'local', url: '{{nowhere}}', transport: 'connect', method: 'livekit.RoomService/ListRooms', json: '{}' })
      .catch((e: unknown) => e);
    expect([(missing as ApiError).code, (missing as ApiError).message]).toEqual([
      'invalid-input',
      '{{nowhere}} is not set in environment "local"',
    ]);
    // The URL is checked once filled in; the error names it as given (a filled one may hold a secret).
    const noEnv = (await svc
      .replaySend({ url: '{{host}}', transport: 'connect', method: 'livekit.RoomService/ListRooms', json: '{}' })
      .catch((e: unknown) => e)) as ApiError;
    expect([noEnv.code, noEnv.message]).toEqual([
      'invalid-input',
      'url "{{host}}" is not an http(s) or ws(s) URL (choose an environment for its {{variables}})',
    ]);
    await svc.replayEnvSave({ name: 'odd', variables: {}, secrets: { host: 'ftp://hidden' } });
    const notHttp = (await svc
      .replaySend({ environment: 'odd', url: '{{host}}', transport: 'connect', method: 'livekit.RoomService/ListRooms', json: '{}' })
      .catch((e: unknown) => e)) as ApiError;
    expect([notHttp.code, notHttp.message]).toEqual([
      'invalid-input',
      'url "{{host}}" is not an http(s) or ws(s) URL once environment "odd" filled it in',
    ]);
    await svc.replayEnvDelete({ name: 'odd' });
    expect(await svc.replayEnvDelete({ name: 'local' })).toEqual({ deleted: true });
    expect(await secrets.get('env/local/apiSecret')).toBeUndefined();
  });
});

describe('no secret in what the page sees or the history keeps', () => {
  it('credential headers and secret variables are hidden, on success and after a transport failure', async () => {
    const { http } = await mockUrl();
    await svc.replayEnvSave({
      name: 'hidden',
      variables: { host: http },
      secrets: { apiKey: 'k-3f9a7c', tenant: 'tenant-77b1', sig: 's1g-9d2e' },
    });
    const headers: [string, string][] = [
      ['x-api-key', '{{apiKey}}'],
      ['x-tenant', '{{tenant}}'],
      ['cookie', 'session=abc123'],
      ['authorization', 'Token t0k-42'],
      ['x-trace', 'visible-1'],
    ];
    const ok = await svc.replaySend({
      environment: 'hidden',
      url: '{{host}}/?sig={{sig}}',
      transport: 'connect',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      headers,
      auth: dev,
    });
    const failed = await svc.replaySend({
      environment: 'hidden',
      url: 'http://127.0.0.1:1/?sig={{sig}}',
      transport: 'twirp',
      method: 'livekit.RoomService/ListRooms',
      json: '{}',
      headers,
    });
    expect(failed.error?.code).toBe('unavailable');
    expect(ok.requestHeaders).toContainEqual(['x-tenant', '<secret>']);
    expect(ok.requestHeaders).toContainEqual(['x-api-key', '<redacted>']);
    const secretsSeen = /k-3f9a7c|tenant-77b1|s1g-9d2e|abc123|t0k-42|eyJ/;
    for (const r of [ok, failed]) {
      const entry = (await svc.replayHistoryGet({ id: r.id })).entry;
      expect(JSON.stringify([r.requestHeaders, entry.headers, entry.url])).not.toMatch(secretsSeen);
      expect(entry.headers).toContainEqual(['x-trace', 'visible-1']);
      // Kept as written: sent again, the environment fills them in.
      expect(entry.headers).toContainEqual(['x-tenant', '{{tenant}}']);
      expect(entry.headers).toContainEqual(['x-api-key', '{{apiKey}}']);
      expect(entry.headers).toContainEqual(['cookie', '<redacted>']);
      expect(entry.url).toMatch(/\?sig=\{\{sig\}\}$/);
      expect(entry.environment).toBe('hidden');
    }
    // (Not "eyJ" in the file: base64 of a body beginning '{"' reads so.)
    expect(readFileSync(join(dir, 'history.jsonl'), 'utf8')).not.toMatch(/k-3f9a7c|tenant-77b1|s1g-9d2e|abc123|t0k-42/);
    await svc.replayEnvDelete({ name: 'hidden' });
  });
});

describe('streams, reflection and call kinds for the pane', () => {
  it('a JSON array is a bidi request stream; the answers come back in order', async () => {
    const echoSvc = createReplayService({ getRoot: () => echoRoot(echoFiles()), historyDir: dir });
    try {
      const r = await echoSvc.replaySend({
        url: echoMock.grpcUrl,
        transport: 'grpc',
        method: 'test.echo.v1.Echo/Chat',
        json: '[{"text":"a"},{"text":"b"}]',
      });
      expect(r.error).toBeUndefined();
      expect(r.responses!.map((m) => JSON.parse(m.json) as unknown)).toEqual([{ text: 'a' }, { text: 'b' }]);
      const methods = await echoSvc.replayListMethods({});
      expect(methods.filter((m) => m.service === 'test.echo.v1.Echo').map((m) => [m.method, m.kind])).toEqual([
        ['Chat', 'bidi'],
        ['Collect', 'client-stream'],
        ['Expand', 'server-stream'],
        ['Get', 'unary'],
        ['Say', 'unary'],
      ]);
    } finally {
      await echoSvc.close();
    }
  });

  it('the pane scripts a stream answer of its mock: the messages in order, then the error; not an array is refused', async () => {
    const echoSvc = createReplayService({ getRoot: () => echoRoot(echoFiles()), historyDir: dir });
    try {
      const st = await echoSvc.replayMockStart({});
      await echoSvc.replayMockSetAnswer({
        target: 'test.echo.v1.Echo/Expand',
        answer: { kind: 'stream', json: '[{"text":"s1"},{"text":"s2"}]', errorCode: 'unavailable', errorMessage: 'gone' },
      });
      const r = await echoSvc.replaySend({ url: st.grpcUrl!, transport: 'grpc', method: 'test.echo.v1.Echo/Expand', json: '{"text":"x"}' });
      expect(r.responses!.map((m) => JSON.parse(m.json) as unknown)).toEqual([{ text: 's1' }, { text: 's2' }]);
      expect([r.error?.code, r.error?.message]).toEqual(['unavailable', 'gone']);
      const bad = (await echoSvc
        .replayMockSetAnswer({ target: 'test.echo.v1.Echo/Expand', answer: { kind: 'stream', json: '{"text":"s1"}' } })
        .catch((e: unknown) => e)) as ApiError;
      expect([bad.code, bad.message]).toEqual(['invalid-input', 'a stream answer is a JSON array of messages']);
    } finally {
      await echoSvc.close();
    }
  });

  it('replayReflect hands back only what the loaded schemas lack', async () => {
    const r = await svc.replayReflect({ url: echoMock.grpcUrl });
    expect(r.services).toContain('test.echo.v1.Echo');
    const set = descriptor.FileDescriptorSet.decode(r.descriptorSet) as unknown as {
      file: { package?: string; messageType: unknown[]; service: unknown[] }[];
    };
    const withTypes = set.file.filter((f) => f.messageType.length + f.service.length > 0).map((f) => f.package);
    expect(withTypes).toContain('test.echo.v1');
    expect(withTypes).not.toContain('livekit');
  });
});
