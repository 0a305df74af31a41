/**
 * The mock's /rtc signal WebSocket, driven by an independent client: `ws` for the connection,
 * livekit-server-sdk's AccessToken for the tokens and @livekit/protocol (protobuf-es) for every
 * SignalRequest sent and SignalResponse read, as livekit-client frames them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { AddTrackRequest, DisconnectReason, LeaveRequest, Ping, SignalRequest, SignalResponse, TrackType } from '@livekit/protocol';
import type { JoinResponse, ParticipantUpdate, Pong, RoomUpdate, TrackPublishedResponse } from '@livekit/protocol';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';
import { closeReason } from './livekit-signal';

let mock: RunningMock;
let wsBase: string;

beforeAll(async () => {
  mock = await startMockServer({
    root: await testRoot(),
    port: 0,
    fixture: { livekit: { rooms: [{ name: 'studio', metadata: 'seeded', participants: [{ identity: 'alice', name: 'Alice' }] }] } },
  });
  wsBase = mock.httpUrl.replace(/^http/, 'ws');
});
afterAll(async () => {
  await mock.close();
});

async function joinToken(identity: string, room: string, name?: string, secret = 'secret'): Promise<string> {
  const at = new AccessToken('devkey', secret, { identity, name });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

/** A signal client: every SignalResponse as it arrives, and the close code and reason. */
class Client {
  readonly ws: WebSocket;
  readonly received: SignalResponse[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('message', (data: Buffer, isBinary) => {
      this.received.push(isBinary ? SignalResponse.fromBinary(new Uint8Array(data)) : SignalResponse.fromJsonString(data.toString()));
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    this.ws.on('error', () => this.wake());
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `test` holds (checked after every message and at the close). */
  async until(test: () => boolean, what: string): Promise<void> {
    while (!test()) {
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before ${what}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** The first response of a kind (waits for it). */
  async next(kind: SignalResponse['message']['case'], after = 0): Promise<SignalResponse> {
    let found: SignalResponse | undefined;
    await this.until(() => (found = this.received.slice(after).find((r) => r.message.case === kind)) !== undefined, `a ${kind}`);
    return found!;
  }

  send(req: SignalRequest): void {
    this.ws.send(req.toBinary());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ws.close();
    await this.until(() => !!this.closed, 'close').catch(() => undefined);
  }
}

/** The HTTP status a refused upgrade answers. */
function refusedStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

describe('mock /rtc', () => {
  it('sends JoinResponse first: the room from RoomService state, the participant from the token, server info and ICE servers', async () => {
    const c = new Client(`${wsBase}/rtc?access_token=${await joinToken('carol', 'studio', 'Carol')}`);
    const join = (await c.next('join')).message.value as JoinResponse;
    expect(c.received[0].message.case).toBe('join');
    expect(join.room?.name).toBe('studio');
    expect(join.room?.metadata).toBe('seeded');
    expect(join.room?.sid).toMatch(/^RM_/);
    expect(join.participant?.identity).toBe('carol');
    expect(join.participant?.name).toBe('Carol');
    expect(join.participant?.sid).toMatch(/^PA_/);
    expect(join.otherParticipants.map((p) => p.identity)).toEqual(['alice']);
    expect(join.serverInfo?.version).toBeTruthy();
    expect(join.serverInfo?.protocol).toBeGreaterThan(0);
    expect(join.iceServers[0].urls[0]).toMatch(/^stun:127\.0\.0\.1:\d+$/);
    expect(join.pingInterval).toBeGreaterThan(0);
    expect(join.pingTimeout).toBeGreaterThan(join.pingInterval);
    // RoomService sees the participant too.
    const rs = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    expect((await rs.listParticipants('studio')).map((p) => p.identity)).toContain('carol');
    await c.close();
  });

  it('creates the room a token names when it does not exist (auto-create)', async () => {
    const c = new Client(`${wsBase}/rtc?access_token=${await joinToken('dan', 'fresh-room')}`);
    const join = (await c.next('join')).message.value as JoinResponse;
    expect(join.room?.name).toBe('fresh-room');
    expect(join.otherParticipants).toEqual([]);
    const rs = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    expect((await rs.listRooms(['fresh-room'])).length).toBe(1);
    await c.close();
  });

  it('answers ping_req with pong_resp: the ping timestamp echoed and the server time', async () => {
    const c = new Client(`${wsBase}/rtc?access_token=${await joinToken('erin', 'studio')}`);
    await c.next('join');
    const before = BigInt(Date.now());
    c.send(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 1234567n, rtt: 12n }) } }));
    const pong = (await c.next('pongResp')).message.value as Pong;
    expect(pong.lastPingTimestamp).toBe(1234567n);
    expect(pong.timestamp >= before).toBe(true);
    // The legacy int64 ping gets the legacy pong.
    c.send(new SignalRequest({ message: { case: 'ping', value: 99n } }));
    expect(((await c.next('pong')).message.value as bigint) >= before).toBe(true);
    await c.close();
  });

  it('tells a connected client when another participant joins, publishes, leaves, or RoomService changes the room', async () => {
    const a = new Client(`${wsBase}/rtc?access_token=${await joinToken('frank', 'lobby')}`);
    await a.next('join');
    const b = new Client(`${wsBase}/rtc?access_token=${await joinToken('grace', 'lobby', 'Grace')}`);
    const bJoin = (await b.next('join')).message.value as JoinResponse;
    expect(bJoin.otherParticipants.map((p) => p.identity)).toEqual(['frank']);
    const joined = (await a.next('update')).message.value as ParticipantUpdate;
    expect(joined.participants.map((p) => [p.identity, p.name])).toEqual([['grace', 'Grace']]);

    // grace publishes a track: she gets track_published, frank an update with the track.
    let mark = a.received.length;
    b.send(
      new SignalRequest({
        message: { case: 'addTrack', value: new AddTrackRequest({ cid: 'mic-1', name: 'mic', type: TrackType.AUDIO }) },
      }),
    );
    const published = (await b.next('trackPublished')).message.value as TrackPublishedResponse;
    expect(published.cid).toBe('mic-1');
    expect(published.track?.sid).toMatch(/^TR_/);
    const withTrack = (await a.next('update', mark)).message.value as ParticipantUpdate;
    expect(withTrack.participants[0].tracks.map((t) => t.name)).toEqual(['mic']);

    // RoomService: metadata of the room, and of a participant.
    const rs = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    mark = a.received.length;
    await rs.updateRoomMetadata('lobby', 'now live');
    const ru = (await a.next('roomUpdate', mark)).message.value as RoomUpdate;
    expect(ru.room?.metadata).toBe('now live');
    mark = a.received.length;
    await rs.updateParticipant('lobby', 'grace', { metadata: 'speaker' });
    const pu = (await a.next('update', mark)).message.value as ParticipantUpdate;
    expect(pu.participants.map((p) => [p.identity, p.metadata])).toEqual([['grace', 'speaker']]);

    // RemoveParticipant: grace is told (leave PARTICIPANT_REMOVED) and closed; frank sees her DISCONNECTED.
    mark = a.received.length;
    await rs.removeParticipant('lobby', 'grace');
    const leave = (await b.next('leave')).message.value as LeaveRequest;
    expect(leave.reason).toBe(DisconnectReason.PARTICIPANT_REMOVED);
    await b.until(() => !!b.closed, 'the close');
    expect(b.closed?.code).toBe(1000);
    const gone = (await a.next('update', mark)).message.value as ParticipantUpdate;
    expect(gone.participants.map((p) => [p.identity, p.state])).toEqual([['grace', 3]]); // ParticipantInfo.State.DISCONNECTED

    // A leave request closes the connection cleanly, and the participant is gone from the room.
    a.send(new SignalRequest({ message: { case: 'leave', value: new LeaveRequest({}) } }));
    await a.until(() => !!a.closed, 'the close');
    expect(a.closed).toEqual({ code: 1000, reason: 'participant left' });
    await expect.poll(async () => (await rs.listParticipants('lobby')).map((p) => p.identity)).toEqual([]);
  });

  it('closes an older connection of the same identity (DUPLICATE_IDENTITY) and every client of a deleted room (ROOM_DELETED)', async () => {
    const first = new Client(`${wsBase}/rtc?access_token=${await joinToken('lara', 'doomed')}`);
    await first.next('join');
    const again = new Client(`${wsBase}/rtc?access_token=${await joinToken('lara', 'doomed')}`);
    await again.next('join');
    expect(((await first.next('leave')).message.value as LeaveRequest).reason).toBe(DisconnectReason.DUPLICATE_IDENTITY);
    await first.until(() => !!first.closed, 'the close');
    const rs = new RoomServiceClient(mock.httpUrl, 'devkey', 'secret');
    // The newer connection keeps the participant.
    expect((await rs.listParticipants('doomed')).map((p) => p.identity)).toEqual(['lara']);
    await rs.deleteRoom('doomed');
    expect(((await again.next('leave')).message.value as LeaveRequest).reason).toBe(DisconnectReason.ROOM_DELETED);
    await again.until(() => !!again.closed, 'the close');
    expect(again.closed?.code).toBe(1000);
  });

  it('refuses a missing, bad or join-less token with an HTTP status before the upgrade', async () => {
    const none = await refusedStatus(`${wsBase}/rtc`);
    expect(none.status).toBe(401);
    expect(none.body).toMatch(/no access token/);
    const wrongSecret = await refusedStatus(`${wsBase}/rtc?access_token=${await joinToken('x', 'studio', undefined, 'not-the-secret')}`);
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatch(/invalid token/);
    expect((await refusedStatus(`${wsBase}/rtc?access_token=garbage`)).status).toBe(401);
    const admin = new AccessToken('devkey', 'secret', { identity: 'x' });
    admin.addGrant({ roomAdmin: true, room: 'studio' });
    const noJoin = await refusedStatus(`${wsBase}/rtc?access_token=${await admin.toJwt()}`);
    expect(noJoin.status).toBe(401);
    expect(noJoin.body).toMatch(/roomJoin/);
    expect((await refusedStatus(`${wsBase}/elsewhere?access_token=${await joinToken('x', 'studio')}`)).status).toBe(404);
    // livekit-client asks /rtc/validate why a connection failed: the same answer, over plain HTTP.
    const ok = await fetch(`${mock.httpUrl}/rtc/validate?access_token=${await joinToken('x', 'studio')}`);
    expect([ok.status, (await ok.text()).trim()]).toEqual([200, 'success']);
    const bad = await fetch(`${mock.httpUrl}/rtc/validate?access_token=${await admin.toJwt()}`);
    expect(bad.status).toBe(401);
    expect(await bad.text()).toMatch(/roomJoin/);
  });

  it('closes with 1007 and a reason on a frame that is no SignalRequest, and keeps serving others', async () => {
    const c = new Client(`${wsBase}/rtc?access_token=${await joinToken('hank', 'studio')}`);
    await c.next('join');
    c.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff])); // not a protobuf message: tag varint never ends
    await c.until(() => !!c.closed, 'the close');
    expect(c.closed?.code).toBe(1007);
    expect(c.closed?.reason).toMatch(/^frame 1 is not a livekit\.SignalRequest/);
    const t = new Client(`${wsBase}/rtc?access_token=${await joinToken('ivy', 'studio')}`);
    await t.next('join');
    t.ws.send('{"pingReq": {"timestamp": "nope"}}');
    await t.until(() => !!t.closed, 'the close');
    expect(t.closed?.code).toBe(1007);
    const ok = new Client(`${wsBase}/rtc?access_token=${await joinToken('jack', 'studio')}`);
    await ok.next('join');
    await ok.close();
  });

  it('reads a text frame as proto3 JSON and answers in JSON, as livekit-server does', async () => {
    const c = new Client(`${wsBase}/rtc?access_token=${await joinToken('kim', 'studio')}`);
    await c.next('join');
    c.ws.send(JSON.stringify({ pingReq: { timestamp: '42' } }));
    const pong = (await c.next('pongResp')).message.value as Pong;
    expect(pong.lastPingTimestamp).toBe(42n);
    await c.close();
  });

  it('keeps close reasons within the 123 bytes WebSocket allows', () => {
    expect(Buffer.byteLength(closeReason('é'.repeat(200)))).toBeLessThanOrEqual(123);
    expect(closeReason('short')).toBe('short');
  });
});
