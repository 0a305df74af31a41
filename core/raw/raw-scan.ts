/**
 * protoc's rules for reading wire fields without a schema, allocation-free: tags and LEN
 * lengths as its top-level parser reads them (5-byte tags, lengths of at most 5 bytes below
 * 2^31) and as its CodedInputStream reads nested messages (10-byte tags, lengths truncated to
 * 32 bits); a whole-level check (parsesAsMessage) and a field cursor (readFieldAt) for printers.
 */
import { readVarint, readVarint32, type VarintResult } from '../wire/varint';

/** Defaults for RawDecodeOptions: group depth 100 (as protoc), 2 GiB - 1 of input, 50 million nodes. */
export const DEFAULT_RAW_LIMITS = {
  maxDepth: 100,
  maxBytes: 2 ** 31 - 1,
  maxNodes: 50_000_000,
} as const;

/** 2^32. */
export const TWO32 = 4294967296;

/** Where readTag, readLength and readVarint calls of core/raw leave the value they read (a tag or length in V.lo). */
export const V: VarintResult = { lo: 0, hi: 0 };

/** BigInts of small values, made once: most varints are small, and a BigInt allocation is slow. */
export const SMALL_BIGINTS: bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** The varint in V as an unsigned 64-bit BigInt (small values shared). */
export function varintBig(): bigint {
  if (V.hi === 0) return V.lo < 1024 ? SMALL_BIGINTS[V.lo] : BigInt(V.lo);
  return V.hi < 0x200000 ? BigInt(V.hi * TWO32 + V.lo) : (BigInt(V.hi) << 32n) | BigInt(V.lo);
}

/**
 * Reads a tag of at most `maxBytes` bytes (5 for protoc's top-level parser, 10 for its
 * CodedInputStream, which reads nested messages); the low 32 bits are kept, as protoc does.
 * Returns the new position, -1 when truncated, -2 when too long. Tag in V.lo.
 */
export function readTag(buf: Uint8Array, p: number, end: number, maxBytes: number): number {
  return readVarint32(buf, p, end, maxBytes, V);
}

/**
 * Reads a LEN length prefix at p with protoc's rules: top level (strict) at most 5 bytes and
 * below 2^31; nested (lenient, CodedInputStream) up to 10 bytes, low 32 bits kept, below 2^31.
 * Returns the new position, -1 truncated, -2 a varint past 10 bytes, -3 out of those bounds
 * (the value read then in V); the length in V.lo.
 */
export function readLength(buf: Uint8Array, p: number, end: number, lenient: boolean): number {
  const r = readVarint(buf, p, end, V);
  if (r < 0) return r;
  if (lenient) {
    if (V.lo >= 0x80000000) return -3;
  } else if (r - p > 5 || V.hi !== 0 || V.lo >= 0x80000000) return -3;
  return r;
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
        if (r < 0 || V.lo > end - r) return false;
        p = r + V.lo;
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
      step.end = r + V.lo;
      break;
    }
    default:
      step.end = p;
  }
}
