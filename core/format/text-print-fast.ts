/**
 * Protobuf text format printed straight from checked bytes into a ByteSink: byte for byte what
 * toText (text-print.ts, the reference, which prints what `protoc --decode` prints) prints for a
 * decoded message, without building nodes, a parsed view or a string per field. Each message is
 * read twice: once to find which fields are kept and whether this path can print them
 * (text-fast-survey.ts), once to print them in field-number order, then a third time over its
 * unknown fields when it has any. A message this path cannot print exactly (a MessageSet, a
 * singular message written twice, two members of one oneof, see TextSurveyReader) is printed by
 * toText from a decode of its bytes, at its place in the output.
 */
import type { Type } from 'protobufjs';
import { checkedMessageOf, decodeMessage, type CheckedMessage } from '../document/decode';
import { readNumeric } from '../document/decode-values';
import type { MessageRoot } from '../document/model';
import { FieldKind, S, messageInfo, type TypeInfo } from '../document/schema-info';
import { isStackOverflow } from '../document/stack';
import type { ByteSink } from '../wire/byte-sink';
import { WireType } from '../wire/wire-types';
import { defaultMapKey, defaultNumeric, knowsValue, rankOf } from './json-fast-fields';
import { NEEDS_FULL_VIEW } from './json-fast-survey';
import { TextSurveyReader, textType, type TextField, type TextType } from './text-fast-survey';
import { writeHexFixed, writeQuotedEscaped, writeTextNumericAt, writeUint64 } from './text-fast-values';
import { TextFormatError } from './text-format-error';
import { toText } from './text-print';
import { enumName } from './type-lookup';
import { parseUnknownFieldSet, UNKNOWN_RECURSION_BUDGET, type RawField } from './unknown-fields';

/** Options of writeText: those of toText. */
export interface WriteTextOptions {
  /** Spaces per nesting level (default 2, as protoc). */
  indent?: number;
}

/**
 * Writes toText(root, options) to `sink` as UTF-8 (see TextWriter). On an error nothing of this
 * message stays in the sink, unless the sink emitted part of it already.
 */
export function writeText(root: MessageRoot, sink: ByteSink, options: WriteTextOptions = {}): void {
  new TextWriter(sink, options).write(root);
}

/**
 * Writes messages as text format into one sink, keeping what it learns about types between them
 * (for a stream). A root that decodeMessage returned (checked in full, not edited) is printed
 * from its bytes; any other root through toText.
 */
export class TextWriter {
  readonly #printer: FastTextPrinter;

  constructor(
    private readonly sink: ByteSink,
    private readonly options: WriteTextOptions = {},
  ) {
    this.#printer = new FastTextPrinter(sink, options.indent ?? 2);
  }

  /** Writes toText(root, options); on an error, rolls the sink back to where it was when it can (see writeText). */
  write(root: MessageRoot): void {
    const sink = this.sink;
    const emitted = sink.emitted;
    try {
      sink.allOrNothing(() => {
        const checked = root.type ? checkedMessageOf(root) : null;
        if (checked === null || checked.info === null) sink.utf8(toText(root, this.options));
        else this.#printer.print(root, checked, checked.info);
      });
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      // Nested deeper than this path can recurse: toText prints it, or says how deep it failed.
      const text = toText(root, this.options);
      if (sink.emitted !== emitted) throw new TextFormatError(1, 1, 'the message nests too deep to print (the call stack ran out)');
      sink.utf8(text);
    }
  }
}

const encoder = new TextEncoder();
const NOTHING = new Uint8Array(0);
const CLOSE = new TextEncoder().encode('}\n');

/** A map entry of the message being printed: where its key and value tags start (-1: absent), and its key for sorting. */
interface Entry {
  keyAt: number;
  valueAt: number;
  key: number | bigint | boolean | Uint8Array;
}

class FastTextPrinter extends TextSurveyReader {
  /** textType, looked up in a Map (faster than its WeakMap) for the types this printer has met. */
  private readonly types = new Map<TypeInfo, TextType>();
  /** The root being printed (printed by toText itself when the top level needs the full view). */
  private root: MessageRoot | null = null;

  constructor(
    private readonly out: ByteSink,
    private readonly unit: number,
  ) {
    super();
  }

  /** Prints a checked message of `info`, the bytes of `root`. */
  print(root: MessageRoot, checked: CheckedMessage, info: TypeInfo): void {
    this.bind(checked);
    this.root = root;
    try {
      this.message(info, checked.start, checked.end, 0);
    } finally {
      this.root = null;
    }
  }

