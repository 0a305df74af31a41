import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import type { CliIO } from '../command';
import { startMockServer, type RunningMock } from '../../core-node/mock/mock-server';
import { kikProtoDir, testRoot } from '../../testing/mock-schemas';
import { RPC_TRANSPORTS } from '../../core/api/vocabulary';
import { jsonToBytes } from '../../core-node/rpc/proto-json';
import { echoFiles, echoRoot, type EchoFiles } from '../../testing/echo-service';

const REPO = new URL('../../', import.meta.url).pathname;
let mock: RunningMock;
let dir: string;

function capture(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string | Uint8Array) => (out += String(c)) },
    stderr: { write: (c: string | Uint8Array) => (err += String(c)) },
    readStdin: async () => new Uint8Array(),
    cwd: dir,
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-send-'));
  mock = await startMockServer({ root: await testRoot(), port: 0, fixture: { kik: { groups: { '1234567890123_g': ['alice'] } } } });
  writeFileSync(join(dir, 'create.json'), JSON.stringify({ name: 'cli-room', maxParticipants: 3 }));
  writeFileSync(join(dir, 'empty.json'), '{}');
  writeFileSync(join(dir, 'join.json'), JSON.stringify({ convoId: { group: { localPart: '1234567890123_g' } } }));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

// The bundled Kik family is used when it is there; until then the reference protos are passed
// explicitly (which also exercises --proto / -I / --no-bundled).
const KIK_ARGS = kikProtoDir().includes('/schemas/kik-video')
  ? []
  : ['--no-bundled', '-I', kikProtoDir(), '--proto', `${kikProtoDir()}/video/v1/kik_video_service.proto`];

describe('protodesk send against the mock', () => {
  for (const transport of RPC_TRANSPORTS) {
    const url = () => (transport === 'grpc' ? mock.grpcUrl : mock.httpUrl);
    it(`${transport}: LiveKit CreateRoom with a minted token prints the Room as JSON`, async () => {
      const io = capture();
      const code = await main(
        [
          'send',
          '--url',
          url(),
          '--transport',
          transport,
          '--method',
          'livekit.RoomService/CreateRoom',
          '--livekit-key',
          'devkey',
          '--livekit-secret',
          'secret',
          'create.json',
        ],
        {},
        io,
      );
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      const room = JSON.parse(io.out()) as { name: string; maxParticipants: number; sid: string };
      expect(room.name).toBe('cli-room');
      expect(room.maxParticipants).toBe(3);
      expect(room.sid).toMatch(/^RM_/);
    });

    it(`${transport}: an error response exits 1 with the decoded error`, async () => {
      const io = capture();
      const code = await main(
        [
          'send',
          '--url',
          url(),
          '--transport',
          transport,
          '--method',
          'livekit.RoomService/ListRooms',
          '--livekit-key',
          'devkey',
          '--livekit-secret',
          'wrong',
          'empty.json',
        ],
        {},
        io,
      );
      expect(code).toBe(1);
      const out = JSON.parse(io.out()) as { error: { code: string; message: string; httpStatus?: number } };
      expect(out.error.code).toBe('unauthenticated');
      expect(out.error.message).toMatch(/^invalid token/);
      if (transport.startsWith('twirp')) expect(out.error.httpStatus).toBe(401);
      expect(io.err()).toMatch(/unauthenticated/);
    });
  }

  it('Kik join over gRPC with a header', async () => {
    const io = capture();
    const code = await main(
      [
        'send',
        ...KIK_ARGS,
        '--url',
        mock.grpcUrl,
        '--transport',
        'grpc',
        '--method',
        'mobile.video.v1.KikVideo/JoinConvoConference',
        '--header',
        'x-kik-user:alice',
        'join.json',
      ],
      {},
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ latestState: { userStates: [{ user: { localPart: 'alice' }, state: 'CONNECTING' }] } });
  });

  it('usage errors exit 2', async () => {
    const io = capture();
    expect(await main(['send', '--url', mock.httpUrl, '--method', 'x.Y/Z', '--transport', 'smoke'], {}, io)).toBe(2);
  });

  it('a mistyped method exits 1 before connecting and names the methods it most likely meant', async () => {
    const send = async (method: string) => {
      const io = capture();
      // Nothing listens on port 1: a suggestion proves the method was checked before any connection.
      const code = await main(['send', '--url', 'http://127.0.0.1:1', '--method', method, 'empty.json'], {}, io);
      return { code, err: io.err(), out: io.out() };
    };
    const typo = await send('livekit.RoomService/ListRoom');
    expect(typo.code).toBe(1);
    expect(typo.out).toBe('');
    expect(typo.err).toMatch(
      /no method livekit\.RoomService\/ListRoom in the loaded schemas; did you mean livekit\.RoomService\/ListRooms\?/,
    );
    // A typo in the service name, and a word that is part of several method names (the service's own first).
    expect((await send('livekit.RomService/ListRooms')).err).toMatch(/did you mean livekit\.RoomService\/ListRooms\?/);
    expect((await send('livekit.RoomService/Participant')).err).toMatch(/did you mean livekit\.RoomService\/\w*Participant\w*, /);
    const far = await send('livekit.Nope/Zzzzzzzz');
    expect(far.code).toBe(1);
    expect(far.err).toContain('no method livekit.Nope/Zzzzzzzz');
    expect(far.err).not.toContain('did you mean');
  });

  it('a refused connection exits 1 with the same JSON shape on every transport', async () => {
    const shapes = new Set<string>();
    for (const transport of RPC_TRANSPORTS) {
      const io = capture();
      const code = await main(
        ['send', '--url', 'http://127.0.0.1:1', '--transport', transport, '--method', 'livekit.RoomService/ListRooms', 'empty.json'],
        {},
        io,
      );
      expect(code, transport).toBe(1);
      const out = JSON.parse(io.out()) as { error: { code: string; grpcCode: number; message: string } };
      shapes.add(`${out.error.code} ${out.error.grpcCode} ${Object.keys(out.error).sort().join(',')}`);
      expect(io.err()).toMatch(/unavailable/);
    }
    expect([...shapes]).toEqual(['unavailable 14 code,grpcCode,message']);
  });

  it('a response field with the wrong wire type is named on standard error, and the exit code is 1', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/protobuf' });
      res.end(Buffer.from([0x08, 0x07])); // field 1 (sid, a string) as a varint
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const io = capture();
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const code = await main(
        ['send', '--url', url, '--transport', 'twirp', '--method', 'livekit.RoomService/CreateRoom', 'empty.json'],
        {},
        io,
      );
      expect(code).toBe(1);
      expect(JSON.parse(io.out())).toEqual({});
      expect(io.err()).toMatch(/^protodesk send: warning: field sid \(1\) came with wire type varint, but the schema says string/m);
    } finally {
      server.close();
    }
  });
});

