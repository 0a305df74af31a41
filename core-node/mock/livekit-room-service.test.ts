import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomServiceClient, TwirpError, DataPacket_Kind, AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';
import type { MockFixture } from './fixture';

const fixture: MockFixture = {
  livekit: {
    rooms: [
      {
        name: 'studio',
        metadata: 'seeded',
        participants: [
          {
            identity: 'alice',
            name: 'Alice',
            tracks: [
              { sid: 'TR_alicemic', type: 'AUDIO', name: 'mic' },
              { sid: 'TR_alicecam', type: 'VIDEO', name: 'cam', muted: true },
            ],
            rpc: { greet: 'hello from alice' },
          },
          { identity: 'bob', name: 'Bob' },
        ],
      },
    ],
  },
};

let mock: RunningMock;
let client: RoomServiceClient;

beforeAll(async () => {
  mock = await startMockServer({ root: await testRoot(), port: 0, fixture });
  client = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
});
afterAll(async () => {
  await mock.close();
});

async function twirpError(p: Promise<unknown>): Promise<TwirpError> {
  try {
    await p;
  } catch (e) {
    return e as TwirpError;
  }
  throw new Error('expected an error');
}

/** A raw Twirp JSON call with a token holding `grant` (what the SDK client cannot send, or does not show). */
async function twirpJson(method: string, body: object, grant: VideoGrant): Promise<Response> {
  const at = new AccessToken('devkey', 'secret');
  at.addGrant(grant);
  return fetch(`${mock.httpUrl}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await at.toJwt()}` },
    body: JSON.stringify(body),
  });
}

