// The client against servers that never answer (or answer at a trickle): every transport gives
// up at its timeout with a deadline_exceeded error, closes its socket / stream, leaves no
// unhandled rejection; `protodesk send --timeout 300` exits 1 naming the timeout. After such a
// timeout (or a dropped connection) the next send is not stuck on what the last one left behind:
// it reaches the same address once that answers, and any healthy server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect as netConnect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { Root } from 'protobufjs';
import { testRoot } from '../../testing/mock-schemas';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import { closeGrpcClients, DeadlineExceededError, sendRequest, type SendResult } from './send-request';
import { RPC_TRANSPORTS, type Transport } from '../../core/api/vocabulary';

const TIMEOUT = 300;
const GIVE_UP_WITHIN = TIMEOUT + 2000; // the timeout plus a busy machine's slack
const REPO = new URL('../../', import.meta.url).pathname;

let root: Root;
let silent: NetServer; // accepts TCP, reads and discards, never writes
const silentSockets = new Set<Socket>();
let trickle: HttpServer; // answers 200 and headers, then one body byte every 50 ms, forever
const trickleSockets = new Set<Socket>();
let h2: Http2Server; // HTTP/2 that accepts streams and never sends headers
const h2Streams = new Set<ServerHttp2Stream>();
// One address whose server changes: hung (accepts, never sends a byte, not even HTTP/2
// settings, and keeps what it accepted open and mute), dropping (closes each connection at
// once), or answering (pipes new connections to a healthy mock's port).
let front: NetServer;
let frontMode: 'hung' | 'drop' | { port: number } = 'hung';
const frontSockets = new Set<Socket>();
/** The front's server changes; going down (hung or dropping) it loses the connections it had (kept-alive ones too). */
function setFront(mode: typeof frontMode): void {
  if (typeof mode === 'string') for (const s of frontSockets) s.destroy();
  frontMode = mode;
}
let mock: RunningMock; // the healthy server
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};

const listen = async <S extends NetServer | HttpServer | Http2Server>(s: S): Promise<string> => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
};
let silentUrl = '';
let trickleUrl = '';
let h2Url = '';
let frontUrl = '';

beforeAll(async () => {
  root = await testRoot();
  process.on('unhandledRejection', onUnhandled);
  silent = createNetServer((s) => {
    silentSockets.add(s);
    s.on('close', () => silentSockets.delete(s));
    s.on('error', () => undefined);
    s.resume();
  });
  trickle = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/protobuf' });
    const t = setInterval(() => res.write(Uint8Array.of(0)), 50);
    res.on('close', () => clearInterval(t));
  });
  trickle.on('connection', (s: Socket) => {
    trickleSockets.add(s);
    s.on('close', () => trickleSockets.delete(s));
  });
  h2 = createHttp2Server();
  h2.on('stream', (st) => {
    h2Streams.add(st);
    st.on('close', () => h2Streams.delete(st));
    st.on('error', () => undefined);
    st.on('data', () => undefined);
  });
  front = createNetServer((s) => {
    frontSockets.add(s);
    s.on('close', () => frontSockets.delete(s));
    s.on('error', () => undefined);
    if (frontMode === 'hung') s.resume();
    else if (frontMode === 'drop') s.destroy();
    else {
      const backend = netConnect(frontMode.port, '127.0.0.1');
      backend.on('error', () => s.destroy());
      s.on('close', () => backend.destroy());
      s.pipe(backend).pipe(s);
    }
  });
  mock = await startMockServer({ root, port: 0 });
  [silentUrl, trickleUrl, h2Url, frontUrl] = await Promise.all([listen(silent), listen(trickle), listen(h2), listen(front)]);
});

