/**
 * Schema-less decoding: reads any bytes as protobuf wire fields without a schema, into the
 * document model's `unknown` FieldNodes (with byte spans, in wire order, groups nested).
 *
 * - `decodeRaw` never throws on malformed input: it returns the fields that parsed completely
 *   and `stoppedAt` (offset and reason) where it had to stop.
 * - LEN fields stay as bytes; their candidate readings (embedded message, string, packed
 *   numbers, bytes) are computed on demand by `readingsOf` / `interpretLen`, ranked by a
 *   confidence score, all kept.
 * - Parsing follows protoc 3.21 exactly: the top level as its message parser (tags of at most
 *   5 bytes, low 32 bits kept; varints of at most 10 bytes, low 64 bits kept; lengths of at
 *   most 5 bytes), nested LEN readings as its CodedInputStream (tags of up to 10 bytes, lengths
 *   truncated to 32 bits). So `decodeRaw` succeeds exactly where `protoc --decode_raw` does.
 */
import type { ByteSpan, FieldNode, MessageRoot } from '../document/model';
import type { WireType } from '../wire/wire-types';
import { readVarint } from '../wire/varint';
import { DEFAULT_RAW_LIMITS, readLength, readTag, TWO32, V, varintBig } from './raw-scan';

/** Limits for schema-less decoding; see DEFAULT_RAW_LIMITS. */
export interface RawDecodeOptions {
  /** Maximum nesting of groups (default 100, as protoc). */
  maxDepth?: number;
  /** Maximum input size in bytes (default 2 GiB - 1); larger input stops at offset 0. */
  maxBytes?: number;
  /** Maximum number of nodes created (default 50 million); a bound on work and memory. */
  maxNodes?: number;
  /** Added to every span offset: set it when `bytes` is a slice of a larger document (default 0). */
  baseOffset?: number;
  /** Id of the first node created (default 1); ids then count up. */
  firstId?: number;
}

/** Where and why schema-less decoding stopped before the end of the input. */
export interface RawStop {
  /** Absolute offset of the offending byte. */
  offset: number;
  /** What was expected there, in words. */
  reason: string;
}

