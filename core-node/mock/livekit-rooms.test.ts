/** Rooms close as livekit-server closes them (empty and departure timeouts), and the mock caps how many it holds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';

let mock: RunningMock;
let client: RoomServiceClient;
let clock = Date.now();

beforeAll(async () => {
  mock = await startMockServer({
    root: await testRoot(),
    port: 0,
    maxRooms: 3,
    now: () => new Date(clock),
    fixture: { livekit: { rooms: [{ name: 'seeded', participants: [{ identity: 'alice' }] }] } },
  });
  client = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
});
afterAll(async () => {
  await mock.close();
});

async function failure(p: Promise<unknown>): Promise<TwirpError> {
  try {
    await p;
  } catch (e) {
    return e as TwirpError;
  }
  throw new Error('expected an error');
}

const names = async (): Promise<string[]> => (await client.listRooms()).map((r) => r.name).sort();

describe('LiveKit room lifetime', () => {
  it('an empty room closes emptyTimeout seconds after it was created; one left by its last participant, departureTimeout after', async () => {
    await client.createRoom({ name: 'never-joined', emptyTimeout: 30 });
    clock += 29_000;
    expect(await names()).toEqual(['never-joined', 'seeded']);
    clock += 1_000;
    expect(await names()).toEqual(['seeded']);
    expect(mock.events().some((e) => e.kind === 'livekit' && e.method === 'RoomClosed' && e.room === 'never-joined')).toBe(true);

    // the seeded room has had a participant: when alice leaves, the departure timeout (20 s default) runs
    await client.removeParticipant('seeded', 'alice');
    clock += 19_000;
    expect(await names()).toEqual(['seeded']);
    clock += 1_000;
    expect(await names()).toEqual([]);
  });

  it('holds at most --max-rooms rooms: more are resource_exhausted, and a closed one makes room', async () => {
    for (const n of ['a', 'b', 'c']) await client.createRoom({ name: n });
    const err = await failure(client.createRoom({ name: 'd' }));
    expect(err).toBeInstanceOf(TwirpError);
    expect([err.status, err.code, err.message]).toEqual([
      429,
      'resource_exhausted',
      'the mock holds 3 rooms, its limit (--max-rooms): delete some first',
    ]);
    await client.deleteRoom('a');
    expect((await client.createRoom({ name: 'd' })).name).toBe('d');
  });

  it('room metadata over the limit is refused on create too, with Twirp invalid-argument meta', async () => {
    const err = await failure(client.createRoom({ name: 'big', metadata: 'x'.repeat(64001) }));
    expect([err.code, err.message, err.metadata]).toEqual([
      'invalid_argument',
      'metadata size exceeds limits 64000',
      { argument: 'metadata size exceeds limits' },
    ]);
  });
});
