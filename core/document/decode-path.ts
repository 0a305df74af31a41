/** Field paths of decode errors ("participants[2].identity"), made from what the scanner keeps per nesting depth. */
import { readVarint, type VarintResult } from '../wire/varint';
import { WireType } from '../wire/wire-types';
import { FieldKind, type FieldInfo } from './schema-info';

/** What the scanner keeps per nesting depth; field paths of errors are made from it. */
export interface ScanFrames {
  /** Value start of the message at each depth. */
  readonly start: number[];
  /** The number of the field being read at each depth (0 between fields). */
  readonly number: number[];
  readonly field: (FieldInfo | null)[];
  /** Where the field being read at each depth starts. */
  readonly tagStart: number[];
}

const V: VarintResult = { lo: 0, hi: 0 };

/** How many fields numbered `fieldNumber` the checked bytes buf[from, to) of one message hold (nested fields not counted). */
function countOccurrences(buf: Uint8Array, from: number, to: number, fieldNumber: number): number {
  let count = 0;
  let p = from;
  while (p < to) {
    readVarint(buf, p, to, V);
    if (V.lo >>> 3 === fieldNumber && (V.lo & 7) !== WireType.EGROUP) count++;
    p = skipField(buf, p, to);
  }
  return count;
}

/**
 * The field path of the frames from depth0 to d (undefined when none of them is inside a
 * field). A repeated or unknown field's segment carries its index among the earlier fields
 * of that number in the same message.
 */
export function fieldPathOf(buf: Uint8Array, frames: ScanFrames, depth0: number, d: number): string | undefined {
  const parts: string[] = [];
  for (let i = depth0; i <= d; i++) {
    const fn = frames.number[i];
    if (!fn) continue;
    const fi = frames.field[i];
    let seg = fi ? fi.name : `#${fn}`;
    if (!fi || fi.field.repeated || fi.kind === FieldKind.MAP) {
      const count = countOccurrences(buf, frames.start[i], frames.tagStart[i], fn);
      if (fi || count > 0) seg += `[${count}]`;
    }
    parts.push(seg);
  }
  return parts.length ? parts.join('.') : undefined;
}

/** Skips one field of checked bytes at p (a group with everything up to its end tag); returns the position after it. */
export function skipField(buf: Uint8Array, p: number, limit: number): number {
  let depth = 0;
  do {
    p = readVarint(buf, p, limit, V);
    const wt = V.lo & 7;
    switch (wt) {
      case WireType.VARINT:
        while (buf[p++] >= 0x80);
        break;
      case WireType.I64:
        p += 8;
        break;
      case WireType.I32:
        p += 4;
        break;
      case WireType.LEN:
        p = readVarint(buf, p, limit, V);
        p += V.lo;
        break;
      case WireType.SGROUP:
        depth++;
        break;
      default: // EGROUP
        depth--;
    }
  } while (depth > 0 && p < limit);
  return p;
}
