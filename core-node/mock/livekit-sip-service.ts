/**
 * A mock of livekit-server's SIP service (pkg/service/sip.go): trunks and dispatch rules need the
 * sip.admin grant, CreateSIPParticipant sip.call, TransferSIPParticipant sip.call and roomAdmin on
 * its room. Trunks get ST_ ids, rules SDR_ ids; a missing id is `invalid_argument` ("trunk ID is
 * required"), an unknown one `not_found` ("requested sip trunk does not exist", "requested sip
 * dispatch rule does not exist"). CreateSIPParticipant puts a SIP participant (kind SIP, with the
 * sip.callID attribute) into the room, creating it; TransferSIPParticipant takes it out.
 */
import { MockError } from './mock-errors';
import { livekitId, type LiveKitRooms } from './livekit-rooms';
import { authenticateLiveKit, requireGrants, type ApiKeys } from './livekit-auth';
import { applyListUpdate, EntityStore, obj, str, strs, timestamp } from './livekit-store';
import type { JsonObject, MockCallContext, MockServiceImpl } from './mock-service';

/** What the SIP mock needs. */
export interface SipMockOptions {
  keys: ApiKeys;
  rooms: LiveKitRooms;
  now(): Date;
  onEvent?(method: string, room: string, detail: JsonObject): void;
}

function invalid(message: string): MockError {
  return new MockError('invalid_argument', message);
}

