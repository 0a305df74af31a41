/**
 * Which HTTP bodies and WebSocket messages are protobuf, and how they are framed and typed:
 * from the content type, the URL path (Twirp `/twirp/pkg.Service/Method`, Connect and
 * gRPC-Web `/pkg.Service/Method`) and the loaded schemas.
 */
import type { Method, Service, Type } from 'protobufjs';
import type { BodyEncoding, BodyFraming, CaptureProtocol } from './capture-model';

/** What classification needs from the loaded schemas (the SchemaRegistry has it). */
export interface CaptureSchemas {
  findService(name: string): Service | undefined;
  findMessage(name: string): Type | undefined;
  messageTypes(): Type[];
}

/** An RPC named by a URL path. */
export interface RpcPath {
  /** "pkg.Service". */
  service: string;
  method: string;
  /** The path has Twirp's `/twirp/` prefix. */
  twirp: boolean;
}

/** How a body is carried, as classifyBody decides. */
export interface BodyKind {
  protocol: CaptureProtocol;
  framing: BodyFraming;
  encoding: BodyEncoding;
  grpcWebText: boolean;
}

/** A content type split into its lowercase media type and its parameters. */
export interface MediaType {
  mime: string;
  params: Record<string, string>;
}

/** Splits "application/x-protobuf; proto=pkg.Msg" into the media type and its parameters. */
export function parseMediaType(value: string | undefined): MediaType {
  if (!value) return { mime: '', params: {} };
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { mime: head.trim().toLowerCase(), params };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** The path of a URL (without query or fragment); the URL itself when it does not parse. */
export function urlPath(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return m ? m[1] || '/' : url.replace(/[?#].*$/, '');
}

/**
 * The RPC a URL names: its last two path segments as `pkg.Service/Method` (the service
 * package-qualified, or known to `schemas`), Twirp when `twirp` is the segment before them.
 */
export function rpcPathOf(url: string, schemas?: CaptureSchemas): RpcPath | undefined {
  const segments = urlPath(url).split('/').filter(Boolean);
  if (segments.length < 2) return undefined;
  const service = safeDecode(segments[segments.length - 2]);
  const method = safeDecode(segments[segments.length - 1]);
  if (!IDENT.test(method)) return undefined;
  if (!QUALIFIED.test(service) && !(IDENT.test(service) && schemas?.findService(service))) return undefined;
  return { service, method, twirp: segments[segments.length - 3] === 'twirp' };
}

/** The query parameters of a URL, percent-decoded, in order (a name may repeat). */
export function queryList(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const out: [string, string][] = [];
  for (const part of url
    .slice(q + 1)
    .replace(/#.*$/, '')
    .split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = safeDecode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    out.push([name, eq < 0 ? '' : safeDecode(part.slice(eq + 1).replace(/\+/g, ' '))]);
  }
  return out;
}

/** The query parameters of a URL, percent-decoded (the first of each name). */
export function queryParams(url: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of queryList(url)) if (!out.has(k)) out.set(k, v);
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The method an RPC path names in the loaded schemas, if any. */
export function findMethod(schemas: CaptureSchemas | undefined, rpc: RpcPath | undefined): Method | undefined {
  if (!schemas || !rpc) return undefined;
  const svc = schemas.findService(rpc.service);
  const m = svc?.methods[rpc.method];
  return m ?? undefined;
}

/** Media types that hold one binary protobuf message (Connect's own `application/proto` aside). */
const PROTOBUF_TYPES = new Set([
  'application/protobuf',
  'application/x-protobuf',
  'application/x-protobuffer',
  'application/vnd.google.protobuf',
  'application/x-google-protobuf',
  'application/octet-stream+protobuf',
]);

/**
 * How a body of this media type is carried, or undefined when it is not protobuf. `rpc`: the
 * RPC the URL names; `knownMethod`: whether the loaded schemas have that method (JSON bodies
 * outside a Twirp path count only then, so ordinary JSON APIs are not listed).
 */
export function classifyBody(media: MediaType, rpc: RpcPath | undefined, knownMethod: boolean): BodyKind | undefined {
  const { mime } = media;
  const kind = (protocol: CaptureProtocol, framing: BodyFraming, encoding: BodyEncoding, grpcWebText = false): BodyKind => ({
    protocol,
    framing,
    encoding,
    grpcWebText,
  });
  switch (mime) {
    case 'application/grpc-web':
    case 'application/grpc-web+proto':
      return kind('grpc-web', 'grpc-web', 'proto');
    case 'application/grpc-web+json':
      return kind('grpc-web', 'grpc-web', 'json');
    case 'application/grpc-web-text':
    case 'application/grpc-web-text+proto':
      return kind('grpc-web', 'grpc-web', 'proto', true);
    case 'application/grpc-web-text+json':
      return kind('grpc-web', 'grpc-web', 'json', true);
    case 'application/connect+proto':
      return kind('connect', 'connect-stream', 'proto');
    case 'application/connect+json':
      return kind('connect', 'connect-stream', 'json');
    case 'application/proto':
      return kind(rpc ? 'connect' : 'http', 'single', 'proto');
    case 'application/octet-stream':
      // Any binary data: protobuf only on a Twirp path, or on a path naming a method the schemas know.
      if (rpc?.twirp) return kind('twirp', 'single', 'proto');
      return rpc && knownMethod ? kind('connect', 'single', 'proto') : undefined;
    case 'application/json':
      if (rpc?.twirp) return kind('twirp', 'single', 'json');
      return rpc && knownMethod ? kind('connect', 'single', 'json') : undefined;
    default:
      if (!PROTOBUF_TYPES.has(mime)) return undefined;
      // Twirp serves application/protobuf, under /twirp or another prefix; elsewhere it is plain HTTP.
      if (rpc) return kind('twirp', 'single', 'proto');
      return kind('http', media.params.encoding === 'delimited' ? 'delimited' : 'single', 'proto');
  }
}

/** The message type a content type's parameters name (`proto=`, `messagetype=`, `type=`), if any. */
export function typeFromMediaType(media: MediaType): string | undefined {
  const name = media.params.proto ?? media.params.messagetype ?? media.params.type;
  return name && QUALIFIED.test(name.replace(/^\./, '')) ? name.replace(/^\./, '') : undefined;
}

/** Whether a WebSocket URL is a LiveKit signal channel (`/rtc`, `/rtc/v1`). */
export function isLiveKitSignalUrl(url: string): boolean {
  return /\/rtc(\/v\d+)?\/?$/.test(urlPath(url));
}