describe('bin/protodesk mock and send as processes', () => {
  it('starts, prints its URLs, answers send in Twirp and gRPC, stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin/protodesk'), 'mock', '--port', '0', '--fixture', join(REPO, 'core-node/mock/fixtures/default.json')],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`mock did not start: ${out}`)), 20000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('grpc ') && out.includes('events')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)));
      });
      const httpUrl = /connect\s+(http:\/\/\S+)/.exec(out)![1];
      const grpcUrl = /grpc\s+(http:\/\/\S+)/.exec(out)![1];
      const run = (args: string[]): Promise<{ code: number; stdout: string }> =>
        new Promise((resolve) => {
          const p = spawn(process.execPath, [join(REPO, 'bin/protodesk'), 'send', ...args], {
            cwd: dir,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          p.on('exit', (code) => resolve({ code: code ?? -1, stdout }));
        });
      writeFileSync(join(dir, 'list.json'), JSON.stringify({ room: 'demo-room' }));
      const ok = await run([
        '--url',
        httpUrl,
        '--transport',
        'twirp',
        '--method',
        'livekit.RoomService/ListParticipants',
        '--livekit-key',
        'devkey',
        '--livekit-secret',
        'secret',
        'list.json',
      ]);
      expect(ok.code).toBe(0);
      expect((JSON.parse(ok.stdout) as { participants: { identity: string }[] }).participants.map((p) => p.identity)).toEqual([
        'alice',
        'bob',
      ]);
      const g = await run([
        '--url',
        grpcUrl,
        '--transport',
        'grpc',
        '--method',
        'livekit.RoomService/ListParticipants',
        '--livekit-key',
        'devkey',
        '--livekit-secret',
        'secret',
        'list.json',
      ]);
      expect(g.code).toBe(0);
      expect(JSON.parse(g.stdout)).toHaveProperty('participants');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60000);
});

