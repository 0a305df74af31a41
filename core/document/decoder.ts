/**
 * The decoder behind decodeMessage (decode.ts): reads fields at a WireReader into nodes with
 * byte spans, recording a field path for errors, and nested messages on first access when lazy.
 */
import type { Type } from 'protobufjs';
import { DecodeError } from '../wire/decode-error';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import { decodeUtf8Lossy, decodeUtf8Strict } from '../wire/utf8';
import {
  type DecodeLimits,
  type FieldNode,
  type MessageNodeValue,
  type PackedElement,
  type ScalarNodeValue,
  type ScalarValue,
  type UnknownNodeValue,
} from './model';
import { ranOutOfStack, withFieldPath } from './decode-path';
import { DecodedElement, readNumeric } from './decode-values';
import { DENSE_LIMIT, FieldKind, S, messageInfo, typeInfo, type FieldInfo, type TypeInfo } from './schema-info';
import { isStackOverflow } from './stack';

/** Options of decodeMessage. */
export interface DecodeOptions {
  /** Limits on depth, input size and node count; missing ones default to DEFAULT_DECODE_LIMITS. */
  limits?: Partial<DecodeLimits>;
  /** Tolerant mode: instead of throwing, return what parsed with `root.error` set (the unread rest kept as a raw-bytes node). */
  partial?: boolean;
  /** Finds a message type by full name (no leading dot) for google.protobuf.Any payloads; default: the schema's root. */
  resolveType?: (fullName: string) => Type | null | undefined;
  /** Decode google.protobuf.Any payloads into `embedded` (default true). */
  expandAny?: boolean;
  /**
   * Decode nested (length-delimited) messages on first access of their `fields` (memoized):
   * decode only reads the top level, so opening a large file is fast. Errors inside a nested
   * message then surface on that access: thrown, or with `partial`, kept as the value's `error`
   * with the unread rest as raw bytes. Encode never forces an unmodified lazy message. Default false.
   */
  lazy?: boolean;
}

/** Counters and settings shared by the decoders of one document (lazy children decode later with them). */
export interface DecodeShared {
  readonly buf: Uint8Array;
  readonly limits: DecodeLimits;
  readonly options: DecodeOptions;
  nextId: number;
  nodes: number;
}

/**
 * A nested message value whose `fields` is decoded on first read (DecodeOptions.lazy), then kept.
 * `fields` is a getter on the prototype (an own accessor per object is ~3x slower to create):
 * copy such a value with `{ ...value, fields: value.fields }`, never a bare spread.
 */
class LazyMessageValue implements MessageNodeValue {
  readonly kind = 'message' as const;
  readonly typeName: string;
  /** Set when a tolerant (partial) decode of this message stopped early. */
  error?: DecodeError;
  #fields: FieldNode[] | null = null;
  readonly #info: TypeInfo;
  readonly #shared: DecodeShared;
  readonly #start: number;
  readonly #end: number;
  readonly #depth: number;

  constructor(info: TypeInfo, shared: DecodeShared, start: number, end: number, depth: number) {
    this.typeName = info.fullName;
    this.#info = info;
    this.#shared = shared;
    this.#start = start;
    this.#end = end;
    this.#depth = depth;
  }

