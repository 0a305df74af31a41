/**
 * Pure-ASCII text written as bytes into fixed-size chunks (what protoc-mode raw text is): digit,
 * hex and escape writers that put bytes at a position, and the chunk sink they write into.
 * No strings are built and nothing is copied.
 */
import { cEscape } from '../format/text-escape';
import { TWO32 } from './raw-scan';

const HEX_DIGITS = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]); // 0-9a-f

/** Each byte as CEscape prints it (cEscape of that byte), as a little-endian word of up to 4 ASCII bytes, and how many of them are used. */
const ESCAPE_WORDS = new Uint32Array(256);

const ESCAPE_LENGTH = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const esc = cEscape(new Uint8Array([b])) || String.fromCharCode(b);
  for (let i = 0; i < esc.length; i++) ESCAPE_WORDS[b] |= esc.charCodeAt(i) << (8 * i);
  ESCAPE_LENGTH[b] = esc.length;
}

// The writers: each writes at b[p] (room already made) and returns the new position.

/** `level` indents of two spaces. */
export function putIndent(b: Uint8Array, p: number, level: number): number {
  for (const stop = p + 2 * level; p < stop; p++) b[p] = 0x20;
  return p;
}

/** A non-negative integer below 2^53 in decimal: at most 16 bytes. */
export function putUint(b: Uint8Array, p: number, n: number): number {
  if (n < 1e8) return putSmallUint(b, p, n);
  // Two halves of at most 8 digits each, so that all the digit arithmetic stays in int32.
  const high = Math.floor(n / 1e8);
  return putDigits(b, putSmallUint(b, p, high), n - high * 1e8, 8);
}

/** An integer in [0, 1e8) in decimal (putUint without its range check). */
export function putSmallUint(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  let digits = 2;
  for (let m = 100; m <= n; m *= 10) digits++;
  return putDigits(b, p, n, digits);
}

/** The two ASCII digits of 0..99 (00, 01, ... 99), for writing decimals two digits a division. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 48 + ((i / 10) | 0);
  DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** An integer in [0, 1e8) as exactly `digits` decimal digits (zero-padded). */
function putDigits(b: Uint8Array, p: number, n: number, digits: number): number {
  const stop = p + digits;
  let i = stop;
  while (i - p >= 2) {
    const q = (n / 100) | 0;
    const r = 2 * (n - q * 100);
    b[--i] = DIGIT_PAIRS[r + 1];
    b[--i] = DIGIT_PAIRS[r];
    n = q;
  }
  if (i > p) b[p] = 48 + n;
  return stop;
}

/** An unsigned 64-bit value given as two 32-bit halves (each int32 or uint32: only its bits count), in decimal: at most 20 bytes. */
export function putU64(b: Uint8Array, p: number, lo: number, hi: number): number {
  lo >>>= 0;
  hi >>>= 0;
  if (hi < 0x200000) return putUint(b, p, hi * TWO32 + lo);
  // At least 2^53: divide by 1e8 in 16-bit steps (each partial value stays below 2^53, so the
  // arithmetic is exact without BigInt), then print the quotient and 8 digits of remainder.
  let x = hi >>> 16;
  let r = x % 1e8;
  let q = (x - r) / 1e8;
  x = r * 65536 + (hi & 0xffff);
  r = x % 1e8;
  q = q * 65536 + (x - r) / 1e8;
  x = r * 65536 + (lo >>> 16);
  r = x % 1e8;
  q = q * 65536 + (x - r) / 1e8;
  x = r * 65536 + (lo & 0xffff);
  r = x % 1e8;
  q = q * 65536 + (x - r) / 1e8;
  return putDigits(b, putUint(b, p, q), r, 8);
}

/** 8 lowercase hex digits of a 32-bit value (int32 or uint32: only its bits count). */
export function putHex8(b: Uint8Array, p: number, v: number): number {
  for (let i = p + 7; i >= p; i--) {
    b[i] = HEX_DIGITS[v & 15];
    v >>>= 4;
  }
  return p + 8;
}

/** An ASCII string. */
export function putAscii(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Room for one line other than an escaped string's: indent, a 10-digit field number, ": 0x" and 16 hex digits or ": " and 20 digits, newline. */
export const LINE_ROOM = 40;

/** Size of a ChunkSink's first chunk at most (see its constructor). */
const FIRST_CHUNK_BYTES = 4096;

/** Size of the chunks that writeRawText hands out by default. */
export const RAW_TEXT_CHUNK_BYTES = 1 << 16;

/**
 * Chunk size for a writer that consumes each chunk at once (reuseChunks; protodesk raw writing
 * to its descriptor): big enough that a write call per chunk costs nothing, small enough that
 * the reused buffer stays in the CPU's cache (1 MiB measured a third slower on 10 MB).
 */
export const RAW_TEXT_SYNC_CHUNK_BYTES = 1 << 18;

/**
 * Where protoc-mode text is written. It is pure ASCII (every byte >= 0x7f is escaped), so it
 * goes as bytes into fixed-size chunks, each handed to `emit` once full: no strings are built
 * and nothing is copied. Writers reserve room for a whole line, then write into `buf` at `pos`.
 * With `reuse`, the next chunk is written into the same buffer once `emit` returns (no
 * allocation per chunk), so `emit` must consume or copy it before returning.
 */
export class ChunkSink {
  buf: Uint8Array;
  pos = 0;

  constructor(
    private readonly size: number,
    private readonly emit: (chunk: Uint8Array) => void,
    private readonly reuse = false,
  ) {
    // The first chunk is small, so that the hand-over path has run (and V8 has seen it) before
    // the printer's functions are optimized: else each of them is thrown back to the
    // interpreter when the first big chunk fills.
    this.buf = new Uint8Array(Math.min(size, FIRST_CHUNK_BYTES));
  }

  /** Makes room for n more bytes (handing over the current chunk when they do not fit); returns the buffer to write to. */
  reserve(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) this.next(n);
    return this.buf;
  }

  private next(n: number): void {
    this.end();
    const size = Math.max(this.size, n);
    if (this.reuse && this.buf.length >= size) return;
    // Larger than a chunk only when one line's indent does not fit in it (deep nesting, tiny chunks).
    this.buf = new Uint8Array(size);
  }

  /** Hands over what is written and not yet handed over (at the end, and when a chunk is full). */
  end(): void {
    if (this.pos > 0) this.emit(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Appends an ASCII string. */
  ascii(s: string): void {
    this.pos = putAscii(this.reserve(s.length), this.pos, s);
  }

  /** Appends src[start, end) escaped as protoc's CEscape does, across as many chunks as it takes. */
  escaped(src: Uint8Array, start: number, end: number): void {
    while (start < end) {
      // A byte takes at most 4: escape as many as surely fit here, the rest in the next chunk.
      this.reserve(4);
      const stop = Math.min(end, start + ((this.buf.length - this.pos) >> 2));
      const b = this.buf;
      let p = this.pos;
      for (let i = start; i < stop; i++) {
        const c = src[i];
        const n = ESCAPE_LENGTH[c];
        if (n === 1) {
          b[p++] = c;
          continue;
        }
        const w = ESCAPE_WORDS[c]; // all 4 bytes, then advance by the ones used
        b[p] = w;
        b[p + 1] = w >>> 8;
        b[p + 2] = w >>> 16;
        b[p + 3] = w >>> 24;
        p += n;
      }
      this.pos = p;
      start = stop;
    }
  }
}
