// Every wire format × every abuse, with the exact code and HTTP status (the table in README.md);
// compressed-body abuse; slow clients (stalled and trickled bodies and headers) cut off by the
// request timeout. Random bytes and the garbage request line are in mock-robustness.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as netConnect } from 'node:net';
import { connect as http2Connect } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';
import { ABUSES, AbuseClient, expectedOutcome, isServerError, WIRES } from '../../testing/mock-abuse-requests';

const MAX = 8 * 1024;
const REQUEST_TIMEOUT = 300;
let mock: RunningMock;
let client: AbuseClient;

beforeAll(async () => {
  mock = await startMockServer({ root: await testRoot(), port: 0, maxRequestBytes: MAX, requestTimeoutMs: REQUEST_TIMEOUT });
  client = await AbuseClient.create({ httpUrl: mock.httpUrl, grpcUrl: mock.grpcUrl, maxRequestBytes: MAX });
});
afterAll(async () => {
  client.close();
  await mock.close();
});

describe('each wire format × each abuse gets its code and status', () => {
  const cases = WIRES.flatMap((wire) => ABUSES.map((abuse) => ({ wire, abuse, want: expectedOutcome(wire, abuse) })));
  it.each(cases)('$wire, $abuse → $want.httpStatus $want.code', async ({ wire, abuse, want }) => {
    const got = await client.send(wire, abuse);
    expect(got).toEqual(want);
    if (abuse !== 'good') expect(isServerError(got)).toBe(false);
  });
});

/** POSTs raw bytes on a fresh connection; returns status, content type and body. */
async function post(
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; ct: string; text: string }> {
  const res = await fetch(`${mock.httpUrl}${path}`, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: res.status, ct: res.headers.get('content-type') ?? '', text: await res.text() };
}

function grpcWebFrame(message: Uint8Array, flags = 0): Uint8Array {
  const f = new Uint8Array(5 + message.length);
  f[0] = flags;
  new DataView(f.buffer).setUint32(1, message.length);
  f.set(message, 5);
  return f;
}

describe('compressed bodies', () => {
  const bomb = gzipSync(new Uint8Array(64 * MAX)); // 512 KiB of zeros in well under MAX bytes
  const broken = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6); // gzip magic, then garbage

  it('Connect: a gzip bomb is resource_exhausted (never inflated past the limit), broken gzip invalid_argument', async () => {
    expect(bomb.length).toBeLessThan(MAX);
    const a = await post('/livekit.Egress/ListEgress', { 'content-type': 'application/proto', 'content-encoding': 'gzip' }, bomb);
    expect([a.status, JSON.parse(a.text).code]).toEqual([429, 'resource_exhausted']);
    const b = await post('/livekit.Egress/ListEgress', { 'content-type': 'application/proto', 'content-encoding': 'gzip' }, broken);
    expect([b.status, JSON.parse(b.text).code]).toEqual([400, 'invalid_argument']);
  });

  it('gRPC-Web: a gzip bomb is 8 (resource_exhausted), broken gzip 3 (invalid_argument), a bad frame 3', async () => {
    const h = { 'content-type': 'application/grpc-web+proto', 'grpc-encoding': 'gzip' };
    expect((await post('/livekit.Egress/ListEgress', h, grpcWebFrame(bomb, 1))).text).toMatch(/grpc-status: 8\r\n/);
    expect((await post('/livekit.Egress/ListEgress', h, grpcWebFrame(broken, 1))).text).toMatch(/grpc-status: 3\r\n/);
    const truncated = grpcWebFrame(new Uint8Array(100)).subarray(0, 20); // says 100 bytes, has 15
    expect((await post('/livekit.Egress/ListEgress', { 'content-type': 'application/grpc-web+proto' }, truncated)).text).toMatch(
      /grpc-status: 3\r\n/,
    );
  });

  it('a gRPC-Web content type with an unknown codec is 415, not read as protobuf', async () => {
    const r = await post('/livekit.Egress/ListEgress', { 'content-type': 'application/grpc-web+thrift' }, grpcWebFrame(new Uint8Array()));
    expect(r.status).toBe(415);
  });
});

