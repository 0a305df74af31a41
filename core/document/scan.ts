/**
 * The validating scan behind decodeMessage: walks a message's bytes with an explicit stack (no
 * recursion, so nesting is bounded by limits.maxDepth alone), checks everything the node
 * builder (materialize.ts) will later rely on, counts nodes, and fails exactly where and as
 * the tree decoder always has: a DecodeError naming the offset, what was expected and the
 * field path. It builds nothing; it records only group ends and where a tolerant decode stopped
 * (ScanFacts).
 */
import { DecodeError } from '../wire/decode-error';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import type { DecodeContext } from './decode-context';
import { fieldPathOf, type ScanFrames } from './decode-path';
import type { ScanFacts } from './scan-facts';
import { DENSE_LIMIT, FieldKind, S, messageInfo, type FieldInfo, type TypeInfo } from './schema-info';

/** Where one scan starts and how far it goes. */
export interface ScanRange {
  /** The value start of the message (field paths count siblings from here; tolerant stops are keyed by it). */
  readonly messageStart: number;
  /** Where to start reading (the message start, or where an earlier step stopped). */
  readonly from: number;
  /** The message's end. */
  readonly limit: number;
  /** Nesting depth of the message (0: the root). */
  readonly depth: number;
  /** Also scan nested length-delimited messages (false: only this level, its groups and map entries). */
  readonly descend: boolean;
  /** Stop after this many fields of this level (the cursor then sits at the next one). */
  readonly maxFields?: number;
  /** Tolerant: record the first error and keep going after the message it happened in, instead of throwing. */
  readonly tolerant: boolean;
}

/** The error text for a missing 4- or 8-byte value of a scalar type code (as the value readers word it). */
function fixedWhat(code: number, size: number): string {
  if (code === S.FLOAT) return 'a 4-byte float';
  if (code === S.DOUBLE) return 'an 8-byte double';
  return size === 4 ? 'a 4-byte fixed32 value' : 'an 8-byte fixed64 value';
}

/** Scans messages; one instance is reused while it is not busy (see scanMessage). */
class Scanner implements ScanFrames {
  readonly info: (TypeInfo | null)[] = [];
  readonly start: number[] = [];
  readonly limit: number[] = [];
  readonly group: number[] = [];
  readonly groupStart: number[] = [];
  readonly groupSlot: number[] = [];
  readonly number: number[] = [];
  readonly field: (FieldInfo | null)[] = [];
  readonly tagStart: number[] = [];
  busy = false;
  private facts: ScanFacts | null = null;

  scan(ctx: DecodeContext, facts: ScanFacts, info: TypeInfo | null, range: ScanRange): number {
    this.facts = facts;
    const r = new WireReader(ctx.buf, range.from, range.limit);
    const maxNodes = ctx.limits.maxNodes;
    const maxDepth = ctx.limits.maxDepth;
    const depth0 = range.depth;
    const maxFields = range.maxFields ?? Infinity;
    const descend = range.descend;
    let d = depth0;
    this.push(d, info, range.messageStart, range.limit, 0, 0, -1);
    let tagStart = r.pos;
    let count = 0;
    for (;;) {
      try {
        for (;;) {
          if (r.pos >= r.limit) {
            if (this.group[d] !== 0) {
              tagStart = r.pos;
              this.number[d] = 0;
              throw new DecodeError(r.pos, `an end-group tag for field ${this.group[d]} (group opened at byte ${this.groupStart[d]})`);
            }
            if (d === depth0) return r.pos;
            d--;
            r.limit = this.limit[d];
            continue;
          }
          if (d === depth0 && count++ === maxFields) return r.pos;
          tagStart = r.pos;
          this.number[d] = 0;
          this.field[d] = null;
          this.tagStart[d] = tagStart;
          const tv = r.tagValue();
          const fn = tv >>> 3;
          const wt = tv & 7;
          if (wt === WireType.EGROUP) {
            const g = this.group[d];
            if (fn !== g) {
              throw new DecodeError(
                tagStart,
                g
                  ? `an end-group tag for field ${g} (found one for field ${fn})`
                  : `a field, not an end-group tag for field ${fn} outside any group`,
              );
            }
            facts.setGroupEnd(this.groupSlot[d], tagStart);
            d--;
            continue;
          }
          this.number[d] = fn;
          const ti = this.info[d];
          const fi = ti === null ? undefined : fn < DENSE_LIMIT ? ti.dense[fn] : ti.byNumber.get(fn);
          if (fi !== undefined) this.field[d] = fi;
          if (++ctx.nodes > maxNodes) throw new DecodeError(tagStart, `at most ${maxNodes} nodes (decode limit)`);
          if (fi !== undefined) {
            const kind = fi.kind;
            if (kind === FieldKind.SCALAR) {
              if (wt === fi.wireType) {
                if (wt === WireType.VARINT) r.varint64Split();
                else if (wt === WireType.LEN) {
                  const n = r.length();
                  r.pos += n;
                } else {
                  const size = wt === WireType.I32 ? 4 : 8;
                  r.need(size, fixedWhat(fi.code, size));
                  r.pos += size;
                }
                continue;
              }
              if (wt === WireType.LEN && fi.packable) {
                this.packed(ctx, r, fi.code, tagStart, maxNodes);
                continue;
              }
            } else if (kind === FieldKind.GROUP) {
              if (wt === WireType.SGROUP) {
                if (d + 1 > maxDepth) throw new DecodeError(tagStart, `messages nested at most ${maxDepth} deep (decode limit)`);
                this.push(++d, messageInfo(fi), r.pos, r.limit, fn, tagStart, facts.openGroup(r.pos));
                continue;
              }
            } else if (wt === WireType.LEN) {
              const n = r.length();
              const valueStart = r.pos;
              const end = valueStart + n;
              if (d + 1 > maxDepth) throw new DecodeError(tagStart, `messages nested at most ${maxDepth} deep (decode limit)`);
              if (descend || kind === FieldKind.MAP) {
                this.push(++d, messageInfo(fi), valueStart, end, 0, 0, -1);
                r.limit = end;
              } else {
                r.pos = end;
              }
              continue;
            }
          }
          switch (wt) {
            case WireType.VARINT:
              r.varint64Split();
              break;
            case WireType.I64:
              r.need(8, 'an 8-byte fixed64 value');
              r.pos += 8;
              break;
            case WireType.I32:
              r.need(4, 'a 4-byte fixed32 value');
              r.pos += 4;
              break;
            case WireType.LEN:
              {
                const n = r.length();
                r.pos += n;
              }
              break;
            default: // SGROUP
              if (d + 1 > maxDepth) throw new DecodeError(tagStart, `messages nested at most ${maxDepth} deep (decode limit)`);
              this.push(++d, null, r.pos, r.limit, fn, tagStart, facts.openGroup(r.pos));
          }
        }
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        if (!range.tolerant) throw this.withPath(ctx, e, depth0, d);
        if (facts.error === null) facts.error = this.withPath(ctx, e, depth0, d);
        // Keep the unread rest of this message as raw bytes, so encode stays byte-exact; the
        // enclosing message goes on after it.
        const end = r.limit;
        if (tagStart < end) facts.setRawRest(this.start[d], tagStart);
        r.pos = end;
        if (this.group[d] !== 0) facts.setGroupEnd(this.groupSlot[d], -(end + 1));
        if (d === depth0) return end;
        d--;
        r.limit = this.limit[d];
      }
    }
  }

