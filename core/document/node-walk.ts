/**
 * The columnar reading of checked bytes: a message's nodes in tree order, one cursor moved from
 * node to node, without an object per node. Each position says what a node built by
 * materialize.ts would hold (field number, wire type, kind, schema field, byte span); values are
 * read from the bytes only when asked for. Walkers of a whole tree (Expand all, a full read) use
 * it; objects are built only for the nodes a view shows or an edit touches.
 *
 * The order and the kinds are exactly those of the node tree (node-walk.test.ts compares both
 * on every shape the decoder knows), so a node met here is found again in the tree by its path.
 */
import { decodeUtf8Lossy, decodeUtf8Strict } from '../wire/utf8';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import { readNumeric } from './decode-values';
import type { CheckedMessage } from './materialize';
import type { ScalarValue } from './model';
import { DENSE_LIMIT, FieldKind, S, messageInfo, type FieldInfo, type TypeInfo } from './schema-info';

/** What the node at the cursor is (the node tree's value kinds, groups and map entries apart). */
export const NodeKind = {
  /** A known scalar field (ScalarNodeValue). */
  SCALAR: 0,
  /** A packed run (PackedNodeValue); its elements are counted, not visited. */
  PACKED: 1,
  /** A nested message (LEN). */
  MESSAGE: 2,
  /** A map entry (a message with key = 1, value = 2). */
  MAP_ENTRY: 3,
  /** A known group. */
  GROUP: 4,
  /** An unknown varint, fixed or length-delimited field. */
  UNKNOWN: 5,
  /** An unknown group: its fields are its children. */
  UNKNOWN_GROUP: 6,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** Whether nodes of a kind have child fields (a packed run's elements are not fields). */
export function hasFields(kind: NodeKind): boolean {
  return kind >= NodeKind.MESSAGE && kind !== NodeKind.UNKNOWN;
}

/**
 * A cursor over the nodes of a checked message, in tree order (a node, then its fields).
 * `next()` moves to the next node; after it returned true the public fields describe that node.
 * Call `skip()` before `next()` to pass over the current node's fields.
 */
export class NodeWalk {
  /** Nesting below the walked message (0: its own fields). */
  depth = -1;
  /** The node's index among its parent's fields. */
  index = -1;
  fieldNumber = 0;
  wireType: WireType = WireType.VARINT;
  kind: NodeKind = NodeKind.UNKNOWN;
  /** The schema field, or null for unknown fields. */
  field: FieldInfo | null = null;
  /** The span (absolute offsets in the source), as the node's `span`. */
  tagStart = 0;
  valueStart = 0;
  end = 0;
  /** For a group: where its end-group tag starts, or -1 when it has none (unterminated). */
  endTagStart = -1;
  /** For a packed run: how many elements it has. */
  elements = 0;
  /** For MESSAGE and MAP_ENTRY: the type of its fields; for groups the group's type (null for unknown groups). */
  childInfo: TypeInfo | null = null;

  private r: WireReader;
  /** A second reader over the same bytes, for values (the walk's own reader stays where it is). */
  private vr: WireReader;
  private checked: CheckedMessage;
  /** Per open level: its type, where its fields end, the next index, and where the walk goes on after it. */
  private readonly infos: (TypeInfo | null)[] = [];
  private readonly limits: number[] = [];
  private readonly counts: number[] = [];
  private readonly afters: number[] = [];
  /** The innermost open level (the stacks above are kept for reuse, not cleared). */
  private level = 0;
  /** Where the current node's fields are (childStart -1: it has none), entered on the next step unless skipped. */
  private childStart = -1;
  private childEnd = -1;
  private childAfter = -1;
  private skipping = false;

  constructor(checked: CheckedMessage) {
    this.checked = checked;
    this.r = new WireReader(checked.ctx.buf, checked.start, checked.end);
    this.vr = new WireReader(checked.ctx.buf, checked.start, checked.end);
    this.begin();
  }

  /**
   * Starts over on another checked message: a walker of many small messages (a stream) keeps one
   * cursor and its level stacks instead of building them per message.
   */
  reset(checked: CheckedMessage): this {
    this.checked = checked;
    if (this.r.buf !== checked.ctx.buf) {
      this.r = new WireReader(checked.ctx.buf, checked.start, checked.end);
      this.vr = new WireReader(checked.ctx.buf, checked.start, checked.end);
    } else {
      this.r.pos = checked.start;
      this.r.limit = checked.end;
    }
    this.depth = this.index = -1;
    this.childStart = -1;
    this.skipping = false;
    this.begin();
    return this;
  }

  private begin(): void {
    const checked = this.checked;
    this.level = 0;
    this.infos[0] = checked.info;
    this.limits[0] = checked.end;
    this.counts[0] = 0;
    this.afters[0] = checked.end;
  }

  /** Do not enter the current node's fields on the next step. */
  skip(): void {
    this.skipping = true;
  }

  /** Moves to the next node in tree order; false when the walk is over. */
  next(): boolean {
    const r = this.r;
    if (this.childStart >= 0 && !this.skipping) {
      const l = ++this.level;
      this.infos[l] = this.childInfo;
      this.limits[l] = this.childEnd;
      this.counts[l] = 0;
      this.afters[l] = this.childAfter;
      r.pos = this.childStart;
    }
    this.childStart = -1;
    this.skipping = false;
    let level = this.level;
    while (r.pos >= this.limits[level]) {
      if (level === 0) {
        this.level = 0;
        return false;
      }
      r.pos = this.afters[level--];
    }
    this.level = level;
    r.limit = this.limits[level];
    this.depth = level;
    this.index = this.counts[level]++;
    this.read(this.infos[level]);
    return true;
  }

  /** Reads the node whose tag is at the reader. */
  private read(info: TypeInfo | null): void {
    const r = this.r;
    this.tagStart = r.pos;
    const tv = this.checkedVarint();
    const fn = (this.fieldNumber = tv >>> 3);
    const wt = (this.wireType = (tv & 7) as WireType);
    const fi = info === null ? undefined : fn < DENSE_LIMIT ? info.dense[fn] : info.byNumber.get(fn);
    this.valueStart = r.pos;
    this.endTagStart = -1;
    this.childInfo = null;
    this.field = null;
    if (fi !== undefined) {
      const kind = fi.kind;
      if (kind === FieldKind.SCALAR) {
        if (wt === fi.wireType) {
          this.field = fi;
          this.kind = NodeKind.SCALAR;
          this.skipValue(wt);
          return;
        }
        if (wt === WireType.LEN && fi.packable) {
          this.field = fi;
          this.kind = NodeKind.PACKED;
          const n = this.checkedVarint();
          this.valueStart = r.pos;
          r.pos += n;
          this.end = r.pos;
          this.elements = countElements(this.checked.ctx.buf, fi.code, this.valueStart, this.end);
          return;
        }
      } else if (kind === FieldKind.GROUP) {
        if (wt === WireType.SGROUP) {
          this.field = fi;
          this.kind = NodeKind.GROUP;
          this.enterGroup(messageInfo(fi));
          return;
        }
      } else if (wt === WireType.LEN) {
        this.field = fi;
        this.kind = kind === FieldKind.MAP ? NodeKind.MAP_ENTRY : NodeKind.MESSAGE;
        const n = this.checkedVarint();
        this.valueStart = r.pos;
        r.pos += n;
        this.end = r.pos;
        this.childInfo = messageInfo(fi);
        this.opens(this.valueStart, this.end, this.end);
        return;
      }
    }
    if (wt === WireType.SGROUP) {
      this.kind = NodeKind.UNKNOWN_GROUP;
      this.enterGroup(null);
      return;
    }
    this.kind = NodeKind.UNKNOWN;
    this.skipValue(wt);
  }

  /** The group whose start tag was just read: its span from the scan's record, its fields entered next. */
  private enterGroup(info: TypeInfo | null): void {
    const r = this.r;
    const start = r.pos;
    const g = this.checked.facts.groupEnd(start);
    let fieldsEnd: number;
    if (g < 0) {
      fieldsEnd = this.end = -(g + 1);
    } else {
      fieldsEnd = this.endTagStart = g;
      r.pos = g;
      r.tagValue();
      this.end = r.pos;
    }
    r.pos = this.end;
    this.childInfo = info;
    this.opens(start, fieldsEnd, this.end);
  }

  /** The current node has fields in [start, end); after them the walk goes on at `after`. */
  private opens(start: number, end: number, after: number): void {
    this.childStart = start;
    this.childEnd = end;
    this.childAfter = after;
  }

  /**
   * The varint at the reader (a tag or a length; the scan checked both): one and two bytes read
   * here, longer ones by the reader.
   */
  private checkedVarint(): number {
    const r = this.r;
    const b = r.buf;
    const p = r.pos;
    const b0 = b[p];
    if (b0 < 0x80) {
      r.pos = p + 1;
      return b0;
    }
    const b1 = b[p + 1];
    if (b1 < 0x80) {
      r.pos = p + 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    return r.varint32();
  }

  /** Passes over a value that is not a group (the bytes were checked): sets valueStart (past a length) and end. */
  private skipValue(wt: WireType): void {
    const r = this.r;
    if (wt === WireType.LEN) {
      const n = this.checkedVarint();
      this.valueStart = r.pos;
      r.pos += n;
    } else if (wt === WireType.VARINT) r.varint64Split();
    else r.pos += wt === WireType.I32 ? 4 : 8;
    this.end = r.pos;
  }

  /** The scalar value of a SCALAR node (as ScalarNodeValue.value holds it; invalid UTF-8 decoded lossily). */
  value(): ScalarValue {
    const fi = this.field!;
    const buf = this.checked.ctx.buf;
    if (fi.code === S.STRING)
      return decodeUtf8Strict(buf, this.valueStart, this.end) ?? decodeUtf8Lossy(buf.subarray(this.valueStart, this.end));
    if (fi.code === S.BYTES) return buf.subarray(this.valueStart, this.end);
    const vr = this.vr;
    vr.pos = this.valueStart;
    vr.limit = this.end;
    return readNumeric(vr, fi.code);
  }

  /** Calls `each` with every element value of a PACKED node, in order. */
  eachElement(each: (value: number | bigint | boolean) => void): void {
    const r = this.vr;
    r.pos = this.valueStart;
    r.limit = this.end;
    const code = this.field!.code;
    while (r.pos < r.limit) each(readNumeric(r, code));
  }
}

/** How many elements a checked packed run of a scalar type code holds. */
function countElements(buf: Uint8Array, code: number, start: number, end: number): number {
  if (code === S.FLOAT || code === S.FIXED32 || code === S.SFIXED32) return (end - start) >>> 2;
  if (code === S.DOUBLE || code === S.FIXED64 || code === S.SFIXED64) return (end - start) >>> 3;
  let n = 0;
  for (let p = start; p < end; p++) if (buf[p] < 0x80) n++;
  return n;
}