  /** Prints the fields of the message of `info` in buf[start, end) at nesting `level`. */
  private message(info: TypeInfo, start: number, end: number, level: number): void {
    let tt = this.types.get(info);
    if (tt === undefined) this.types.set(info, (tt = textType(info)));
    if (tt.whole) {
      this.fullView(info.type, start, end, level);
      return;
    }
    const ft = tt.ft;
    const s = this.textScratchAt(level, ft.fields.length, ft.oneofs);
    try {
      this.surveyText(ft, s, start, end);
    } catch (e) {
      if (e !== NEEDS_FULL_VIEW) throw e;
      this.fullView(info.type, start, end, level);
      return;
    }
    const kept = s.kept;
    const present = s.ascending ? s.present : s.present.subarray(0, kept).sort(); // ranks are in field-number order
    for (let i = 0; i < kept; i++) {
      const rank = present[i];
      const tf = tt.fields[rank];
      const ff = tf.ff;
      if (ff.implicit && this.holdsDefault(ff, s.last[rank])) continue;
      if (ff.map) this.mapField(tf, s.first[rank], s.last[rank], level);
      else if (ff.repeated) this.repeatedField(tf, s.first[rank], s.last[rank], level);
      else this.fieldAt(tf, s.last[rank], level);
    }
    if (s.unknown) this.unknownFields(tt, start, end, level);
  }

  /** The indentation of `level`, then `label`. */
  private line(label: Uint8Array, level: number): void {
    const out = this.out;
    const n = level * this.unit;
    const len = label.length;
    const b = out.reserve(n + len);
    let p = out.pos;
    for (let i = 0; i < n; i++) b[p++] = 0x20;
    for (let i = 0; i < len; i++) b[p++] = label[i];
    out.pos = p;
  }

  /** `}` and a newline, closing a message opened at `level`. */
  private close(level: number): void {
    this.line(CLOSE, level);
  }

  /** One occurrence of a field whose tag starts at `at`: a scalar's line, or a message's lines. */
  private fieldAt(tf: TextField, at: number, level: number): void {
    const r = this.r;
    r.pos = this.valueStart(at);
    r.limit = this.buf.length;
    const fi = tf.ff.fi;
    if (fi.kind === FieldKind.SCALAR) {
      this.line(tf.colon, level);
      this.scalarValue(tf);
      this.out.byte(0x0a);
      return;
    }
    this.line(tf.open, level);
    if (fi.kind === FieldKind.GROUP) {
      const start = r.pos;
      this.message(messageInfo(fi), start, this.checked!.facts.groupEnd(start), level + 1);
    } else {
      const n = this.lengthHere();
      const start = r.pos;
      this.message(messageInfo(fi), start, start + n, level + 1);
    }
    this.close(level);
  }

  /** The scalar value at the reader. */
  private scalarValue(tf: TextField): void {
    const r = this.r;
    const code = tf.ff.fi.code;
    if (code === S.STRING || code === S.BYTES) {
      const n = this.lengthHere();
      writeQuotedEscaped(this.out, this.buf, r.pos, r.pos + n);
    } else if (code === S.ENUM) this.enumValue(tf, r.varint32() | 0);
    else writeTextNumericAt(this.out, r, code);
  }

  /** An enum number by its first name, or as a number when the enum does not define it (an open enum). */
  private enumValue(tf: TextField, n: number): void {
    let b = tf.enumNames!.get(n);
    if (b === undefined) {
      const name = enumName(tf.ff.enumType, n);
      if (name === undefined) {
        this.out.int(n); // not kept: a stream may hold any number of undefined ones
        return;
      }
      tf.enumNames!.set(n, (b = encoder.encode(name)));
    }
    this.out.bytes(b);
  }

  /** Calls `visit` with the tag value, tag start and value start of each field in buf[start, end), in wire order. */
  private eachField(start: number, end: number, visit: (tv: number, at: number, valueAt: number) => void): void {
    const r = this.r;
    let pos = start;
    while (pos < end) {
      r.pos = pos;
      r.limit = end;
      const tv = r.tagValue();
      const valueAt = r.pos;
      this.skipValue(tv & 7);
      const next = r.pos;
      visit(tv, pos, valueAt);
      pos = next;
    }
  }

  /** A repeated field's values, in wire order (packed runs and single values alike), from its first kept occurrence to its last. */
  private repeatedField(tf: TextField, first: number, last: number, level: number): void {
    const ff = tf.ff;
    const fi = ff.fi;
    const fn = fi.field.id;
    this.eachField(first, this.fieldEnd(last), (tv, at, valueAt) => {
      if (tv >>> 3 !== fn) return;
      const wt = tv & 7;
      if (wt === WireType.LEN && fi.packable) this.packedRun(tf, valueAt, level);
      else if (wt === fi.wireType && !(ff.closed && this.isUnknownAt(ff, wt, valueAt))) this.fieldAt(tf, at, level);
    });
  }

