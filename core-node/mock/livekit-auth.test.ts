/**
 * The mock's LiveKit auth: only keys the user gave are keys (never a property every object
 * inherits), secrets are strings, and every LiveKit service checks the grant livekit-server checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as jose from 'jose';
import { AccessToken } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from './mock-server';
import { apiKeys } from './livekit-auth';
import { testRoot } from '../../testing/mock-schemas';

const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'] as const;

/** A token whose issuer is `iss`, signed with `secret` (HS256), granting everything. */
async function tokenFor(iss: string, secret: string): Promise<string> {
  return new jose.SignJWT({
    video: { roomList: true, roomCreate: true, roomAdmin: true, roomRecord: true, ingressAdmin: true },
    sip: { admin: true },
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(iss)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

/** The string form of what a plain object has under `name` (what a lookup in one would hand back). */
function inheritedString(name: string): string {
  return String(({} as Record<string, unknown>)[name]);
}

async function post(mock: RunningMock, path: string, token: string, body: object = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`${mock.httpUrl}/twirp/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

describe('API keys are own entries, secrets are strings', () => {
  const mocks: RunningMock[] = [];
  beforeAll(async () => {
    const root = await testRoot();
    mocks.push(await startMockServer({ root, port: 0 }));
    mocks.push(await startMockServer({ root, port: 0, apiKey: 'mykey', apiSecret: 'mysecret-of-some-length' }));
  });
  afterAll(async () => {
    await Promise.all(mocks.map((m) => m.close()));
  });

  for (const name of INHERITED) {
    it(`refuses a token issued by "${name}" signed with "${inheritedString(name).slice(0, 30)}...", default and custom keys`, async () => {
      const token = await tokenFor(name, inheritedString(name));
      for (const mock of mocks) {
        for (const path of ['livekit.RoomService/ListRooms', 'livekit.Egress/ListEgress', 'livekit.SIP/ListSIPInboundTrunk']) {
          const r = await post(mock, path, token);
          expect(r.status, `${path} on ${mock.httpUrl}`).toBe(401);
          expect(r.text).toBe(`invalid API key: ${name}`);
        }
        // over gRPC-Web too (the same auth runs for every protocol)
        const gw = await fetch(`${mock.httpUrl}/livekit.RoomService/ListRooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/grpc-web+proto', authorization: `Bearer ${token}` },
          body: new Uint8Array(5),
        });
        expect(await gw.text()).toMatch(/grpc-status: 16\r\n/);
      }
    });
  }

  it('accepts the key it was given, and only that one', async () => {
    const [dev, custom] = mocks;
    expect((await post(dev, 'livekit.RoomService/ListRooms', await tokenFor('devkey', 'secret'))).status).toBe(200);
    expect((await post(custom, 'livekit.RoomService/ListRooms', await tokenFor('mykey', 'mysecret-of-some-length'))).status).toBe(200);
    expect((await post(custom, 'livekit.RoomService/ListRooms', await tokenFor('devkey', 'secret'))).text).toBe('invalid API key: devkey');
  });

  it('a key or secret that is not a non-empty string is refused at start', () => {
    expect(() => apiKeys('k', 42)).toThrow(/secret must be a non-empty string/);
    expect(() => apiKeys('k', '')).toThrow(/secret/);
    expect(() => apiKeys('', 's')).toThrow(/key must be/);
    expect(apiKeys('k', 's').get('constructor')).toBeUndefined();
  });
});

describe("every LiveKit service checks livekit-server's grant", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMockServer({ root: await testRoot(), port: 0, fixture: { livekit: { rooms: [{ name: 'r1' }] } } });
  });
  afterAll(async () => {
    await mock.close();
  });

  async function withGrant(video: Record<string, unknown>, sip?: Record<string, boolean>): Promise<string> {
    const at = new AccessToken('devkey', 'secret');
    at.addGrant(video);
    if (sip) at.addSIPGrant(sip);
    return at.toJwt();
  }

  // [service/method, request, the grant it needs, a grant that is not enough]
  const cases: [string, object, () => Promise<string>, () => Promise<string>][] = [
    ['livekit.Egress/ListEgress', {}, () => withGrant({ roomRecord: true }), () => withGrant({ roomAdmin: true, room: 'r1' })],
    ['livekit.Ingress/ListIngress', {}, () => withGrant({ ingressAdmin: true }), () => withGrant({ roomRecord: true })],
    ['livekit.SIP/ListSIPInboundTrunk', {}, () => withGrant({}, { admin: true }), () => withGrant({}, { call: true })],
    ['livekit.SIP/ListSIPDispatchRule', {}, () => withGrant({}, { admin: true }), () => withGrant({ roomAdmin: true })],
    [
      'livekit.AgentDispatchService/ListDispatch',
      { room: 'r1' },
      () => withGrant({ roomAdmin: true, room: 'r1' }),
      () => withGrant({ roomAdmin: true, room: 'r2' }),
    ],
    ['livekit.Connector/ConnectTwilioCall', { roomName: 'r1' }, () => withGrant({ roomCreate: true }), () => withGrant({ roomList: true })],
    ['livekit.PhoneNumberService/ListPhoneNumbers', {}, () => withGrant({}, { admin: true }), () => withGrant({ roomCreate: true })],
  ];
  for (const [path, body, good, weak] of cases) {
    it(`${path}: refused without a token and with a weaker grant, answered with its grant`, async () => {
      const none = await fetch(`${mock.httpUrl}/twirp/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ code: 'unauthenticated', msg: 'permissions denied' });
      const w = await post(mock, path, await weak(), body);
      expect([w.status, JSON.parse(w.text).msg]).toEqual([401, 'permissions denied']);
      const g = await post(mock, path, await good(), body);
      // granted: the stateful services answer; PhoneNumberService (LiveKit Cloud) has no answer without a fixture
      if (path.startsWith('livekit.PhoneNumberService')) expect(JSON.parse(g.text).code).toBe('unimplemented');
      else expect(g.status, g.text).toBe(200);
    });
  }
});
