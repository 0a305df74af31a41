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
import { isValidUtf8 } from '../wire/utf8';
import { readVarint, readVarint32, type VarintResult } from '../wire/varint';

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

/** Defaults for RawDecodeOptions: group depth 100 (as protoc), 2 GiB - 1 of input, 50 million nodes. */
export const DEFAULT_RAW_LIMITS = {
  maxDepth: 100,
  maxBytes: 2 ** 31 - 1,
  maxNodes: 50_000_000,
} as const;

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

const TWO32 = 4294967296;

/** Scratch result of readVarint (core/wire/varint) and readTag; the tag is in V.lo. */
const V: VarintResult = { lo: 0, hi: 0 };

/** BigInts of small values, made once: most varints are small, and a BigInt allocation is slow. */
const SMALL_BIGINTS: bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

function varintBig(): bigint {
  if (V.hi === 0) return V.lo < 1024 ? SMALL_BIGINTS[V.lo] : BigInt(V.lo);
  return V.hi < 0x200000 ? BigInt(V.hi * TWO32 + V.lo) : (BigInt(V.hi) << 32n) | BigInt(V.lo);
}

/**
 * Reads a tag of at most `maxBytes` bytes (5 for protoc's top-level parser, 10 for its
 * CodedInputStream, which reads nested messages); the low 32 bits are kept, as protoc does.
 * Returns the new position, -1 when truncated, -2 when too long. Tag in V.lo.
 */
function readTag(buf: Uint8Array, p: number, end: number, maxBytes: number): number {
  return readVarint32(buf, p, end, maxBytes, V);
}

/**
 * Reads a LEN length prefix at p with protoc's rules: top level (strict) at most 5 bytes and
 * below 2^31; nested (lenient, CodedInputStream) up to 10 bytes, low 32 bits kept, below 2^31.
 * Returns the new position, -1 truncated, -2 a varint past 10 bytes, -3 out of those bounds
 * (the value read then in V); the length in LEN_VALUE.
 */
