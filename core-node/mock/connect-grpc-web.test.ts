import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryFromDescriptors, type AnyMessage, type MessageType, type ServiceType } from '@bufbuild/protobuf';
import { ConnectError, Code, createPromiseClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { startMockServer, type RunningMock } from './mock-server';
import { kikProtoDir, testRoot } from '../../testing/mock-schemas';
import { PROTOC, PROTOC_INCLUDE } from '../../testing/protoc';

const GROUP = '1234567890123_g';
let mock: RunningMock;
let tmp: string;
let KikVideo: ServiceType;
let JoinRequest: MessageType<AnyMessage>;
let BatchedRequest: MessageType<AnyMessage>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'protodesk-connect-'));
  const out = join(tmp, 'kik.binpb');
  const dir = kikProtoDir();
  const r = spawnSync(
    PROTOC,
    [`-I${dir}`, `-I${PROTOC_INCLUDE}`, '--include_imports', `--descriptor_set_out=${out}`, 'video/v1/kik_video_service.proto'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`protoc failed: ${r.stderr}`);
  const registry = createRegistryFromDescriptors(readFileSync(out));
  KikVideo = registry.findService('mobile.video.v1.KikVideo')!;
  JoinRequest = registry.findMessage('mobile.video.v1.JoinConvoConferenceRequest')!;
  BatchedRequest = registry.findMessage('mobile.video.v1.BatchedGetConvoStateRequest')!;
  mock = await startMockServer({ root: await testRoot(), port: 0, fixture: { kik: { groups: { [GROUP]: ['alice', 'bob'] } } } });
});
afterAll(async () => {
  await mock.close();
  rmSync(tmp, { recursive: true, force: true });
});

const transports: Record<string, () => Transport> = {
  'Connect (binary)': () => createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1' }),
  'Connect (JSON)': () => createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1', useBinaryFormat: false }),
  'gRPC-Web (binary)': () => createGrpcWebTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1' }),
  'gRPC-Web (JSON)': () => createGrpcWebTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1', useBinaryFormat: false }),
};

describe('KikVideo on the mock through @connectrpc/connect-node clients', () => {
  for (const [name, make] of Object.entries(transports)) {
    it(`${name}: join, batched get, validation error, unauthenticated`, async () => {
      const client = createPromiseClient(KikVideo, make()) as unknown as Record<
        string,
        (req: unknown, opts?: { headers?: Record<string, string> }) => Promise<AnyMessage>
      >;
      const headers = { 'x-kik-user': 'alice' };
      const join = await client.joinConvoConference(
        new JoinRequest({ convoId: { kind: { case: 'group', value: { localPart: GROUP } } } }),
        { headers },
      );
      const j = join.toJson() as {
        result?: string;
        connectionInfo: { conferenceId: string };
        latestState: { userStates: { state: string }[] };
      };
      expect(j.result ?? 'OK').toBe('OK');
      expect(j.connectionInfo.conferenceId).toMatch(/^kik\.[\w-]{16}\.[\w-]{4}$/);
      expect(j.latestState.userStates[0].state).toBe('CONNECTING');

      const batch = await client.batchedGetConvoState(
        new BatchedRequest({ convoIds: [{ kind: { case: 'group', value: { localPart: GROUP } } }] }),
        { headers },
      );
      expect((batch.toJson() as { latestStates: unknown[] }).latestStates).toHaveLength(1);

      const err = await client.batchedGetConvoState(new BatchedRequest({ convoIds: [] }), { headers }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).code).toBe(Code.InvalidArgument);
      expect((err as ConnectError).rawMessage).toMatch(/convo_ids/);
      expect((err as ConnectError).details.length).toBe(1);

      const anon = await client
        .joinConvoConference(new JoinRequest({ convoId: { kind: { case: 'group', value: { localPart: GROUP } } } }))
        .catch((e: unknown) => e);
      expect((anon as ConnectError).code).toBe(Code.Unauthenticated);
    });
  }
});
