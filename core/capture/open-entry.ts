/**
 * Opens one capture entry: its stored body back to bytes (base64, JSON string escapes),
 * content decoding undone (through an injected decompressor: core has no zlib), gRPC-Web text
 * decoded, frames and envelopes split, JSON bodies encoded through their schema, and each
 * message typed (the entry's type, or detection). What cannot be read is said, never guessed.
 */
import { rankRegistryTypes } from '../detect/detect-type';
import { encodeMessage } from '../document/encode';
import { fromJson } from '../format';
import { SchemaRegistry } from '../schema/registry';
import { indexStream, messageAt } from '../stream/stream-framing';
import { decodeBase64Bytes } from './base64-bytes';
import type { Capture, CaptureEntry, CaptureMessage, OpenedEntry } from './capture-model';
import type { CaptureSchemas } from './classify';
import { describeTrailers, parseTrailers, splitEnvelopes } from './envelopes';
import { JsonCursor } from './json-cursor';

/**
 * Undoes one content coding ("gzip", "deflate", "br"; also gRPC/Connect message encodings);
 * throws when the bytes are not in that coding or the coding is not supported.
 */
export type Decompress = (bytes: Uint8Array, coding: string) => Uint8Array;

/** Options of openEntry. */
export interface OpenEntryOptions {
  /** The loaded schemas: JSON bodies and type detection need them. */
  schemas?: CaptureSchemas;
  /** Decompression (core-node provides one over node:zlib); without it compressed bodies are reported. */
  decompress?: Decompress;
  /** Detect the type of messages the capture did not type (default true). */
  detect?: boolean;
}

/** The bytes of an entry's body as stored in the HAR (no content decoding); throws on bad base64 or string escapes. */
export function storedBodyBytes(capture: Capture, entry: CaptureEntry): Uint8Array | null {
  const body = entry.body;
  switch (body.kind) {
    case 'empty':
      return new Uint8Array(0);
    case 'inline':
      return body.bytes;
    case 'unavailable':
      return null;
    case 'stored': {
      const { span } = body;
      if (body.base64) {
        if (!span.escaped) return decodeBase64Bytes(capture.source, span.start, span.end);
        return decodeBase64Bytes(new TextEncoder().encode(new JsonCursor(capture.source).spanText(span)));
      }
      if (!span.escaped) return capture.source.subarray(span.start, span.end);
      return new TextEncoder().encode(new JsonCursor(capture.source).spanText(span));
    }
  }
}

/** Opens an entry (see the module comment). Never throws for bad bodies: `problem` says what went wrong. */
export function openEntry(capture: Capture, entry: CaptureEntry, options: OpenEntryOptions = {}): OpenedEntry {
  const notes: string[] = [];
  const fail = (problem: string, body: Uint8Array | null = null, messages: CaptureMessage[] = []): OpenedEntry => ({
    entry,
    body,
    messages,
    problem,
    notes,
  });
  if (entry.body.kind === 'unavailable') return fail(entry.body.reason);
  let stored: Uint8Array;
  try {
    stored = storedBodyBytes(capture, entry)!;
  } catch (e) {
    return fail(`the stored body does not decode: ${(e as Error).message}`);
  }
  const decoded = undoContentEncoding(stored, entry, options.decompress, notes);
  if (typeof decoded === 'string') return fail(decoded);
  let body = decoded;
  if (entry.grpcWebText) {
    try {
      body = decodeBase64Bytes(decoded);
    } catch (e) {
      return fail(`the gRPC-Web text body is not base64: ${(e as Error).message}`, decoded);
    }
  }

  // An error response of a unary RPC is JSON ({"code","msg"} for Twirp, {"code","message"} for Connect).
  if (entry.typeSource === 'none' && entry.framing === 'single' && entry.status !== undefined && entry.status >= 400) {
    notes.push(describeErrorBody(body, entry));
    return { entry, body, messages: [], notes };
  }

  const payloads: { bytes: Uint8Array; offset: number }[] = [];
  let problem: string | undefined;
  if (entry.framing === 'single') {
    payloads.push({ bytes: body, offset: 0 });
  } else if (entry.framing === 'delimited') {
    const index = indexStream(body, 'delimited');
    for (let i = 0; i < index.count; i++) payloads.push({ bytes: messageAt(index, i), offset: index.offsets[i] });
    if (index.error) problem = `the delimited body breaks at byte ${index.error.offset}: expected ${index.error.reason}`;
  } else {
    const split = splitEnvelopes(body);
    for (const env of split.envelopes) {
      const end = entry.framing === 'grpc-web' ? 0x80 : 0x02;
      if (env.flags & end) {
        notes.push(entry.framing === 'grpc-web' ? describeTrailers(parseTrailers(env.payload)) : describeEndStream(env.payload));
        continue;
      }
      if (env.flags & ~0x01) {
        problem = `the frame at byte ${env.offset} has unknown flags 0x${env.flags.toString(16).padStart(2, '0')}`;
        break;
      }
      let bytes = env.payload;
      if (env.flags & 0x01) {
        const coding = entry.messageEncoding;
        if (!coding) {
          problem = `the frame at byte ${env.offset} is compressed but the headers name no encoding`;
          break;
        }
        if (!options.decompress) {
          problem = `the frame at byte ${env.offset} is ${coding}-compressed and no decompressor is available`;
          break;
        }
        try {
          bytes = options.decompress(bytes, coding);
        } catch (e) {
          problem = `the frame at byte ${env.offset} does not decompress as ${coding}: ${(e as Error).message}`;
          break;
        }
      }
      payloads.push({ bytes, offset: env.offset + 5 });
    }
    if (split.error && !problem)
      problem = `the ${entry.framing === 'grpc-web' ? 'gRPC-Web frames' : 'Connect envelopes'} break ${split.error}`;
  }

  const messages: CaptureMessage[] = [];
  for (const p of payloads) {
    const m = typeMessage(p.bytes, p.offset, entry, options, payloads.length > 1 ? `message at byte ${p.offset}` : 'the body');
    if (typeof m === 'string') {
      problem ??= m;
      break;
    }
    messages.push(m);
  }
  return { entry, body, messages, problem, notes };
}

