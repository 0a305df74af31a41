/**
 * The result of an encode as a list of parts (a rope): views of the source buffer for the
 * unchanged runs and small new buffers for re-encoded nodes, so saving a big document after a
 * small edit copies nothing. The bytes are the parts concatenated in order.
 */

/** Encoded bytes held as parts (never modified after construction; neither are the buffers they view). */
export class EncodedBytes {
  /** Total number of bytes. */
  readonly length: number;
  /** Start offset of each part within the whole (for slice). */
  readonly #starts: readonly number[];

  constructor(
    /** The bytes, in order; write them one after another (e.g. with writev) to save. */
    readonly parts: readonly Uint8Array[],
  ) {
    const starts: number[] = [];
    let length = 0;
    for (const p of parts) {
      starts.push(length);
      length += p.length;
    }
    this.length = length;
    this.#starts = starts;
  }

  /** A copy of bytes [start, end) (default: all), e.g. for a hex view; throws RangeError outside 0..length. */
  slice(start = 0, end = this.length): Uint8Array {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.length || start > end) {
      throw new RangeError(`slice(${start}, ${end}) is outside the encoded bytes (0..${this.length})`);
    }
    const out = new Uint8Array(end - start);
    let i = this.partAt(start);
    let at = start;
    while (at < end) {
      const part = this.parts[i];
      const from = at - this.#starts[i];
      const n = Math.min(part.length - from, end - at);
      out.set(part.subarray(from, from + n), at - start);
      at += n;
      i++;
    }
    return out;
  }

  /** All the bytes in one new buffer (one copy), for callers that need them contiguous. */
  toUint8Array(): Uint8Array {
    const out = new Uint8Array(this.length);
    for (let i = 0; i < this.parts.length; i++) out.set(this.parts[i], this.#starts[i]);
    return out;
  }

  /** Index of the part holding byte `offset` (0 <= offset < length): the last part starting at or before it (never an empty one). */
  private partAt(offset: number): number {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