/** The result of `decodeRaw`. */
export interface RawDecodeResult {
  /** A root with `type: null` whose fields are all `unknown` nodes. */
  root: MessageRoot;
  /** The input (spans index into it, minus `baseOffset`). */
  bytes: Uint8Array;
  /** Offset added to span offsets (as given in the options). */
  baseOffset: number;
  /** Absolute offset just past the last complete top-level field. Equals baseOffset + bytes.length when all parsed. */
  parsedEnd: number;
  /** Null when the whole input parsed; otherwise where and why decoding stopped. */
  stoppedAt: RawStop | null;
  /** Number of nodes created (groups count their children). */
  nodeCount: number;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

interface Ctx {
  buf: Uint8Array;
  base: number;
  maxDepth: number;
  maxNodes: number;
  nodes: number;
  nextId: number;
  stop: Stop | null;
  /** protoc's nested-message rules (CodedInputStream): 10-byte tags, lengths truncated to 32 bits. */
  lenient: boolean;
}

function makeNode(
  ctx: Ctx,
  fieldNumber: number,
  wireType: WireType,
  raw: bigint | number | Uint8Array | readonly FieldNode[],
  span: ByteSpan,
): FieldNode {
  return { id: ctx.nextId++, fieldNumber, wireType, field: null, value: { kind: 'unknown', raw }, span, modified: false };
}

/**
 * Parses fields from ctx.buf[start, end). `group` is the field number of the enclosing group
 * (0 at message level). On success returns the fields and sets ctx.stop = null; `END_POS`
 * holds the position after the last field (past the end-group tag inside a group). On
 * failure sets ctx.stop and returns the fields that parsed completely.
 */
let END_POS = 0;

function parseFields(ctx: Ctx, start: number, end: number, depth: number, group: number, groupStart: number): FieldNode[] {
  const buf = ctx.buf;
  const base = ctx.base;
  const out: FieldNode[] = [];
  const tagMax = ctx.lenient ? 10 : 5;
  let p = start;
  const fail = (offset: number, reason: string): FieldNode[] => {
    ctx.stop = new Stop(base + offset, reason);
    END_POS = p;
    return out;
  };
  while (p < end) {
    const tagStart = p;
    const q = readTag(buf, p, end, tagMax);
    if (q < 0)
      return fail(
        q === -1 ? end : tagStart,
        q === -1 ? `the rest of a tag that starts at byte ${base + tagStart} (input ends)` : `a tag of at most ${tagMax} bytes`,
      );
    const tag = V.lo;
    const wt = tag & 7;
    const fieldNumber = tag >>> 3;
    if (fieldNumber === 0) return fail(tagStart, `a tag with a field number of at least 1 (found 0, wire type ${wt})`);
    p = q;
    switch (wt) {
      case 0: {
        const r = readVarint(buf, p, end, V);
        if (r < 0)
          return fail(
            r === -1 ? end : p,
            r === -1 ? `the rest of a varint that starts at byte ${base + p} (input ends)` : 'a varint of at most 10 bytes',
          );
        if (ctx.nodes >= ctx.maxNodes) return fail(tagStart, `at most ${ctx.maxNodes} nodes (node limit reached)`);
        ctx.nodes++;
        out.push(makeNode(ctx, fieldNumber, 0, varintBig(), { tagStart: base + tagStart, valueStart: base + p, end: base + r }));
        p = r;
        break;
      }
      case 1: {
        if (end - p < 8) return fail(p, `an 8-byte i64 value for field ${fieldNumber} (only ${end - p} bytes remain)`);
        if (ctx.nodes >= ctx.maxNodes) return fail(tagStart, `at most ${ctx.maxNodes} nodes (node limit reached)`);
        ctx.nodes++;
        const lo = (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
        const hi = (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16) | (buf[p + 7] << 24)) >>> 0;
        out.push(
          makeNode(ctx, fieldNumber, 1, (BigInt(hi) << 32n) | BigInt(lo), {
            tagStart: base + tagStart,
            valueStart: base + p,
            end: base + p + 8,
          }),
        );
        p += 8;
        break;
      }
      case 5: {
        if (end - p < 4) return fail(p, `a 4-byte i32 value for field ${fieldNumber} (only ${end - p} bytes remain)`);
        if (ctx.nodes >= ctx.maxNodes) return fail(tagStart, `at most ${ctx.maxNodes} nodes (node limit reached)`);
        ctx.nodes++;
        const v = (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
        out.push(makeNode(ctx, fieldNumber, 5, v, { tagStart: base + tagStart, valueStart: base + p, end: base + p + 4 }));
        p += 4;
        break;
      }
      case 2: {
        const r = readLength(buf, p, end, ctx.lenient);
        if (r === -1) return fail(end, `the rest of a length prefix that starts at byte ${base + p} (input ends)`);
        if (r < 0) {
          const found = r === -3 ? ` (found ${V.hi === 0 ? V.lo : V.hi * TWO32 + V.lo})` : ''; // -2: no value was read
          return fail(p, `a length prefix below 2^31${ctx.lenient ? '' : ' of at most 5 bytes'}${found}`);
        }
        const len = V.lo;
        const remaining = end - r;
        if (len > remaining)
          return fail(p, `a length-delimited value of ${len} bytes for field ${fieldNumber}, but only ${remaining} remain`);
        if (ctx.nodes >= ctx.maxNodes) return fail(tagStart, `at most ${ctx.maxNodes} nodes (node limit reached)`);
        ctx.nodes++;
        out.push(
          makeNode(ctx, fieldNumber, 2, buf.subarray(r, r + len), { tagStart: base + tagStart, valueStart: base + r, end: base + r + len }),
        );
        p = r + len;
        break;
      }
      case 3: {
        if (depth >= ctx.maxDepth) return fail(tagStart, `groups nested at most ${ctx.maxDepth} deep`);
        if (ctx.nodes >= ctx.maxNodes) return fail(tagStart, `at most ${ctx.maxNodes} nodes (node limit reached)`);
        ctx.nodes++;
        const id = ctx.nextId++;
        const children = parseFields(ctx, p, end, depth + 1, fieldNumber, tagStart);
        if (ctx.stop) {
          END_POS = p;
          return out;
        }
        const valueStart = p;
        p = END_POS;
        out.push({
          id,
          fieldNumber,
          wireType: 3,
          field: null,
          value: { kind: 'unknown', raw: children },
          span: { tagStart: base + tagStart, valueStart: base + valueStart, end: base + p },
          modified: false,
        });
        break;
      }
      case 4: {
        if (group === 0) return fail(tagStart, `a field, not an end-group tag for field ${fieldNumber} outside any group`);
        if (fieldNumber !== group) return fail(tagStart, `an end-group tag for field ${group} (found one for field ${fieldNumber})`);
        ctx.stop = null;
        END_POS = q;
        return out;
      }
      default:
        return fail(tagStart, `a tag with wire type 0..5 (found wire type ${wt}, field ${fieldNumber})`);
    }
  }
  if (group !== 0) return fail(end, `an end-group tag for field ${group} (group opened at byte ${base + groupStart})`);
  ctx.stop = null;
  END_POS = p;
  return out;
}

/** Decodes bytes without a schema; never throws on malformed input (see RawDecodeResult.stoppedAt). */
export function decodeRaw(bytes: Uint8Array, options: RawDecodeOptions = {}): RawDecodeResult {
  const base = options.baseOffset ?? 0;
  const maxBytes = options.maxBytes ?? DEFAULT_RAW_LIMITS.maxBytes;
  const ctx: Ctx = {
    buf: bytes,
    base,
    maxDepth: options.maxDepth ?? DEFAULT_RAW_LIMITS.maxDepth,
    maxNodes: options.maxNodes ?? DEFAULT_RAW_LIMITS.maxNodes,
    nodes: 0,
    nextId: options.firstId ?? 1,
    stop: null,
    lenient: false,
  };
  if (bytes.length > maxBytes) {
    return {
      root: { type: null, fields: [], modified: false },
      bytes,
      baseOffset: base,
      parsedEnd: base,
      stoppedAt: { offset: base, reason: `an input of at most ${maxBytes} bytes (found ${bytes.length})` },
      nodeCount: 0,
    };
  }
  const fields = parseFields(ctx, 0, bytes.length, 0, 0, 0);
  const stop = ctx.stop as Stop | null;
  const last = fields.length ? fields[fields.length - 1].span : null;
  return {
    root: { type: null, fields, modified: false },
    bytes,
    baseOffset: base,
    parsedEnd: last ? last.end : base,
    stoppedAt: stop ? { offset: stop.offset, reason: stop.reason } : null,
    nodeCount: ctx.nodes,
  };
}

/**
 * Parses bytes completely as one message level (groups nested), by protoc's rules for nested
 * messages; returns null when they do not parse to the end. Spans are absolute (`absoluteOffset` is added).
 */
export function tryParseMessage(
  bytes: Uint8Array,
  absoluteOffset = 0,
  maxDepth: number = DEFAULT_RAW_LIMITS.maxDepth,
  maxNodes: number = DEFAULT_RAW_LIMITS.maxNodes,
): FieldNode[] | null {
  const ctx: Ctx = { buf: bytes, base: absoluteOffset, maxDepth, maxNodes, nodes: 0, nextId: nextReadingId, stop: null, lenient: true };
  const fields = parseFields(ctx, 0, bytes.length, 0, 0, 0);
  nextReadingId = ctx.nextId;
  return ctx.stop ? null : fields;
}

/** Ids for nodes made by readings start here, far above document ids, so they never collide with a decoded document's. */
export const READING_ID_BASE = 2 ** 40;

let nextReadingId = READING_ID_BASE;
