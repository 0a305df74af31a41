/**
 * Canonical proto3 JSON printed straight from checked bytes into a ByteSink: byte for byte what
 * toJsonString (json-print.ts, the reference) prints for a decoded message, without building
 * nodes, a parsed view, a JSON value or a string per field. Each message is read twice: once to
 * find which fields are present (and whether this path can print it), once to print them in
 * field-number order. A message whose JSON needs the full parsed view (a well-known type with a
 * JSON form of its own, a singular message written more than once, two members of one oneof,
 * a map key written twice, a packed closed enum holding unknown numbers) is printed by toJson
 * from a decode of its bytes, at its place in the output.
 */
import type { Type } from 'protobufjs';
import { checkedMessageOf, decodeMessage, type CheckedMessage } from '../document/decode';
import type { MessageRoot } from '../document/model';
import { FieldKind, S, messageInfo, type TypeInfo } from '../document/schema-info';
import { isStackOverflow } from '../document/stack';
import type { SchemaRegistry } from '../schema/registry';
import type { ByteSink } from '../wire/byte-sink';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import { defaultNumeric, fastType, fieldJsonKey, type FastField, type FastType } from './json-fast-fields';
import { CheckedBytesReader, NEEDS_FULL_VIEW } from './json-fast-survey';
import { writeBase64, writeJsonString, writeNumeric, writeNumericAt } from './json-fast-values';
import { toJson, toJsonString } from './json-print';
import { JsonFormatError, stringify } from './json-text';

/** Options of writeJson: those of toJsonString that the CLI uses. */
export interface WriteJsonOptions {
  /** Print field names as in the .proto instead of lowerCamelCase. */
  protoNames?: boolean;
  /** Resolves google.protobuf.Any type URLs (default: the message type's own root). */
  registry?: SchemaRegistry;
  /** Spaces per level (default 2; 0 for one line). */
  indent?: number;
  /** Also print fields without presence that hold their default (toJsonString prints these; the byte path does not). */
  emitDefaults?: boolean;
}

/**
 * Writes toJsonString(root, options) to `sink` as UTF-8 (see JsonWriter). On an error nothing of
 * this message stays in the sink, unless the sink emitted part of it already.
 */
export function writeJson(root: MessageRoot, sink: ByteSink, options: WriteJsonOptions = {}): void {
  new JsonWriter(sink, options).write(root);
}

/**
 * Writes messages as JSON into one sink, keeping what it learns about types and names between
 * them (for a stream). A root that decodeMessage returned (checked in full, not edited) is
 * printed from its bytes; any other root through toJsonString.
 */
export class JsonWriter {
  readonly #printer: FastJsonPrinter;

  constructor(
    private readonly sink: ByteSink,
    private readonly options: WriteJsonOptions = {},
  ) {
    this.#printer = new FastJsonPrinter(sink, options);
  }

  /** Writes toJsonString(root, options); on an error, rolls the sink back to where it was when it can (see writeJson). */
  write(root: MessageRoot): void {
    try {
      this.sink.allOrNothing(() => {
        const checked = root.type ? checkedMessageOf(root) : null;
        if (checked === null || checked.info === null || this.options.emitDefaults) this.sink.utf8(toJsonString(root, this.options));
        else this.#printer.print(checked, checked.info);
      });
    } catch (e) {
      if (isStackOverflow(e)) throw new JsonFormatError('$', 'the message nests too deep to convert to JSON (the call stack ran out)');
      throw e;
    }
  }
}

/** Sorts a short list of numbers in place (insertion sort: the fields of one message are few, and mostly in order already). */
function sortAscending(xs: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = xs[i];
    let j = i - 1;
    while (j >= 0 && xs[j] > x) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = x;
  }
}

const encoder = new TextEncoder();

class FastJsonPrinter extends CheckedBytesReader {
  private readonly indent: number;
  private readonly pads: Uint8Array[] = [];
  /** Which of FastField.keyBytes this printer writes (by protoNames and indentation). */
  private readonly keyStyle: number;
  /** fastType, looked up in a Map (faster than its WeakMap) for the types this printer has met. */
  private readonly types = new Map<TypeInfo, FastType>();
  /** The JSON path of what is being printed (a field, an element index, a map key's `["k"]`), for errors. */
  private readonly path: (FastField | number | string)[] = [];

  constructor(
    private readonly out: ByteSink,
    private readonly options: WriteJsonOptions,
  ) {
    super();
    this.indent = options.indent ?? 2;
    this.keyStyle = (options.protoNames ? 2 : 0) + (this.indent > 0 ? 1 : 0);
  }

