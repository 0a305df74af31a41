import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startMockServer, type MockEvent, type RunningMock } from './mock-server';
import { kikProtoDir, testRoot } from '../../testing/mock-schemas';
import { decodeBadRequest, decodeRpcStatus } from '../rpc/rpc-status';
import { mintLiveKitToken } from '../livekit/access-token';
import type { MockFixture } from './fixture';
import { PROTOC_INCLUDE } from '../../testing/protoc';

const GROUP = '1234567890123_g';
const QUIET = '9999999999999_g';
const fixture: MockFixture = {
  kik: {
    groups: { [GROUP]: ['alice', 'bob', 'carol'], [QUIET]: ['alice'] },
    maxParticipants: 2,
    mediaHost: 'media.example',
    mediaPort: 4443,
  },
};

type Obj = Record<string, unknown>;
type Unary = (req: Obj, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: Obj) => void) => void;

let mock: RunningMock;
let kik: grpc.Client & Record<string, Unary>;

function call(method: string, req: Obj, user?: string): Promise<Obj> {
  const md = new grpc.Metadata();
  if (user) md.set('x-kik-user', user);
  return new Promise((resolve, reject) => (kik[method] as Unary).call(kik, req, md, (err, res) => (err ? reject(err) : resolve(res))));
}

async function callError(method: string, req: Obj, user?: string): Promise<grpc.ServiceError> {
  try {
    await call(method, req, user);
  } catch (e) {
    return e as grpc.ServiceError;
  }
  throw new Error('expected an error');
}

const group = (jid = GROUP): Obj => ({ group: { local_part: jid } });