/** The message a payload holds, typed; a string says why it could not be read. */
function typeMessage(
  bytes: Uint8Array,
  offset: number,
  entry: CaptureEntry,
  options: OpenEntryOptions,
  what: string,
): CaptureMessage | string {
  const schemas = options.schemas;
  if (entry.encoding === 'json') {
    if (!entry.type) return `${what} is JSON, which needs its message type (the method is not in the loaded schemas)`;
    const type = schemas?.findMessage(entry.type);
    if (!type) return `${what} is JSON of ${entry.type}, which is not loaded`;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      const registry = schemas instanceof SchemaRegistry ? schemas : undefined;
      const root = fromJson(text, type, { registry });
      return { bytes: encodeMessage(root, new Uint8Array(0)), offset, typeName: entry.type, typeSource: entry.typeSource, fromJson: true };
    } catch (e) {
      return `${what} is not JSON of ${entry.type}: ${(e as Error).message}`;
    }
  }
  if (entry.type) return { bytes, offset, typeName: entry.type, typeSource: entry.typeSource };
  if (entry.typeSource === 'detect' && schemas && options.detect !== false) {
    const [best] = rankRegistryTypes(bytes, schemas, { limit: 1, reasonsFor: 0 });
    if (best && best.score > 0) return { bytes, offset, typeName: best.typeName, typeSource: 'detect', score: best.score };
  }
  return { bytes, offset, typeSource: entry.typeSource };
}

const GZIP = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const ZLIB = (b: Uint8Array) => b.length >= 2 && (b[0] & 0x0f) === 8 && b[0] >> 4 <= 7 && ((b[0] << 8) | b[1]) % 31 === 0;

/**
 * Undoes the body's Content-Encoding where the HAR kept the encoded bytes (Chrome stores
 * decoded bodies; other tools may not): gzip and zlib are recognised by their headers, br by
 * the stored size differing from the decoded size the HAR states. Returns a problem string when
 * the bytes are encoded but cannot be decoded.
 */
function undoContentEncoding(
  bytes: Uint8Array,
  entry: CaptureEntry,
  decompress: Decompress | undefined,
  notes: string[],
): Uint8Array | string {
  const codings = (entry.contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0) return bytes;
  const sizeSaysDecoded = entry.declaredSize !== undefined && entry.declaredSize === bytes.length;
  let out = bytes;
  const undone: string[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i];
    const encoded =
      !sizeSaysDecoded &&
      (coding === 'gzip' || coding === 'x-gzip'
        ? GZIP(out)
        : coding === 'deflate'
          ? ZLIB(out) || (entry.declaredSize !== undefined && entry.declaredSize !== out.length)
          : entry.declaredSize !== undefined && entry.declaredSize !== out.length);
    if (!encoded) break;
    if (!decompress) return `the body is stored ${coding}-encoded and no decompressor is available`;
    try {
      out = decompress(out, coding === 'x-gzip' ? 'gzip' : coding);
    } catch (e) {
      return `the body is stored ${coding}-encoded but does not decompress: ${(e as Error).message}`;
    }
    undone.push(coding);
  }
  notes.push(
    undone.length > 0
      ? `decompressed (${undone.join(', ')})`
      : `content-encoding ${codings.join(', ')}: stored decoded (as browsers save bodies)`,
  );
  return out;
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(new TextDecoder('utf-8').decode(bytes)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One line about an error response body (Twirp's code/msg, Connect's code/message). */
function describeErrorBody(body: Uint8Array, entry: CaptureEntry): string {
  const obj = parseJsonObject(body);
  const who = entry.protocol === 'twirp' ? 'Twirp' : entry.protocol === 'connect' ? 'Connect' : 'HTTP';
  if (!obj) return `${who} error response (HTTP ${entry.status}), ${body.length} bytes, not JSON`;
  const code = typeof obj.code === 'string' ? obj.code : '';
  const msg = typeof obj.msg === 'string' ? obj.msg : typeof obj.message === 'string' ? obj.message : '';
  return `${who} error ${code || `HTTP ${entry.status}`}${msg ? `: ${msg}` : ''}`;
}

/** One line about a Connect end-of-stream envelope. */
function describeEndStream(payload: Uint8Array): string {
  const obj = parseJsonObject(payload);
  if (!obj) return 'end of stream (not JSON)';
  const err = obj.error as { code?: unknown; message?: unknown } | undefined;
  if (!err) return 'end of stream: ok';
  return `end of stream: error ${String(err.code ?? '')}${typeof err.message === 'string' ? `: ${err.message}` : ''}`;
}
