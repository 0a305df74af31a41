/**
 * The fast JSON printer's first reading of a message's checked bytes: which fields a runtime
 * would see as set and where their occurrences start, or NEEDS_FULL_VIEW when printing them
 * takes the full parsed view (message-state.ts). Also the reader helpers both readings share.
 */
import type { CheckedMessage } from '../document/decode';
import { readNumeric } from '../document/decode-values';
import { FieldKind, S } from '../document/schema-info';
import { decodeUtf8Lossy, decodeUtf8Strict } from '../wire/utf8';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import { defaultMapKey, knowsValue, rankOf, type FastField, type FastType } from './json-fast-fields';

/**
 * Per nesting level: what the first reading of a message found, by field rank. An entry holds
 * for the current message only when its stamp is `gen` (so nothing is cleared per message).
 */
export interface Scratch {
  gen: number;
  stamp: Int32Array;
  /** Ranks of the fields seen, in the order first seen: the first `seen` entries. */
  present: Int32Array;
  seen: number;
  /** Occurrences a runtime keeps (closed enum numbers the enum does not define left out). */
  count: Int32Array;
  /** Where the first and last kept occurrence's tag starts. */
  first: Int32Array;
  last: Int32Array;
  /** By oneof index: the rank of the member seen (when oneofStamp is gen). */
  oneof: Int32Array;
  oneofStamp: Int32Array;
  /** For map fields: each key and where its entry's tag starts. */
  keys: (Map<string, number> | null)[];
}

function newScratch(fields: number, oneofs: number): Scratch {
  return {
    gen: 0,
    stamp: new Int32Array(fields),
    present: new Int32Array(fields),
    seen: 0,
    count: new Int32Array(fields),
    first: new Int32Array(fields),
    last: new Int32Array(fields),
    oneof: new Int32Array(oneofs),
    oneofStamp: new Int32Array(oneofs),
    keys: new Array<Map<string, number> | null>(fields).fill(null),
  };
}

/** What every printer's per-level scratch has: tables by field rank and by oneof, valid for the message whose `gen` they hold. */
export interface LevelScratch {
  gen: number;
  stamp: Int32Array;
  oneof: Int32Array;
}

/**
 * The scratch of nesting `level` in `pool`, made (or grown, keeping its generation) when a message
 * has more fields or oneofs than it holds, and moved on to the next generation: what the previous
 * message stamped in it no longer counts.
 */
export function levelScratch<S extends LevelScratch>(
  pool: S[],
  level: number,
  fields: number,
  oneofs: number,
  make: (fields: number, oneofs: number) => S,
): S {
  let s = pool[level];
  if (!s || s.stamp.length < fields || s.oneof.length < oneofs) {
    const grown = make(Math.max(fields, 2 * (s?.stamp.length ?? 8)), Math.max(oneofs, 2 * (s?.oneof.length ?? 4)));
    if (s) grown.gen = s.gen;
    pool[level] = s = grown;
  }
  s.gen++;
  return s;
}

/** Says a message must be printed through toJson (thrown by survey, caught by the printer). */
export const NEEDS_FULL_VIEW = Symbol('needs the full parsed view');

/** A reader over a checked message's bytes, with the first reading of each message. */
export class CheckedBytesReader {
  protected checked: CheckedMessage | null = null;
  protected buf: Uint8Array = new Uint8Array(0);
  protected r: WireReader = new WireReader(this.buf);
  private readonly scratch: Scratch[] = [];

  /** Reads `checked` from now on. */
  protected bind(checked: CheckedMessage): void {
    this.checked = checked;
    this.buf = checked.ctx.buf;
    this.r = new WireReader(this.buf);
  }

  /** The scratch of nesting `level`, emptied for the next message, with room for this many fields and oneofs. */
  protected scratchAt(level: number, fields: number, oneofs: number): Scratch {
    const s = levelScratch(this.scratch, level, fields, oneofs, newScratch);
    s.seen = 0;
    return s;
  }

  /** Starts the entries of field `rank` on its first occurrence in the current message. */
  private touch(s: Scratch, rank: number): void {
    if (s.stamp[rank] === s.gen) return;
    s.stamp[rank] = s.gen;
    s.count[rank] = 0;
    s.first[rank] = -1;
    s.last[rank] = -1;
    s.keys[rank] = null;
    s.present[s.seen++] = rank;
  }

  /** The first reading: which fields a runtime would see as set, and where; throws NEEDS_FULL_VIEW when this path cannot print them. */
  protected survey(ft: FastType, s: Scratch, start: number, end: number): void {
    const r = this.r;
    r.pos = start;
    r.limit = end;
    while (r.pos < end) {
      const tagStart = r.pos;
      const tv = r.tagValue();
      const fn = tv >>> 3;
      const wt = tv & 7;
      const rank = rankOf(ft, fn);
      if (rank < 0) {
        this.skipValue(wt);
        continue;
      }
      const ff = ft.fields[rank];
      const fi = ff.fi;
      this.touch(s, rank);
      let counts = true;
      if (fi.kind === FieldKind.SCALAR) {
        if (wt === fi.wireType) {
          if (ff.closed) {
            const v = r.varint32() | 0;
            counts = knowsValue(ff.enumType!, v);
          } else {
            this.skipValue(wt);
          }
        } else if (wt === WireType.LEN && fi.packable) {
          const n = r.length();
          if (n === 0)
            counts = false; // an empty run adds no element
          else if (ff.closed && !this.packedAllKnown(ff, r.pos, r.pos + n)) throw NEEDS_FULL_VIEW;
          r.pos += n;
        } else {
          this.skipValue(wt);
          continue; // a wire type the field cannot have: an unknown field
        }
      } else if (fi.kind === FieldKind.GROUP ? wt === WireType.SGROUP : wt === WireType.LEN) {
        if (ff.map) {
          const n = r.length();
          counts = this.surveyEntry(ff, s, rank, tagStart, r.pos, r.pos + n);
        } else {
          if (!ff.repeated && s.count[rank] > 0) throw NEEDS_FULL_VIEW; // a singular message written twice merges
          this.skipValue(wt);
        }
      } else {
        this.skipValue(wt);
        continue;
      }
      if (!counts) continue;
      if (ff.oneof >= 0) {
        if (s.oneofStamp[ff.oneof] !== s.gen) {
          s.oneofStamp[ff.oneof] = s.gen;
          s.oneof[ff.oneof] = rank;
        } else if (s.oneof[ff.oneof] !== rank) throw NEEDS_FULL_VIEW; // a later member clears an earlier one
      }
      s.count[rank]++;
      if (s.first[rank] < 0) s.first[rank] = tagStart;
      s.last[rank] = tagStart;
    }
  }