beforeAll(async () => {
  mock = await startMockServer({ root: await testRoot(), port: 0, fixture });
  const dir = kikProtoDir();
  const def = protoLoader.loadSync('video/v1/kik_video_service.proto', {
    includeDirs: [dir, PROTOC_INCLUDE],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: false,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { mobile: { video: { v1: { KikVideo: grpc.ServiceClientConstructor } } } };
  kik = new pkg.mobile.video.v1.KikVideo(new URL(mock.grpcUrl).host, grpc.credentials.createInsecure()) as unknown as grpc.Client &
    Record<string, Unary>;
});
afterAll(async () => {
  kik.close();
  await mock.close();
});

describe('Kik KikVideo mock over gRPC (@grpc/grpc-js + @grpc/proto-loader client)', () => {
  let firstToken: Obj;
  let conferenceId: string;

  it('refuses a caller without the x-kik-user header: UNAUTHENTICATED', async () => {
    const e = await callError('JoinConvoConference', { convo_id: group() });
    expect(e.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('first join creates the conference: OK, caller CONNECTING, connection info and token; members notified', async () => {
    const since = mock.events().at(-1)?.seq ?? 0;
    const res = await call('JoinConvoConference', { convo_id: group() }, 'alice');
    expect(res.result).toBe('OK');
    const state = res.latest_state as Obj;
    expect(state.user_states).toEqual([{ user: { local_part: 'alice' }, state: 'CONNECTING' }]);
    expect(state.timestamp).toBeDefined();
    const info = res.connection_info as Obj;
    expect(info.host).toBe('media.example');
    expect(info.port).toBe(4443);
    conferenceId = info.conference_id as string;
    expect(conferenceId).toMatch(/^kik\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{4}$/);
    firstToken = res.connection_token as Obj;
    expect((firstToken.payload as Buffer).length).toBeGreaterThan(0);
    const notes = mock.events(since).filter((e): e is Extract<MockEvent, { kind: 'kik' }> => e.kind === 'kik');
    expect(notes).toHaveLength(1);
    expect(notes[0].recipients.sort()).toEqual(['alice', 'bob', 'carol']);
    expect(notes[0].notification).toMatchObject({
      convoVideoState: { userStates: [{ user: { localPart: 'alice' }, state: 'CONNECTING' }] },
    });
    expect((notes[0].notification.notificationId as string).length).toBe(36);
    expect(notes[0].notificationBinary).toBeTruthy();
  });

  it('join is idempotent: same conference, caller once, new token, no new notification', async () => {
    const since = mock.events().at(-1)?.seq ?? 0;
    const res = await call('JoinConvoConference', { convo_id: group() }, 'alice');
    expect(res.result).toBe('OK');
    expect((res.connection_info as Obj).conference_id).toBe(conferenceId);
    expect((res.latest_state as Obj).user_states).toHaveLength(1);
    expect(Buffer.compare((res.connection_token as Obj).payload as Buffer, firstToken.payload as Buffer)).not.toBe(0);
    expect(mock.events(since).filter((e) => e.kind === 'kik')).toHaveLength(0);
  });

  it('a non-member gets NOT_ALLOWED without connection info', async () => {
    const res = await call('JoinConvoConference', { convo_id: group() }, 'dave');
    expect(res.result).toBe('NOT_ALLOWED');
    expect(res.connection_info).toBeNull();
    expect(res.connection_token).toBeNull();
  });

  it('FULL at the participant limit, with the latest state and no connection info', async () => {
    expect((await call('JoinConvoConference', { convo_id: group() }, 'bob')).result).toBe('OK');
    const res = await call('JoinConvoConference', { convo_id: group() }, 'carol');
    expect(res.result).toBe('FULL');
    expect(((res.latest_state as Obj).user_states as Obj[]).map((u) => (u.user as Obj).local_part).sort()).toEqual(['alice', 'bob']);
    expect(res.connection_info).toBeNull();
  });

  it('BatchedGetConvoState returns a state per id, empty for a convo without a conference', async () => {
    const oneToOne = { one_to_one: { users: [{ local_part: 'alice' }, { local_part: 'bob' }] } };
    const res = await call('BatchedGetConvoState', { convo_ids: [group(), group(QUIET), oneToOne] }, 'alice');
    const states = res.latest_states as Obj[];
    expect(states).toHaveLength(3);
    expect((states[0].user_states as Obj[]).length).toBe(2);
    expect(states[1].user_states).toEqual([]);
    expect(states[1].convo_id).toMatchObject(group(QUIET));
    expect(states[2].convo_id).toMatchObject(oneToOne);
  });

  it('BatchedGetConvoState refuses 0 and 21 ids: INVALID_ARGUMENT with google.rpc.BadRequest details', async () => {
    const none = await callError('BatchedGetConvoState', { convo_ids: [] }, 'alice');
    expect(none.code).toBe(grpc.status.INVALID_ARGUMENT);
    const many = await callError('BatchedGetConvoState', { convo_ids: Array.from({ length: 21 }, () => group()) }, 'alice');
    expect(many.code).toBe(grpc.status.INVALID_ARGUMENT);
    const bin = many.metadata.get('grpc-status-details-bin')[0] as Buffer;
    const status = decodeRpcStatus(bin);
    expect(status.details[0].typeUrl).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(decodeBadRequest(status.details[0].value).fieldViolations[0].field).toBe('convo_ids');
  });

  it('requests breaking kik.validation rules are INVALID_ARGUMENT (bad group JID, unordered 1:1 users, no convo id)', async () => {
    expect((await callError('JoinConvoConference', { convo_id: group('abc') }, 'alice')).code).toBe(grpc.status.INVALID_ARGUMENT);
    const unordered = { one_to_one: { users: [{ local_part: 'bob' }, { local_part: 'alice' }] } };
    expect((await callError('JoinConvoConference', { convo_id: unordered }, 'alice')).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await callError('JoinConvoConference', {}, 'alice')).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('OnLeaveConvoConference ignores a token older than the latest join, then leaves with the latest one', async () => {
    await call('OnLeaveConvoConference', { convo_id: group(), connection_token: firstToken }, 'alice');
    let state = ((await call('BatchedGetConvoState', { convo_ids: [group()] }, 'alice')).latest_states as Obj[])[0];
    expect((state.user_states as Obj[]).map((u) => (u.user as Obj).local_part)).toContain('alice');
    const rejoin = await call('JoinConvoConference', { convo_id: group() }, 'alice');
    const since = mock.events().at(-1)?.seq ?? 0;
    await call('OnLeaveConvoConference', { convo_id: group(), connection_token: rejoin.connection_token }, 'alice');
    state = ((await call('BatchedGetConvoState', { convo_ids: [group()] }, 'alice')).latest_states as Obj[])[0];
    expect((state.user_states as Obj[]).map((u) => (u.user as Obj).local_part)).toEqual(['bob']);
    expect(mock.events(since).filter((e) => e.kind === 'kik')).toHaveLength(1);
  });

  it('OnLeaveConvoConference is best effort: leaving a convo without a conference is fine', async () => {
    await expect(call('OnLeaveConvoConference', { convo_id: group(QUIET) }, 'alice')).resolves.toBeDefined();
  });

  it('a client connecting to the media server (admin endpoint) is CONNECTED; a re-join goes back to CONNECTING; all streamed as SSE', async () => {
    const ac = new AbortController();
    // the admin routes are authenticated like the API: a LiveKit token signed with the mock's key
    const token = await mintLiveKitToken({ apiKey: 'devkey', apiSecret: 'secret', grant: {} });
    const sse = await fetch(`${mock.httpUrl}/_mock/events?since=${mock.events().at(-1)?.seq ?? 0}&access_token=${token}`, {
      signal: ac.signal,
    });
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    const post = await fetch(`${mock.httpUrl}/_mock/kik/state`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ convoId: { group: { localPart: GROUP } }, user: 'bob', state: 'CONNECTED' }),
    });
    expect(((await post.json()) as { userStates: { state: string }[] }).userStates.map((u) => u.state)).toEqual(['CONNECTED']);
    const rejoin = await call('JoinConvoConference', { convo_id: group() }, 'bob');
    expect(((rejoin.latest_state as Obj).user_states as Obj[])[0].state).toBe('CONNECTING');
    const reader = sse.body!.getReader();
    let text = '';
    while ((text.match(/event: kik/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const states = [...text.matchAll(/event: kik\ndata: (.*)\n/g)].map(
      (m) =>
        (JSON.parse(m[1]) as { notification: { convoVideoState: { userStates: { state: string }[] } } }).notification.convoVideoState
          .userStates[0].state,
    );
    expect(states).toEqual(['CONNECTED', 'CONNECTING']);
  });

  it('a garbage body is INVALID_ARGUMENT and the server stays up', async () => {
    const raw = new grpc.Client(new URL(mock.grpcUrl).host, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      raw.makeUnaryRequest(
        '/mobile.video.v1.KikVideo/JoinConvoConference',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0x0a, 0xff]),
        new grpc.Metadata(),
        (e) => resolve(e as grpc.ServiceError),
      );
    });
    raw.close();
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await call('JoinConvoConference', { convo_id: group() }, 'bob')).result).toBe('OK');
  });
});
