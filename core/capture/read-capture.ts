/**
 * Lists a HAR file as a capture: every protobuf body (HTTP request and response bodies of
 * Twirp, Connect, gRPC-Web and protobuf-typed HTTP calls; WebSocket binary messages) in time
 * order, with direction, URL, RPC, status, size and, where the URL says it, the message type.
 * No body is decoded here (see open-entry.ts), so a 100 MB HAR lists in a single pass.
 */
import { base64DecodedLength, decodeBase64String } from './base64-bytes';
import type { BodyEncoding, BodySource, Capture, CaptureDirection, CaptureEntry, TypeSource } from './capture-model';
import {
  classifyBody,
  findMethod,
  isLiveKitSignalUrl,
  parseMediaType,
  queryParams,
  rpcPathOf,
  typeFromMediaType,
  type BodyKind,
  type CaptureSchemas,
  type MediaType,
  type RpcPath,
} from './classify';
import { readHar, type HarEntry, type HarMessage } from './har-read';
import { JsonCursor } from './json-cursor';
import { applyTypeOverrides, type TypeOverrides } from './type-overrides';

/** Options of readCapture. */
export interface ReadCaptureOptions {
  /** The loaded schemas: RPC methods give the types; without them only the URL's names are shown. */
  schemas?: CaptureSchemas;
  /** Types chosen by the user, per entry or per URL pattern. */
  overrides?: TypeOverrides;
}

/** LiveKit's signal message types, by direction. */
export const LIVEKIT_SIGNAL_TYPES: Readonly<Record<CaptureDirection, string>> = {
  request: 'livekit.SignalRequest',
  response: 'livekit.SignalResponse',
};

/** The type of the `join_request` URL parameter of a LiveKit signal connection. */
export const LIVEKIT_JOIN_REQUEST_TYPE = 'livekit.WrappedJoinRequest';

/** An entry before it has its place in the capture. */
type Draft = Omit<
  CaptureEntry,
  | 'index'
  | 'type'
  | 'typeSource'
  | 'frameIndex'
  | 'declaredSize'
  | 'grpcWebText'
  | 'contentEncoding'
  | 'messageEncoding'
  | 'rpc'
  | 'status'
  | 'size'
> &
  Partial<
    Pick<CaptureEntry, 'frameIndex' | 'declaredSize' | 'grpcWebText' | 'contentEncoding' | 'messageEncoding' | 'rpc' | 'status' | 'size'>
  >;

/** An entry from a draft, every field present (so all entries share one shape). */
function entryOf(d: Draft): CaptureEntry {
  return {
    index: -1,
    harIndex: d.harIndex,
    frameIndex: d.frameIndex,
    time: d.time,
    direction: d.direction,
    protocol: d.protocol,
    url: d.url,
    httpMethod: d.httpMethod,
    rpc: d.rpc,
    status: d.status,
    size: d.size,
    declaredSize: d.declaredSize,
    contentType: d.contentType,
    framing: d.framing,
    encoding: d.encoding,
    grpcWebText: d.grpcWebText,
    contentEncoding: d.contentEncoding,
    messageEncoding: d.messageEncoding,
    type: d.autoType,
    typeSource: d.autoTypeSource,
    autoType: d.autoType,
    autoTypeSource: d.autoTypeSource,
    body: d.body,
    notes: d.notes,
  };
}

const NO_NOTES: readonly string[] = Object.freeze([]);

/** Lists the protobuf exchanges of a HAR file (see the module comment); throws HarFormatError on a malformed file. */
export function readCapture(bytes: Uint8Array, options: ReadCaptureOptions = {}): Capture {
  const har = readHar(bytes);
  const cur = new JsonCursor(bytes);
  const drafts: CaptureEntry[] = [];
  let skippedEntries = 0;
  let skippedTextFrames = 0;
  for (const e of har.entries) {
    const before = drafts.length;
    if (e.webSocketMessages || /^wss?:/i.test(e.url)) skippedTextFrames += addWebSocket(drafts, e, bytes, options.schemas);
    else addHttp(drafts, e, bytes, cur, options.schemas);
    if (drafts.length === before) skippedEntries++;
  }
  // Time order; entries without a usable time keep their file order, after the others.
  const order = drafts.map((_, i) => i);
  const key = (i: number) => (Number.isNaN(drafts[i].time) ? Infinity : drafts[i].time);
  order.sort((a, b) => key(a) - key(b) || a - b);
  const entries: CaptureEntry[] = order.map((i, index) => {
    const e = drafts[i];
    e.index = index;
    return e;
  });
  const capture: Capture = { source: bytes, creator: har.creator, entries, skippedEntries, skippedTextFrames };
  return options.overrides ? applyTypeOverrides(capture, options.overrides, options.schemas) : capture;
}

