/**
 * Every method of every livekit-server-sdk 2.19.2 client against the mock: each gets a plausible,
 * non-empty answer (ids, states, the rooms it touched) or the error livekit-server gives. The list of
 * calls is checked against the clients' prototypes, so a method the SDK adds fails here until it is
 * driven too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwirpError } from 'livekit-server-sdk';
import {
  AgentDispatchClient,
  ConnectorClient,
  DataPacket_Kind,
  EgressClient,
  EncodedFileOutput,
  IngressClient,
  IngressInput,
  RoomServiceClient,
  SessionDescription,
  SipClient,
  StartEgressRequest,
  StreamOutput,
  StreamProtocol,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
  SIPDispatchRule,
  SIPDispatchRuleDirect,
} from 'livekit-server-sdk';
import * as jose from 'jose';
import { startMockServer, type RunningMock } from './mock-server';
import { testRoot } from '../../testing/mock-schemas';
import { grantsForLiveKitMethod } from '../livekit/grants';
import { roomsOfRequest } from '../replay/send-request';

let mock: RunningMock;
const K = ['devkey', 'secret'] as const;
let rooms: RoomServiceClient;
let egress: EgressClient;
let ingress: IngressClient;
let sip: SipClient;
let dispatch: AgentDispatchClient;
let connector: ConnectorClient;

/** Methods called below, per client (a helper that sends nothing is listed apart). */
const called: Record<string, Set<string>> = {};
function track<T extends object>(name: string, client: T): T {
  called[name] = new Set();
  return new Proxy(client, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv) as unknown;
      if (typeof v === 'function' && typeof prop === 'string') called[name].add(prop);
      return v;
    },
  });
}
/** Every request the SDK sent: its path, body and token claims (what `send --livekit-key` must mint alike). */
const sent: { path: string; body: Record<string, unknown>; claims: jose.JWTPayload }[] = [];
const realFetch = globalThis.fetch;

const HELPERS = new Set(['isEncodedOutputs', 'isEncodedFileOutput', 'isSegmentedFileOutput', 'isStreamOutput', 'getOutputParams']);

async function failure(p: Promise<unknown>): Promise<TwirpError> {
  try {
    await p;
  } catch (e) {
    return e as TwirpError;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const auth = new Headers(init?.headers).get('authorization');
    if (auth)
      sent.push({
        path: new URL(String(input)).pathname,
        body: JSON.parse(String(init?.body ?? '{}')),
        claims: jose.decodeJwt(auth.slice(7)),
      });
    return realFetch(input, init);
  }) as typeof fetch;
  mock = await startMockServer({
    root: await testRoot(),
    port: 0,
    fixture: {
      livekit: {
        rooms: [
          {
            name: 'studio',
            participants: [{ identity: 'alice', tracks: [{ sid: 'TR_mic', type: 'AUDIO' }] }, { identity: 'bob' }, { identity: 'carol' }],
          },
        ],
      },
    },
  });
  rooms = track('RoomServiceClient', new RoomServiceClient(mock.httpUrl, ...K));
  egress = track('EgressClient', new EgressClient(mock.httpUrl, ...K));
  ingress = track('IngressClient', new IngressClient(mock.httpUrl, ...K));
  sip = track('SipClient', new SipClient(mock.httpUrl, ...K));
  dispatch = track('AgentDispatchClient', new AgentDispatchClient(mock.httpUrl, ...K));
  connector = track('ConnectorClient', new ConnectorClient(mock.httpUrl, ...K));
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await mock.close();
});

