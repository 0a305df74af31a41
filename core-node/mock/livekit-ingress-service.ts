/**
 * A mock of livekit-server's Ingress service (pkg/service/ingress.go): every method needs the
 * video.ingressAdmin grant; CreateIngress makes an IN_ ingress (RTMP and WHIP: a stream key and the
 * base URL, reusable; URL input: the source URL) in state ENDPOINT_INACTIVE, checked as
 * livekit/protocol's ingress.Validate* does ("invalid ingress: no participant identity", ...); an
 * unknown id is `not_found` "ingress does not exist"; updating a URL ingress is `invalid_argument`
 * "ingress is not reusable and cannot be modified".
 */
import { randomBytes } from 'node:crypto';
import { MockError } from './mock-errors';
import { livekitId } from './livekit-rooms';
import { authenticateLiveKit, requireGrants, type ApiKeys } from './livekit-auth';
import { EntityStore, nanos, obj, str } from './livekit-store';
import type { JsonObject, MockServiceImpl } from './mock-service';

/** What the Ingress mock needs. */
export interface IngressMockOptions {
  keys: ApiKeys;
  now(): Date;
  /** livekit-server's ingress.rtmp_base_url and whip_base_url. */
  rtmpBaseUrl?: string;
  whipBaseUrl?: string;
  onEvent?(method: string, room: string, detail: JsonObject): void;
}

const INPUTS = new Set(['RTMP_INPUT', 'WHIP_INPUT', 'URL_INPUT']);

function invalidIngress(why: string): MockError {
  return new MockError('invalid_argument', `invalid ingress: ${why}`);
}

/** ingress.ValidateForSerialization: the checks an ingress must pass to be stored. */
function validate(info: JsonObject): void {
  const type = str(info.inputType) || 'RTMP_INPUT';
  if (!INPUTS.has(type)) throw invalidIngress('unsupported input type');
  if (type === 'URL_INPUT') {
    if (!str(info.url)) throw invalidIngress('no source URL');
    if (info.enabled === false) throw invalidIngress('disabled non reusable ingress');
  } else if (!str(info.streamKey)) throw invalidIngress('no stream key');
  if (!str(info.participantIdentity)) throw invalidIngress('no participant identity');
}

/** Creates the Ingress mock. */
export function createIngressService(opts: IngressMockOptions): MockServiceImpl {
  const ingresses = new EntityStore('ingresses', 'ingress does not exist');
  const rtmp = opts.rtmpBaseUrl ?? 'rtmp://localhost:1935/x';
  const whip = opts.whipBaseUrl ?? 'http://localhost:8080/w';
  const emit = (method: string, room: string, detail: JsonObject): void => opts.onEvent?.(method, room, detail);

  return {
    service: 'livekit.Ingress',
    authenticate: (headers) => authenticateLiveKit(headers, opts.keys, opts.now()),
    methods: {
      CreateIngress(req, call) {
        requireGrants(call);
        const inputType = str(req.inputType) || 'RTMP_INPUT';
        if (!INPUTS.has(inputType)) throw new MockError('invalid_argument', 'invalid ingress type');
        const url = inputType === 'RTMP_INPUT' ? rtmp : inputType === 'WHIP_INPUT' ? whip : str(req.url);
        if (inputType === 'URL_INPUT') {
          if (!url) throw invalidIngress('missing URL parameter');
          let scheme: string;
          try {
            scheme = new URL(url).protocol.replace(/:$/, '');
          } catch (e) {
            throw new MockError('invalid_argument', (e as Error).message);
          }
          if (!['http', 'https', 'srt'].includes(scheme)) throw invalidIngress(`invalid url scheme ${scheme}`);
        }
        const streamKey = inputType === 'URL_INPUT' ? '' : randomBytes(9).toString('base64url');
        const transcoding = req.enableTranscoding ?? (inputType === 'WHIP_INPUT' ? false : true);
        const info: JsonObject = {
          ingressId: livekitId('IN_'),
          name: str(req.name),
          streamKey,
          url,
          inputType,
          enableTranscoding: transcoding,
          bypassTranscoding: transcoding === false,
          roomName: str(req.roomName),
          participantIdentity: str(req.participantIdentity),
          participantName: str(req.participantName),
          participantMetadata: str(req.participantMetadata),
          reusable: inputType !== 'URL_INPUT',
          state: { status: inputType === 'URL_INPUT' ? 'ENDPOINT_BUFFERING' : 'ENDPOINT_INACTIVE', updatedAt: nanos(opts.now()) },
          ...(req.audio ? { audio: req.audio } : {}),
          ...(req.video ? { video: req.video } : {}),
          ...(req.enabled !== undefined ? { enabled: req.enabled } : {}),
        };
        if (inputType === 'URL_INPUT' && !info.roomName) throw invalidIngress('no room name');
        validate(info);
        ingresses.add(str(info.ingressId), info);
        emit('CreateIngress', str(info.roomName), { ingressId: str(info.ingressId) });
        return info;
      },
      UpdateIngress(req, call) {
        requireGrants(call);
        const info = ingresses.require(str(req.ingressId));
        if (!info.reusable) throw new MockError('invalid_argument', 'ingress is not reusable and cannot be modified');
        const next = structuredClone(info);
        for (const k of ['name', 'roomName', 'participantIdentity', 'participantName', 'participantMetadata'])
          if (str(req[k])) next[k] = req[k];
        for (const k of ['enableTranscoding', 'enabled', 'audio', 'video']) if (req[k] !== undefined) next[k] = req[k];
        if (req.enableTranscoding !== undefined) next.bypassTranscoding = req.enableTranscoding === false;
        validate(next);
        const state = obj(next.state) ?? {};
        if (state.status === 'ENDPOINT_ERROR') state.status = 'ENDPOINT_INACTIVE';
        state.updatedAt = nanos(opts.now());
        next.state = state;
        Object.assign(info, next);
        emit('UpdateIngress', str(info.roomName), { ingressId: str(info.ingressId) });
        return info;
      },
      ListIngress(req, call) {
        requireGrants(call);
        if (str(req.ingressId)) return { items: [ingresses.require(str(req.ingressId))] };
        const room = str(req.roomName);
        return { items: ingresses.all().filter((i) => !room || i.roomName === room) };
      },
      DeleteIngress(req, call) {
        requireGrants(call);
        const info = ingresses.require(str(req.ingressId));
        ingresses.delete(str(req.ingressId));
        const state = obj(info.state) ?? {};
        state.status = 'ENDPOINT_INACTIVE';
        info.state = state;
        emit('DeleteIngress', str(info.roomName), { ingressId: str(info.ingressId) });
        return info;
      },
    },
  };
}
