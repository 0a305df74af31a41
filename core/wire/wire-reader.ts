import { DecodeError } from './decode-error';
import { readVarint, readVarint32, VARINT_TRUNCATED, type VarintResult } from './varint';
import { MAX_FIELD_NUMBER, type WireType } from './wire-types';

/**
 * Scratch floats for float() and double(): the bytes are copied in and read back, with no
 * DataView per reader (readers are made per message, and a stream has many small ones).
 */
const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Scratch result of the varint readers (reused by every WireReader; read right after each call). */
const V: VarintResult = { lo: 0, hi: 0 };

/** A decoded tag: field number, wire type, and where its bytes sit. */
export interface Tag {
  fieldNumber: number;
  wireType: WireType;
  /** Offset of the first tag byte. */
  start: number;
  /** Offset just past the tag varint. */
  end: number;
}

/**
 * A cursor over protobuf bytes. Offsets are absolute within `buf`; errors name them.
 * It never reads past `limit` and never allocates for skips.
 */
export class WireReader {
  pos: number;
  limit: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    limit = buf.length,
  ) {
    this.pos = start;
    this.limit = limit;
  }

  /** True when the cursor has reached its limit. */
  done(): boolean {
    return this.pos >= this.limit;
  }

  /** High 32 bits of the last varint64Split() (unsigned). */
  hi = 0;

  /**
   * Reads a varint of up to 10 bytes without BigInt: returns its low 32 bits (unsigned) and
   * leaves the high 32 bits in `this.hi`. Bits above 64 are dropped, as protoc does.
   */
  varint64Split(): number {
    const start = this.pos;
    const next = readVarint(this.buf, start, this.limit, V);
    if (next < 0) throw this.varintError(next, start);
    this.pos = next;
    this.hi = V.hi;
    return V.lo;
  }

  /** Reads a varint of up to 10 bytes as an unsigned 64-bit BigInt (extra high bits are dropped, as protoc does). */
  varint64(): bigint {
    const lo = this.varint64Split();
    return this.hi === 0 ? BigInt(lo) : (BigInt(this.hi) << 32n) | BigInt(lo);
  }

  /**
   * Reads a varint and returns its low 32 bits as an unsigned number. Accepts up to 10 bytes
   * (negative int32 values are written with 10). Fast: no BigInt.
   */
  varint32(): number {
    const start = this.pos;
    const next = readVarint32(this.buf, start, this.limit, 10, V);
    if (next < 0) throw this.varintError(next, start);
    this.pos = next;
    return V.lo;
  }

  /** The DecodeError for readVarint's or readVarint32's failure `code` on a varint that starts at `start`. */
  private varintError(code: number, start: number): DecodeError {
    return code === VARINT_TRUNCATED
      ? new DecodeError(Math.max(start, this.limit), `the rest of a varint that starts at byte ${start} (input ends)`)
      : new DecodeError(start, 'a varint of at most 10 bytes');
  }

  /** Reads a tag; checks the wire type is 0..5 and the field number is 1..2^29-1. */
  tag(): Tag {
    const start = this.pos;
    const v = this.tagValue();
    return { fieldNumber: v >>> 3, wireType: (v & 7) as WireType, start, end: this.pos };
  }

  /**
   * Reads a tag without allocating: returns fieldNumber * 8 + wireType (checked as in tag()).
   * Use `v >>> 3` for the field number and `v & 7` for the wire type.
   */
  tagValue(): number {
    const start = this.pos;
    const next = readVarint32(this.buf, start, this.limit, 5, V);
    const v = V.lo;
    // A 5th byte above 0x0f (a continuation bit, or bits above 32) makes the field number too large.
    if (next < 0 || (next - start === 5 && this.buf[start + 4] > 0x0f) || (v & 7) > 5 || v < 8) throw this.tagError(next, start, v);
    this.pos = next;
    return v;
  }

  /** Why the tag at `start` is malformed: readVarint32 (at most 5 bytes) answered `next` and left `v`. */
  private tagError(next: number, start: number, v: number): DecodeError {
    if (next === VARINT_TRUNCATED)
      return new DecodeError(Math.max(start, this.limit), `the rest of a tag that starts at byte ${start} (input ends)`);
    if (next < 0 || (next - start === 5 && this.buf[start + 4] > 0x0f))
      return new DecodeError(start, `a tag whose field number is at most ${MAX_FIELD_NUMBER}`);
    if ((v & 7) > 5) return new DecodeError(start, `a tag with wire type 0..5 (found wire type ${v & 7}, field ${v >>> 3})`);
    return new DecodeError(start, 'a tag with a field number of at least 1 (found 0)');
  }

  /** Reads a length prefix and checks that many bytes remain; returns the length. */
  length(what = 'a length-delimited value'): number {
    const start = this.pos;
    const lo = this.varint64Split();
    const remaining = this.limit - this.pos;
    if (this.hi !== 0 || lo > remaining) {
      const n = this.hi === 0 ? lo : (BigInt(this.hi) << 32n) | BigInt(lo);
      throw new DecodeError(start, `${what} of ${n} bytes, but only ${remaining} remain`);
    }
    return lo;
  }

  /** Reads 4 bytes little-endian as an unsigned 32-bit number. */
  fixed32(): number {
    this.need(4, 'a 4-byte fixed32 value');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads 8 bytes little-endian as an unsigned 64-bit BigInt. */
  fixed64(): bigint {
    this.need(8, 'an 8-byte fixed64 value');
    const lo = this.fixed32();
    const hi = this.fixed32();
    return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads a little-endian IEEE float. */
  float(): number {
    this.need(4, 'a 4-byte float');
    const b = this.buf;
    const p = this.pos;
    if (LITTLE_ENDIAN) for (let i = 0; i < 4; i++) F32_BYTES[i] = b[p + i];
    else for (let i = 0; i < 4; i++) F32_BYTES[3 - i] = b[p + i];
    this.pos += 4;
    return F32[0];
  }

  /** Reads a little-endian IEEE double. */
  double(): number {
    this.need(8, 'an 8-byte double');
    const b = this.buf;
    const p = this.pos;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) F64_BYTES[i] = b[p + i];
    else for (let i = 0; i < 8; i++) F64_BYTES[7 - i] = b[p + i];
    this.pos += 8;
    return F64[0];
  }

  /** Returns a view (no copy) of the next n bytes. */
  bytes(n: number): Uint8Array {
    this.need(n, `${n} bytes`);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /**
   * Skips the value of a field whose tag was just read. For SGROUP it skips to the matching
   * EGROUP (nesting counted, up to `maxDepth`) and returns the offset of that end tag.
   */
  skip(tag: Tag, maxDepth = 100): number {
    switch (tag.wireType) {
      case 0:
        this.varint64();
        return this.pos;
      case 1:
        this.need(8, 'an 8-byte fixed64 value');
        this.pos += 8;
        return this.pos;
      case 5:
        this.need(4, 'a 4-byte fixed32 value');
        this.pos += 4;
        return this.pos;
      case 2: {
        const n = this.length();
        this.pos += n;
        return this.pos;
      }
      case 3:
        return this.skipGroup(tag, maxDepth);
      case 4:
        throw new DecodeError(tag.start, `a field, not an end-group tag for field ${tag.fieldNumber} outside any group`);
    }
  }

  /** Skips a group body; returns the offset of its end tag (the cursor ends past it). */
  private skipGroup(open: Tag, maxDepth: number): number {
    const stack: number[] = [open.fieldNumber];
    while (true) {
      if (this.done())
        throw new DecodeError(this.pos, `an end-group tag for field ${stack[stack.length - 1]} (group opened at byte ${open.start})`);
      const t = this.tag();
      if (t.wireType === 4) {
        const want = stack.pop();
        if (t.fieldNumber !== want)
          throw new DecodeError(t.start, `an end-group tag for field ${want} (found one for field ${t.fieldNumber})`);
        if (stack.length === 0) return t.start;
      } else if (t.wireType === 3) {
        if (stack.length >= maxDepth) throw new DecodeError(t.start, `groups nested at most ${maxDepth} deep`);
        stack.push(t.fieldNumber);
      } else {
        this.skip(t, maxDepth);
      }
    }
  }

  /** Throws a DecodeError at the cursor unless n more bytes remain before the limit. */
  need(n: number, what: string): void {
    if (this.pos + n > this.limit) {
      throw new DecodeError(this.pos, `${what} (only ${Math.max(0, this.limit - this.pos)} bytes remain)`);
    }
  }
}

/** Zigzag-decodes a 32-bit unsigned value to signed. */
export function zigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

/** Zigzag-decodes a 64-bit unsigned value to signed. */
export function zigzag64(n: bigint): bigint {
  return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
}