describe('protodesk send replays the bundled samples against the default fixture, in each transport', () => {
  let fixtureMock: RunningMock;
  const SAMPLES = new URL('../../samples/', import.meta.url).pathname;
  beforeAll(async () => {
    const { loadFixture } = await import('../../core-node/mock/fixture');
    fixtureMock = await startMockServer({
      root: await testRoot(),
      port: 0,
      fixture: await loadFixture(join(REPO, 'core-node/mock/fixtures/default.json')),
    });
  });
  afterAll(async () => {
    await fixtureMock.close();
  });

  for (const transport of RPC_TRANSPORTS) {
    it(`${transport}: LiveKit CreateRoom and Kik join / batched get / leave samples`, async () => {
      const url = transport === 'grpc' ? fixtureMock.grpcUrl : fixtureMock.httpUrl;
      const send = async (method: string, sample: string, extra: string[]) => {
        const io = capture();
        const code = await main(
          [
            'send',
            ...KIK_ARGS.filter((a) => a !== '--no-bundled'),
            '--url',
            url,
            '--transport',
            transport,
            '--method',
            method,
            ...extra,
            join(SAMPLES, sample),
          ],
          {},
          io,
        );
        expect(io.err()).toBe('');
        expect(code).toBe(0);
        return JSON.parse(io.out()) as Record<string, unknown>;
      };
      const lk = ['--livekit-key', 'devkey', '--livekit-secret', 'secret'];
      expect(await send('livekit.RoomService/CreateRoom', 'livekit/create-room-request.bin', lk)).toHaveProperty('sid');
      const kik = ['--header', 'x-kik-user:alice'];
      const joined = await send('mobile.video.v1.KikVideo/JoinConvoConference', 'kik-video/join-convo-conference-request.bin', kik);
      expect(joined).toHaveProperty('connectionInfo');
      const batch = await send('mobile.video.v1.KikVideo/BatchedGetConvoState', 'kik-video/batched-get-convo-state-request.bin', kik);
      expect((batch.latestStates as unknown[]).length).toBe(2);
      expect(
        await send('mobile.video.v1.KikVideo/OnLeaveConvoConference', 'kik-video/leave-convo-conference-notification.bin', kik),
      ).toEqual({});
    });
  }

  it('--stream sends each message of a delimited stream and prints one line per result', async () => {
    const t = (await testRoot()).lookupType('livekit.ListParticipantsRequest');
    const { default: protobuf } = await import('protobufjs');
    const w = protobuf.Writer.create();
    for (const room of ['demo-room', 'nowhere', 'demo-room']) w.bytes(t.encode({ room }).finish());
    writeFileSync(join(dir, 'stream.bin'), w.finish());
    const io = capture();
    const code = await main(
      [
        'send',
        '--stream',
        '--url',
        fixtureMock.httpUrl,
        '--transport',
        'connect',
        '--method',
        'livekit.RoomService/ListParticipants',
        '--livekit-key',
        'devkey',
        '--livekit-secret',
        'secret',
        'stream.bin',
      ],
      {},
      io,
    );
    expect(code).toBe(0);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { index: number; ok: boolean; response: { participants?: unknown[] } });
    expect(lines.map((l) => [l.index, l.ok, l.response.participants?.length ?? 0])).toEqual([
      [0, true, 2],
      [1, true, 0],
      [2, true, 2],
    ]);
    expect(io.err()).toMatch(/3 messages \(delimited\), 3 ok, 0 failed/);
  });
});

