/**
 * The fast text printer's first reading of a message's checked bytes (text-print-fast.ts): which
 * known fields a runtime would see as set and where their kept occurrences start, whether any
 * occurrence goes to the unknown fields, or NEEDS_FULL_VIEW when printing the message takes the
 * full parsed view (message-state.ts): a singular message written twice (they merge), a later
 * member of a oneof clearing an earlier one, a packed closed enum holding numbers the enum does
 * not define, a map entry whose message value is written twice or whose closed-enum value is not
 * plainly defined. Also what the printer knows about each type, computed once.
 */
import type { Field } from 'protobufjs';
import type { CheckedMessage } from '../document/decode';
import { FieldKind, type TypeInfo } from '../document/schema-info';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import { fastType, knowsValue, rankOf, type FastField, type FastType } from './json-fast-fields';
import { CheckedBytesReader, NEEDS_FULL_VIEW, levelScratch } from './json-fast-survey';
import { fieldLabel } from './text-print';
import { isMessageSet } from './type-lookup';

/** What printing needs to know about a field beyond FastField: its label bytes, enum names, and a map's entry fields. */
export interface TextField {
  readonly ff: FastField;
  /** `label: ` (a scalar's line start). */
  readonly colon: Uint8Array;
  /** `label {` and a newline (a message's first line). */
  readonly open: Uint8Array;
  /** For enum fields: the first name of each defined number met, as printed. */
  readonly enumNames: Map<number, Uint8Array> | null;
  /** For map fields: the entry's `key` and `value`. */
  readonly key: TextField | null;
  readonly value: TextField | null;
}

/** A message type as the text printer sees it. */
export interface TextType {
  readonly ft: FastType;
  /** By FastField rank (field-number order). */
  readonly fields: readonly TextField[];
  /** A MessageSet: printed whole by toText (its items become extensions). */
  readonly whole: boolean;
}

const encoder = new TextEncoder();
const textTypes = new WeakMap<TypeInfo, TextType>();

function textField(ff: FastField, label: string): TextField {
  return {
    ff,
    colon: encoder.encode(`${label}: `),
    open: encoder.encode(`${label} {\n`),
    enumNames: ff.enumType !== null ? new Map() : null,
    key: ff.entryKey ? textField(ff.entryKey, 'key') : null,
    value: ff.entryValue ? textField(ff.entryValue, 'value') : null,
  };
}

/** The text printing view of a message type (built once, then cached). */
export function textType(info: TypeInfo): TextType {
  let tt = textTypes.get(info);
  if (tt) return tt;
  const ft = fastType(info);
  const fields = ft.fields.map((ff) => textField(ff, fieldLabel(ff.field as Field)));
  tt = { ft, fields, whole: isMessageSet(info.type) };
  textTypes.set(info, tt);
  return tt;
}

/**
 * Per nesting level: what the first reading of a message found, by field rank. An entry holds
 * for the current message only when its stamp is `gen` (so nothing is cleared per message).
 */
export interface TextScratch {
  gen: number;
  stamp: Int32Array;
  /** Ranks of the fields kept, in the order first kept: the first `kept` entries. */
  present: Int32Array;
  kept: number;
  /** Whether `present` is in ascending order (fields arrived in field-number order, as encoders write them). */
  ascending: boolean;
  count: Int32Array;
  /** Where the first and last kept occurrence's tag starts. */
  first: Int32Array;
  last: Int32Array;
  /** By oneof index: the rank of the member kept (when oneofStamp is gen). */
  oneof: Int32Array;
  oneofStamp: Int32Array;
  /** Whether an occurrence goes to the unknown fields (an unknown number, a wire type the field cannot have, an undefined closed-enum number). */
  unknown: boolean;
}

function newScratch(fields: number, oneofs: number): TextScratch {
  return {
    gen: 0,
    stamp: new Int32Array(fields),
    present: new Int32Array(fields),
    kept: 0,
    ascending: true,
    count: new Int32Array(fields),
    first: new Int32Array(fields),
    last: new Int32Array(fields),
    oneof: new Int32Array(oneofs),
    oneofStamp: new Int32Array(oneofs),
    unknown: false,
  };
}

/** What one occurrence of a known field is to a runtime. */
const KEPT = 0;
const DROPPED = 1; // an empty packed run: no element
const UNKNOWN = 2;

/** A reader over a checked message's bytes, with the text printer's first reading of each message. */
export class TextSurveyReader extends CheckedBytesReader {
  private readonly textScratch: TextScratch[] = [];
  /** A second reader, for the elements of a packed run. */
  protected er: WireReader = new WireReader(this.buf);

  /** Reads `checked` from now on. */
  protected override bind(checked: CheckedMessage): void {
    super.bind(checked);
    this.er = new WireReader(this.buf);
  }

  /** The scratch of nesting `level`, emptied for the next message, with room for this many fields and oneofs. */
  protected textScratchAt(level: number, fields: number, oneofs: number): TextScratch {
    const s = levelScratch(this.textScratch, level, fields, oneofs, newScratch);
    s.kept = 0;
    s.ascending = true;
    s.unknown = false;
    return s;
  }

  /** Where the value of the field whose tag starts at `at` starts (the bytes are checked). */
  protected valueStart(at: number): number {
    const buf = this.buf;
    while (buf[at++] >= 0x80);
    return at;
  }

  /** Reads a length at the reader (most are one byte). */
  protected lengthHere(): number {
    const r = this.r;
    const b = this.buf[r.pos];
    if (b < 0x80) {
      r.pos++;
      return b;
    }
    return r.length();
  }