describe('every livekit-server-sdk client method against the mock', () => {
  it('RoomServiceClient', async () => {
    const room = await rooms.createRoom({ name: 'sdk-room', emptyTimeout: 600, metadata: 'm' });
    expect(room.sid).toMatch(/^RM_/);
    expect((await rooms.listRooms(['sdk-room'])).map((r) => r.sid)).toEqual([room.sid]);
    expect((await rooms.updateRoomMetadata('sdk-room', 'm2')).metadata).toBe('m2');
    expect((await rooms.listParticipants('studio')).map((p) => p.identity)).toEqual(['alice', 'bob', 'carol']);
    expect((await rooms.getParticipant('studio', 'alice')).sid).toMatch(/^PA_/);
    expect((await rooms.updateParticipant('studio', 'bob', { metadata: 'x', name: 'Bob' })).name).toBe('Bob');
    expect((await rooms.mutePublishedTrack('studio', 'alice', 'TR_mic', true)).muted).toBe(true);
    await rooms.updateSubscriptions('studio', 'bob', ['TR_mic'], true);
    await rooms.sendData('studio', new Uint8Array([1, 2]), DataPacket_Kind.RELIABLE, { topic: 't' });
    await rooms.forwardParticipant('studio', 'carol', 'sdk-room');
    await rooms.moveParticipant('studio', 'carol', 'sdk-room');
    expect((await rooms.listParticipants('sdk-room')).map((p) => p.identity)).toEqual(['carol']);
    await rooms.removeParticipant('sdk-room', 'carol');
    expect((await failure(rooms.removeParticipant('sdk-room', 'carol'))).code).toBe('not_found');
    await rooms.deleteRoom('sdk-room');
    expect((await failure(rooms.deleteRoom('sdk-room'))).message).toBe('requested room does not exist');
  });

  it('EgressClient', async () => {
    const file = new EncodedFileOutput({ filepath: 'out/{room_name}.mp4' });
    const composite = await egress.startRoomCompositeEgress('studio', { file }, { layout: 'grid' });
    expect(composite.egressId).toMatch(/^EG_/);
    expect(composite.roomName).toBe('studio');
    expect(composite.roomId).toMatch(/^RM_/);
    expect(composite.status).toBe(0); // EGRESS_STARTING, as a start answers
    expect(composite.fileResults[0].filename).toBe('out/{room_name}.mp4');
    expect((await rooms.listRooms(['studio']))[0].activeRecording).toBe(true);
    const stream = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: ['rtmp://a/live'] });
    expect((await egress.startWebEgress('https://example.com/page', { stream })).egressId).toMatch(/^EG_/);
    expect((await egress.startParticipantEgress('studio', 'alice', { file })).roomName).toBe('studio');
    expect((await egress.startTrackCompositeEgress('studio', { file }, { audioTrackId: 'TR_mic' })).egressId).toMatch(/^EG_/);
    expect((await egress.startTrackEgress('studio', 'wss://sink/ws', 'TR_mic')).egressId).toMatch(/^EG_/);
    const generic = await egress.startEgress(new StartEgressRequest({ roomName: 'studio' }));
    expect(generic.egressId).toMatch(/^EG_/);
    const relaid = await egress.updateLayout(composite.egressId, 'speaker');
    expect(relaid.request.case === 'roomComposite' && relaid.request.value.layout).toBe('speaker');
    const updated = await egress.updateStream(composite.egressId, ['rtmp://b/live']);
    expect(updated.streamResults.map((s) => s.url)).toContain('rtmp://b/live');
    expect((await egress.listEgress({ roomName: 'studio' })).length).toBe(5);
    const stopped = await egress.stopEgress(composite.egressId);
    expect(stopped.status).toBe(2); // EGRESS_ENDING
    const again = await failure(egress.stopEgress(composite.egressId));
    expect([again.code, again.message]).toEqual(['failed_precondition', 'egress with status EGRESS_COMPLETE cannot be stopped']);
    expect((await egress.listEgress({ roomName: 'studio', active: true })).map((e) => e.egressId)).not.toContain(composite.egressId);
    expect((await failure(egress.stopEgress('EG_nope'))).message).toBe('egress does not exist');
    expect((await failure(egress.startRoomCompositeEgress('no-such-room', { file }))).code).toBe('not_found');
  });

  it('IngressClient', async () => {
    const info = await ingress.createIngress(IngressInput.RTMP_INPUT, { name: 'cam', roomName: 'studio', participantIdentity: 'streamer' });
    expect(info.ingressId).toMatch(/^IN_/);
    expect(info.streamKey).not.toBe('');
    expect(info.url).toMatch(/^rtmp:\/\//);
    expect(info.reusable).toBe(true);
    expect((await ingress.updateIngress(info.ingressId, { name: 'cam2', participantIdentity: 'streamer' })).name).toBe('cam2');
    expect((await ingress.listIngress({ roomName: 'studio' })).map((i) => i.ingressId)).toEqual([info.ingressId]);
    expect((await ingress.deleteIngress(info.ingressId)).ingressId).toBe(info.ingressId);
    expect((await failure(ingress.deleteIngress(info.ingressId))).message).toBe('ingress does not exist');
    const bad = await failure(ingress.createIngress(IngressInput.URL_INPUT, { roomName: 'studio', participantIdentity: 'puller' }));
    expect([bad.code, bad.message]).toEqual(['invalid_argument', 'invalid ingress: missing URL parameter']);
    const pulled = await ingress.createIngress(IngressInput.URL_INPUT, {
      roomName: 'studio',
      participantIdentity: 'puller',
      url: 'https://cdn/x.m3u8',
    });
    expect([pulled.reusable, pulled.streamKey, pulled.url]).toEqual([false, '', 'https://cdn/x.m3u8']);
  });

  it('SipClient', async () => {
    // CreateSIPTrunk is gone from the protocol: livekit-server has no route for it either
    const legacy = await failure(sip.createSipTrunk('+15550100'));
    expect([legacy.status, legacy.code]).toEqual([404, 'bad_route']);
    const inTrunk = await sip.createSipInboundTrunk('in', ['+15550101']);
    expect(inTrunk.sipTrunkId).toMatch(/^ST_/);
    const outTrunk = await sip.createSipOutboundTrunk('out', 'sip.example.com', ['+15550102']);
    expect(outTrunk.sipTrunkId).toMatch(/^ST_/);
    expect((await sip.listSipTrunk()).map((t) => t.sipTrunkId).sort()).toEqual([inTrunk.sipTrunkId, outTrunk.sipTrunkId].sort());
    expect((await sip.listSipInboundTrunk()).map((t) => t.sipTrunkId)).toEqual([inTrunk.sipTrunkId]);
    expect((await sip.listSipOutboundTrunk()).map((t) => t.sipTrunkId)).toEqual([outTrunk.sipTrunkId]);
    expect((await sip.updateSipInboundTrunk(inTrunk.sipTrunkId, new SIPInboundTrunkInfo({ name: 'in2', numbers: ['+1'] }))).name).toBe(
      'in2',
    );
    expect((await sip.updateSipInboundTrunkFields(inTrunk.sipTrunkId, { name: 'in3' })).name).toBe('in3');
    const out2 = await sip.updateSipOutboundTrunk(
      outTrunk.sipTrunkId,
      new SIPOutboundTrunkInfo({ name: 'o2', address: 'b.example.com', numbers: ['+2'] }),
    );
    expect(out2.address).toBe('b.example.com');
    expect((await sip.updateSipOutboundTrunkFields(outTrunk.sipTrunkId, { name: 'o3' })).name).toBe('o3');
    const rule = await sip.createSipDispatchRule({ type: 'direct', roomName: 'studio' }, { name: 'r' });
    expect(rule.sipDispatchRuleId).toMatch(/^SDR_/);
    const direct = new SIPDispatchRule({ rule: { case: 'dispatchRuleDirect', value: new SIPDispatchRuleDirect({ roomName: 'lobby' }) } });
    expect((await sip.updateSipDispatchRule(rule.sipDispatchRuleId, new SIPDispatchRuleInfo({ name: 'r2', rule: direct }))).name).toBe(
      'r2',
    );
    expect((await sip.updateSipDispatchRuleFields(rule.sipDispatchRuleId, { name: 'r3' })).name).toBe('r3');
    expect((await sip.listSipDispatchRule()).map((r) => r.sipDispatchRuleId)).toEqual([rule.sipDispatchRuleId]);
    const p = await sip.createSipParticipant(outTrunk.sipTrunkId, '+15550199', 'studio', { participantIdentity: 'caller' });
    expect(p.sipCallId).toMatch(/^SCL_/);
    expect(p.participantId).toMatch(/^PA_/);
    const joined = await rooms.getParticipant('studio', 'caller');
    expect(joined.attributes['sip.callID']).toBe(p.sipCallId);
    await sip.transferSipParticipant('studio', 'caller', 'tel:+15550200');
    expect((await failure(rooms.getParticipant('studio', 'caller'))).code).toBe('not_found');
    const notSip = await failure(sip.transferSipParticipant('studio', 'alice', 'tel:+1'));
    expect(notSip.message).toBe('no SIP session associated with participant');
    expect((await sip.deleteSipDispatchRule(rule.sipDispatchRuleId)).sipDispatchRuleId).toBe(rule.sipDispatchRuleId);
    expect((await sip.deleteSipTrunk(inTrunk.sipTrunkId)).sipTrunkId).toBe(inTrunk.sipTrunkId);
    expect((await failure(sip.deleteSipTrunk(inTrunk.sipTrunkId))).message).toBe('requested sip trunk does not exist');
  });

  it('AgentDispatchClient', async () => {
    const d = await dispatch.createDispatch('agents-room', 'helper', { metadata: '{"k":1}' });
    expect(d.id).toMatch(/^AD_/);
    expect(d.state?.createdAt).toBeGreaterThan(0n);
    expect((await rooms.listRooms(['agents-room'])).length).toBe(1);
    expect((await dispatch.getDispatch(d.id, 'agents-room'))?.agentName).toBe('helper');
    expect((await dispatch.listDispatch('agents-room')).map((x) => x.id)).toEqual([d.id]);
    await dispatch.deleteDispatch(d.id, 'agents-room');
    expect(await dispatch.getDispatch(d.id, 'agents-room')).toBeUndefined();
    expect((await failure(dispatch.deleteDispatch(d.id, 'agents-room'))).code).toBe('not_found');
  });

  it('ConnectorClient', async () => {
    const dialed = await connector.dialWhatsAppCall({
      whatsappPhoneNumberId: 'pn',
      whatsappToPhoneNumber: '+15550300',
      whatsappApiKey: 'k',
      whatsappCloudApiVersion: 'v23.0',
      roomName: 'wa-room',
    });
    expect(dialed.whatsappCallId).not.toBe('');
    expect(dialed.roomName).toBe('wa-room');
    const accepted = await connector.acceptWhatsAppCall({
      whatsappPhoneNumberId: 'pn',
      whatsappApiKey: 'k',
      whatsappCloudApiVersion: 'v23.0',
      whatsappCallId: 'wacid.in',
      sdp: new SessionDescription({ type: 'offer', sdp: 'v=0' }),
    });
    expect(accepted.roomName).toMatch(/^whatsapp-/);
    await connector.connectWhatsAppCall(dialed.whatsappCallId, new SessionDescription({ type: 'answer', sdp: 'v=0' }));
    await connector.disconnectWhatsAppCall(dialed.whatsappCallId, 'k');
    expect((await failure(connector.connectWhatsAppCall(dialed.whatsappCallId, new SessionDescription()))).code).toBe('not_found');
    const twilio = await connector.connectTwilioCall({ twilioCallDirection: 0, roomName: 'tw-room' } as never);
    expect(twilio.connectUrl).toMatch(/^wss?:\/\//);
    const bad = await failure(connector.dialWhatsAppCall({ whatsappPhoneNumberId: 'pn' } as never));
    expect([bad.code, bad.metadata?.argument]).toEqual(['invalid_argument', 'call']);
  });

  it('the grants we mint per method are the ones the SDK mints', () => {
    expect(sent.length).toBeGreaterThan(50);
    for (const { path, body, claims } of sent) {
      const [, , service, method] = path.split('/');
      const ours = grantsForLiveKitMethod(service, method, roomsOfRequest(service, body))!;
      expect({ video: claims.video ?? {}, sip: claims.sip }, path).toEqual({ video: ours.video, sip: ours.sip });
    }
  });

  it('drove every RPC method of every client', () => {
    const clients = { RoomServiceClient, EgressClient, IngressClient, SipClient, AgentDispatchClient, ConnectorClient };
    for (const [name, cls] of Object.entries(clients)) {
      const methods = Object.getOwnPropertyNames(cls.prototype).filter((m) => m !== 'constructor' && !HELPERS.has(m));
      expect(
        [...methods].filter((m) => !called[name]?.has(m)),
        name,
      ).toEqual([]);
    }
  });
});