  /** A map entry in buf[start, end): records its key (the reader is then past the entry); false when a runtime drops it. */
  private surveyEntry(ff: FastField, s: Scratch, rank: number, tagStart: number, start: number, end: number): boolean {
    const r = this.r;
    const savedLimit = r.limit;
    const key = ff.entryKey!;
    const value = ff.entryValue!;
    let keyAt = -1;
    let valueAt = -1;
    let values = 0;
    r.limit = end;
    while (r.pos < end) {
      const at = r.pos;
      const tv = r.tagValue();
      const fn = tv >>> 3;
      const wt = tv & 7;
      if (fn === 1 && wt === key.fi.wireType) {
        keyAt = at;
      } else if (fn === 2 && wt === (value.fi.kind === FieldKind.SCALAR ? value.fi.wireType : WireType.LEN)) {
        valueAt = at;
        values++;
      }
      this.skipValue(wt);
    }
    r.limit = savedLimit;
    if (values > 1 && value.fi.kind !== FieldKind.SCALAR) throw NEEDS_FULL_VIEW; // message values merge
    if (valueAt >= 0 && value.closed) {
      // The entry's last value decides: a closed enum number the enum does not define drops the entry.
      r.pos = valueAt;
      r.tagValue();
      const known = knowsValue(value.enumType!, r.varint32() | 0);
      r.pos = end;
      if (!known) return false;
    }
    const k = keyAt >= 0 ? this.mapKeyAt(key, keyAt) : defaultMapKey(key.fi);
    let keys = s.keys[rank];
    if (keys === null) s.keys[rank] = keys = new Map();
    if (keys.has(k) || k === '__proto__') throw NEEDS_FULL_VIEW; // a repeated key: the last entry wins, at the first one's place
    keys.set(k, tagStart);
    return true;
  }

  /** Whether every element of a packed closed enum run is a number the enum defines. */
  private packedAllKnown(ff: FastField, start: number, end: number): boolean {
    const r = new WireReader(this.buf, start, end);
    while (r.pos < end) if (!knowsValue(ff.enumType!, r.varint32() | 0)) return false;
    return true;
  }

  /** Skips the value of a field whose tag was just read (the bytes are checked). */
  protected skipValue(wt: number): void {
    const r = this.r;
    const buf = this.buf;
    switch (wt) {
      case WireType.VARINT: {
        let p = r.pos;
        while (buf[p++] >= 0x80);
        r.pos = p;
        return;
      }
      case WireType.I64:
        r.pos += 8;
        return;
      case WireType.I32:
        r.pos += 4;
        return;
      case WireType.LEN: {
        const n = r.length();
        r.pos += n;
        return;
      }
      default: {
        // SGROUP: its end tag is where the scan recorded it.
        const g = this.checked!.facts.groupEnd(r.pos);
        r.pos = g;
        r.tagValue();
      }
    }
  }

  /** Whether the singular scalar whose tag starts at `at` holds its type's default (then a runtime sees it unset). */
  protected isDefaultAt(ff: FastField, at: number): boolean {
    const r = this.r;
    r.pos = at;
    r.limit = this.buf.length;
    r.tagValue();
    const code = ff.fi.code;
    if (code === S.STRING || code === S.BYTES) return r.length() === 0;
    const v = readNumeric(r, code);
    return typeof v === 'boolean' ? !v : typeof v === 'bigint' ? v === 0n : Object.is(v, 0);
  }

  /** Whether the closed enum value whose tag starts at `at` is defined. */
  protected knownAt(ff: FastField, at: number): boolean {
    const r = this.r;
    r.pos = at;
    r.tagValue();
    return knowsValue(ff.enumType!, r.varint32() | 0);
  }

  /** Where the field whose tag starts at `at` ends. */
  protected fieldEnd(at: number): number {
    const r = this.r;
    r.pos = at;
    r.limit = this.buf.length;
    const tv = r.tagValue();
    this.skipValue(tv & 7);
    return r.pos;
  }

  /** The key of the map entry field whose tag starts at `at`, as a string. */
  private mapKeyAt(key: FastField, at: number): string {
    const r = this.r;
    const saved = r.pos;
    const savedLimit = r.limit;
    r.pos = at;
    r.tagValue();
    let k: string;
    if (key.fi.code === S.STRING) {
      const n = r.length();
      k = decodeUtf8Strict(this.buf, r.pos, r.pos + n) ?? decodeUtf8Lossy(this.buf.subarray(r.pos, r.pos + n));
    } else {
      k = String(readNumeric(r, key.fi.code));
    }
    r.pos = saved;
    r.limit = savedLimit;
    return k;
  }
}