describe('protodesk send: streams', () => {
  let echoMock: RunningMock;
  let echo: EchoFiles;
  beforeAll(async () => {
    echo = echoFiles();
    echoMock = await startMockServer({
      root: await echoRoot(echo),
      port: 0,
      fixture: {
        answers: {
          'test.echo.v1.Echo/Expand': { kind: 'stream', messages: [{ text: 'a' }, { text: 'b', index: 1 }] },
          'test.echo.v1.Echo/Chat': { kind: 'echo' },
          'test.echo.v1.Echo/Collect': { kind: 'echo' },
        },
      },
    });
  });
  afterAll(async () => {
    await echoMock.close();
  });
  const echoArgs = (): string[] => ['--proto', echo.protoPath, '-I', echo.dir];

  it('--stream refuses frames of another type before sending anything, and names what they look like', async () => {
    // Three Kik notifications sent to CreateRoom once came back "3 ok".
    const root = await testRoot();
    const n = root.lookupType('mobileremote.video.v1.OnConvoVideoStateChangedNotification');
    const { default: protobuf } = await import('protobufjs');
    const w = protobuf.Writer.create();
    for (const id of ['n1', 'n2', 'n3'])
      w.bytes(
        jsonToBytes(n, {
          convoVideoState: {
            convoId: { group: { localPart: '1234567890123_g' } },
            userStates: [{ user: { localPart: 'alice' }, state: 'CONNECTED' }],
          },
          notificationId: id,
        }),
      );
    writeFileSync(join(dir, 'notifications.bin'), w.finish());
    const before = mock.events().length;
    const io = capture();
    const code = await main(
      [
        'send',
        '--stream',
        '--url',
        mock.httpUrl,
        '--transport',
        'twirp',
        '--method',
        'livekit.RoomService/CreateRoom',
        '--livekit-key',
        'devkey',
        '--livekit-secret',
        'secret',
        'notifications.bin',
      ],
      {},
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      /message 0 of the stream \(delimited\): it is not a livekit\.CreateRoomRequest: .*; it looks like a mobileremote\.video\.v1\.OnConvoVideoStateChangedNotification \(nothing was sent\)/,
    );
    expect(mock.events().length).toBe(before);
  });

  it('server streaming prints each answer as a JSON line; a JSON array is a request stream', async () => {
    writeFileSync(join(dir, 'expand.json'), JSON.stringify({ text: 'x' }));
    const io = capture();
    expect(
      await main(
        ['send', ...echoArgs(), '--url', echoMock.grpcUrl, '--transport', 'grpc', '--method', 'test.echo.v1.Echo/Expand', 'expand.json'],
        {},
        io,
      ),
    ).toBe(0);
    expect(
      io
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ text: 'a' }, { text: 'b', index: 1 }]);
    expect(io.err()).toBe('protodesk send: server-stream: 1 sent, 2 received\n');

    writeFileSync(join(dir, 'chat.json'), JSON.stringify([{ text: 'p' }, { text: 'q' }]));
    for (const [transport, url] of [
      ['grpc', echoMock.grpcUrl],
      ['connect', echoMock.httpUrl],
    ]) {
      const chat = capture();
      expect(
        await main(
          ['send', ...echoArgs(), '--url', url, '--transport', transport, '--method', 'test.echo.v1.Echo/Chat', 'chat.json'],
          {},
          chat,
        ),
      ).toBe(0);
      expect(
        chat
          .out()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual([{ text: 'p' }, { text: 'q' }]);
    }
    const collect = capture();
    expect(
      await main(
        ['send', ...echoArgs(), '--url', echoMock.grpcUrl, '--transport', 'grpc', '--method', 'test.echo.v1.Echo/Collect', 'chat.json'],
        {},
        collect,
      ),
    ).toBe(0);
    expect(JSON.parse(collect.out())).toEqual({ text: 'q' });
    const wrong = capture();
    expect(
      await main(
        ['send', ...echoArgs(), '--url', echoMock.grpcUrl, '--transport', 'grpc', '--method', 'test.echo.v1.Echo/Say', 'chat.json'],
        {},
        wrong,
      ),
    ).toBe(1);
    expect(wrong.err()).toMatch(/a JSON array is a request stream, but test\.echo\.v1\.EchoRequest goes to a unary method/);
  });
});

describe('protodesk send --transport websocket', () => {
  it('joins the mock /rtc, sends a JSON array of SignalRequests and prints every SignalResponse as a JSON line', async () => {
    const io = capture();
    writeFileSync(join(dir, 'signal.json'), JSON.stringify([{ pingReq: { timestamp: '12' } }, { leave: {} }]));
    const code = await main(
      [
        'send',
        '--url',
        mock.httpUrl.replace(/^http/, 'ws'),
        '--transport',
        'websocket',
        '--livekit-key',
        'devkey',
        '--livekit-secret',
        'secret',
        '--livekit-room',
        'cli-signal',
        '--livekit-identity',
        'cli-user',
        '-v',
        'signal.json',
      ],
      {},
      io,
    );
    expect(code, io.err()).toBe(0);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as Record<string, { room?: { name: string }; participant?: { identity: string }; lastPingTimestamp?: string }>,
      );
    expect(lines[0].join.room?.name).toBe('cli-signal');
    expect(lines[0].join.participant?.identity).toBe('cli-user');
    expect(lines.find((l) => l.pongResp)?.pongResp.lastPingTimestamp).toBe('12');
    expect(io.err()).toMatch(/< message 0 after \d+\.\d ms/);
    expect(io.err()).toMatch(/bidi: 2 sent, \d+ received/);
  });

  it('a refused upgrade exits 1 with the HTTP status in the error JSON', async () => {
    const io = capture();
    const code = await main(['send', '--url', mock.httpUrl, '--transport', 'websocket', 'empty.json'], {}, io);
    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'unauthenticated', httpStatus: 401 } });
  });
});