  /** Prints a checked message of `info`. */
  print(checked: CheckedMessage, info: TypeInfo): void {
    this.bind(checked);
    this.path.length = 0;
    this.message(info, checked.start, checked.end, 0);
  }

  /** Prints the message of `info` in buf[start, end) at nesting `level`. */
  message(info: TypeInfo, start: number, end: number, level: number): void {
    let ft = this.types.get(info);
    if (ft === undefined) this.types.set(info, (ft = fastType(info)));
    if (ft.special) {
      this.fullView(info.type, start, end, level);
      return;
    }
    const s = this.scratchAt(level, ft.fields.length, ft.oneofs);
    try {
      this.survey(ft, s, start, end);
    } catch (e) {
      if (e !== NEEDS_FULL_VIEW) throw e;
      this.fullView(info.type, start, end, level);
      return;
    }
    const out = this.out;
    let wrote = false;
    const present = s.present;
    const seen = s.seen;
    sortAscending(present, seen); // ranks are in field-number order
    for (let i = 0; i < seen; i++) {
      const rank = present[i];
      if (s.count[rank] === 0) continue;
      const ff = ft.fields[rank];
      if (ff.implicit && this.isDefaultAt(ff, s.last[rank])) continue;
      out.byte(wrote ? 0x2c : 0x7b); // , or {
      wrote = true;
      this.pad(level + 1);
      this.key(ff);
      this.path.push(ff);
      if (ff.map) this.mapValue(ff, s.keys[rank]!, level + 1);
      else if (ff.repeated) this.repeatedValue(ff, s.first[rank], s.last[rank], level + 1);
      else this.valueAt(ff, s.last[rank], level + 1);
      this.path.pop();
    }
    if (wrote) {
      this.pad(level);
      out.byte(0x7d); // }
    } else {
      out.ascii('{}');
    }
  }

  private pad(level: number): void {
    if (this.indent === 0) return;
    let p = this.pads[level];
    if (!p) {
      p = new Uint8Array(1 + this.indent * level).fill(0x20);
      p[0] = 0x0a;
      this.pads[level] = p;
    }
    this.out.bytes(p);
  }

  /** `"name": ` for a field, as toJson names it. */
  private key(ff: FastField): void {
    let k = ff.keyBytes[this.keyStyle];
    if (k === undefined) {
      k = encoder.encode(`${JSON.stringify(fieldJsonKey(ff.field, this.options.protoNames))}${this.indent > 0 ? ': ' : ':'}`);
      ff.keyBytes[this.keyStyle] = k;
    }
    this.out.bytes(k);
  }

  /** The repeated field's values, in wire order, from its first occurrence to its last. */
  private repeatedValue(ff: FastField, first: number, last: number, level: number): void {
    const out = this.out;
    const r = this.r;
    const fi = ff.fi;
    const fn = fi.field.id;
    let i = 0;
    let pos = first;
    const stop = this.fieldEnd(last);
    out.byte(0x5b); // [
    while (pos < stop) {
      r.pos = pos;
      r.limit = stop;
      const tv = r.tagValue();
      const wt = tv & 7;
      const valueAt = r.pos;
      const mine = tv >>> 3 === fn;
      if (mine && fi.kind === FieldKind.SCALAR && wt === WireType.LEN && fi.packable) {
        const n = r.length();
        const runEnd = r.pos + n;
        const er = new WireReader(this.buf, r.pos, runEnd);
        while (er.pos < runEnd) {
          if (i > 0) out.byte(0x2c);
          this.pad(level + 1);
          writeNumericAt(this.out, er, ff);
          i++;
        }
        pos = runEnd;
        continue;
      }
      r.pos = valueAt;
      this.skipValue(wt);
      const next = r.pos;
      const valid =
        mine &&
        (fi.kind === FieldKind.SCALAR ? wt === fi.wireType : fi.kind === FieldKind.GROUP ? wt === WireType.SGROUP : wt === WireType.LEN);
      if (valid && !(ff.closed && !this.knownAt(ff, pos))) {
        if (i > 0) out.byte(0x2c);
        this.pad(level + 1);
        this.path.push(i);
        this.valueAt(ff, pos, level + 1);
        this.path.pop();
        i++;
      }
      pos = next;
    }
    this.pad(level);
    out.byte(0x5d); // ]
  }