  /** Whether the singular scalar whose tag starts at `at` holds its default (isDefaultAt, without reading a one-byte varint or length). */
  protected holdsDefault(ff: FastField, at: number): boolean {
    const wt = ff.fi.wireType;
    if (wt === WireType.VARINT || wt === WireType.LEN) {
      const b = this.buf[this.valueStart(at)];
      if (b < 0x80) return b === 0;
    }
    return this.isDefaultAt(ff, at);
  }

  /** The first reading of buf[start, end) (see TextScratch); throws NEEDS_FULL_VIEW when this path cannot print it. */
  protected surveyText(ft: FastType, s: TextScratch, start: number, end: number): void {
    const r = this.r;
    r.pos = start;
    r.limit = end;
    while (r.pos < end) {
      const tagStart = r.pos;
      const tv = r.tagValue();
      const wt = tv & 7;
      const rank = rankOf(ft, tv >>> 3);
      if (rank < 0) {
        this.skipValue(wt);
        s.unknown = true;
        continue;
      }
      const ff = ft.fields[rank];
      const seen = s.stamp[rank] === s.gen ? s.count[rank] : 0;
      const what = this.occurrence(ff, wt, seen);
      if (what === UNKNOWN) s.unknown = true;
      else if (what === KEPT) this.keep(s, ff, tagStart);
    }
  }

  /** Reads one occurrence of `ff` (its tag just read; `seen` kept before it) and says what it is to a runtime. */
  private occurrence(ff: FastField, wt: number, seen: number): number {
    const fi = ff.fi;
    const r = this.r;
    if (fi.kind === FieldKind.SCALAR) {
      if (wt === fi.wireType) {
        if (!ff.closed) {
          this.skipValue(wt);
          return KEPT;
        }
        return knowsValue(ff.enumType!, r.varint32() | 0) ? KEPT : UNKNOWN;
      }
      if (wt === WireType.LEN && fi.packable) {
        const n = r.length();
        const at = r.pos;
        r.pos += n;
        if (ff.closed && !this.allDefined(ff, at, at + n)) throw NEEDS_FULL_VIEW;
        return n === 0 ? DROPPED : KEPT;
      }
    } else if (wt === fi.wireType) {
      if (ff.map) this.checkEntry(ff);
      else if (!ff.repeated && seen > 0)
        throw NEEDS_FULL_VIEW; // a singular message written twice merges
      else this.skipValue(wt);
      return KEPT;
    }
    this.skipValue(wt);
    return UNKNOWN;
  }

  /** Counts a kept occurrence of `ff` whose tag starts at `tagStart`. */
  private keep(s: TextScratch, ff: FastField, tagStart: number): void {
    const rank = ff.rank;
    if (s.stamp[rank] !== s.gen) {
      s.stamp[rank] = s.gen;
      s.count[rank] = 0;
      s.first[rank] = tagStart;
      const n = s.kept++;
      if (n > 0 && s.present[n - 1] > rank) s.ascending = false;
      s.present[n] = rank;
    }
    if (ff.oneof >= 0) {
      if (s.oneofStamp[ff.oneof] !== s.gen) {
        s.oneofStamp[ff.oneof] = s.gen;
        s.oneof[ff.oneof] = rank;
      } else if (s.oneof[ff.oneof] !== rank) throw NEEDS_FULL_VIEW; // a later member clears an earlier one
    }
    s.count[rank]++;
    s.last[rank] = tagStart;
  }

  /**
   * Reads a map entry (the reader at its length); throws NEEDS_FULL_VIEW when its value is a
   * message written more than once (they merge) or a closed enum not plainly defined (an entry
   * whose value is undefined prints whole among the unknown fields).
   */
  private checkEntry(ff: FastField): void {
    const r = this.r;
    const n = r.length();
    const end = r.pos + n;
    const value = ff.entryValue!;
    if (!value.closed && value.fi.kind === FieldKind.SCALAR) {
      r.pos = end;
      return;
    }
    const savedLimit = r.limit;
    r.limit = end;
    let values = 0;
    while (r.pos < end) {
      const tv = r.tagValue();
      const wt = tv & 7;
      if (tv >>> 3 === 2 && value.closed) {
        if (wt !== WireType.VARINT || !knowsValue(value.enumType!, r.varint32() | 0)) throw NEEDS_FULL_VIEW;
        continue;
      }
      if (tv >>> 3 === 2 && wt === WireType.LEN && ++values > 1) throw NEEDS_FULL_VIEW;
      this.skipValue(wt);
    }
    r.limit = savedLimit;
  }

  /** Whether every element of a packed closed-enum run in buf[start, end) is a number the enum defines. */
  private allDefined(ff: FastField, start: number, end: number): boolean {
    const er = this.er;
    er.pos = start;
    er.limit = end;
    while (er.pos < end) if (!knowsValue(ff.enumType!, er.varint32() | 0)) return false;
    return true;
  }

  /** Whether the occurrence of known field `ff` with wire type `wt`, its value at `valueAt`, goes to the unknown fields. */
  protected isUnknownAt(ff: FastField, wt: number, valueAt: number): boolean {
    const fi = ff.fi;
    if (fi.kind !== FieldKind.SCALAR) return wt !== fi.wireType;
    if (wt !== fi.wireType) return !(wt === WireType.LEN && fi.packable);
    if (!ff.closed) return false;
    const er = this.er;
    er.pos = valueAt;
    er.limit = this.buf.length;
    return !knowsValue(ff.enumType!, er.varint32() | 0);
  }
}
