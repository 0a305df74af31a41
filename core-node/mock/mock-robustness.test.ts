import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as grpc from '@grpc/grpc-js';
import { AccessToken } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';

let mock: RunningMock;
let token: string;
let client: grpc.Client;
const METHODS = [
  'livekit.RoomService/ListRooms',
  'livekit.RoomService/CreateRoom',
  'livekit.RoomService/UpdateParticipant',
  'mobile.video.v1.KikVideo/JoinConvoConference',
  'mobile.video.v1.KikVideo/BatchedGetConvoState',
  'livekit.Egress/StartRoomCompositeEgress',
];
const TWIRP_OK = new Set([200, 400, 401, 404, 412, 429]);

beforeAll(async () => {
  mock = await startMockServer({
    root: await testRoot(),
    port: 0,
    maxRequestBytes: 64 * 1024,
    fixture: { livekit: { rooms: [{ name: 'r', participants: [{ identity: 'p' }] }] }, kik: { groups: { '1234567890123_g': ['a1'] } } },
  });
  const at = new AccessToken('devkey', 'secret');
  at.addGrant({ roomCreate: true, roomList: true, roomAdmin: true, room: 'r' });
  token = await at.toJwt();
  client = new grpc.Client(new URL(mock.grpcUrl).host, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await mock.close();
});

describe('the mock under malformed input', () => {
  it('answers random bytes on Twirp, Connect and gRPC-Web with a client error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom(...METHODS),
        fc.constantFrom('twirp-proto', 'twirp-json', 'connect', 'grpc-web'),
        async (bytes, method, proto) => {
          const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-kik-user': 'a1' };
          let url = `${mock.httpUrl}/${method}`;
          let body = new Uint8Array(bytes);
          if (proto === 'twirp-proto') {
            url = `${mock.httpUrl}/twirp/${method}`;
            headers['content-type'] = 'application/protobuf';
          }
          if (proto === 'twirp-json') {
            url = `${mock.httpUrl}/twirp/${method}`;
            headers['content-type'] = 'application/json';
          }
          if (proto === 'connect') headers['content-type'] = 'application/proto';
          if (proto === 'grpc-web') {
            headers['content-type'] = 'application/grpc-web+proto';
            body = new Uint8Array(5 + bytes.length);
            new DataView(body.buffer).setUint32(1, bytes.length);
            body.set(bytes, 5);
          }
          const res = await fetch(url, { method: 'POST', headers, body });
          const text = await res.text();
          if (proto === 'grpc-web') {
            expect(res.status).toBe(200);
            const status = Number(/grpc-status: (\d+)/.exec(text)?.[1]);
            expect([0, 3, 5, 7, 9, 12, 16]).toContain(status);
          } else {
            expect(TWIRP_OK.has(res.status) || (proto === 'connect' && res.status === 400)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers random bytes on gRPC with a status, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...METHODS), async (bytes, method) => {
        const md = new grpc.Metadata();
        md.set('authorization', `Bearer ${token}`);
        md.set('x-kik-user', 'a1');
        const code = await new Promise<number>((resolve) => {
          client.makeUnaryRequest(
            `/${method}`,
            (b: Buffer) => b,
            (b: Buffer) => b,
            Buffer.from(bytes),
            md,
            (err) => resolve(err ? err.code : 0),
          );
        });
        expect([0, 3, 5, 7, 9, 12, 16]).toContain(code);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses oversized requests in every protocol and stays up', async () => {
    const big = new Uint8Array(100 * 1024);
    const twirp = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/protobuf' },
      body: big,
    });
    expect(twirp.status).toBe(429);
    const connect = await fetch(`${mock.httpUrl}/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/proto' },
      body: big,
    });
    expect(((await connect.json()) as { code: string }).code).toBe('resource_exhausted');
    const code = await new Promise<number>((resolve) => {
      client.makeUnaryRequest(
        '/livekit.RoomService/ListRooms',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(big),
        new grpc.Metadata(),
        (err) => resolve(err ? err.code : 0),
      );
    });
    expect(code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const ok = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(ok.status).toBe(200);
  });

  it('answers a garbage HTTP request line with 400 and stays up', async () => {
    const net = await import('node:net');
    const u = new URL(mock.httpUrl);
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(Number(u.port), u.hostname, () => s.write('BLAH /\x00 HTTP/9\r\n\r\n'));
      let d = '';
      s.on('data', (c) => (d += c.toString()));
      s.on('close', () => resolve(d));
      s.on('error', () => resolve(d));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${mock.httpUrl}/`)).status).toBe(200);
  });
});