  /** A map field's entries, keyed as toJson keys them (keys as strings, in Object.keys order). */
  private mapValue(ff: FastField, keys: Map<string, number>, level: number): void {
    const out = this.out;
    // A JS object orders integer-like keys first, ascending: print in the order toJson's object has.
    const order: Record<string, number> = {};
    for (const [k, at] of keys) order[k] = at;
    let i = 0;
    out.byte(0x7b);
    for (const k of Object.keys(order)) {
      if (i++ > 0) out.byte(0x2c);
      this.pad(level + 1);
      out.utf8(JSON.stringify(k));
      out.ascii(this.indent > 0 ? ': ' : ':');
      this.path.push(`["${k}"]`);
      this.entryValue(ff, order[k], level + 1);
      this.path.pop();
    }
    this.pad(level);
    out.byte(0x7d);
  }

  /** The value of the map entry whose tag starts at `at` (its type's default when the entry has none). */
  private entryValue(ff: FastField, at: number, level: number): void {
    const r = this.r;
    r.pos = at;
    r.limit = this.buf.length;
    r.tagValue();
    const n = r.length();
    const end = r.pos + n;
    const value = ff.entryValue!;
    let valueAt = -1;
    r.limit = end;
    while (r.pos < end) {
      const p = r.pos;
      const tv = r.tagValue();
      const wt = tv & 7;
      if (tv >>> 3 === 2 && (value.fi.kind === FieldKind.SCALAR ? wt === value.fi.wireType : wt === WireType.LEN)) valueAt = p;
      this.skipValue(wt);
    }
    if (valueAt >= 0) {
      this.valueAt(value, valueAt, level);
      return;
    }
    const fi = value.fi;
    if (fi.kind !== FieldKind.SCALAR) {
      const t = messageInfo(fi);
      if (fastType(t).special) this.fullView(t.type, 0, 0, level);
      else this.out.ascii('{}');
    } else if (fi.code === S.STRING) this.out.ascii('""');
    else if (fi.code === S.BYTES) this.out.ascii('""');
    else writeNumeric(this.out, value, defaultNumeric(fi.code));
  }

  /** One value of a field whose tag starts at `at`: a scalar, or a message at `level`. */
  private valueAt(ff: FastField, at: number, level: number): void {
    const r = this.r;
    r.pos = at;
    r.limit = this.buf.length;
    r.tagValue();
    const fi = ff.fi;
    switch (fi.kind) {
      case FieldKind.SCALAR:
        if (fi.code === S.STRING) {
          const n = r.length();
          writeJsonString(this.out, this.buf, r.pos, r.pos + n);
        } else if (fi.code === S.BYTES) {
          const n = r.length();
          writeBase64(this.out, this.buf, r.pos, r.pos + n);
        } else {
          writeNumericAt(this.out, r, ff);
        }
        return;
      case FieldKind.GROUP: {
        const start = r.pos;
        const end = this.checked!.facts.groupEnd(start);
        this.message(messageInfo(fi), start, end, level);
        return;
      }
      default: {
        const n = r.length();
        const start = r.pos;
        this.message(messageInfo(fi), start, start + n, level);
      }
    }
  }

  /** The path as toJson names it in errors ("$.a.b[2]"). */
  private pathText(): string {
    let p = '$';
    for (const seg of this.path) {
      if (typeof seg === 'number') p += `[${seg}]`;
      else if (typeof seg === 'string') p += seg;
      else p += `.${fieldJsonKey(seg.field, this.options.protoNames)}`;
    }
    return p;
  }

  /** Prints buf[start, end) as `type` through toJson (the reference printer), indented to `level`. */
  private fullView(type: Type, start: number, end: number, level: number): void {
    const ctx = this.checked!.ctx;
    const root = decodeMessage(this.buf.subarray(start, end), type, {
      resolveType: ctx.resolveType ?? undefined,
      expandAny: ctx.expandAny,
      limits: ctx.limits,
      transient: true,
    });
    let json: unknown;
    try {
      json = toJson(root, { protoNames: this.options.protoNames, registry: this.options.registry });
    } catch (e) {
      if (e instanceof JsonFormatError) throw new JsonFormatError(`${this.pathText()}${e.path.slice(1)}`, e.detail);
      throw e;
    }
    let text = stringify(json, this.indent);
    if (this.indent > 0 && level > 0) text = text.replaceAll('\n', '\n' + ' '.repeat(this.indent * level));
    this.out.utf8(text);
  }
}
