/**
 * The mock's own routes (/_mock/*): authenticated like the API, no CORS unless asked, bounded
 * status pages and event streams; and the other caps and clean errors a careless or hostile
 * client meets (HTTP/2 concurrent streams on the gRPC port, a request target that is no URL,
 * bad JSON to /_mock/kik/state).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as connectHttp2 } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from './mock-server';
import { mintLiveKitToken } from '../livekit/access-token';
import { testRoot } from '../../testing/mock-schemas';
import { MAX_CONCURRENT_STREAMS } from './mock-grpc-server';

let mock: RunningMock;
let withCors: RunningMock;
let token: string;

beforeAll(async () => {
  const root = await testRoot();
  mock = await startMockServer({ root, port: 0, maxEventStreams: 2, eventStreamIdleMs: 300 });
  withCors = await startMockServer({ root, port: 0, adminCorsOrigin: 'http://localhost:5173' });
  token = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'secret', grant: {} });
});
afterAll(async () => {
  await Promise.all([mock.close(), withCors.close()]);
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Raw bytes to the HTTP port; the status line of the answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connectTcp(port, '127.0.0.1', () => s.end(text));
    let d = '';
    s.on('data', (c) => (d += c.toString()));
    s.on('close', () => resolve(d));
    s.on('error', () => resolve(d));
  });
}

describe('/_mock/* is authenticated like the API', () => {
  for (const path of ['/_mock/status', '/_mock/events']) {
    it(`${path}: 401 without a token or with a bad one, 200 with one (header or access_token)`, async () => {
      expect((await fetch(`${mock.httpUrl}${path}`)).status).toBe(401);
      const bad = await fetch(`${mock.httpUrl}${path}`, { headers: { authorization: 'Bearer nope' } });
      expect([bad.status, await bad.text()]).toEqual([401, 'invalid authorization token']);
      const other = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'not-the-secret', grant: {} });
      expect((await fetch(`${mock.httpUrl}${path}?access_token=${other}`)).status).toBe(401);
      const ac = new AbortController();
      const ok = await fetch(`${mock.httpUrl}${path}?access_token=${token}`, { signal: ac.signal });
      expect(ok.status).toBe(200);
      ac.abort();
    });
  }

  it('POST /_mock/kik/state needs a token too', async () => {
    const r = await fetch(`${mock.httpUrl}/_mock/kik/state`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
  });
});

describe('CORS on /_mock/* only when asked', () => {
  it('no Access-Control-Allow-Origin by default, even for a preflight; the service routes keep theirs', async () => {
    const origin = { origin: 'https://evil.example' };
    const status = await fetch(`${mock.httpUrl}/_mock/status`, { headers: { ...origin, ...auth() } });
    expect(status.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${mock.httpUrl}/_mock/status`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const service = await fetch(`${mock.httpUrl}/livekit.RoomService/ListRooms`, { method: 'OPTIONS', headers: origin });
    expect(service.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('--admin-cors ORIGIN: that origin, and only it', async () => {
    const r = await fetch(`${withCors.httpUrl}/_mock/status`, { headers: { origin: 'http://localhost:5173', ...auth() } });
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

describe('/_mock/status is bounded', () => {
  it('pages rooms (100 by default, 500 at most), without TURN passwords, metadata cut to a preview', async () => {
    const client = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    for (let i = 0; i < 120; i++)
      await client.createRoom({ name: `page-${String(i).padStart(3, '0')}`, metadata: i === 0 ? 'm'.repeat(5000) : '' });
    const first = (await (await fetch(`${mock.httpUrl}/_mock/status`, { headers: auth() })).json()) as {
      livekitRooms: { total: number; offset: number; next?: number; items: Record<string, unknown>[] };
    };
    expect(first.livekitRooms.total).toBe(120);
    expect(first.livekitRooms.items).toHaveLength(100);
    expect(first.livekitRooms.next).toBe(100);
    const big = first.livekitRooms.items.find((r) => r.name === 'page-000')!;
    expect(big.turnPassword).toBeUndefined();
    expect(big.metadataBytes).toBe(5000);
    expect((big.metadata as string).length).toBeLessThan(300);
    const rest = (await (await fetch(`${mock.httpUrl}/_mock/status?rooms=100&limit=10000`, { headers: auth() })).json()) as {
      livekitRooms: { items: unknown[]; next?: number };
    };
    expect(rest.livekitRooms.items).toHaveLength(20);
    expect(rest.livekitRooms.next).toBeUndefined();
    expect((await fetch(`${mock.httpUrl}/_mock/status?limit=-1`, { headers: auth() })).status).toBe(400);
  });
});

describe('/_mock/events is bounded', () => {
  it('at most --max-event-streams at once (503 beyond); an idle stream is closed', async () => {
    const open = async (): Promise<Response> => fetch(`${mock.httpUrl}/_mock/events`, { headers: auth() });
    const a = await open();
    const b = await open();
    const c = await open();
    expect([a.status, b.status, c.status]).toEqual([200, 200, 503]);
    expect(c.headers.get('retry-after')).toBe('5');
    // with nothing to send, each stream ends by itself (the client reconnects with Last-Event-ID)
    const text = await a.text();
    expect(text).toMatch(/: idle, closing/);
    await b.text();
    expect((await open()).status).toBe(200);
  });
});

describe('caps and clean errors', () => {
  it(`the gRPC port's HTTP/2 settings allow ${MAX_CONCURRENT_STREAMS} concurrent streams, not 2^32-1`, async () => {
    const session = connectHttp2(mock.grpcUrl);
    const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
      session.once('remoteSettings', resolve);
      session.once('error', reject);
    });
    session.close();
    expect(settings.maxConcurrentStreams).toBe(100);
  });

  it('a request target that is no URL is 400, not 500', async () => {
    for (const target of ['//%zz', 'http://%zz/', 'http://[::1/x']) {
      const reply = await rawRequest(mock.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(reply, target).toMatch(/^HTTP\/1\.1 400 /);
    }
  });

  it('bad JSON or a wrong shape to /_mock/kik/state is 400, not 500', async () => {
    const post = (body: string) => fetch(`${mock.httpUrl}/_mock/kik/state`, { method: 'POST', headers: auth(), body });
    const bad = await post('{x}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('malformed');
    expect((await post('{"user":"alice"}')).status).toBe(400);
    expect((await post('{"convoId":{"group":{"localPart":"1_g"}},"user":"alice","state":"GONE"}')).status).toBe(400);
  });
});