describe('LiveKit RoomService mock with livekit-server-sdk RoomServiceClient', () => {
  it('CreateRoom creates, and returns the existing room on a second call', async () => {
    const room = await client.createRoom({ name: 'lobby', emptyTimeout: 60, maxParticipants: 10, metadata: 'm1' });
    expect(room.name).toBe('lobby');
    expect(room.sid).toMatch(/^RM_[0-9A-Za-z]{12}$/);
    expect(room.emptyTimeout).toBe(60);
    expect(room.maxParticipants).toBe(10);
    expect(room.metadata).toBe('m1');
    expect(room.creationTime).toBeGreaterThan(0n);
    const again = await client.createRoom({ name: 'lobby' });
    expect(again.sid).toBe(room.sid);
    // CreateRoomRequest's playout and sync settings have no livekit.Room field to show up in
    const synced = await client.createRoom({ name: 'synced', minPlayoutDelay: 100, maxPlayoutDelay: 500, syncStreams: true });
    expect(synced.name).toBe('synced');
  });

  it('ListRooms lists all rooms, or those named', async () => {
    const all = await client.listRooms();
    expect(all.map((r) => r.name).sort()).toEqual(expect.arrayContaining(['lobby', 'studio']));
    const some = await client.listRooms(['studio']);
    expect(some.map((r) => r.name)).toEqual(['studio']);
    expect(some[0].numParticipants).toBe(2);
    expect(some[0].numPublishers).toBe(1);
  });

  it('ListParticipants and GetParticipant return the seeded participants and tracks', async () => {
    const ps = await client.listParticipants('studio');
    expect(ps.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
    const alice = await client.getParticipant('studio', 'alice');
    expect(alice.name).toBe('Alice');
    expect(alice.sid).toMatch(/^PA_/);
    expect(alice.tracks.map((t) => t.sid)).toEqual(['TR_alicemic', 'TR_alicecam']);
  });

  it('GetParticipant of someone absent is not_found 404', async () => {
    const e = await twirpError(client.getParticipant('studio', 'nobody'));
    expect(e).toBeInstanceOf(TwirpError);
    expect(e.status).toBe(404);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('participant does not exist');
  });

  it('MutePublishedTrack mutes; unmuting is refused like livekit-server without remote unmute', async () => {
    const track = await client.mutePublishedTrack('studio', 'alice', 'TR_alicemic', true);
    expect(track?.muted).toBe(true);
    const e = await twirpError(client.mutePublishedTrack('studio', 'alice', 'TR_alicecam', false));
    expect(e.status).toBe(412);
    expect(e.code).toBe('failed_precondition');
    const missing = await twirpError(client.mutePublishedTrack('studio', 'alice', 'TR_nope', true));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('track is not found');
  });

  it('UpdateParticipant updates metadata, name, permission and attributes', async () => {
    const p = await client.updateParticipant('studio', 'bob', {
      metadata: 'meta',
      name: 'Robert',
      attributes: { team: 'red' },
      permission: { canPublish: false, canSubscribe: true, canPublishData: true },
    });
    expect(p.metadata).toBe('meta');
    expect(p.name).toBe('Robert');
    expect(p.attributes).toEqual({ team: 'red' });
    expect(p.permission?.canPublish).toBe(false);
    const again = await client.updateParticipant('studio', 'bob', { attributes: { team: '' } });
    expect(again.attributes).toEqual({});
    const big = await twirpError(client.updateParticipant('studio', 'bob', { metadata: 'x'.repeat(64001) }));
    expect(big.status).toBe(400);
    expect(big.code).toBe('invalid_argument');
  });

  it('UpdateSubscriptions and SendData succeed for a room that exists', async () => {
    await client.updateSubscriptions('studio', 'bob', ['TR_alicemic'], true);
    await client.sendData('studio', new TextEncoder().encode('hi'), DataPacket_Kind.RELIABLE, {
      topic: 't',
      destinationIdentities: ['bob'],
    });
    expect(mock.events().some((e) => e.kind === 'livekit' && e.method === 'SendData')).toBe(true);
    const e = await twirpError(client.sendData('ghost', new Uint8Array([1]), DataPacket_Kind.LOSSY));
    expect(e.code).toBe('not_found');
  });

  it('UpdateRoomMetadata sets the metadata; a missing room is not_found', async () => {
    const room = await client.updateRoomMetadata('studio', 'new metadata');
    expect(room.metadata).toBe('new metadata');
    const e = await twirpError(client.updateRoomMetadata('ghost', 'x'));
    expect(e.status).toBe(404);
  });

  it('ForwardParticipant and MoveParticipant need the destination grant and differ from the source', async () => {
    await client.forwardParticipant('studio', 'bob', 'overflow');
    const same = await twirpError(client.moveParticipant('studio', 'bob', 'studio'));
    expect(same.code).toBe('invalid_argument');
    await client.moveParticipant('studio', 'bob', 'overflow');
    expect((await client.listParticipants('overflow')).map((p) => p.identity)).toEqual(['bob']);
    expect((await client.listParticipants('studio')).map((p) => p.identity)).toEqual(['alice']);
  });

  it('PerformRpc answers from the fixture (SDK client has no method: raw Twirp with an SDK token)', async () => {
    const res = await twirpJson(
      'PerformRpc',
      { room: 'studio', destinationIdentity: 'alice', method: 'greet', payload: 'x' },
      { roomAdmin: true, room: 'studio' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ payload: 'hello from alice' });
  });

  it('takes the token from an access_token query parameter too, as livekit-server', async () => {
    const at = new AccessToken('devkey', 'secret');
    at.addGrant({ roomList: true });
    const res = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms?access_token=${await at.toJwt()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });

  it('answers Twirp JSON as Twirp Go does: .proto names, unpopulated fields written (an unset message as null)', async () => {
    const res = await twirpJson('ListRooms', { names: ['studio'] }, { roomList: true });
    const { rooms } = (await res.json()) as { rooms: Record<string, unknown>[] };
    // max_participants 0 and active_recording false are defaults; version (a TimedVersion) is not set by the mock
    expect(rooms[0]).toMatchObject({
      name: 'studio',
      max_participants: 0,
      active_recording: false,
      version: null,
      creation_time: expect.stringMatching(/^\d+$/),
    });
  });

  it('RemoveParticipant removes; removing again is not_found "participant not found"', async () => {
    await client.removeParticipant('studio', 'alice');
    const e = await twirpError(client.removeParticipant('studio', 'alice'));
    expect(e.status).toBe(404);
    expect(e.message).toBe('participant not found');
  });

  it('DeleteRoom deletes; a missing room is not_found', async () => {
    await client.deleteRoom('lobby');
    expect((await client.listRooms(['lobby'])).length).toBe(0);
    const e = await twirpError(client.deleteRoom('lobby'));
    expect(e.status).toBe(404);
    expect(e.code).toBe('not_found');
  });

  it('a wrong secret is 401 with a plain-text body, as livekit-server auth middleware', async () => {
    const bad = new RoomServiceClient(mock.httpUrl, 'devkey', 'wrong');
    const e = await twirpError(bad.listRooms());
    expect(e.status).toBe(401);
    expect(e.code).toBeUndefined();
    expect(e.message).toMatch(/^invalid token: /);
    const unknownKey = new RoomServiceClient(mock.httpUrl, 'otherkey', 'secret');
    const e2 = await twirpError(unknownKey.listRooms());
    expect(e2.message).toBe('invalid API key: otherkey');
  });

  it('a token without the needed grant is Twirp unauthenticated "permissions denied"', async () => {
    const at = new AccessToken('devkey', 'secret');
    at.addGrant({ roomAdmin: true, room: 'other-room' });
    const scoped = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret', { token: await at.toJwt() });
    for (const p of [scoped.listRooms(), scoped.createRoom({ name: 'x' }), scoped.listParticipants('studio')]) {
      const e = await twirpError(p);
      expect(e.status).toBe(401);
      expect(e.code).toBe('unauthenticated');
      expect(e.message).toBe('permissions denied');
    }
  });

  it('an expired token is refused only after the 1 minute leeway', async () => {
    const { mintLiveKitToken } = await import('../livekit/access-token');
    const past = (s: number) => new Date(Date.now() - s * 1000);
    const within = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'secret', grant: { roomList: true }, ttl: 10, now: past(40) });
    const beyond = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'secret', grant: { roomList: true }, ttl: 10, now: past(90) });
    await expect(new RoomServiceClient(mock.httpUrl, '', '', { token: within }).listRooms()).resolves.toBeInstanceOf(Array);
    const e = await twirpError(new RoomServiceClient(mock.httpUrl, '', '', { token: beyond }).listRooms());
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/token is expired/);
  });

  it('a malformed body is Twirp malformed 400 and the server stays up', async () => {
    const at = new AccessToken('devkey', 'secret');
    at.addGrant({ roomList: true });
    const res = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await at.toJwt()}` },
      body: '{"names": 12',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { code: string }).code).toBe('malformed');
    const bin = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/protobuf', authorization: `Bearer ${await at.toJwt()}` },
      body: new Uint8Array([0x0a, 0x05, 0x61]), // names = 1, length 5, but only 1 byte follows
    });
    expect(bin.status).toBe(400);
    expect(((await bin.json()) as { code: string }).code).toBe('malformed');
    const bad = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/NoSuchMethod`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { code: string }).code).toBe('bad_route');
    expect((await client.listRooms()).length).toBeGreaterThan(0);
  });

  it('an oversized body is resource_exhausted and the server stays up', async () => {
    const res = await fetch(`${mock.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/protobuf' },
      body: new Uint8Array(5 * 1024 * 1024),
    });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe('resource_exhausted');
    expect((await client.listRooms()).length).toBeGreaterThan(0);
  });
});