  /** The elements of a packed run whose length starts at `at`, a line each. */
  private packedRun(tf: TextField, at: number, level: number): void {
    const r = this.r;
    r.pos = at;
    const n = r.length();
    const end = r.pos + n;
    const er = this.er;
    er.pos = r.pos;
    er.limit = end;
    const code = tf.ff.fi.code;
    while (er.pos < end) {
      this.line(tf.colon, level);
      if (code === S.ENUM) this.enumValue(tf, er.varint32() | 0);
      else writeTextNumericAt(this.out, er, code);
      this.out.byte(0x0a);
    }
  }

  /** A map field's entries, sorted by key (stable), each with its key and value, defaults for those absent. */
  private mapField(tf: TextField, first: number, last: number, level: number): void {
    const entries = this.entries(tf, first, last);
    if (!isSorted(entries)) entries.sort(compareEntries);
    const key = tf.key!;
    const value = tf.value!;
    for (const e of entries) {
      this.line(tf.open, level);
      if (e.keyAt >= 0) this.fieldAt(key, e.keyAt, level + 1);
      else this.defaultScalar(key, level + 1);
      if (e.valueAt >= 0) this.fieldAt(value, e.valueAt, level + 1);
      else if (value.ff.fi.kind === FieldKind.SCALAR) this.defaultScalar(value, level + 1);
      else {
        this.line(value.open, level + 1);
        this.close(level + 1);
      }
      this.close(level);
    }
  }

  /** The entries of a map field, in wire order, from its first occurrence to its last. */
  private entries(tf: TextField, first: number, last: number): Entry[] {
    const fn = tf.ff.fi.field.id;
    const out: Entry[] = [];
    this.eachField(first, this.fieldEnd(last), (tv, _at, valueAt) => {
      if (tv >>> 3 !== fn || (tv & 7) !== WireType.LEN) return;
      const r = this.r;
      r.pos = valueAt;
      const n = r.length();
      out.push(this.entry(tf, r.pos, r.pos + n));
    });
    return out;
  }

  /** The map entry in buf[start, end): its last key and value, and its key read for sorting. */
  private entry(tf: TextField, start: number, end: number): Entry {
    const r = this.r;
    const keyFi = tf.key!.ff.fi;
    const valueFi = tf.value!.ff.fi;
    const e: Entry = { keyAt: -1, valueAt: -1, key: 0 };
    r.pos = start;
    r.limit = end;
    while (r.pos < end) {
      const at = r.pos;
      const tv = r.tagValue();
      const wt = tv & 7;
      if (tv >>> 3 === 1 && wt === keyFi.wireType) e.keyAt = at;
      else if (tv >>> 3 === 2 && wt === valueFi.wireType) e.valueAt = at;
      this.skipValue(wt);
    }
    if (e.keyAt < 0) e.key = keyFi.code === S.STRING ? new Uint8Array(0) : defaultNumeric(keyFi.code);
    else {
      r.pos = e.keyAt;
      r.tagValue();
      if (keyFi.code === S.STRING) {
        const n = r.length();
        e.key = this.buf.subarray(r.pos, r.pos + n);
      } else e.key = readNumeric(r, keyFi.code);
    }
    return e;
  }

  /** `label: ` and the default of a scalar field, as toText prints an absent map key or value. */
  private defaultScalar(tf: TextField, level: number): void {
    const fi = tf.ff.fi;
    this.line(tf.colon, level);
    if (fi.code === S.STRING || fi.code === S.BYTES) this.out.ascii('""');
    else if (fi.code === S.ENUM) this.enumValue(tf, defaultEnumNumber(tf));
    else this.out.ascii(defaultMapKey(fi));
    this.out.byte(0x0a);
  }

  /** The fields of buf[start, end) that go to the unknown fields (all of them when `tt` is null: a group's), in wire order. */
  private unknownFields(tt: TextType | null, start: number, end: number, level: number): void {
    this.eachField(start, end, (tv, _at, valueAt) => {
      const fn = tv >>> 3;
      const wt = tv & 7;
      const rank = tt === null ? -1 : rankOf(tt.ft, fn);
      const ff = rank < 0 ? null : tt!.ft.fields[rank];
      if (ff === null) this.unknownAt(fn, wt, valueAt, level);
      else if (ff.closed && wt === WireType.VARINT) {
        if (this.isUnknownAt(ff, wt, valueAt)) this.closedEnumUnknown(fn, valueAt, level);
      } else if (this.isUnknownAt(ff, wt, valueAt)) this.unknownAt(fn, wt, valueAt, level);
    });
  }

  /** A closed enum's undefined number as an unknown varint: its int32 value as 64 bits, as the runtime keeps it. */
  private closedEnumUnknown(fn: number, valueAt: number, level: number): void {
    const r = this.r;
    r.pos = valueAt;
    const v = r.varint32() | 0;
    this.line(NOTHING, level);
    this.out.int(fn);
    this.out.ascii(': ');
    writeUint64(this.out, v >>> 0, v < 0 ? 0xffffffff : 0);
    this.out.byte(0x0a);
  }