  private push(d: number, info: TypeInfo | null, start: number, limit: number, group: number, groupStart: number, slot: number): void {
    if (info !== null && info.isAny) this.facts!.anyInside = true;
    this.info[d] = info;
    this.start[d] = start;
    this.limit[d] = limit;
    this.group[d] = group;
    this.groupStart[d] = groupStart;
    this.groupSlot[d] = slot;
    this.number[d] = 0;
    this.field[d] = null;
  }

  /** Checks a packed run (the reader at its length prefix) and counts its elements as nodes. */
  private packed(ctx: DecodeContext, r: WireReader, code: number, tagStart: number, maxNodes: number): void {
    const n = r.length('a packed run');
    const valueStart = r.pos;
    const end = valueStart + n;
    let elements: number;
    if (code === S.FLOAT || code === S.FIXED32 || code === S.SFIXED32 || code === S.DOUBLE || code === S.FIXED64 || code === S.SFIXED64) {
      const size = code === S.FLOAT || code === S.FIXED32 || code === S.SFIXED32 ? 4 : 8;
      elements = Math.floor(n / size);
      if (n % size !== 0) {
        r.pos = valueStart + elements * size;
        const saved = r.limit;
        r.limit = end;
        try {
          r.need(size, fixedWhat(code, size));
        } finally {
          r.limit = saved;
        }
      }
    } else {
      elements = countVarints(ctx.buf, valueStart, end);
      if (elements < 0) {
        // A malformed element: read them one by one for the error the value reader gives.
        const saved = r.limit;
        r.limit = end;
        try {
          while (r.pos < end) r.varint64Split();
        } finally {
          r.limit = saved;
        }
      }
    }
    r.pos = end;
    ctx.nodes += elements;
    if (ctx.nodes > maxNodes) throw new DecodeError(tagStart, `at most ${maxNodes} nodes (decode limit)`);
  }

  /** The error with the field path of the frames from depth0 to d (made once per error). */
  private withPath(ctx: DecodeContext, e: DecodeError, depth0: number, d: number): DecodeError {
    const path = fieldPathOf(ctx.buf, this, depth0, d);
    return new DecodeError(e.offset, e.expected, path ?? e.path);
  }
}

/**
 * The number of varints in buf[start, end), or -1 when one is longer than 10 bytes or the last
 * one runs past `end`.
 */
function countVarints(buf: Uint8Array, start: number, end: number): number {
  let count = 0;
  let run = 0;
  for (let p = start; p < end; p++) {
    if (buf[p] < 0x80) {
      count++;
      run = 0;
    } else if (++run === 10) {
      return -1;
    }
  }
  return run === 0 ? count : -1;
}

const shared = new Scanner();

/**
 * Scans the fields of one message (see ScanRange) and returns where it stopped: the limit, a
 * group's end, or after maxFields fields. Throws a DecodeError with its field path on malformed
 * bytes, unless the range is tolerant: the first error then goes to facts.error and
 * the unread rest of the message it happened in is recorded (facts.rawRest).
 */
export function scanMessage(ctx: DecodeContext, facts: ScanFacts, info: TypeInfo | null, range: ScanRange): number {
  if (shared.busy) return new Scanner().scan(ctx, facts, info, range);
  shared.busy = true;
  try {
    return shared.scan(ctx, facts, info, range);
  } finally {
    shared.busy = false;
  }
}
