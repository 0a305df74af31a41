/**
 * A message's top level read from its checked bytes into columns, without a node per field: where
 * each field starts, its kind and (when under 32) its field number, 5 bytes a field; a larger
 * field number is read again from the tag, and whether the schema knows a field follows from its
 * kind. A view of a top level of millions of fields (a big capture, a 200 MB file) counts, pages
 * and checks it from these and builds node objects only for the rows it shows (decode.ts:
 * rootLevelOf, rootNodeAt).
 */
import type { CheckedMessage } from './materialize';
import { NodeKind, NodeWalk } from './node-walk';
import { grownTo } from '../wire/typed-array';

/** Field numbers under this are kept beside the kind (5 bits); larger ones are read from the tag. */
const KEPT_NUMBERS = 32;

/** The top level of a message, field by field in wire order. */
export class RootLevel {
  constructor(
    readonly count: number,
    /** Where each field's tag starts. */
    readonly starts: Int32Array,
    /** Per field: its NodeKind in the low 3 bits, and above them its field number when under 32 (else 0). */
    private readonly codes: Uint8Array,
    /** The message's bytes (the tags at `starts` were checked when the level was read). */
    private readonly buf: Uint8Array,
  ) {}

  /** Field i's NodeKind. */
  kindAt(i: number): NodeKind {
    return (this.codes[i] & 7) as NodeKind;
  }

  /** Field i's number (read from its tag when 32 or more: a varint of at most 5 bytes). */
  numberAt(i: number): number {
    const kept = this.codes[i] >>> 3;
    if (kept !== 0) return kept;
    const buf = this.buf;
    let p = this.starts[i];
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      b = buf[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return v >>> 3;
  }

  /** Whether the schema knows field i (the node's `field` is set): every kind but the unknown ones. */
  knownAt(i: number): boolean {
    const k = this.codes[i] & 7;
    return k !== NodeKind.UNKNOWN && k !== NodeKind.UNKNOWN_GROUP;
  }

  /** Bytes the columns hold. */
  get byteLength(): number {
    return this.starts.byteLength + this.codes.byteLength;
  }
}

/** Reads the top level of checked bytes (their own fields only: nested ones are skipped). */
export function readRootLevel(checked: CheckedMessage): RootLevel {
  let cap = 1024;
  let starts = new Int32Array(cap);
  let codes = new Uint8Array(cap);
  let count = 0;
  const w = new NodeWalk(checked);
  while (w.next()) {
    w.skip();
    if (count === cap) {
      cap *= 2;
      starts = grownTo(starts, cap);
      codes = grownTo(codes, cap);
    }
    starts[count] = w.tagStart;
    codes[count] = w.kind | (w.fieldNumber < KEPT_NUMBERS ? w.fieldNumber << 3 : 0);
    count++;
  }
  return new RootLevel(count, starts.slice(0, count), codes.slice(0, count), checked.ctx.buf);
}

/** Whether a top-level field of this kind can show children (a packed run its elements; unknown LEN fields only when interpreted). */
export function mayHaveChildren(kind: number): boolean {
  return kind !== NodeKind.SCALAR && kind !== NodeKind.UNKNOWN;
}

/** The index of the top-level field whose bytes hold `offset` (the last one starting at or before it), or -1. */
export function fieldAtOffset(level: RootLevel, offset: number): number {
  let lo = 0;
  let hi = level.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (level.starts[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