  /** An unknown field of number `fn` and wire type `wt` whose value starts at `valueAt`. */
  private unknownAt(fn: number, wt: number, valueAt: number, level: number): void {
    const r = this.r;
    const out = this.out;
    r.pos = valueAt;
    r.limit = this.buf.length;
    if (wt === WireType.LEN) {
      const n = r.length();
      this.lengthDelimited(fn, this.buf.subarray(r.pos, r.pos + n), level, UNKNOWN_RECURSION_BUDGET);
      return;
    }
    this.line(NOTHING, level);
    out.int(fn);
    switch (wt) {
      case WireType.VARINT: {
        out.ascii(': ');
        const lo = r.varint64Split();
        writeUint64(out, lo, r.hi);
        break;
      }
      case WireType.I64:
      case WireType.I32:
        out.ascii(': ');
        writeHexFixed(out, this.buf, valueAt, wt === WireType.I64 ? 8 : 4);
        break;
      default: {
        out.ascii(' {\n');
        this.unknownFields(null, valueAt, this.checked!.facts.groupEnd(valueAt), level + 1);
        this.line(NOTHING, level);
        out.byte(0x7d);
      }
    }
    out.byte(0x0a);
  }

  /** An unknown length-delimited value: a nested `fn { ... }` when it parses as fields (within `budget` levels), else an escaped string. */
  private lengthDelimited(fn: number, bytes: Uint8Array, level: number, budget: number): void {
    const nested = bytes.length > 0 && budget > 0 ? parseUnknownFieldSet(bytes, budget) : null;
    this.line(NOTHING, level);
    this.out.int(fn);
    if (nested === null) {
      this.out.ascii(': ');
      writeQuotedEscaped(this.out, bytes, 0, bytes.length);
      this.out.byte(0x0a);
      return;
    }
    this.out.ascii(' {\n');
    this.rawFields(nested, level + 1, budget - 1);
    this.close(level);
  }

  /** Fields parsed from an unknown length-delimited value (see lengthDelimited). */
  private rawFields(fields: readonly RawField[], level: number, budget: number): void {
    const out = this.out;
    for (const f of fields) {
      if (f.wireType === WireType.LEN) {
        this.lengthDelimited(f.fieldNumber, f.value, level, budget);
        continue;
      }
      this.line(NOTHING, level);
      out.int(f.fieldNumber);
      if (f.wireType === WireType.SGROUP) {
        out.ascii(' {\n');
        this.rawFields(f.value, level + 1, budget);
        this.close(level);
        continue;
      }
      out.ascii(': ');
      if (f.wireType === WireType.VARINT) out.ascii(f.value.toString());
      else out.ascii('0x' + f.value.toString(16).padStart(f.wireType === WireType.I64 ? 16 : 8, '0'));
      out.byte(0x0a);
    }
  }

  /** Prints buf[start, end) as `type` through toText (the reference printer), indented to `level`. */
  private fullView(type: Type, start: number, end: number, level: number): void {
    const checked = this.checked!;
    const ctx = checked.ctx;
    const root =
      level === 0 && start === checked.start && end === checked.end && this.root !== null
        ? this.root
        : decodeMessage(this.buf.subarray(start, end), type, {
            resolveType: ctx.resolveType ?? undefined,
            expandAny: ctx.expandAny,
            limits: ctx.limits,
            transient: true,
          });
    let text = toText(root, { indent: this.unit });
    if (level > 0 && this.unit > 0) text = text.replace(/^(?=.)/gm, ' '.repeat(this.unit * level));
    this.out.utf8(text);
  }
}

/** The number toText prints for an absent enum value: 0 when the enum defines it (or defines nothing), else its first value. */
function defaultEnumNumber(tf: TextField): number {
  const e = tf.ff.enumType!;
  if (knowsValue(e, 0)) return 0;
  const values = Object.values(e.values);
  return values.length === 0 ? 0 : values[0];
}

function compareKeys(a: Entry['key'], b: Entry['key']): number {
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    const n = Math.min(a.length, y.length);
    for (let i = 0; i < n; i++) if (a[i] !== y[i]) return a[i] - y[i];
    return a.length - y.length;
  }
  if (typeof a === 'boolean') return Number(a) - Number(b);
  const y = b as number | bigint;
  return a < y ? -1 : a > y ? 1 : 0;
}

function compareEntries(a: Entry, b: Entry): number {
  return compareKeys(a.key, b.key);
}

function isSorted(entries: readonly Entry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (compareEntries(entries[i - 1], entries[i]) > 0) return false;
  return true;
}
