/**
 * Every LiveKit service of the mock, over one set of rooms and one set of API keys: the stateful
 * RoomService, Egress, Ingress, SIP, AgentDispatchService and Connector mocks, and for the other
 * `livekit.` services (LiveKit Cloud's) the auth middleware and grant check in front of the generic
 * answer. Grants follow core-node/livekit/grants.ts (the table is in README.md).
 */
import { grantRuleOf, roomFieldsOf } from '../livekit/grants';
import { apiKeys } from './livekit-auth';
import { authenticateLiveKit, requireGrants, type LiveKitAuth } from './livekit-auth';
import { LiveKitRooms } from './livekit-rooms';
import { createLiveKitRoomService, type LiveKitMockEvent } from './livekit-room-service';
import { createEgressService } from './livekit-egress-service';
import { createIngressService } from './livekit-ingress-service';
import { createSipService } from './livekit-sip-service';
import { createAgentDispatchService, createConnectorService } from './livekit-dispatch-service';
import type { MockFixture } from './fixture';
import type { JsonObject, MockServiceImpl } from './mock-service';

/** What the LiveKit mocks need. */
export interface LiveKitMocksOptions {
  apiKey: string;
  apiSecret: string;
  fixture?: MockFixture;
  /** Most rooms held at once. */
  maxRooms?: number;
  /** Every loaded service's full name (the generic LiveKit services get auth in front). */
  serviceNames: readonly string[];
  onEvent(e: LiveKitMockEvent): void;
  now?(): Date;
}

/** The LiveKit mocks: one implementation per loaded LiveKit service, and the rooms they share. */
export interface LiveKitMocks {
  impls: MockServiceImpl[];
  rooms: LiveKitRooms;
  /** Rooms as /_mock/status shows them. */
  roomList(): JsonObject[];
  /** livekit-server's auth middleware over the mock's keys: the claims, or null without a token; throws a 401 MockError for a bad one. */
  authenticate(headers: Readonly<Record<string, string>>): Promise<LiveKitAuth>;
}

/** Creates the LiveKit mocks for the loaded services. */
export function createLiveKitMocks(opts: LiveKitMocksOptions): LiveKitMocks {
  const now = opts.now ?? (() => new Date());
  const keys = apiKeys(opts.apiKey, opts.apiSecret);
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent({ kind: 'livekit', method, room, detail });
  const rooms = new LiveKitRooms({ now, maxRooms: opts.maxRooms, onClosed: (room, why) => emit('RoomClosed', room, { why }) });
  const roomService = createLiveKitRoomService({ keys, rooms, fixture: opts.fixture, onEvent: opts.onEvent, now });
  const shared = { keys, rooms, now, onEvent: emit };
  const stateful = [
    roomService,
    createEgressService(shared),
    createIngressService(shared),
    createSipService(shared),
    createAgentDispatchService(shared),
    createConnectorService(shared),
  ];
  const names = new Set(opts.serviceNames);
  const impls = stateful.filter((s) => names.has(s.service));
  for (const service of names) {
    if (!service.startsWith('livekit.') || impls.some((s) => s.service === service) || !grantRuleOf(service)) continue;
    const fields = roomFieldsOf(service);
    const pick = (req: JsonObject, keys: string[]): string | undefined =>
      keys.map((k) => req[k]).find((v): v is string => typeof v === 'string');
    impls.push({
      service,
      generic: true,
      methods: {},
      authenticate: (headers) => authenticateLiveKit(headers, keys, now()),
      authorize: (req, call) => requireGrants(call, { room: pick(req, fields.room), destinationRoom: pick(req, fields.destinationRoom) }),
    });
  }
  return { impls, rooms, roomList: () => roomService.rooms(), authenticate: (headers) => authenticateLiveKit(headers, keys, now()) };
}