function header(m: HarMessage, name: string): string | undefined {
  for (const [n, v] of m.headers) if (n === name) return v;
  return undefined;
}

/** A type name checked against the loaded schemas: undefined (with a note) when it is not loaded. */
function loadedType(schemas: CaptureSchemas | undefined, name: string, notes: string[]): string | undefined {
  if (!schemas || schemas.findMessage(name)) return name;
  notes.push(`type ${name} is not loaded`);
  return undefined;
}

function addHttp(out: CaptureEntry[], e: HarEntry, src: Uint8Array, cur: JsonCursor, schemas: CaptureSchemas | undefined): void {
  const rpc = rpcPathOf(e.url, schemas);
  const method = findMethod(schemas, rpc);
  const reqMedia = parseMediaType(header(e.request, 'content-type') ?? e.request.mimeType);
  const resMedia = parseMediaType(header(e.response, 'content-type') ?? e.response.mimeType);
  let reqKind = classifyBody(reqMedia, rpc, method !== undefined);
  let resKind = classifyBody(resMedia, rpc, method !== undefined);
  const connectGet = e.method === 'GET' && !reqKind ? connectGetMessage(e.url) : undefined;
  if (connectGet) reqKind = { protocol: 'connect', framing: 'single', encoding: connectGet.encoding, grpcWebText: false };
  const failed = e.status === undefined || e.status === 0 || e.error !== undefined;
  // A failed exchange whose request was listed gets a response entry that says why.
  if (!resKind && reqKind && failed) resKind = reqKind;
  if (!reqKind && !resKind) return;
  const rpcName = rpc ? `${rpc.service}/${rpc.method}` : undefined;
  const base = {
    harIndex: e.index,
    url: e.url,
    httpMethod: e.method,
    rpc: rpcName,
    status: e.status,
  };
  if (reqKind && (e.method !== 'GET' || connectGet)) {
    const notes: string[] = [];
    const body = connectGet ? connectGet.body : bodySource(src, cur, e.request, reqKind, notes);
    const t = autoType(schemas, reqKind, rpc, method?.resolvedRequestType?.fullName, reqMedia, notes);
    out.push(
      entryOf({
        ...base,
        ...kindFields(reqKind, e.request, reqMedia),
        time: e.started,
        direction: 'request',
        size: sizeOf(src, body, e.request),
        body,
        autoType: t.type,
        autoTypeSource: t.source,
        notes,
      }),
    );
  }
  if (resKind) {
    const notes: string[] = [];
    let body: BodySource;
    if (failed) {
      body = {
        kind: 'unavailable',
        reason: `no response${e.error ? ` (${e.error})` : e.status ? '' : ' (status 0: the request did not complete)'}`,
      };
    } else {
      body = bodySource(src, cur, e.response, resKind, notes);
    }
    const grpcStatus = header(e.response, 'grpc-status');
    if (grpcStatus !== undefined && grpcStatus !== '0') {
      const msg = header(e.response, 'grpc-message');
      notes.push(`grpc-status ${grpcStatus}${msg ? `: ${safeUriDecode(msg)}` : ''}`);
    }
    const errorStatus = e.status !== undefined && e.status >= 400;
    if (errorStatus) notes.push(`HTTP ${e.status}`);
    const t =
      errorStatus && resKind.framing === 'single'
        ? { type: undefined, source: 'none' as TypeSource }
        : autoType(schemas, resKind, rpc, method?.resolvedResponseType?.fullName, resMedia, notes);
    out.push(
      entryOf({
        ...base,
        ...kindFields(resKind, e.response, resMedia),
        time: Number.isFinite(e.started) ? e.started + e.time : NaN,
        direction: 'response',
        size: sizeOf(src, body, e.response),
        body,
        autoType: t.type,
        autoTypeSource: t.source,
        notes,
      }),
    );
  }
}

