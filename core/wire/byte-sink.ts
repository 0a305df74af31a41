/**
 * A growing byte buffer that printers write text into (ASCII and UTF-8), handing it out in
 * chunks: to a callback once it holds `flushBytes`, or to the caller at the end. No string is
 * built for the whole output.
 */

const encoder = new TextEncoder();

/** Where printers write: `buf` from `pos` on, after `reserve`. */
export class ByteSink {
  buf: Uint8Array;
  pos = 0;
  /** Bytes handed out (to `emit`, or by `take`) so far. */
  emitted = 0;

  constructor(
    /** Receives the output in chunks (each valid only during the call); without it everything stays in the buffer. */
    private readonly emit: ((chunk: Uint8Array) => void) | null = null,
    /** With `emit`: hand out the buffer once it holds this many bytes. */
    private readonly flushBytes = 1 << 16,
    initialBytes = 1 << 12,
  ) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Makes room for n more bytes at `pos` (emitting or growing the buffer); returns the buffer. */
  reserve(n: number): Uint8Array {
    if (this.pos + n <= this.buf.length) return this.buf;
    if (this.emit !== null && this.pos >= this.flushBytes) this.flush();
    if (this.pos + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
      grown.set(this.buf.subarray(0, this.pos));
      this.buf = grown;
    }
    return this.buf;
  }

  /**
   * Runs `write`, which appends to this sink; when it throws, takes back what it appended
   * (unless part of it was emitted already) and rethrows. For printers whose output of one
   * message is all or nothing.
   */
  allOrNothing(write: () => void): void {
    const mark = this.pos;
    const emitted = this.emitted;
    try {
      write();
    } catch (e) {
      if (this.emitted === emitted) this.pos = mark;
      throw e;
    }
  }

  /** Hands what is buffered to `emit` (a no-op without one). */
  flush(): void {
    if (this.emit === null || this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.emitted += this.pos;
    this.pos = 0;
  }

  /** Appends one byte. */
  byte(c: number): void {
    this.reserve(1)[this.pos++] = c;
  }

  /** Appends an ASCII (or Latin-1 below 0x80) string. */
  ascii(s: string): void {
    const b = this.reserve(s.length);
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Appends an integer (|n| below 2^53) in decimal. */
  int(n: number): void {
    const b = this.reserve(17);
    let p = this.pos;
    if (n < 0) {
      b[p++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      b[p++] = 48 + n;
      this.pos = p;
      return;
    }
    let digits = 1;
    for (let m = 10; m <= n; m *= 10) digits++;
    const stop = p + digits;
    for (let i = stop - 1; i >= p; i--) {
      const q = Math.floor(n / 10);
      b[i] = 48 + (n - q * 10);
      n = q;
    }
    this.pos = stop;
  }

  /** Appends a string as UTF-8. */
  utf8(s: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.reserve(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Appends src[start, end). */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    const b = this.reserve(n);
    if (n < 16) {
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = src[i];
      this.pos = p;
    } else {
      b.set(src.subarray(start, end), this.pos);
      this.pos += n;
    }
  }

  /** Hands what is buffered to the caller (the sink starts a new buffer, so the bytes stay valid). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(this.buf.length);
    this.emitted += this.pos;
    this.pos = 0;
    return out;
  }

  /** What is buffered (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
