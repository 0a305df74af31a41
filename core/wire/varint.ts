/**
 * The varint readers of core: every decoder reads varints through these two functions, which
 * never throw or allocate. WireReader wraps them with errors for decoding; the raw decoder and
 * the unknown-field parser pass protoc's byte limits for tags and sizes to readVarint32.
 *
 * Usage: keep one scratch `VarintResult` per module and pass it to every call:
 *
 *   const V: VarintResult = { lo: 0, hi: 0 };
 *   const next = readVarint(buf, pos, end, V);
 *   if (next < 0) ... // VARINT_TRUNCATED or VARINT_TOO_LONG
 *   const value = varintNumber(V); // exact below 2^53; V.hi === 0 means it fits in 32 bits
 */

/** Where readVarint leaves the value it read (a caller-owned scratch object, reused across calls). */
export interface VarintResult {
  /** Low 32 bits of the value, unsigned. */
  lo: number;
  /** High 32 bits of the value, unsigned (bits above 64 are dropped, as protoc does). */
  hi: number;
}

/** readVarint's answer when the input ends inside the varint. */
export const VARINT_TRUNCATED = -1;
/** readVarint's answer when the varint runs on past 10 bytes. */
export const VARINT_TOO_LONG = -2;

/**
 * Reads the varint starting at buf[pos], not reading at or past `end`: stores its value in `out`
 * and returns the position just past it, or VARINT_TRUNCATED / VARINT_TOO_LONG (`out` then
 * unchanged). Allocation-free; no BigInt.
 */
export function readVarint(buf: Uint8Array, pos: number, end: number, out: VarintResult): number {
  let p = pos;
  let lo = 0;
  let b: number;
  // Bytes 0..3 carry bits 0..27: the common case (values below 2^28) stays in this loop.
  for (let shift = 0; shift < 28; shift += 7) {
    if (p >= end) return VARINT_TRUNCATED;
    b = buf[p++];
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      out.lo = lo >>> 0;
      out.hi = 0;
      return p;
    }
  }
  // Byte 4 carries bits 28..34: four into lo, three into hi.
  if (p >= end) return VARINT_TRUNCATED;
  b = buf[p++];
  lo |= (b & 0x0f) << 28;
  let hi = (b & 0x7f) >> 4;
  if (b < 0x80) {
    out.lo = lo >>> 0;
    out.hi = hi;
    return p;
  }
  // Bytes 5..9 carry bits 35..63 (the 10th byte's bits above 64 are dropped by the shift).
  for (let shift = 3; shift < 38; shift += 7) {
    if (p >= end) return VARINT_TRUNCATED;
    b = buf[p++];
    hi |= (b & 0x7f) << shift;
    if (b < 0x80) {
      out.lo = lo >>> 0;
      out.hi = hi >>> 0;
      return p;
    }
  }
  return VARINT_TOO_LONG;
}

/**
 * Reads the varint starting at buf[pos] as protoc reads tags and sizes: at most `maxBytes`
 * bytes (5 in its top-level parser and for tags, 10 in its CodedInputStream and for int32
 * values written as 10 bytes), keeping only the low 32 bits. Stores the value in `out.lo`
 * (`out.hi` = 0) and returns the position just past it, VARINT_TRUNCATED when `end` comes
 * first, or VARINT_TOO_LONG when byte `maxBytes` still has its continuation bit (`out` then
 * unchanged). Allocation-free.
 */
export function readVarint32(buf: Uint8Array, pos: number, end: number, maxBytes: number, out: VarintResult): number {
  let p = pos;
  let v = 0;
  for (let i = 0; i < maxBytes; i++) {
    if (p >= end) return VARINT_TRUNCATED;
    const b = buf[p++];
    // Bytes 0..4 carry bits 0..34; the shift keeps bits 0..31. Later bytes only carry higher bits.
    if (i < 5) v |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      out.lo = v >>> 0;
      out.hi = 0;
      return p;
    }
  }
  return VARINT_TOO_LONG;
}

/** The value readVarint stored, as a number: exact below 2^53 (lengths, tags, offsets, counts). */
export function varintNumber(v: VarintResult): number {
  return v.hi * 4294967296 + v.lo;
}