  get fields(): readonly FieldNode[] {
    if (this.#fields === null) {
      const s = this.#shared;
      const d = new Decoder(s);
      d.r.pos = this.#start;
      d.r.limit = this.#end;
      let fields: FieldNode[];
      try {
        fields = d.decodeFields(this.#info, this.#depth, 0, 0);
        if (this.#info.isAny && d.expandAny) d.expandAnyPayload(this.#info, fields, this.#depth);
      } catch (e) {
        throw e instanceof DecodeError && ranOutOfStack.has(e) ? new RangeError('Maximum call stack size exceeded') : e;
      }
      // Read this deep in the caller's recursion (a printer's, say), the stack ran out: that is
      // the caller's limit, not an error in these bytes, so keep nothing and let the caller see it.
      if (d.error && ranOutOfStack.has(d.error)) throw new RangeError('Maximum call stack size exceeded');
      s.nextId = d.nextId;
      s.nodes = d.nodes;
      if (d.error) this.error = d.error;
      this.#fields = fields;
    }
    return this.#fields;
  }
}

function lookupTypeIn(type: Type, name: string): Type | null {
  if (name === '') return null; // lookupType('.') answers the root namespace, not a type
  try {
    return type.root.lookupType('.' + name);
  } catch {
    return null;
  }
}

/** Decodes the fields of one document (a lazy message decodes its own with a new Decoder over the same shared state). */
export class Decoder {
  readonly r: WireReader;
  readonly buf: Uint8Array;
  readonly shared: DecodeShared;
  nextId: number;
  nodes: number;
  readonly lazy: boolean;
  readonly maxDepth: number;
  readonly maxNodes: number;
  partial: boolean;
  error: DecodeError | null = null;
  readonly resolveType: ((n: string) => Type | null | undefined) | null;
  readonly expandAny: boolean;
  /** Per depth: the fields decoded so far, and the field being read (for error paths). */
  readonly frameFields: FieldNode[][] = [];
  readonly frameInfo: (FieldInfo | null)[] = [];
  readonly frameNumber: number[] = [];
  /** Set by decodeFields when it stops at a group's end tag (-1 otherwise). */
  endTagStart = -1;

  constructor(shared: DecodeShared) {
    const { buf, limits, options } = shared;
    this.shared = shared;
    this.nextId = shared.nextId;
    this.nodes = shared.nodes;
    this.lazy = options.lazy === true;
    this.buf = buf;
    this.r = new WireReader(buf);
    this.maxDepth = limits.maxDepth;
    this.maxNodes = limits.maxNodes;
    this.partial = options.partial === true;
    this.resolveType = options.resolveType ?? null;
    this.expandAny = options.expandAny !== false;
  }

  /**
   * Decodes fields from the cursor to the reader's limit (or, for a group, to its end tag).
   * `group` is the group's field number (0 when not a group). Appends to `fields`; with
   * `maxFields`, returns after that many (the cursor at the next one) so a caller can go on later.
   */
  decodeFields(
    info: TypeInfo | null,
    depth: number,
    group: number,
    groupStart: number,
    fields: FieldNode[] = [],
    maxFields = Infinity,
  ): FieldNode[] {
    const r = this.r;
    this.frameFields[depth] = fields;
    let tagStart = r.pos;
    let count = 0;
    try {
      while (r.pos < r.limit) {
        if (count++ === maxFields) return fields;
        tagStart = r.pos;
        this.frameNumber[depth] = 0;
        this.frameInfo[depth] = null;
        const tv = r.tagValue();
        const fn = tv >>> 3;
        const wt = (tv & 7) as WireType;
        if (wt === WireType.EGROUP) {
          if (fn === group) {
            this.endTagStart = tagStart;
            return fields;
          }
          throw new DecodeError(
            tagStart,
            group
              ? `an end-group tag for field ${group} (found one for field ${fn})`
              : `a field, not an end-group tag for field ${fn} outside any group`,
          );
        }
        this.frameNumber[depth] = fn;
        const fi = info === null ? undefined : fn < DENSE_LIMIT ? info.dense[fn] : info.byNumber.get(fn);
        if (fi !== undefined) this.frameInfo[depth] = fi;
        if (++this.nodes > this.maxNodes) throw new DecodeError(tagStart, `at most ${this.maxNodes} nodes (decode limit)`);
        if (fi !== undefined) {
          fields.push(this.known(fi, fn, wt, tagStart, depth));
        } else {
          fields.push(this.unknown(fn, wt, tagStart, depth));
        }
      }
      if (group) {
        tagStart = r.pos;
        this.frameNumber[depth] = 0;
        throw new DecodeError(r.pos, `an end-group tag for field ${group} (group opened at byte ${groupStart})`);
      }
      this.endTagStart = -1;
      return fields;
    } catch (e) {
      // A raised limits.maxDepth can nest deeper than the call stack allows: stop cleanly at the
      // field whose nested value ran out of stack (the error may recur in the frames nearest the
      // bottom of the stack until one has room to build it).
      const overflow = isStackOverflow(e);
      const err = this.withPath(
        overflow
          ? new DecodeError(tagStart, `messages nested less deep (the call stack ran out at depth ${depth}; lower limits.maxDepth)`)
          : e,
        depth,
      );
      if (overflow) ranOutOfStack.add(err);
      if (!this.partial) throw err;
      if (this.error === null) this.error = err;
      // Keep the unread rest of this message as raw bytes, so encode stays byte-exact.
      const end = r.limit;
      if (tagStart < end) {
        fields.push({
          id: this.nextId++,
          fieldNumber: 0,
          wireType: WireType.VARINT,
          field: null,
          value: { kind: 'raw-bytes', bytes: this.buf.subarray(tagStart, end) },
          span: { tagStart, valueStart: tagStart, end },
          modified: false,
        });
      }
      r.pos = end;
      this.endTagStart = -1;
      return fields;
    }
  }

  /** Adds the field path (from the frames) to a DecodeError, once. */
  withPath(e: unknown, depth: number): DecodeError {
    return withFieldPath(e, depth, this);
  }

  known(fi: FieldInfo, fn: number, wt: WireType, tagStart: number, depth: number): FieldNode {
    switch (fi.kind) {
      case FieldKind.SCALAR:
        if (wt === fi.wireType) return this.scalar(fi, fn, wt, tagStart);
        if (wt === WireType.LEN && fi.packable) return this.packed(fi, fn, tagStart);
        break;
      case FieldKind.MESSAGE:
      case FieldKind.MAP:
        if (wt === WireType.LEN) return this.message(fi, fn, tagStart, depth);
        break;
      case FieldKind.GROUP:
        if (wt === WireType.SGROUP) return this.group(fi, fn, tagStart, depth);
        break;
    }
    return this.unknown(fn, wt, tagStart, depth);
  }

  scalar(fi: FieldInfo, fn: number, wt: WireType, tagStart: number): FieldNode {
    const r = this.r;
    let valueStart = r.pos;
    let value: ScalarValue;
    let invalid: Uint8Array | null = null;
    if (fi.code === S.STRING) {
      const n = r.length();
      valueStart = r.pos;
      const end = valueStart + n;
      const s = decodeUtf8Strict(this.buf, valueStart, end);
      if (s === null) {
        invalid = this.buf.subarray(valueStart, end);
        value = decodeUtf8Lossy(invalid);
      } else {
        value = s;
      }
      r.pos = end;
    } else if (fi.code === S.BYTES) {
      const n = r.length();
      valueStart = r.pos;
      value = r.bytes(n);
    } else {
      value = readNumeric(r, fi.code);
    }
    const v: ScalarNodeValue = { kind: 'scalar', type: fi.scalar!, value };
    if (invalid !== null) v.invalidUtf8 = invalid;
    return {
      id: this.nextId++,
      fieldNumber: fn,
      wireType: wt,
      field: fi.field,
      value: v,
      span: { tagStart, valueStart, end: r.pos },
      modified: false,
    };
  }

  packed(fi: FieldInfo, fn: number, tagStart: number): FieldNode {
    const r = this.r;
    const n = r.length('a packed run');
    const valueStart = r.pos;
    const end = valueStart + n;
    const saved = r.limit;
    r.limit = end;
    const elements: PackedElement[] = [];
    const code = fi.code;
    try {
      while (r.pos < end) {
        const p = r.pos;
        const value = readNumeric(r, code);
        elements.push(new DecodedElement(value, p, r.pos));
      }
    } finally {
      // Restore the enclosing limit even when an element is malformed: a tolerant decode keeps
      // the rest of the enclosing message (up to its limit, not the run's end) as raw bytes.
      r.limit = saved;
    }
    this.nodes += elements.length;
    if (this.nodes > this.maxNodes) throw new DecodeError(tagStart, `at most ${this.maxNodes} nodes (decode limit)`);
    return {
      id: this.nextId++,
      fieldNumber: fn,
      wireType: WireType.LEN,
      field: fi.field,
      value: { kind: 'packed', type: fi.scalar!, elements },
      span: { tagStart, valueStart, end },
      modified: false,
    };
  }

  checkDepth(depth: number, tagStart: number): void {
    if (depth + 1 > this.maxDepth) {
      throw new DecodeError(tagStart, `messages nested at most ${this.maxDepth} deep (decode limit)`);
    }
  }

  message(fi: FieldInfo, fn: number, tagStart: number, depth: number): FieldNode {
    const r = this.r;
    const n = r.length();
    const valueStart = r.pos;
    const end = valueStart + n;
    this.checkDepth(depth, tagStart);
    const ti = messageInfo(fi);
    if (this.lazy && fi.kind === FieldKind.MESSAGE) {
      r.pos = end;
      return {
        id: this.nextId++,
        fieldNumber: fn,
        wireType: WireType.LEN,
        field: fi.field,
        value: new LazyMessageValue(ti, this.shared, valueStart, end, depth + 1),
        span: { tagStart, valueStart, end },
        modified: false,
      };
    }
    const saved = r.limit;
    r.limit = end;
    let fields: FieldNode[];
    try {
      fields = this.decodeFields(ti, depth + 1, 0, 0);
    } finally {
      r.limit = saved;
    }
    r.pos = end;
    let value: MessageNodeValue;
    if (fi.kind === FieldKind.MAP) {
      value = { kind: 'message', mapEntry: true, fields };
    } else {
      value = { kind: 'message', typeName: ti.fullName, fields };
      if (ti.isAny && this.expandAny) this.expandAnyPayload(ti, fields, depth + 1);
    }
    return {
      id: this.nextId++,
      fieldNumber: fn,
      wireType: WireType.LEN,
      field: fi.field,
      value,
      span: { tagStart, valueStart, end },
      modified: false,
    };
  }

  group(fi: FieldInfo, fn: number, tagStart: number, depth: number): FieldNode {
    const r = this.r;
    const valueStart = r.pos;
    this.checkDepth(depth, tagStart);
    const ti = messageInfo(fi);
    const fields = this.decodeFields(ti, depth + 1, fn, tagStart);
    const value: MessageNodeValue = { kind: 'message', typeName: ti.fullName, group: true, fields };
    if (this.endTagStart >= 0) value.endTagStart = this.endTagStart;
    else value.unterminated = true; // a tolerant decode stopped inside the group
    return {
      id: this.nextId++,
      fieldNumber: fn,
      wireType: WireType.SGROUP,
      field: fi.field,
      value,
      span: { tagStart, valueStart, end: r.pos },
      modified: false,
    };
  }

  unknown(fn: number, wt: WireType, tagStart: number, depth: number): FieldNode {
    const r = this.r;
    let valueStart = r.pos;
    let raw: bigint | number | Uint8Array | FieldNode[];
    let endTagStart = -1;
    switch (wt) {
      case WireType.VARINT:
        raw = r.varint64();
        break;
      case WireType.I64:
        raw = r.fixed64();
        break;
      case WireType.I32:
        raw = r.fixed32();
        break;
      case WireType.LEN: {
        const n = r.length();
        valueStart = r.pos;
        raw = r.bytes(n);
        break;
      }
      default: // SGROUP (EGROUP is handled by the caller)
        this.checkDepth(depth, tagStart);
        raw = this.decodeFields(null, depth + 1, fn, tagStart);
        endTagStart = this.endTagStart;
        break;
    }
    let value: UnknownNodeValue;
    if (endTagStart >= 0) value = { kind: 'unknown', raw, endTagStart };
    else if (wt === WireType.SGROUP)
      value = { kind: 'unknown', raw, unterminated: true }; // a tolerant decode stopped inside
    else value = { kind: 'unknown', raw };
    return {
      id: this.nextId++,
      fieldNumber: fn,
      wireType: wt,
      field: null,
      value,
      span: { tagStart, valueStart, end: r.pos },
      modified: false,
    };
  }

  /** For a google.protobuf.Any: decodes `value` as the type its type_url names, into `embedded`. */
  expandAnyPayload(anyInfo: TypeInfo, fields: FieldNode[], depth: number): void {
    let url: string | null = null;
    let valueNode: FieldNode | null = null;
    for (const f of fields) {
      if (f.field === null || f.value.kind !== 'scalar') continue;
      if (f.fieldNumber === 1 && typeof f.value.value === 'string') url = f.value.value;
      else if (f.fieldNumber === 2 && f.value.value instanceof Uint8Array) valueNode = f;
    }
    if (url === null || valueNode === null || valueNode.span === null) return;
    if (depth + 1 > this.maxDepth) return;
    const name = url.slice(url.lastIndexOf('/') + 1);
    const t = this.resolveType ? this.resolveType(name) : lookupTypeIn(anyInfo.type, name);
    if (!t) return;
    const r = this.r;
    const savedPos = r.pos;
    const savedLimit = r.limit;
    const savedPartial = this.partial;
    const savedNodes = this.nodes;
    r.pos = valueNode.span.valueStart;
    r.limit = valueNode.span.end;
    this.partial = false;
    try {
      const ti = typeInfo(t);
      const inner = this.decodeFields(ti, depth + 1, 0, 0);
      (valueNode.value as ScalarNodeValue).embedded = { kind: 'message', typeName: ti.fullName, fields: inner };
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // Not a valid message of that type: keep the bytes as bytes.
      this.nodes = savedNodes;
    } finally {
      r.pos = savedPos;
      r.limit = savedLimit;
      this.partial = savedPartial;
    }
  }
}
