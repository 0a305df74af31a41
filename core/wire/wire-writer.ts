import type { WireType } from './wire-types';

/**
 * A growable byte buffer for writing protobuf. Appends raw bytes, varints, fixed-width
 * numbers and tags; `finish()` returns the written bytes (a view, no copy).
 */
export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for n more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Appends bytes as they are. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Appends an unsigned varint from a non-negative number below 2^53. */
  uvarint(n: number): this {
    this.reserve(10);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  /** Appends a varint of a 64-bit value; negative values are written as their two's complement (10 bytes). */
  varint64(n: bigint): this {
    let v = BigInt.asUintN(64, n);
    this.reserve(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  /** Appends an int32 varint: negative values sign-extend to 10 bytes, as protoc writes them. */
  int32(n: number): this {
    return n >= 0 ? this.uvarint(n) : this.varint64(BigInt(n));
  }

  /** Appends a tag. */
  tag(fieldNumber: number, wireType: WireType): this {
    return this.uvarint(fieldNumber * 8 + wireType);
  }

  /** Appends 4 bytes little-endian (an unsigned or signed 32-bit value). */
  fixed32(n: number): this {
    this.reserve(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** Appends 8 bytes little-endian of a 64-bit value. */
  fixed64(n: bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, n), true);
    this.pos += 8;
    return this;
  }

  /** Appends a little-endian IEEE float. */
  float(n: number): this {
    this.reserve(4);
    this.view.setFloat32(this.pos, n, true);
    this.pos += 4;
    return this;
  }

  /** Appends a little-endian IEEE double. */
  double(n: number): this {
    this.reserve(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
    return this;
  }

  /** Appends a length prefix and the bytes. */
  lengthDelimited(bytes: Uint8Array): this {
    return this.uvarint(bytes.length).raw(bytes);
  }

  /** The bytes written so far (a view of the internal buffer). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * The buffer written to (bytes 0..pos), for views of what was written. Such views stay valid
   * while writing goes on: written bytes are never overwritten, and growing copies them to a new
   * buffer (this getter's later answer), leaving the old one as it was.
   */
  get buffer(): ArrayBufferLike {
    return this.buf.buffer;
  }
}

/** Number of bytes an unsigned varint of n (below 2^53) takes. */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Zigzag-encodes a signed 32-bit number. */
export function zigzagEncode32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

/** Zigzag-encodes a signed 64-bit BigInt. */
export function zigzagEncode64(n: bigint): bigint {
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}