/** Opens a raw socket, writes `head`, then the body parts at an interval (never all of it); resolves with what came back and when the socket closed. */
function slowClient(head: string, parts: string[] = [], intervalMs = 50): Promise<{ reply: string; closedAfterMs: number }> {
  const u = new URL(mock.httpUrl);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const s = netConnect(Number(u.port), u.hostname, () => s.write(head));
    let reply = '';
    let i = 0;
    const trickle = setInterval(() => {
      if (i < parts.length && !s.destroyed) s.write(parts[i++]);
    }, intervalMs);
    s.on('data', (c) => (reply += c.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearInterval(trickle);
      resolve({ reply, closedAfterMs: performance.now() - t0 });
    });
  });
}

const LIMIT_MS = REQUEST_TIMEOUT + 2000; // timeout, Node's check interval, a busy machine

describe('slow clients are cut off by the request timeout, and the mock stays up', () => {
  const head = (path: string, ct: string): string =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${ct}\r\nContent-Length: 100\r\n\r\n`;

  it('Twirp: body stalled after 10 of 100 bytes → 408 deadline_exceeded, socket closed', async () => {
    const r = await slowClient(head('/twirp/livekit.Egress/ListEgress', 'application/protobuf') + 'x'.repeat(10));
    expect(r.reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.reply).toMatch(/"code":"deadline_exceeded"/);
    expect(r.closedAfterMs).toBeLessThan(LIMIT_MS);
  });

  it('Twirp: a body trickled a byte every 50 ms is cut off too (the timeout is not an idle timeout)', async () => {
    const r = await slowClient(
      head('/twirp/livekit.Egress/ListEgress', 'application/protobuf'),
      Array.from({ length: 99 }, () => 'x'),
    );
    expect(r.reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeLessThan(LIMIT_MS);
  });

  it('Connect: stalled body → deadline_exceeded (Connect maps it to 504), socket closed', async () => {
    const r = await slowClient(head('/livekit.Egress/ListEgress', 'application/proto'));
    expect(r.reply).toMatch(/^HTTP\/1\.1 504 /);
    expect(r.reply).toMatch(/"code":"deadline_exceeded"/);
    expect(r.closedAfterMs).toBeLessThan(LIMIT_MS);
  });

  it('gRPC-Web: stalled body → grpc-status 4, socket closed', async () => {
    const r = await slowClient(head('/livekit.Egress/ListEgress', 'application/grpc-web+proto'));
    expect(r.reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.reply).toMatch(/grpc-status: 4\r\n/);
    expect(r.closedAfterMs).toBeLessThan(LIMIT_MS);
  });

  it('headers never finished → Node answers 408 and closes', async () => {
    const r = await slowClient(
      'POST /twirp/livekit.Egress/ListEgress HTTP/1.1\r\nHost: x\r\n',
      Array.from({ length: 40 }, () => 'X-A: b\r\n'),
    );
    expect(r.reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeLessThan(LIMIT_MS);
  });

  it('gRPC: headers sent, message stalled → DEADLINE_EXCEEDED and the stream closed', async () => {
    const session = http2Connect(mock.grpcUrl);
    try {
      const t0 = performance.now();
      const result = await new Promise<{ status?: string; closedAfterMs: number }>((resolve) => {
        const st = session.request({
          ':method': 'POST',
          ':path': '/livekit.Egress/ListEgress',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        let status: string | undefined;
        st.on('response', (h) => (status ??= h['grpc-status'] as string | undefined));
        st.on('trailers', (t) => (status ??= t['grpc-status'] as string | undefined));
        st.on('data', () => undefined);
        st.on('error', () => undefined);
        st.on('close', () => resolve({ status, closedAfterMs: performance.now() - t0 }));
        st.write(Uint8Array.of(0, 0, 0, 0, 100, 1, 2)); // frame: 100 bytes announced, 2 sent, never ended
      });
      expect(result.status).toBe('4');
      expect(result.closedAfterMs).toBeLessThan(LIMIT_MS);
    } finally {
      session.close();
    }
  });

  it('still answers every wire format afterwards', async () => {
    for (const wire of WIRES) expect(await client.send(wire, 'good')).toEqual(expectedOutcome(wire, 'good'));
  });
});
