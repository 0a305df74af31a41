/**
 * One message level as a list of field spans (tag, length prefix, value), read without
 * decoding any value: what the diff compares byte ranges with before it descends.
 */
import { DecodeError } from '../wire/decode-error';
import { readVarint, VARINT_TRUNCATED, type VarintResult } from '../wire/varint';

/** One field occurrence at one message level. */
export interface WireField {
  /** Field number. */
  num: number;
  /** Wire type (0 varint, 1 i64, 2 len, 3 group, 5 i32). */
  wt: number;
  tagStart: number;
  /** Just past the tag varint (for LEN: where the length prefix starts). */
  tagEnd: number;
  /** First byte of the value (after the length prefix; after the start tag for groups). */
  valueStart: number;
  /** Just past the value (for groups: where the end-group tag starts). */
  valueEnd: number;
  /** Just past the whole field (for groups: past the end-group tag). */
  end: number;
}

const V: VarintResult = { lo: 0, hi: 0 };

/**
 * The fields of buf[start, end) at one level, appended to `out`; groups are spanned to their
 * end tag. Throws DecodeError (absolute offset) where the bytes stop parsing.
 */
export function scanFields(buf: Uint8Array, start: number, end: number, out: WireField[] = []): WireField[] {
  let p = start;
  while (p < end) {
    const f = readField(buf, p, end);
    if (f.wt === 4) throw new DecodeError(p, `a field, not an end-group tag for field ${f.num} that no group opened`);
    out.push(f);
    p = f.end;
  }
  return out;
}

function readTag(buf: Uint8Array, p: number, end: number): number {
  const q = readVarint(buf, p, end, V);
  if (q < 0)
    throw new DecodeError(
      q === VARINT_TRUNCATED ? end : p,
      q === VARINT_TRUNCATED ? `the rest of the tag that starts at byte ${p} (input ends)` : 'a tag of at most 10 bytes',
    );
  if (V.hi !== 0 || V.lo >>> 3 === 0) throw new DecodeError(p, `a tag with a field number from 1 to 2^29-1`);
  return q;
}

/** Reads the field at p (groups to their end tag). */
export function readField(buf: Uint8Array, p: number, end: number, depth = 0): WireField {
  const tagStart = p;
  const tagEnd = readTag(buf, p, end);
  const num = V.lo >>> 3;
  const wt = V.lo & 7;
  let valueStart = tagEnd;
  let valueEnd: number;
  let fieldEnd: number;
  switch (wt) {
    case 0: {
      const q = readVarint(buf, tagEnd, end, V);
      if (q < 0) throw new DecodeError(q === VARINT_TRUNCATED ? end : tagEnd, `the varint value of field ${num}`);
      valueEnd = fieldEnd = q;
      break;
    }
    case 1:
    case 5: {
      const n = wt === 1 ? 8 : 4;
      if (end - tagEnd < n) throw new DecodeError(end, `${n} bytes of field ${num} (only ${end - tagEnd} remain)`);
      valueEnd = fieldEnd = tagEnd + n;
      break;
    }
    case 2: {
      const q = readVarint(buf, tagEnd, end, V);
      if (q < 0) throw new DecodeError(q === VARINT_TRUNCATED ? end : tagEnd, `the length prefix of field ${num}`);
      const len = V.hi * 4294967296 + V.lo;
      if (len > end - q) throw new DecodeError(tagEnd, `${len} bytes of field ${num} (only ${end - q} remain)`);
      valueStart = q;
      valueEnd = fieldEnd = q + len;
      break;
    }
    case 3: {
      if (depth >= 100) throw new DecodeError(tagStart, 'groups nested at most 100 deep');
      let q = tagEnd;
      for (;;) {
        if (q >= end) throw new DecodeError(end, `the end-group tag of field ${num} (input ends)`);
        const inner = readField(buf, q, end, depth + 1);
        if (inner.wt === 4) {
          if (inner.num !== num) throw new DecodeError(q, `the end-group tag of field ${num}, not of field ${inner.num}`);
          valueEnd = q;
          fieldEnd = inner.end;
          break;
        }
        q = inner.end;
      }
      break;
    }
    case 4:
      valueEnd = fieldEnd = tagEnd;
      break;
    default:
      throw new DecodeError(tagStart, `a valid wire type (0-5), not ${wt} (field ${num})`);
  }
  return { num, wt, tagStart, tagEnd, valueStart, valueEnd, end: fieldEnd };
}

/** Below this many bytes, comparing byte by byte beats making word views. */
const WORDS_FROM = 64;

/**
 * How many of the n bytes from a[as] and b[bs] are equal before the first difference. Where
 * both inputs line up on 4-byte boundaries, most bytes are compared as 32-bit words.
 */
