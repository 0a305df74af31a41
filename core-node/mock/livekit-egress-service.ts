/**
 * A mock of livekit-server's Egress service (pkg/service/egress.go): every method needs the
 * video.roomRecord grant; a room-based egress needs its room ("requested room does not exist");
 * egresses get EG_ ids, start EGRESS_STARTING and are EGRESS_ACTIVE from then on; StopEgress ends
 * one (EGRESS_ENDING in the answer, EGRESS_COMPLETE after), and stopping or updating one that has
 * ended is `failed_precondition` ("egress with status EGRESS_COMPLETE cannot be stopped"); an unknown
 * id is `not_found` "egress does not exist".
 */
import { MockError } from './mock-errors';
import { livekitId, type LiveKitRooms } from './livekit-rooms';
import { authenticateLiveKit, requireGrants, type ApiKeys } from './livekit-auth';
import { EntityStore, nanos, obj, str, strs } from './livekit-store';
import type { JsonObject, MockCallContext, MockServiceImpl } from './mock-service';

/** What the Egress mock needs. */
export interface EgressMockOptions {
  keys: ApiKeys;
  rooms: LiveKitRooms;
  now(): Date;
  onEvent?(method: string, room: string, detail: JsonObject): void;
}

/** The stream URLs a start request names (stream outputs, old and new style). */
function streamUrls(req: JsonObject): string[] {
  const outs = [obj(req.stream), ...((req.streamOutputs as unknown[]) ?? []).map(obj)];
  for (const o of (req.outputs as unknown[]) ?? []) outs.push(obj(obj(o)?.stream));
  return outs.flatMap((o) => strs(o?.urls));
}

/** The file paths a start request names. */
function filePaths(req: JsonObject): string[] {
  const outs = [obj(req.file), ...((req.fileOutputs as unknown[]) ?? []).map(obj)];
  for (const o of (req.outputs as unknown[]) ?? []) outs.push(obj(obj(o)?.file));
  return outs.filter((o): o is JsonObject => !!o).map((o) => str(o.filepath) || 'recording.mp4');
}

const LIVE = new Set(['EGRESS_STARTING', 'EGRESS_ACTIVE']);

/** Creates the Egress mock. */
export function createEgressService(opts: EgressMockOptions): MockServiceImpl {
  const egresses = new EntityStore('egresses', 'egress does not exist');
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.(method, room, detail);

  const start = (call: MockCallContext, kind: string, req: JsonObject, roomName: string, sourceType: string): JsonObject => {
    requireGrants(call);
    const room = roomName ? opts.rooms.require(roomName) : undefined;
    const t = nanos(opts.now());
    const egressId = livekitId('EG_');
    const info: JsonObject = {
      egressId,
      roomId: str(room?.room.sid),
      roomName,
      sourceType,
      status: 'EGRESS_STARTING',
      startedAt: t,
      updatedAt: t,
      [kind]: req,
      streamResults: streamUrls(req).map((url) => ({ url, startedAt: t, status: 'ACTIVE' })),
      fileResults: filePaths(req).map((filename) => ({ filename, startedAt: t })),
    };
    egresses.add(egressId, info);
    if (room && kind === 'roomComposite') room.room.activeRecording = true;
    emit(call.method, roomName, { egressId });
    const answer = structuredClone(info);
    info.status = 'EGRESS_ACTIVE';
    return answer;
  };

  const live = (id: string, verb: string): JsonObject => {
    const info = egresses.require(id);
    if (!LIVE.has(str(info.status))) throw new MockError('failed_precondition', `egress with status ${str(info.status)} cannot be ${verb}`);
    return info;
  };

  const refreshRecording = (roomName: string): void => {
    const st = opts.rooms.get(roomName);
    if (st) st.room.activeRecording = egresses.all().some((e) => e.roomName === roomName && e.roomComposite && LIVE.has(str(e.status)));
  };

  return {
    service: 'livekit.Egress',
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, opts.now()),
    methods: {
      StartEgress: (req, call) =>
        start(call, 'egress', req, str(req.roomName), req.web ? 'EGRESS_SOURCE_TYPE_WEB' : 'EGRESS_SOURCE_TYPE_SDK'),
      StartRoomCompositeEgress: (req, call) => start(call, 'roomComposite', req, str(req.roomName), 'EGRESS_SOURCE_TYPE_WEB'),
      StartWebEgress: (req, call) => start(call, 'web', req, '', 'EGRESS_SOURCE_TYPE_WEB'),
      StartParticipantEgress: (req, call) => start(call, 'participant', req, str(req.roomName), 'EGRESS_SOURCE_TYPE_SDK'),
      StartTrackCompositeEgress: (req, call) => start(call, 'trackComposite', req, str(req.roomName), 'EGRESS_SOURCE_TYPE_SDK'),
      StartTrackEgress: (req, call) => start(call, 'track', req, str(req.roomName), 'EGRESS_SOURCE_TYPE_SDK'),
      UpdateLayout(req, call) {
        requireGrants(call);
        const info = egresses.require(str(req.egressId));
        const rc = obj(info.roomComposite);
        if (rc) rc.layout = str(req.layout);
        info.updatedAt = nanos(opts.now());
        emit('UpdateLayout', str(info.roomName), { egressId: info.egressId as string, layout: str(req.layout) });
        return info;
      },
      UpdateStream(req, call) {
        requireGrants(call);
        const info = live(str(req.egressId), 'updated');
        const t = nanos(opts.now());
        const results = (info.streamResults as JsonObject[]) ?? [];
        for (const url of strs(req.addOutputUrls)) results.push({ url, startedAt: t, status: 'ACTIVE' });
        const removed = new Set(strs(req.removeOutputUrls));
        for (const r of results) if (removed.has(str(r.url)) && r.status === 'ACTIVE') Object.assign(r, { status: 'FINISHED', endedAt: t });
        info.streamResults = results;
        info.updatedAt = t;
        emit('UpdateStream', str(info.roomName), { egressId: info.egressId as string });
        return info;
      },
      ListEgress(req, call) {
        requireGrants(call);
        if (str(req.egressId)) return { items: [egresses.require(str(req.egressId))] };
        const room = str(req.roomName);
        const items = egresses.all().filter((e) => (!room || e.roomName === room) && (req.active !== true || LIVE.has(str(e.status))));
        return { items };
      },
      StopEgress(req, call) {
        requireGrants(call);
        const info = live(str(req.egressId), 'stopped');
        const t = nanos(opts.now());
        for (const r of (info.streamResults as JsonObject[]) ?? [])
          if (r.status === 'ACTIVE') Object.assign(r, { status: 'FINISHED', endedAt: t });
        for (const f of (info.fileResults as JsonObject[]) ?? []) f.endedAt = t;
        Object.assign(info, { status: 'EGRESS_ENDING', updatedAt: t });
        const answer = structuredClone(info);
        Object.assign(info, { status: 'EGRESS_COMPLETE', endedAt: t });
        refreshRecording(str(info.roomName));
        emit('StopEgress', str(info.roomName), { egressId: info.egressId as string });
        return answer;
      },
    },
  };
}
