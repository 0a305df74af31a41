/**
 * What the replay pane offers to send to: every method of the loaded services and the LiveKit
 * signal connection (websocket), and the presets (the LiveKit dev server; the running mock in
 * each transport, its /rtc included).
 */
import type { Root, Type } from 'protobufjs';
import type { ReplayAuth, ReplayMethodInfo, ReplayPreset } from '../../core/api/replay-contract';
import { LIVEKIT_SIGNAL } from '../../core/api/vocabulary';
import { LIVEKIT_DEV_PRESET } from '../livekit/access-token';
import type { RunningMock } from '../mock/mock-server';
import { allServices, callKindOf } from '../rpc/service-method';
import { signalToken, signalTypes } from './signal-target';

/** Methods of the loaded services (LiveKit RoomService and Kik first) and, with the LiveKit schemas, the signal connection. */
export function listReplayMethods(root: Root): ReplayMethodInfo[] {
  const out: ReplayMethodInfo[] = [];
  for (const svc of allServices(root)) {
    const service = svc.fullName.slice(1);
    for (const m of svc.methodsArray) {
      m.resolve();
      out.push({
        id: `${service}/${m.name}`,
        service,
        method: m.name,
        requestType: (m.resolvedRequestType as Type).fullName.slice(1),
        responseType: (m.resolvedResponseType as Type).fullName.slice(1),
        streaming: !!(m.requestStream || m.responseStream),
        kind: callKindOf(m),
        livekit: service.startsWith('livekit.'),
      });
    }
  }
  if (signalTypes(root))
    out.push({
      id: LIVEKIT_SIGNAL.method,
      service: 'livekit',
      method: 'rtc',
      requestType: LIVEKIT_SIGNAL.requestType,
      responseType: LIVEKIT_SIGNAL.responseType,
      streaming: true,
      kind: 'bidi',
      livekit: true,
    });
  const rank = (s: string): number => (s === 'livekit.RoomService' ? 0 : s === 'mobile.video.v1.KikVideo' ? 1 : 2);
  return out.sort((a, b) => rank(a.service) - rank(b.service) || a.id.localeCompare(b.id));
}

/** The presets: the LiveKit dev server, and while the mock runs, the mock in every transport. */
export function replayPresets(mock: RunningMock | undefined): ReplayPreset[] {
  const presets: ReplayPreset[] = [
    {
      name: 'LiveKit dev server (livekit-server --dev)',
      url: LIVEKIT_DEV_PRESET.url,
      transport: 'twirp',
      auth: { kind: 'livekit-key', apiKey: LIVEKIT_DEV_PRESET.apiKey, apiSecret: LIVEKIT_DEV_PRESET.apiSecret },
    },
  ];
  if (mock) {
    const auth: ReplayAuth = { kind: 'livekit-key', apiKey: LIVEKIT_DEV_PRESET.apiKey, apiSecret: LIVEKIT_DEV_PRESET.apiSecret };
    presets.push(
      { name: 'Mock: Twirp', url: mock.httpUrl, transport: 'twirp', auth },
      { name: 'Mock: Twirp JSON', url: mock.httpUrl, transport: 'twirp-json', auth },
      { name: 'Mock: gRPC', url: mock.grpcUrl, transport: 'grpc', auth },
      { name: 'Mock: gRPC-Web', url: mock.httpUrl, transport: 'grpc-web', auth },
      { name: 'Mock: Connect', url: mock.httpUrl, transport: 'connect', auth },
      { name: 'Mock: WebSocket (/rtc)', url: mock.httpUrl.replace(/^http/, 'ws'), transport: 'websocket', auth },
    );
  }
  return presets;
}

/** The join token of the signal connection, minted for the pane: roomJoin on the room, for the identity, with its claims as JSON. */
export async function signalTokenForPane(req: {
  apiKey: string;
  apiSecret: string;
  identity?: string;
  ttlSeconds?: number;
  room?: string;
}): Promise<{ token: string; claims: string }> {
  const token = await signalToken(req);
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as unknown;
  return { token, claims: JSON.stringify(payload, null, 2) };
}