afterAll(async () => {
  closeGrpcClients();
  for (const s of [...silentSockets, ...frontSockets]) s.destroy();
  trickle.closeAllConnections();
  await Promise.all([silent, trickle, h2, front].map((s) => new Promise<void>((r) => s.close(() => r()))));
  await mock.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const send = (url: string, transport: Transport, timeoutMs = TIMEOUT) =>
  sendRequest({
    root,
    url,
    transport,
    method: 'livekit.RoomService/ListRooms',
    body: new Uint8Array(),
    timeoutMs,
    livekit: { apiKey: 'devkey', apiSecret: 'secret' },
  });

/** "ok", the error code of an answer, or what the send rejected with. */
const outcome = (p: Promise<SendResult>): Promise<string> =>
  p.then(
    (r) => (r.ok ? 'ok' : r.error!.code),
    (e: unknown) => (e instanceof DeadlineExceededError ? e.code : `rejected: ${(e as Error).message}`),
  );

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('sendRequest gives up cleanly at its timeout', () => {
  for (const transport of RPC_TRANSPORTS.filter((t) => t !== 'grpc')) {
    it(`${transport}: a server that accepts and never answers → DeadlineExceededError, socket closed`, async () => {
      const t0 = performance.now();
      const err = await send(silentUrl, transport).then(
        () => undefined,
        (e: unknown) => e,
      );
      const took = performance.now() - t0;
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(err).toMatchObject({ code: 'deadline_exceeded', timeoutMs: TIMEOUT });
      expect((err as Error).message).toMatch(/deadline_exceeded: no complete response within 300 ms/);
      expect(took).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(took).toBeLessThan(GIVE_UP_WITHIN);
      expect(await waitFor(() => silentSockets.size === 0, 2000)).toBe(true);
    });

    it(`${transport}: a server that trickles its answer is cut off too (a deadline, not an idle timeout)`, async () => {
      const t0 = performance.now();
      const err = await send(trickleUrl, transport).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(performance.now() - t0).toBeLessThan(GIVE_UP_WITHIN);
      expect(await waitFor(() => trickleSockets.size === 0, 2000)).toBe(true);
    });
  }

  it('grpc: an HTTP/2 server that never sends headers → deadline_exceeded naming the timeout, stream reset', async () => {
    const t0 = performance.now();
    const res = await send(h2Url, 'grpc');
    const took = performance.now() - t0;
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code: 'deadline_exceeded', grpcCode: 4 });
    expect(res.error?.message).toMatch(/^no response within 300 ms \(timed out: Deadline exceeded/);
    expect(took).toBeLessThan(GIVE_UP_WITHIN);
    // grpc-js cancels the call: the server sees its stream closed.
    expect(await waitFor(() => h2Streams.size === 0, 2000)).toBe(true);
  });

  it('grpc: a TCP server that never speaks HTTP/2 → deadline_exceeded, no hang', async () => {
    const t0 = performance.now();
    const res = await send(silentUrl, 'grpc');
    expect(res.error).toMatchObject({ code: 'deadline_exceeded', grpcCode: 4 });
    expect(res.error?.message).toMatch(/^no response within 300 ms/);
    expect(performance.now() - t0).toBeLessThan(GIVE_UP_WITHIN);
    // grpc-js keeps its (unref'd) connection attempt to such a server after the channel is
    // closed, until the server drops it; it never holds the process (the CLI test exits).
    closeGrpcClients();
  });
});

describe('after a timeout or a dropped connection, the next send starts afresh', () => {
  // Generous for the healthy sends: a send stuck behind a hung connection fails at its deadline
  // all the same, and a busy machine never turns a healthy one into a failure.
  const HEALTHY_TIMEOUT = 10_000;
  const answering = (transport: Transport) => ({ port: Number(new URL(transport === 'grpc' ? mock.grpcUrl : mock.httpUrl).port) });
  const mockUrl = (transport: Transport) => (transport === 'grpc' ? mock.grpcUrl : mock.httpUrl);

  for (const transport of RPC_TRANSPORTS) {
    it(`${transport}: a server that hung (no byte, not even HTTP/2 settings) is reached once it answers, a healthy one at once`, async () => {
      setFront('hung');
      expect(await outcome(send(frontUrl, transport))).toBe('deadline_exceeded');
      expect(await outcome(send(mockUrl(transport), transport, HEALTHY_TIMEOUT))).toBe('ok');
      // The hung connection stays open and mute (a stuck worker); new connections are answered.
      setFront(answering(transport));
      expect(await outcome(send(frontUrl, transport, HEALTHY_TIMEOUT))).toBe('ok');
      expect(await outcome(send(frontUrl, transport, HEALTHY_TIMEOUT))).toBe('ok');
    });

    it(`${transport}: a server that dropped the connection is reached as soon as it answers (no back-off from the failure)`, async () => {
      setFront('drop');
      expect(await outcome(send(frontUrl, transport, HEALTHY_TIMEOUT))).not.toBe('ok');
      setFront(answering(transport));
      expect(await outcome(send(frontUrl, transport, HEALTHY_TIMEOUT))).toBe('ok');
    });
  }
});

/** Runs the real CLI (bin/protodesk) and resolves with its exit code and standard error. */
function runCli(transport: Transport, url: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      [
        `${REPO}bin/protodesk`,
        'send',
        '--url',
        url,
        '--transport',
        transport,
        '--method',
        'livekit.Egress/ListEgress',
        '--timeout',
        String(TIMEOUT),
        '--type-in',
        'binary',
        '-',
      ],
      { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stdin.end(); // an empty ListEgressRequest
    p.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('protodesk send --timeout 300 against a server that never answers', () => {
  it('exits 1 with a message naming the timeout, in every transport', async () => {
    const results = await Promise.all(RPC_TRANSPORTS.map((t) => runCli(t, t === 'grpc' ? h2Url : silentUrl)));
    for (const [i, transport] of RPC_TRANSPORTS.entries()) {
      const { code, stderr, stdout } = results[i];
      expect({ transport, code }).toEqual({ transport, code: 1 });
      // the same JSON shape on every transport
      expect((JSON.parse(stdout) as { error: unknown }).error).toMatchObject({ code: 'deadline_exceeded', grpcCode: 4 });
      if (transport === 'grpc') expect(stderr).toMatch(/^protodesk send: deadline_exceeded: no response within 300 ms/m);
      else
        expect(stderr).toMatch(
          new RegExp(
            `^protodesk send: ${transport} http://127\\.0\\.0\\.1:\\d+: deadline_exceeded: no complete response within 300 ms`,
            'm',
          ),
        );
    }
  }, 90_000);
});