function kindFields(kind: BodyKind, m: HarMessage, media: MediaType) {
  const contentEncoding = header(m, 'content-encoding')?.toLowerCase();
  const messageEncoding = (header(m, 'grpc-encoding') ?? header(m, 'connect-content-encoding'))?.toLowerCase();
  return {
    protocol: kind.protocol,
    framing: kind.framing,
    encoding: kind.encoding,
    grpcWebText: kind.grpcWebText || undefined,
    contentType: media.mime,
    contentEncoding: contentEncoding && contentEncoding !== 'identity' ? contentEncoding : undefined,
    messageEncoding: messageEncoding && messageEncoding !== 'identity' ? messageEncoding : undefined,
    declaredSize: m.size,
  };
}

function autoType(
  schemas: CaptureSchemas | undefined,
  kind: BodyKind,
  rpc: RpcPath | undefined,
  methodType: string | undefined,
  media: MediaType,
  notes: string[],
): { type: string | undefined; source: TypeSource } {
  if (methodType) return { type: methodType.replace(/^\./, ''), source: 'method' };
  if (rpc) notes.push(schemas ? `method ${rpc.service}/${rpc.method} is not in the loaded schemas` : 'no schemas loaded');
  const named = typeFromMediaType(media);
  if (named) {
    const t = loadedType(schemas, named, notes);
    if (t) return { type: t, source: 'content-type' };
  }
  // A JSON body cannot be typed by detection: without its method it stays undecoded.
  if (kind.encoding === 'json') return { type: undefined, source: 'none' };
  return { type: undefined, source: 'detect' };
}

const REPLACEMENT = [0xef, 0xbf, 0xbd]; // U+FFFD in UTF-8

/** Whether stored text holds U+FFFD (raw or as a \ufffd escape): bytes were lost when the HAR was written. */
function holdsReplacementChar(src: Uint8Array, start: number, end: number): boolean {
  for (let p = src.indexOf(REPLACEMENT[0], start); p >= 0 && p < end; p = src.indexOf(REPLACEMENT[0], p + 1)) {
    if (src[p + 1] === REPLACEMENT[1] && src[p + 2] === REPLACEMENT[2]) return true;
  }
  for (let p = src.indexOf(0x5c, start); p >= 0 && p < end; p = src.indexOf(0x5c, p + 2)) {
    if (src[p + 1] === 0x75 && /^fffd$/i.test(String.fromCharCode(src[p + 2], src[p + 3], src[p + 4], src[p + 5]))) return true;
  }
  return false;
}

function bodySource(src: Uint8Array, cur: JsonCursor, m: HarMessage, kind: BodyKind, notes: string[]): BodySource {
  if (m.text) {
    const { span, encoding } = m.text;
    const base64 = encoding !== undefined && encoding.toLowerCase() === 'base64';
    if (encoding !== undefined && encoding !== '' && !base64) {
      return { kind: 'unavailable', reason: `the body is stored with an encoding this reader does not know ('${encoding}')` };
    }
    if (!base64 && kind.encoding === 'proto' && !kind.grpcWebText && holdsReplacementChar(src, span.start, span.end)) {
      return {
        kind: 'unavailable',
        reason:
          'lossy body: binary bytes were stored as text and invalid UTF-8 became U+FFFD replacement characters, so the original bytes are lost',
      };
    }
    if (span.escaped && span.end - span.start < 4096) {
      // Small escaped text (JSON bodies, binary with control characters) is checked now; bigger text when opened.
      try {
        cur.spanText(span);
      } catch (e) {
        return { kind: 'unavailable', reason: `the stored body is not a well-formed JSON string: ${(e as Error).message}` };
      }
    }
    if (m.comment) notes.push(m.comment);
    return { kind: 'stored', span, base64 };
  }
  const declared = m.size ?? m.bodySize;
  if (declared === 0) return { kind: 'empty' };
  const why = m.comment
    ? `the HAR holds no body (${m.comment})`
    : declared !== undefined
      ? `the HAR holds no body (${declared} bytes were sent; the tool that saved it dropped the body)`
      : 'the HAR holds no body';
  return { kind: 'unavailable', reason: why };
}

/** The body size known without decoding: exact for base64 and unescaped text, else the HAR's own figure. */
function sizeOf(src: Uint8Array, body: BodySource, m: HarMessage): number | undefined {
  switch (body.kind) {
    case 'empty':
      return 0;
    case 'inline':
      return body.bytes.length;
    case 'stored':
      if (body.base64) return base64DecodedLength(src, body.span.start, body.span.end);
      return body.span.escaped ? (m.bodySize ?? m.size) : body.span.end - body.span.start;
    default:
      return m.bodySize ?? m.size;
  }
}

function safeUriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The message of a Connect GET request (`?connect=v1&encoding=proto&base64=1&message=...`), if the URL is one. */
function connectGetMessage(url: string): { body: BodySource; encoding: BodyEncoding } | undefined {
  const q = queryParams(url);
  const encoding = q.get('encoding');
  const message = q.get('message');
  if (message === undefined || (encoding !== 'proto' && encoding !== 'json')) return undefined;
  if (q.get('connect') === undefined && q.get('base64') === undefined) return undefined;
  try {
    const bytes = q.get('base64') === '1' ? decodeBase64String(message) : new TextEncoder().encode(message);
    return { body: { kind: 'inline', bytes }, encoding };
  } catch (e) {
    return { body: { kind: 'unavailable', reason: `the message URL parameter is not base64: ${(e as Error).message}` }, encoding };
  }
}

function addWebSocket(out: CaptureEntry[], e: HarEntry, src: Uint8Array, schemas: CaptureSchemas | undefined): number {
  const signal = isLiveKitSignalUrl(e.url);
  const base = {
    harIndex: e.index,
    url: e.url,
    httpMethod: e.method || 'GET',
    protocol: 'websocket' as const,
    contentType: '',
    framing: 'single' as const,
    encoding: 'proto' as const,
  };
  if (signal) {
    // Newer LiveKit clients send their JoinRequest in the URL, as base64 of a WrappedJoinRequest.
    const join = queryParams(e.url).get('join_request');
    if (join !== undefined) {
      const notes: string[] = [];
      let body: BodySource;
      try {
        body = { kind: 'inline', bytes: decodeBase64String(join) };
      } catch (err) {
        body = { kind: 'unavailable', reason: `the join_request URL parameter is not base64: ${(err as Error).message}` };
      }
      const type = loadedType(schemas, LIVEKIT_JOIN_REQUEST_TYPE, notes);
      notes.push('join_request URL parameter');
      out.push(
        entryOf({
          ...base,
          time: e.started,
          direction: 'request',
          status: e.status,
          size: body.kind === 'inline' ? body.bytes.length : undefined,
          body,
          autoType: type,
          autoTypeSource: type ? 'signal' : 'detect',
          notes,
        }),
      );
    }
  }
  let skipped = 0;
  const messages = e.webSocketMessages ?? [];
  // The same type (and note) for every message of one direction: looked up once.
  const typed = (direction: CaptureDirection) => {
    const notes: string[] = [];
    const type = signal ? loadedType(schemas, LIVEKIT_SIGNAL_TYPES[direction], notes) : undefined;
    return { type, source: (type ? 'signal' : 'detect') as TypeSource, notes: notes.length ? Object.freeze(notes) : NO_NOTES };
  };
  const types = { request: typed('request'), response: typed('response') };
  const url = e.url;
  const httpMethod = e.method || 'GET';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.opcode !== 2 || (m.type !== 'send' && m.type !== 'receive')) {
      skipped++;
      continue;
    }
    const direction: CaptureDirection = m.type === 'send' ? 'request' : 'response';
    const t = types[direction];
    const body: BodySource = m.data
      ? { kind: 'stored', span: m.data, base64: true }
      : { kind: 'unavailable', reason: 'the HAR holds no data for this message' };
    out.push({
      index: -1,
      harIndex: e.index,
      frameIndex: i,
      time: messageTimeMs(m.time),
      direction,
      protocol: 'websocket',
      url,
      httpMethod,
      rpc: undefined,
      status: undefined,
      size: m.data ? base64DecodedLength(src, m.data.start, m.data.end) : undefined,
      declaredSize: undefined,
      contentType: '',
      framing: 'single',
      encoding: 'proto',
      grpcWebText: undefined,
      contentEncoding: undefined,
      messageEncoding: undefined,
      type: t.type,
      typeSource: t.source,
      autoType: t.type,
      autoTypeSource: t.source,
      body,
      notes: t.notes,
    });
  }
  return skipped;
}

/**
 * A WebSocket message's time in ms since the epoch. Chrome writes seconds (1.7e9 today),
 * Playwright's recordHar milliseconds (1.7e12): a value past 1e11 (year 5138 in seconds, 1973
 * in ms) is read as milliseconds.
 */
function messageTimeMs(time: number): number {
  if (!Number.isFinite(time)) return NaN;
  return time > 1e11 ? time : time * 1000;
}