let LEN_VALUE = 0;
function readLength(buf: Uint8Array, p: number, end: number, lenient: boolean): number {
  const r = readVarint(buf, p, end, V);
  if (r < 0) return r;
  if (lenient) {
    if (V.lo >= 0x80000000) return -3;
  } else if (r - p > 5 || V.hi !== 0 || V.lo >= 0x80000000) return -3;
  LEN_VALUE = V.lo;
  return r;
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
        const len = LEN_VALUE;
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
 * Whether buf[start, end) parses completely as one message level, with groups nested at most
 * `maxDepth` deep, by the rules protoc applies to nested messages (10-byte tags allowed, LEN
 * lengths truncated to 32 bits; `strict`: the rules of its top-level parser instead); LEN
 * contents are not descended into. Allocation-free.
 */
export function parsesAsMessage(
  buf: Uint8Array,
  start: number,
  end: number,
  maxDepth: number = DEFAULT_RAW_LIMITS.maxDepth,
  strict = false,
): boolean {
  const tagMax = strict ? 5 : 10;
  const lenient = !strict;
  let p = start;
  let depth = 0;
  let stack: number[] | null = null;
  while (p < end) {
    const q = readTag(buf, p, end, tagMax);
    if (q < 0) return false;
    const tag = V.lo;
    const fn = tag >>> 3;
    if (fn === 0) return false;
    p = q;
    switch (tag & 7) {
      case 0:
        p = readVarint(buf, p, end, V);
        if (p < 0) return false;
        break;
      case 1:
        p += 8;
        if (p > end) return false;
        break;
      case 5:
        p += 4;
        if (p > end) return false;
        break;
      case 2: {
        const r = readLength(buf, p, end, lenient);
        if (r < 0 || LEN_VALUE > end - r) return false;
        p = r + LEN_VALUE;
        break;
      }
      case 3:
        if (depth >= maxDepth) return false;
        if (stack === null) stack = [];
        stack[depth++] = fn;
        break;
      case 4:
        if (depth === 0 || stack![depth - 1] !== fn) return false;
        depth--;
        break;
      default:
        return false;
    }
  }
  return depth === 0;
}

/** A cursor step for printers: reads one field at p; see `readFieldAt`. */
export interface FieldStep {
  fieldNumber: number;
  wireType: number;
  /** Value start (after the length prefix for LEN). */
  valueStart: number;
  /** End of the value (for SGROUP: just after the start tag; for EGROUP: after the end tag). */
  end: number;
  /** VARINT / I32 / I64 value: low and high 32 bits (unsigned). */
  lo: number;
  hi: number;
}

/**
 * Reads the field at p of bytes already known to parse (see parsesAsMessage) into `step`,
 * without allocating. SGROUP/EGROUP steps carry no value: the caller tracks nesting.
 */
export function readFieldAt(buf: Uint8Array, p: number, end: number, step: FieldStep): void {
  p = readTag(buf, p, end, 10);
  const tag = V.lo;
  step.fieldNumber = tag >>> 3;
  step.wireType = tag & 7;
  step.valueStart = p;
  step.lo = 0;
  step.hi = 0;
  switch (tag & 7) {
    case 0:
      step.end = readVarint(buf, p, end, V);
      step.lo = V.lo;
      step.hi = V.hi;
      break;
    case 1:
      step.lo = (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
      step.hi = (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16) | (buf[p + 7] << 24)) >>> 0;
      step.end = p + 8;
      break;
    case 5:
      step.lo = (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
      step.end = p + 4;
      break;
    case 2: {
      const r = readLength(buf, p, end, true);
      step.valueStart = r;
      step.end = r + LEN_VALUE;
      break;
    }
    default:
      step.end = p;
  }
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

// ---------------------------------------------------------------------------------------------
// Readings
// ---------------------------------------------------------------------------------------------

/** A numeric reading of a VARINT, I64 or I32 value under one protobuf scalar type. */
export interface ScalarReading {
  type: 'uint64' | 'int64' | 'sint64' | 'bool' | 'fixed64' | 'sfixed64' | 'double' | 'fixed32' | 'sfixed32' | 'float';
  /** 64-bit integers as bigint; 32-bit integers and floats as number; bool as boolean. */
  value: bigint | number | boolean;
  /** 0..1: how plausible this reading is compared with the others of the same value. */
  confidence: number;
}

/** A LEN value read as an embedded message: it parsed completely; `fields` have absolute spans. */
export interface MessageReading {
  type: 'message';
  fields: readonly FieldNode[];
  confidence: number;
}

/** A LEN value read as a UTF-8 string (valid UTF-8). */
export interface StringReading {
  type: 'string';
  /** The text (decoded on first access). */
  readonly value: string;
  /** Its length in UTF-16 code units (value.length), known without decoding it. */
  readonly length: number;
  confidence: number;
}

/** A LEN value read as a packed run of varints (unsigned 64-bit each). */
export interface PackedVarintReading {
  type: 'packed-varint';
  /** The elements (materialized on first access). */
  readonly values: bigint[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as a packed run of fixed32 (unsigned 32-bit each; reinterpret as float/sfixed32 as needed). */
export interface PackedFixed32Reading {
  type: 'packed-fixed32';
  /** The elements (materialized on first access). */
  readonly values: number[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as a packed run of fixed64 (unsigned 64-bit each). */
export interface PackedFixed64Reading {
  type: 'packed-fixed64';
  /** The elements (materialized on first access). */
  readonly values: bigint[];
  /** Number of elements. */
  count: number;
  confidence: number;
}

/** A LEN value read as plain bytes (always possible). */
export interface BytesReading {
  type: 'bytes';
  value: Uint8Array;
  confidence: number;
}

/** A group's fields (a group has exactly one reading). */
export interface GroupReading {
  type: 'group';
  fields: readonly FieldNode[];
  confidence: number;
}

/** A candidate reading of a LEN value. */
export type LenReading = MessageReading | StringReading | PackedVarintReading | PackedFixed32Reading | PackedFixed64Reading | BytesReading;

/** Any candidate reading of a raw node. */
export type RawReading = ScalarReading | LenReading | GroupReading;

/** Options for interpretLen. */
export interface InterpretOptions {
  /** Maximum group nesting inside the embedded-message reading (default 100). */
  maxDepth?: number;
  /** Maximum nodes created by the embedded-message reading (default 50 million). */
  maxNodes?: number;
}

const byConfidence = (a: { confidence: number }, b: { confidence: number }) => b.confidence - a.confidence;

/** Readings of a varint (unsigned 64-bit): uint64, int64, sint64, and bool when 0 or 1; best first. */
export function interpretVarint(v: bigint): ScalarReading[] {
  const negative = v >= 0x8000000000000000n;
  const out: ScalarReading[] = [
    { type: 'uint64', value: v, confidence: negative ? 0.2 : 0.5 },
    { type: 'int64', value: BigInt.asIntN(64, v), confidence: negative ? 0.8 : 0.45 },
    { type: 'sint64', value: BigInt.asIntN(64, (v >> 1n) ^ -(v & 1n)), confidence: 0.25 },
  ];
  if (v === 0n || v === 1n) out.push({ type: 'bool', value: v === 1n, confidence: 0.4 });
  return out.sort(byConfidence);
}

const F64 = new Float64Array(1);
const F64_U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_U32 = new Uint32Array(F32.buffer);

function niceFloat(x: number): boolean {
  if (!Number.isFinite(x)) return false;
  const a = Math.abs(x);
  return a === 0 || (a >= 1e-6 && a <= 1e12);
}

/** Reinterprets a fixed64 bit pattern as a double. */
export function bitsToDouble(v: bigint): number {
  F64_U32[0] = Number(v & 0xffffffffn);
  F64_U32[1] = Number(v >> 32n);
  return F64[0];
}

/** Reinterprets a fixed32 bit pattern as a float. */
export function bitsToFloat(v: number): number {
  F32_U32[0] = v >>> 0;
  return F32[0];
}

/** Readings of an I64 value (unsigned 64-bit): fixed64, sfixed64, double; best first. */
export function interpretI64(v: bigint): ScalarReading[] {
  const d = bitsToDouble(v);
  const s = BigInt.asIntN(64, v);
  const out: ScalarReading[] = [
    { type: 'fixed64', value: v, confidence: s < 0n ? 0.25 : 0.4 },
    { type: 'sfixed64', value: s, confidence: s < 0n && s > -(2n ** 53n) ? 0.45 : 0.3 },
    { type: 'double', value: d, confidence: niceFloat(d) && d !== 0 ? 0.6 : 0.1 },
  ];
  return out.sort(byConfidence);
}

/** Readings of an I32 value (unsigned 32-bit): fixed32, sfixed32, float; best first. */
export function interpretI32(v: number): ScalarReading[] {
  const f = bitsToFloat(v);
  const s = v | 0;
  const out: ScalarReading[] = [
    { type: 'fixed32', value: v >>> 0, confidence: s < 0 ? 0.25 : 0.4 },
    { type: 'sfixed32', value: s, confidence: s < 0 && s > -1_000_000 ? 0.45 : 0.3 },
    { type: 'float', value: f, confidence: niceFloat(f) && f !== 0 ? 0.6 : 0.1 },
  ];
  return out.sort(byConfidence);
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Share of code points of valid UTF-8 bytes that are printable (C0/C1 controls other than \t \n \r are not). */
function printableShareUtf8(b: Uint8Array): number {
  let total = 0;
  let printable = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x80 && c < 0xc0) continue; // continuation byte: counted with its lead byte
    total++;
    if (c < 0x80) {
      if ((c >= 0x20 && c !== 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
    } else if (!(c === 0xc2 && b[i + 1] < 0xa0)) printable++; // U+0080..U+009F are C1 controls
  }
  return total === 0 ? 1 : printable / total;
}

function isPrintableAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (!((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) return false;
  }
  return true;
}

/** A cheap check that bytes are plausibly structured: valid mostly-printable UTF-8 or a message that parses one level. */
function plausiblyStructured(bytes: Uint8Array): boolean {
  if (isValidUtf8(bytes) && printableShareUtf8(bytes) >= 0.9) return true;
  return parsesAsMessage(bytes, 0, bytes.length, 8);
}

function messageConfidence(bytes: Uint8Array, fields: readonly FieldNode[], printable: boolean): number {
  if (fields.length === 0) return 0.2; // empty LEN: an empty message is possible, a string more likely
  let maxField = 0;
  let groups = false;
  let lenCovered = 0;
  let lenPlausible = true;
  for (const f of fields) {
    if (f.fieldNumber > maxField) maxField = f.fieldNumber;
    if (f.wireType === 3) groups = true;
    if (f.wireType === 2) {
      const raw = (f.value as { raw: Uint8Array }).raw;
      if (raw.length > 0) {
        lenCovered += raw.length;
        if (lenPlausible && !plausiblyStructured(raw)) lenPlausible = false;
      }
    }
  }
  let c = 0.6;
  if (maxField <= 100) c += 0.2;
  else if (maxField <= 1000) c += 0.1;
  else if (maxField > 65535) c -= 0.3;
  if (lenPlausible && lenCovered * 2 >= bytes.length) c += 0.15;
  if (printable && bytes.length / fields.length < 6) c -= 0.35;
  if (groups) c -= 0.1;
  if (bytes.length <= 2) c -= 0.05;
  return Math.min(0.97, Math.max(0.05, c));
}

/** Number of varints that exactly fill bytes, or -1 when they do not. Allocation-free. */
function countPackedVarints(bytes: Uint8Array): number {
  let n = 0;
  let p = 0;
  while (p < bytes.length) {
    const r = readVarint(bytes, p, bytes.length, V);
    if (r < 0) return -1;
    n++;
    p = r;
  }
  return n;
}

/** A string reading whose text is decoded on first use. */
class LazyStringReading implements StringReading {
  readonly type = 'string';
  private text: string | null = null;
  constructor(
    private readonly bytes: Uint8Array,
    readonly confidence: number,
  ) {}
  get value(): string {
    return (this.text ??= utf8Fatal.decode(this.bytes));
  }
  get length(): number {
    return this.text !== null ? this.text.length : utf16Length(this.bytes);
  }
}

/** UTF-16 length of valid UTF-8: one unit per sequence, two for 4-byte ones (outside the BMP). */
function utf16Length(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** A packed reading whose values are materialized on first use (a big LEN would otherwise allocate millions). */
class LazyPackedReading<T extends 'packed-varint' | 'packed-fixed32' | 'packed-fixed64'> {
  private vals: (T extends 'packed-fixed32' ? number : bigint)[] | null = null;
  constructor(
    readonly type: T,
    private readonly bytes: Uint8Array,
    /** Number of elements. */
    readonly count: number,
    readonly confidence: number,
  ) {}
  get values(): (T extends 'packed-fixed32' ? number : bigint)[] {
    if (this.vals === null) this.vals = decodePacked(this.type, this.bytes) as (T extends 'packed-fixed32' ? number : bigint)[];
    return this.vals;
  }
}

function decodePacked(type: 'packed-varint' | 'packed-fixed32' | 'packed-fixed64', bytes: Uint8Array): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const len = bytes.length;
  if (type === 'packed-varint') {
    for (let p = 0; p < len;) {
      p = readVarint(bytes, p, len, V);
      out.push(varintBig());
    }
  } else if (type === 'packed-fixed32') {
    for (let p = 0; p < len; p += 4) out.push((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0);
  } else {
    for (let p = 0; p < len; p += 8) {
      const lo = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
      const hi = (bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0;
      out.push(hi === 0 ? (lo < 1024 ? SMALL_BIGINTS[lo] : BigInt(lo)) : (BigInt(hi) << 32n) | BigInt(lo));
    }
  }
  return out;
}

/**
 * Ranked candidate readings of a LEN value (best first, all kept): embedded message (when it
 * parses completely), UTF-8 string (when valid), packed varint / fixed32 / fixed64 (when the
 * length fits), and bytes (always). `absoluteOffset` is where `bytes` starts in the document.
 */
export function interpretLen(bytes: Uint8Array, absoluteOffset = 0, options: InterpretOptions = {}): LenReading[] {
  const out: LenReading[] = [];
  const len = bytes.length;
  const utf8 = isValidUtf8(bytes);
  const share = utf8 ? printableShareUtf8(bytes) : 0;
  const printableText = utf8 && len > 0 && isPrintableAscii(bytes);
  const fields = tryParseMessage(bytes, absoluteOffset, options.maxDepth, options.maxNodes);
  if (fields) out.push({ type: 'message', fields, confidence: messageConfidence(bytes, fields, printableText) });
  if (utf8) {
    const c = len === 0 ? 0.5 : share >= 0.95 ? 0.9 : share >= 0.8 ? 0.6 : 0.25 * share;
    out.push(new LazyStringReading(bytes, c));
  }
  if (len > 0) {
    const n = countPackedVarints(bytes);
    if (n > 0) {
      const multiByte = n < len;
      let c = 0.3;
      if (printableText) c = 0.15;
      else if (multiByte && (!utf8 || share < 0.8)) c = 0.45;
      out.push(new LazyPackedReading('packed-varint', bytes, n, c));
    }
    if (len % 4 === 0) {
      let nice = true;
      let nonZero = false;
      for (let p = 0; p < len && nice; p += 4) {
        const v = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
        if (!niceFloat(bitsToFloat(v))) nice = false;
        if ((v & 0x7fffffff) !== 0) nonZero = true;
      }
      out.push(new LazyPackedReading('packed-fixed32', bytes, len / 4, nice && nonZero && !printableText ? (len > 4 ? 0.5 : 0.3) : 0.12));
    }
    if (len % 8 === 0) {
      let nice = true;
      let nonZero = false;
      for (let p = 0; p < len && nice; p += 8) {
        F64_U32[0] = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
        F64_U32[1] = (bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0;
        if (!niceFloat(F64[0])) nice = false;
        if (F64[0] !== 0) nonZero = true;
      }
      out.push(new LazyPackedReading('packed-fixed64', bytes, len / 8, nice && nonZero && !printableText ? 0.48 : 0.12));
    }
  }
  out.push({ type: 'bytes', value: bytes, confidence: len === 0 ? 0.3 : 0.2 });
  return out.sort(byConfidence);
}

const readingCache = new WeakMap<FieldNode, RawReading[]>();

/** Candidate readings of a raw (unknown) node, best first; LEN readings are computed once per node and cached. */
export function readingsOf(node: FieldNode, options: InterpretOptions = {}): RawReading[] {
  return readingsOfNode(node, options, true);
}

/** As readingsOf; `cache` false skips the per-node cache (for one-pass renderings of big trees). */
export function readingsOfNode(node: FieldNode, options: InterpretOptions, cache: boolean): RawReading[] {
  if (node.value.kind !== 'unknown') return [];
  const raw = node.value.raw;
  switch (node.wireType) {
    case 0:
      return interpretVarint(raw as bigint);
    case 1:
      return interpretI64(raw as bigint);
    case 5:
      return interpretI32(raw as number);
    case 3:
      return [{ type: 'group', fields: raw as readonly FieldNode[], confidence: 1 }];
    case 2: {
      const cached = readingCache.get(node);
      if (cached) return cached;
      const r = interpretLen(raw as Uint8Array, node.span ? node.span.valueStart : 0, options);
      if (cache) readingCache.set(node, r);
      return r;
    }
    default:
      return [];
  }
}