export function equalPrefix(a: Uint8Array, as: number, b: Uint8Array, bs: number, n: number): number {
  let k = 0;
  while (k < n && ((a.byteOffset + as + k) & 3) !== 0) {
    if (a[as + k] !== b[bs + k]) return k;
    k++;
  }
  if (n - k >= WORDS_FROM && ((b.byteOffset + bs + k) & 3) === 0) {
    const words = (n - k) >> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset + as + k, words);
    const wb = new Int32Array(b.buffer, b.byteOffset + bs + k, words);
    let w = 0;
    while (w < words && wa[w] === wb[w]) w++;
    k += w << 2;
  } else {
    // Not lined up: four bytes per step, read by hand.
    let i = as + k;
    let j = bs + k;
    while (
      n - k >= 4 &&
      (a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24)) === (b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24))
    ) {
      k += 4;
      i += 4;
      j += 4;
    }
  }
  while (k < n && a[as + k] === b[bs + k]) k++;
  return k;
}

/** How many of the n bytes before a[ae] and b[be] are equal, counting back to the first difference (see equalPrefix). */
export function equalSuffix(a: Uint8Array, ae: number, b: Uint8Array, be: number, n: number): number {
  let k = 0;
  while (k < n && ((a.byteOffset + ae - k) & 3) !== 0) {
    if (a[ae - 1 - k] !== b[be - 1 - k]) return k;
    k++;
  }
  if (n - k >= WORDS_FROM && ((b.byteOffset + be - k) & 3) === 0) {
    const words = (n - k) >> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset + ae - k - words * 4, words);
    const wb = new Int32Array(b.buffer, b.byteOffset + be - k - words * 4, words);
    let w = words - 1;
    while (w >= 0 && wa[w] === wb[w]) w--;
    k += (words - 1 - w) << 2;
  } else {
    // Not lined up: four bytes per step, read by hand.
    let i = ae - k - 4;
    let j = be - k - 4;
    while (
      n - k >= 4 &&
      (a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24)) === (b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24))
    ) {
      k += 4;
      i -= 4;
      j -= 4;
    }
  }
  while (k < n && a[ae - 1 - k] === b[be - 1 - k]) k++;
  return k;
}

/** Whether a[as, ae) and b[bs, be) hold the same bytes. */
export function bytesEqual(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const n = ae - as;
  if (n !== be - bs) return false;
  if (a === b && as === bs) return true;
  return equalPrefix(a, as, b, bs, n) === n;
}

/** A 32-bit FNV-1a hash of buf[start, end) (for bucketing equal elements; equality is then checked byte by byte). */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

/** Where two inputs are byte for byte the same at their ends: a common prefix and a common suffix that do not overlap. */
export interface CommonEnds {
  /** Length of the common prefix. */
  prefix: number;
  /** Where the common suffix starts in A and in B. */
  sufA: number;
  sufB: number;
  /** B's length minus A's: what an offset in the common suffix of A adds to be the same byte in B. */
  delta: number;
}

/** The common prefix and suffix of a and b (one pass up to the first difference from each end). */
export function commonEnds(a: Uint8Array, b: Uint8Array): CommonEnds {
  const n = Math.min(a.length, b.length);
  const p = equalPrefix(a, 0, b, 0, n);
  const s = equalSuffix(a, a.length, b, b.length, n - p);
  return { prefix: p, sufA: a.length - s, sufB: b.length - s, delta: b.length - a.length };
}

/** The index of the field of `fields` (sorted by offset) that starts at `offset`, searching from `from`; -1 if none does. */
function fieldStartingAt(fields: readonly WireField[], offset: number, from: number): number {
  let lo = from;
  let hi = fields.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = fields[mid].tagStart;
    if (s === offset) return mid;
    if (s < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * B's fields at one level (B[0, b.length)), given A's and where the two inputs share bytes:
 * fields inside the common prefix are A's own (same offsets), fields in the common suffix are
 * A's shifted, and only the part in between is read. Throws DecodeError as scanFields does.
 */
export function scanAlike(b: Uint8Array, fieldsA: readonly WireField[], ends: CommonEnds): WireField[] {
  const out: WireField[] = [];
  let k = 0;
  while (k < fieldsA.length && fieldsA[k].end <= ends.prefix) out.push(fieldsA[k++]);
  let p = k > 0 ? fieldsA[k - 1].end : 0;
  while (p < b.length) {
    if (p >= ends.sufB) {
      const j = fieldStartingAt(fieldsA, p - ends.delta, k);
      if (j >= 0) {
        const d = ends.delta;
        for (let m = j; m < fieldsA.length; m++) {
          const f = fieldsA[m];
          out.push(
            d === 0
              ? f
              : {
                  num: f.num,
                  wt: f.wt,
                  tagStart: f.tagStart + d,
                  tagEnd: f.tagEnd + d,
                  valueStart: f.valueStart + d,
                  valueEnd: f.valueEnd + d,
                  end: f.end + d,
                },
          );
        }
        return out;
      }
    }
    const f = readField(b, p, b.length);
    if (f.wt === 4) throw new DecodeError(p, `a field, not an end-group tag for field ${f.num} that no group opened`);
    out.push(f);
    p = f.end;
  }
  return out;
}