/** Creates the SIP mock. */
export function createSipService(opts: SipMockOptions): MockServiceImpl {
  const inbound = new EntityStore('SIP inbound trunks', 'requested sip trunk does not exist');
  const outbound = new EntityStore('SIP outbound trunks', 'requested sip trunk does not exist');
  const rules = new EntityStore('SIP dispatch rules', 'requested sip dispatch rule does not exist');
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.(method, room, detail);
  const now = (): string => timestamp(opts.now());

  const checkOutbound = (t: JsonObject): void => {
    if (!str(t.address)) throw invalid('no outbound address specified');
    if (strs(t.numbers).length === 0) throw invalid('no trunk numbers specified');
  };
  const createTrunk = (call: MockCallContext, req: JsonObject, store: EntityStore, outboundTrunk: boolean): JsonObject => {
    requireGrants(call);
    const trunk = obj(req.trunk);
    if (!trunk) throw invalid('missing trunk');
    if (str(trunk.sipTrunkId)) throw invalid('trunk ID must be empty');
    if (outboundTrunk) checkOutbound(trunk);
    const info = { ...trunk, sipTrunkId: livekitId('ST_'), createdAt: now(), updatedAt: now() };
    store.add(info.sipTrunkId, info);
    emit(call.method, '', { sipTrunkId: info.sipTrunkId });
    return info;
  };
  const trunkId = (req: JsonObject): string => {
    const id = str(req.sipTrunkId);
    if (!id) throw invalid('trunk ID is required');
    return id;
  };
  const updateTrunk = (call: MockCallContext, req: JsonObject, store: EntityStore, outboundTrunk: boolean): JsonObject => {
    requireGrants(call);
    const info = store.require(trunkId(req));
    const replace = obj(req.replace);
    const update = obj(req.update);
    let next: JsonObject;
    if (replace) next = { ...replace, sipTrunkId: info.sipTrunkId, createdAt: info.createdAt };
    else if (update) {
      next = { ...info };
      for (const k of ['numbers', 'allowedAddresses', 'allowedNumbers'])
        if (obj(update[k])) next[k] = applyListUpdate(strs(info[k]), obj(update[k]));
      for (const [k, v] of Object.entries(update)) if (!obj(v) && v !== undefined) next[k] = v;
      if (obj(update.media)) next.media = update.media;
    } else throw invalid('missing or unsupported action');
    if (outboundTrunk) checkOutbound(next);
    next.updatedAt = now();
    for (const k of Object.keys(info)) delete info[k];
    Object.assign(info, next);
    emit(call.method, '', { sipTrunkId: info.sipTrunkId as string });
    return info;
  };
  const listTrunks = (req: JsonObject, store: EntityStore): JsonObject[] => {
    const ids = strs(req.trunkIds);
    const numbers = strs(req.numbers);
    return store
      .all()
      .filter(
        (t) => (!ids.length || ids.includes(str(t.sipTrunkId))) && (!numbers.length || strs(t.numbers).some((n) => numbers.includes(n))),
      );
  };
  const ruleInfo = (req: JsonObject): JsonObject => {
    // The request's dispatch_rule, or its deprecated top-level fields.
    const given = obj(req.dispatchRule);
    if (given) return { ...given };
    const { dispatchRule: _ignored, ...rest } = req;
    return rest;
  };

  return {
    service: 'livekit.SIP',
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, opts.now()),
    methods: {
      CreateSIPInboundTrunk: (req, call) => createTrunk(call, req, inbound, false),
      CreateSIPOutboundTrunk: (req, call) => createTrunk(call, req, outbound, true),
      UpdateSIPInboundTrunk: (req, call) => updateTrunk(call, req, inbound, false),
      UpdateSIPOutboundTrunk: (req, call) => updateTrunk(call, req, outbound, true),
      GetSIPInboundTrunk(req, call) {
        requireGrants(call);
        return { trunk: inbound.require(trunkId(req)) };
      },
      GetSIPOutboundTrunk(req, call) {
        requireGrants(call);
        return { trunk: outbound.require(trunkId(req)) };
      },
      ListSIPInboundTrunk(req, call) {
        requireGrants(call);
        return { items: listTrunks(req, inbound) };
      },
      ListSIPOutboundTrunk(req, call) {
        requireGrants(call);
        return { items: listTrunks(req, outbound) };
      },
      ListSIPTrunk(_req, call) {
        requireGrants(call);
        // The deprecated listing: both kinds in the old SIPTrunkInfo shape.
        const items = [
          ...inbound.all().map((t) => ({
            sipTrunkId: t.sipTrunkId,
            kind: 'TRUNK_INBOUND',
            inboundAddresses: strs(t.allowedAddresses),
            inboundNumbers: strs(t.allowedNumbers),
            outboundNumber: strs(t.numbers)[0] ?? '',
            name: str(t.name),
            metadata: str(t.metadata),
          })),
          ...outbound.all().map((t) => ({
            sipTrunkId: t.sipTrunkId,
            kind: 'TRUNK_OUTBOUND',
            outboundAddress: str(t.address),
            outboundNumber: strs(t.numbers)[0] ?? '',
            name: str(t.name),
            metadata: str(t.metadata),
          })),
        ];
        return { items };
      },
      DeleteSIPTrunk(req, call) {
        requireGrants(call);
        const id = trunkId(req);
        if (!inbound.delete(id) && !outbound.delete(id)) throw new MockError('not_found', 'requested sip trunk does not exist');
        emit('DeleteSIPTrunk', '', { sipTrunkId: id });
        return { sipTrunkId: id };
      },
      CreateSIPDispatchRule(req, call) {
        requireGrants(call);
        const info: JsonObject = { ...ruleInfo(req), sipDispatchRuleId: livekitId('SDR_'), createdAt: now(), updatedAt: now() };
        if (!obj(info.rule)) throw invalid('missing rule');
        rules.add(str(info.sipDispatchRuleId), info);
        emit('CreateSIPDispatchRule', '', { sipDispatchRuleId: str(info.sipDispatchRuleId) });
        return info;
      },
      UpdateSIPDispatchRule(req, call) {
        requireGrants(call);
        const id = str(req.sipDispatchRuleId);
        if (!id) throw invalid('dispatch rule ID is required');
        const info = rules.require(id);
        const replace = obj(req.replace);
        const update = obj(req.update);
        let next: JsonObject;
        if (replace) next = { ...replace, sipDispatchRuleId: id, createdAt: info.createdAt };
        else if (update) {
          next = { ...info, trunkIds: applyListUpdate(strs(info.trunkIds), obj(update.trunkIds)) };
          for (const k of ['rule', 'name', 'metadata', 'attributes', 'media']) if (update[k] !== undefined) next[k] = update[k];
        } else throw invalid('missing or unsupported action');
        next.updatedAt = now();
        for (const k of Object.keys(info)) delete info[k];
        Object.assign(info, next);
        return info;
      },
      ListSIPDispatchRule(req, call) {
        requireGrants(call);
        const ids = strs(req.dispatchRuleIds);
        const trunks = strs(req.trunkIds);
        const items = rules
          .all()
          .filter(
            (r) =>
              (!ids.length || ids.includes(str(r.sipDispatchRuleId))) &&
              (!trunks.length || strs(r.trunkIds).length === 0 || strs(r.trunkIds).some((t) => trunks.includes(t))),
          );
        return { items };
      },
      DeleteSIPDispatchRule(req, call) {
        requireGrants(call);
        const id = str(req.sipDispatchRuleId);
        if (!id) throw invalid('dispatch rule ID is required');
        const info = rules.require(id);
        rules.delete(id);
        emit('DeleteSIPDispatchRule', '', { sipDispatchRuleId: id });
        return info;
      },
      CreateSIPParticipant(req, call) {
        requireGrants(call);
        const trunk = str(req.sipTrunkId) ? outbound.require(str(req.sipTrunkId)) : undefined;
        if (!trunk && !obj(req.trunk)) throw new MockError('not_found', 'requested sip trunk does not exist');
        const roomName = str(req.roomName);
        if (!roomName) throw invalid('missing room name');
        const callTo = str(req.sipCallTo);
        if (!callTo) throw invalid('missing sip call to');
        const st = opts.rooms.get(roomName) ?? opts.rooms.create(roomName);
        const sipCallId = livekitId('SCL_');
        const identity = str(req.participantIdentity) || `sip_${callTo}`;
        const p = opts.rooms.addParticipant(st, {
          identity,
          name: str(req.participantName) || callTo,
          metadata: str(req.participantMetadata),
          kind: 'SIP',
          attributes: {
            ...((req.participantAttributes as Record<string, string>) ?? {}),
            'sip.callID': sipCallId,
            'sip.phoneNumber': callTo,
            'sip.trunkID': str(trunk?.sipTrunkId),
            'sip.callStatus': 'active',
          },
        });
        emit('CreateSIPParticipant', roomName, { identity, sipCallId });
        return { participantId: str(p.sid), participantIdentity: identity, roomName, sipCallId };
      },
      TransferSIPParticipant(req, call) {
        const roomName = str(req.roomName);
        const identity = str(req.participantIdentity);
        if (!roomName) throw invalid('Missing room name');
        if (!identity) throw invalid('Missing participant identity');
        requireGrants(call, { room: roomName });
        const st = opts.rooms.require(roomName);
        const p = st.participants.get(identity);
        if (!p) throw new MockError('not_found', 'participant does not exist');
        const attrs = (p.attributes as Record<string, string> | undefined) ?? {};
        if (!Object.hasOwn(attrs, 'sip.callID')) throw invalid('no SIP session associated with participant');
        opts.rooms.removeParticipant(st, identity);
        emit('TransferSIPParticipant', roomName, { identity, transferTo: str(req.transferTo) });
        return { transferId: livekitId('STR_'), status: 'STS_TRANSFER_SUCCESSFUL', reason: 'STR_COMPLETED' };
      },
    },
  };
}
