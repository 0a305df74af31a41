/**
 * Mocks of livekit-server's AgentDispatchService (pkg/service/agent_dispatch_service.go: roomAdmin on
 * the request's room) and of LiveKit Cloud's Connector (WhatsApp and Twilio calls: video.roomCreate,
 * as the SDKs mint it). Dispatches get AD_ ids and open their room as LiveKit does; an unknown
 * dispatch is `not_found`. Connector calls check the fields the Cloud service requires
 * (`invalid_argument`) and answer with call ids and rooms.
 */
import { MockError } from './mock-errors';
import { livekitId, type LiveKitRooms } from './livekit-rooms';
import { authenticateLiveKit, invalidArgument, requireGrants, type ApiKeys } from './livekit-auth';
import { EntityStore, nanos, str } from './livekit-store';
import type { JsonObject, MockServiceImpl } from './mock-service';

/** What the dispatch and connector mocks need. */
export interface DispatchMockOptions {
  keys: ApiKeys;
  rooms: LiveKitRooms;
  now(): Date;
  /** Base URL the Twilio connect URL points at. */
  wsUrl?: string;
  onEvent?(method: string, room: string, detail: JsonObject): void;
}

/** Creates the AgentDispatchService mock. */
export function createAgentDispatchService(opts: DispatchMockOptions): MockServiceImpl {
  const dispatches = new EntityStore('agent dispatches', 'dispatch not found');
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.(method, room, detail);
  return {
    service: 'livekit.AgentDispatchService',
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, opts.now()),
    methods: {
      CreateDispatch(req, call) {
        const room = str(req.room);
        requireGrants(call, { room });
        if (!room) throw new MockError('invalid_argument', 'room is required');
        if (!opts.rooms.get(room)) opts.rooms.create(room);
        const dispatch: JsonObject = {
          id: livekitId('AD_'),
          agentName: str(req.agentName),
          room,
          metadata: str(req.metadata),
          state: { jobs: [], createdAt: nanos(opts.now()) },
          ...(req.restartPolicy ? { restartPolicy: req.restartPolicy } : {}),
          ...(str(req.deployment) ? { deployment: req.deployment } : {}),
          ...(req.attributes ? { attributes: req.attributes } : {}),
        };
        dispatches.add(str(dispatch.id), dispatch);
        emit('CreateDispatch', room, { id: str(dispatch.id), agentName: str(dispatch.agentName) });
        return dispatch;
      },
      DeleteDispatch(req, call) {
        const room = str(req.room);
        requireGrants(call, { room });
        const dispatch = dispatches.require(str(req.dispatchId));
        if (dispatch.room !== room) throw new MockError('not_found', 'dispatch not found');
        dispatches.delete(str(req.dispatchId));
        dispatch.state = { ...(dispatch.state as JsonObject), deletedAt: nanos(opts.now()) };
        emit('DeleteDispatch', room, { id: str(dispatch.id) });
        return dispatch;
      },
      ListDispatch(req, call) {
        const room = str(req.room);
        requireGrants(call, { room });
        const id = str(req.dispatchId);
        return { agentDispatches: dispatches.all().filter((d) => d.room === room && (!id || d.id === id)) };
      },
    },
  };
}

/** Creates the Connector mock (WhatsApp and Twilio calls into rooms). */
export function createConnectorService(opts: DispatchMockOptions): MockServiceImpl {
  const calls = new EntityStore('connector calls', 'call not found');
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.(method, room, detail);
  const openRoom = (name: string, prefix: string): string => {
    const room = name || `${prefix}-${livekitId('').slice(0, 8)}`;
    if (!opts.rooms.get(room)) opts.rooms.create(room);
    return room;
  };
  return {
    service: 'livekit.Connector',
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, opts.now()),
    methods: {
      DialWhatsAppCall(req, call) {
        requireGrants(call);
        if (
          !str(req.whatsappPhoneNumberId) ||
          !str(req.whatsappToPhoneNumber) ||
          !str(req.whatsappApiKey) ||
          !str(req.whatsappCloudApiVersion)
        )
          throw invalidArgument('call', 'phone number id, destination, API key and API version are required');
        const roomName = openRoom(str(req.roomName), 'whatsapp');
        const whatsappCallId = `wacid.${livekitId('')}`;
        calls.add(whatsappCallId, { whatsappCallId, roomName });
        emit('DialWhatsAppCall', roomName, { whatsappCallId });
        return { whatsappCallId, roomName };
      },
      AcceptWhatsAppCall(req, call) {
        requireGrants(call);
        if (!str(req.whatsappCallId)) throw invalidArgument('whatsapp_call_id', 'is required');
        if (!str(req.whatsappPhoneNumberId) || !str(req.whatsappApiKey))
          throw invalidArgument('call', 'phone number id and API key are required');
        const roomName = openRoom(str(req.roomName), 'whatsapp');
        if (!calls.get(str(req.whatsappCallId))) calls.add(str(req.whatsappCallId), { whatsappCallId: req.whatsappCallId, roomName });
        emit('AcceptWhatsAppCall', roomName, { whatsappCallId: str(req.whatsappCallId) });
        return { roomName };
      },
      ConnectWhatsAppCall(req, call) {
        requireGrants(call);
        if (!str(req.whatsappCallId)) throw invalidArgument('whatsapp_call_id', 'is required');
        calls.require(str(req.whatsappCallId));
        return {};
      },
      DisconnectWhatsAppCall(req, call) {
        requireGrants(call);
        if (!str(req.whatsappCallId)) throw invalidArgument('whatsapp_call_id', 'is required');
        if (req.disconnectReason !== 'USER_INITIATED' && !str(req.whatsappApiKey))
          throw invalidArgument('whatsapp_api_key', 'is required for business-initiated disconnect');
        calls.delete(str(req.whatsappCallId));
        emit('DisconnectWhatsAppCall', '', { whatsappCallId: str(req.whatsappCallId) });
        return {};
      },
      ConnectTwilioCall(req, call) {
        requireGrants(call);
        const roomName = openRoom(str(req.roomName), 'twilio');
        const base = (opts.wsUrl ?? 'ws://127.0.0.1:7880').replace(/^http/, 'ws').replace(/\/+$/, '');
        emit('ConnectTwilioCall', roomName, {});
        return { connectUrl: `${base}/twilio/${encodeURIComponent(roomName)}?call=${livekitId('TW_')}` };
      },
    },
  };
}
