/**
 * gRPC server reflection both ways: the mock serves it (v1 and v1alpha), checked with grpc-js calls
 * as grpcurl makes them and with the descriptors read back by @bufbuild/protobuf and used by a
 * connect-node client; and schemas are read from an independent reflection server (@grpc/reflection
 * on grpc-js), v1alpha-only servers included (send --reflect: cli/commands/send.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { createRegistryFromDescriptors, FileDescriptorProto, FileDescriptorSet, type AnyMessage } from '@bufbuild/protobuf';
import { createPromiseClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { echoFiles, echoRoot, type EchoFiles } from '../../testing/echo-service';
import { startReflectingEcho } from '../../testing/echo-referees';
import { addReflectedSchemas, reflectSchemas } from './reflection-client';
import { closeGrpcClients, sendRequest } from './send-request';
import { decodeReflectionResponse, encodeReflectionRequest, type ReflectionAnswer, type ReflectionQuery } from '../rpc/reflection-wire';
import { loadSchemas } from '../schema/load-schemas';
import { jsonToBytes } from '../rpc/proto-json';

let files: EchoFiles;
let mock: RunningMock;
/** grpc-js Echo servers with @grpc/reflection: both versions, and v1alpha only. */
const independent: { url: string; close(): Promise<void> }[] = [];

beforeAll(async () => {
  files = echoFiles();
  mock = await startMockServer({ root: await echoRoot(files), port: 0, fixture: { answers: { 'test.echo.v1.Echo': { kind: 'echo' } } } });
  independent.push(await startReflectingEcho(files, 'both'), await startReflectingEcho(files, 'v1alpha'));
}, 60_000);
afterAll(async () => {
  closeGrpcClients();
  await mock.close();
  await Promise.all(independent.map((s) => s.close()));
});

/** One grpcurl-style reflection session against `url` on `version`: each question, its answer. */
async function ask(url: string, version: 'v1' | 'v1alpha', questions: ReflectionQuery[]): Promise<ReflectionAnswer[]> {
  const client = new grpc.Client(new URL(url).host, grpc.credentials.createInsecure());
  const ident = (b: Buffer) => b;
  const call = client.makeBidiStreamRequest(
    `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
    ident,
    ident,
    new grpc.Metadata(),
  );
  const answers: ReflectionAnswer[] = [];
  for (const q of questions) {
    call.write(Buffer.from(encodeReflectionRequest(q)));
    answers.push(await new Promise<ReflectionAnswer>((resolve) => call.once('data', (b: Buffer) => resolve(decodeReflectionResponse(b)!))));
  }
  call.end();
  client.close();
  return answers;
}

/** Files ordered dependencies first, as a client sorts what reflection sent (the asked file comes first). */
function dependenciesFirst(files: FileDescriptorProto[]): FileDescriptorProto[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: FileDescriptorProto[] = [];
  const visit = (f: FileDescriptorProto): void => {
    if (out.includes(f)) return;
    for (const d of f.dependency) if (byName.has(d)) visit(byName.get(d)!);
    out.push(f);
  };
  files.forEach(visit);
  return out;
}

describe('the mock serves gRPC reflection', () => {
  for (const version of ['v1', 'v1alpha'] as const) {
    it(`${version}: list, describe (files with their dependencies), not found`, async () => {
      const [list, echo, room, reflectionSvc, missing] = await ask(mock.grpcUrl, version, [
        { listServices: '' },
        { fileContainingSymbol: 'test.echo.v1.Echo' },
        { fileContainingSymbol: 'livekit.Room' },
        { fileContainingSymbol: `grpc.reflection.${version}.ServerReflection` },
        { fileByFilename: 'no/such.proto' },
      ]);
      expect((list as { services: string[] }).services).toEqual(
        expect.arrayContaining([
          'livekit.RoomService',
          'test.echo.v1.Echo',
          'grpc.reflection.v1.ServerReflection',
          'grpc.reflection.v1alpha.ServerReflection',
        ]),
      );
      const echoFile = FileDescriptorProto.fromBinary((echo as { files: Uint8Array[] }).files[0]);
      expect(echoFile.package).toBe('test.echo.v1');
      expect(echoFile.service[0].method.map((m) => [m.name, !!m.clientStreaming, !!m.serverStreaming])).toEqual([
        ['Get', false, false],
        ['Say', false, false],
        ['Expand', false, true],
        ['Collect', true, false],
        ['Chat', true, true],
      ]);
      // every dependency of the LiveKit file comes along, so a strict client can build it
      const roomFiles = (room as { files: Uint8Array[] }).files.map((b) => FileDescriptorProto.fromBinary(b));
      const names = new Set(roomFiles.map((f) => f.name));
      for (const f of roomFiles) for (const d of f.dependency) expect(names.has(d), `${f.name} needs ${d}`).toBe(true);
      expect(
        createRegistryFromDescriptors(new FileDescriptorSet({ file: dependenciesFirst(roomFiles) })).findMessage('livekit.Room'),
      ).toBeDefined();
      expect('files' in reflectionSvc).toBe(true);
      expect(missing).toEqual({ error: { code: grpc.status.NOT_FOUND, message: 'file no/such.proto not found' } });
    });
  }

  it('a client knowing only what reflection gave can call the mock (connect-node)', async () => {
    const [echo] = await ask(mock.grpcUrl, 'v1', [{ fileContainingSymbol: 'test.echo.v1.Echo' }]);
    const set = new FileDescriptorSet({
      file: dependenciesFirst((echo as { files: Uint8Array[] }).files.map((b) => FileDescriptorProto.fromBinary(b))),
    });
    const registry = createRegistryFromDescriptors(set);
    const Echo = registry.findService('test.echo.v1.Echo')!;
    const Req = registry.findMessage('test.echo.v1.EchoRequest')!;
    const client = createPromiseClient(Echo, createConnectTransport({ baseUrl: mock.httpUrl, httpVersion: '1.1' })) as unknown as Record<
      string,
      (r: AnyMessage) => Promise<AnyMessage & { text: string }>
    >;
    expect((await client.say(new Req({ text: 'reflected' }))).text).toBe('reflected');
  });
});

describe('schemas from a server by reflection', () => {
  it('reads an independent server (@grpc/reflection), v1 and v1alpha-only, and sends with what it read', async () => {
    for (const [i, version] of [
      [0, 'v1'],
      [1, 'v1alpha'],
    ] as const) {
      const reflected = await reflectSchemas(independent[i].url);
      expect(reflected.version).toBe(version);
      expect(reflected.services).toContain('test.echo.v1.Echo');
      const registry = await loadSchemas({ bundled: false });
      expect(registry.findService('test.echo.v1.Echo')).toBeUndefined();
      expect(addReflectedSchemas(registry, reflected.descriptorSet, 'reflection')).toBeGreaterThan(0);
      const r = await sendRequest({
        root: registry.root,
        url: independent[i].url,
        transport: 'grpc',
        method: 'test.echo.v1.Echo/Say',
        body: jsonToBytes(registry.root.lookupType('test.echo.v1.EchoRequest'), { text: 'hi' }),
      });
      expect(r.responseJson).toEqual({ text: 'said hi' });
    }
  });

  it('reflecting the mock into a registry that has the bundled schemas defines nothing twice', async () => {
    const registry = await loadSchemas({});
    addReflectedSchemas(registry, (await reflectSchemas(mock.grpcUrl)).descriptorSet, 'reflection');
    expect(registry.findService('test.echo.v1.Echo')).toBeDefined();
    expect(registry.findService('livekit.RoomService')).toBeDefined();
  });
});
