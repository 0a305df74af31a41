// The client against servers that never answer (or answer at a trickle): every transport gives
// up at its timeout with a deadline_exceeded error, closes its socket / stream, leaves no
// unhandled rejection; `protodesk send --timeout 300` exits 1 naming the timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { Root } from 'protobufjs';
import { testRoot } from '../mock/test-schemas';
import { closeGrpcClients, DeadlineExceededError, sendRequest, TRANSPORTS, type Transport } from './send-request';

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
  [silentUrl, trickleUrl, h2Url] = await Promise.all([listen(silent), listen(trickle), listen(h2)]);
});

afterAll(async () => {
  closeGrpcClients();
  for (const s of silentSockets) s.destroy();
  trickle.closeAllConnections();
  await Promise.all([silent, trickle, h2].map((s) => new Promise<void>((r) => s.close(() => r()))));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const send = (url: string, transport: Transport) =>
  sendRequest({ root, url, transport, method: 'livekit.RoomService/ListRooms', body: new Uint8Array(), timeoutMs: TIMEOUT, livekit: { apiKey: 'devkey', apiSecret: 'secret' } });

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('sendRequest gives up cleanly at its timeout', () => {
  for (const transport of TRANSPORTS.filter((t) => t !== 'grpc')) {
    it(`${transport}: a server that accepts and never answers → DeadlineExceededError, socket closed`, async () => {
      const t0 = performance.now();
      const err = await send(silentUrl, transport).then(() => undefined, (e: unknown) => e);
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
      const err = await send(trickleUrl, transport).then(() => undefined, (e: unknown) => e);
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

/** Runs the real CLI (bin/protodesk) and resolves with its exit code and standard error. */
function runCli(transport: Transport, url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [`${REPO}bin/protodesk`, 'send', '--url', url, '--transport', transport, '--method', 'livekit.Egress/ListEgress', '--timeout', String(TIMEOUT), '--type-in', 'binary', '-'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.stdout.resume();
    p.stdin.end(); // an empty ListEgressRequest
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('protodesk send --timeout 300 against a server that never answers', () => {
  it('exits 1 with a message naming the timeout, in every transport', async () => {
    const results = await Promise.all(TRANSPORTS.map((t) => runCli(t, t === 'grpc' ? h2Url : silentUrl)));
    for (const [i, transport] of TRANSPORTS.entries()) {
      const { code, stderr } = results[i];
      expect({ transport, code }).toEqual({ transport, code: 1 });
      if (transport === 'grpc') expect(stderr).toMatch(/^protodesk send: deadline_exceeded: no response within 300 ms/m);
      else expect(stderr).toMatch(new RegExp(`^protodesk send: ${transport} http://127\\.0\\.0\\.1:\\d+: deadline_exceeded: no complete response within 300 ms`, 'm'));
    }
  }, 90_000);
});
