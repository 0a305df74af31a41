/**
 * Nodes built from checked bytes: a message's fields are read from the source when first asked
 * for (a `fields` getter), one level at a time, and kept (or, with DecodeOptions.transient,
 * read again at each access). A scan (scan.ts) has already checked the bytes, so reading them
 * here cannot fail; a message left unchecked by a lazy decode is scanned on its first read.
 *
 * Node ids are the position of the node's first byte plus one: unique within a document, the
 * same however often a node is read again, and never negative (nodes built by edits are).
 */
import type { Type } from 'protobufjs';
import { DecodeError } from '../wire/decode-error';
import { decodeUtf8Lossy, decodeUtf8Strict } from '../wire/utf8';
import { WireReader } from '../wire/wire-reader';
import { WireType } from '../wire/wire-types';
import type { DecodeContext } from './decode-context';
import { DecodedElement, readNumeric } from './decode-values';
import type {
  FieldNode,
  MessageNodeValue,
  PackedElement,
  PackedNodeValue,
  ScalarNodeValue,
  ScalarType,
  ScalarValue,
  UnknownNodeValue,
} from './model';
import { scanMessage } from './scan';
import { ScanFacts } from './scan-facts';
import { DENSE_LIMIT, FieldKind, S, messageInfo, typeInfo, type TypeInfo } from './schema-info';

/** Reads a DecodedMessage's fields (a getter shared by all of them: an own accessor, so spreads and deep equality see it). */
const FIELDS: PropertyDescriptor = {
  get(this: DecodedMessage) {
    return this.read();
  },
  enumerable: true,
  configurable: true,
};

/** A decoded message or group value whose fields are built from the source bytes when first read. */
export class DecodedMessage implements MessageNodeValue {
  readonly kind = 'message' as const;
  declare typeName?: string;
  declare mapEntry?: boolean;
  declare group?: boolean;
  declare readonly fields: readonly FieldNode[];
  declare endTagStart?: number;
  declare unterminated?: boolean;
  /** Set on first read when a lazy, tolerant decode found this message's bytes malformed. */
  declare error?: DecodeError;
  readonly #ctx: DecodeContext;
  /** What the scan that checked these bytes recorded; null until a lazy decode checks them. */
  #facts: ScanFacts | null;
  readonly #info: TypeInfo | null;
  readonly #start: number;
  readonly #end: number;
  readonly #depth: number;
  #kept: readonly FieldNode[] | null = null;

  constructor(
    ctx: DecodeContext,
    facts: ScanFacts | null,
    info: TypeInfo | null,
    start: number,
    end: number,
    depth: number,
    shape: 'message' | 'map-entry' | 'group',
  ) {
    if (shape === 'map-entry') this.mapEntry = true;
    else if (info !== null) this.typeName = info.fullName;
    if (shape === 'group') this.group = true;
    Object.defineProperty(this, 'fields', FIELDS);
    this.#ctx = ctx;
    this.#facts = facts;
    this.#info = info;
    this.#start = start;
    this.#end = end;
    this.#depth = depth;
  }

  /**
   * The checked bytes behind this message, for readers that go straight to the bytes (a fast
   * printer): null unless the whole message was checked up front and a tolerant decode stopped
   * nowhere inside it.
   */
  checked(): CheckedMessage | null {
    return checkedMessage(this.#ctx, this.#facts, this.#info, this.#start, this.#end, this.#depth);
  }

  /**
   * The checked bytes of this message and everything below it, for a walk that reads them in
   * tree order (node-walk.ts): checked() when the decode checked them all; otherwise (a lazy
   * decode) they are checked now (each time: keeping what a check records for each of a million
   * records would cost more than checking again). Null when they are malformed (a tolerant read of them
   * shows where) or an Any inside would be expanded (its payload's nodes exist only as objects).
   */
  walkable(): CheckedMessage | null {
    const ctx = this.#ctx;
    let facts: ScanFacts | null = ctx.lazy ? null : this.#facts;
    if (facts === null) {
      facts = new ScanFacts();
      const counted = ctx.nodes;
      try {
        scanMessage(ctx, facts, this.#info, {
          messageStart: this.#start,
          from: this.#start,
          limit: this.#end,
          depth: this.#depth,
          descend: true,
          tolerant: true,
        });
      } finally {
        ctx.nodes = counted; // a check, not nodes: the levels read later count theirs
      }
      facts.trim();
    }
    const walkable = facts.error === null && facts.rawRest === null && !(facts.anyInside && ctx.expandAny);
    return walkable ? { ctx, facts, info: this.#info, start: this.#start, end: this.#end, depth: this.#depth } : null;
  }

  /** The fields if they have been read and kept, else null. */
  keptFields(): readonly FieldNode[] | null {
    return this.#kept;
  }

  /** The fields, read from the bytes (scanned first when a lazy decode left them unchecked). */
  read(): readonly FieldNode[] {
    if (this.#kept !== null) return this.#kept;
    const ctx = this.#ctx;
    let facts = this.#facts;
    if (facts === null) {
      const checked = new ScanFacts();
      scanMessage(ctx, checked, this.#info, {
        messageStart: this.#start,
        from: this.#start,
        limit: this.#end,
        depth: this.#depth,
        descend: false,
        tolerant: ctx.partial,
      });
      checked.trim();
      if (checked.error) this.error = checked.error;
      this.#facts = facts = checked;
    }
    const fields: FieldNode[] = [];
    readFields(ctx, facts, this.#info, this.#start, this.#start, this.#end, this.#depth, fields);
    if (this.#info?.isAny && ctx.expandAny) expandAnyPayload(ctx, this.#info, fields, this.#depth);
    if (!ctx.transient) this.#kept = fields;
    return fields;
  }
}

/** The message's bytes as a CheckedMessage: null unless a scan checked all of them (not lazily) and a tolerant decode stopped nowhere. */
export function checkedMessage(
  ctx: DecodeContext,
  facts: ScanFacts | null,
  info: TypeInfo | null,
  start: number,
  end: number,
  depth: number,
): CheckedMessage | null {
  if (facts === null || ctx.lazy || facts.error !== null || facts.rawRest !== null) return null;
  return { ctx, facts, info, start, end, depth };
}

/** A message whose bytes a scan has checked in full (see DecodedMessage.checked). */
export interface CheckedMessage {
  readonly ctx: DecodeContext;
  /** Group ends, for skipping groups. */
  readonly facts: ScanFacts;
  readonly info: TypeInfo | null;
  /** The message's bytes: ctx.buf[start, end). */
  readonly start: number;
  readonly end: number;
  readonly depth: number;
}

/** A decoded unknown group: `raw` (its fields) built from the bytes when first read. */
class DecodedUnknownGroup implements UnknownNodeValue {
  readonly kind = 'unknown' as const;
  declare readonly raw: readonly FieldNode[];
  declare endTagStart?: number;
  declare unterminated?: boolean;
  readonly #fields: DecodedMessage;

  constructor(fields: DecodedMessage) {
    this.#fields = fields;
    Object.defineProperty(this, 'raw', RAW);
  }

  /** The group's fields. */
  read(): readonly FieldNode[] {
    return this.#fields.read();
  }

  /** The checked bytes of the group's fields (see DecodedMessage.walkable). */
  walkable(): CheckedMessage | null {
    return this.#fields.walkable();
  }
}

/**
 * The checked bytes of a decoded node's fields, for a walk in tree order (node-walk.ts): for a
 * message, map entry or group as decoded (not edited, not built); null otherwise (see DecodedMessage.walkable).
 */
export function walkableOf(node: FieldNode): CheckedMessage | null {
  const v = node.value;
  if (v instanceof DecodedMessage || v instanceof DecodedUnknownGroup) return v.walkable();
  return null;
}

const RAW: PropertyDescriptor = {
  get(this: DecodedUnknownGroup) {
    return this.read();
  },
  enumerable: true,
  configurable: true,
};

/** A decoded packed run: `elements` built from the bytes when first read. */
class DecodedPacked implements PackedNodeValue {
  readonly kind = 'packed' as const;
  declare readonly elements: readonly PackedElement[];
  readonly #ctx: DecodeContext;
  readonly #code: number;
  readonly #start: number;
  readonly #end: number;
  #kept: PackedElement[] | null = null;

  constructor(
    ctx: DecodeContext,
    readonly type: ScalarType,
    code: number,
    start: number,
    end: number,
  ) {
    Object.defineProperty(this, 'elements', ELEMENTS);
    this.#ctx = ctx;
    this.#code = code;
    this.#start = start;
    this.#end = end;
  }

  /** The elements, read from the bytes. */
  read(): readonly PackedElement[] {
    if (this.#kept !== null) return this.#kept;
    const r = new WireReader(this.#ctx.buf, this.#start, this.#end);
    const code = this.#code;
    const elements: PackedElement[] = [];
    while (r.pos < r.limit) {
      const p = r.pos;
      const value = readNumeric(r, code);
      elements.push(new DecodedElement(value, p, r.pos));
    }
    if (!this.#ctx.transient) this.#kept = elements;
    return elements;
  }
}

const ELEMENTS: PropertyDescriptor = {
  get(this: DecodedPacked) {
    return this.read();
  },
  enumerable: true,
  configurable: true,
};

/** Where a group's fields end and the group ends, from the scan's record of it. */
function groupBounds(r: WireReader, facts: ScanFacts, valueStart: number): { fieldsEnd: number; end: number; endTagStart: number } {
  const g = facts.groupEnd(valueStart);
  if (g < 0) return { fieldsEnd: -(g + 1), end: -(g + 1), endTagStart: -1 };
  const saved = r.pos;
  r.pos = g;
  r.tagValue();
  const end = r.pos;
  r.pos = saved;
  return { fieldsEnd: g, end, endTagStart: g };
}

/**
 * Appends the nodes of the checked fields buf[from, end) of the message whose value starts at
 * `messageStart` (a tolerant decode's unread rest of it becomes a raw-bytes node).
 */
export function readFields(
  ctx: DecodeContext,
  facts: ScanFacts,
  info: TypeInfo | null,
  messageStart: number,
  from: number,
  end: number,
  depth: number,
  out: FieldNode[],
): void {
  const buf = ctx.buf;
  const r = new WireReader(buf, from, end);
  const rest = facts.rawRest?.get(messageStart);
  const stop = rest !== undefined && rest >= from && rest < end ? rest : end;
  const lazy = ctx.lazy;
  while (r.pos < stop) {
    const tagStart = r.pos;
    const tv = r.tagValue();
    const fn = tv >>> 3;
    const wt = (tv & 7) as WireType;
    const fi = info === null ? undefined : fn < DENSE_LIMIT ? info.dense[fn] : info.byNumber.get(fn);
    let valueStart = r.pos;
    if (fi !== undefined) {
      const kind = fi.kind;
      let value: ScalarNodeValue | PackedNodeValue | MessageNodeValue | null = null;
      if (kind === FieldKind.SCALAR) {
        if (wt === fi.wireType) {
          let v: ScalarValue;
          let invalid: Uint8Array | null = null;
          if (fi.code === S.STRING) {
            const n = r.length();
            valueStart = r.pos;
            const s = decodeUtf8Strict(buf, valueStart, valueStart + n);
            if (s === null) {
              invalid = buf.subarray(valueStart, valueStart + n);
              v = decodeUtf8Lossy(invalid);
            } else {
              v = s;
            }
            r.pos = valueStart + n;
          } else if (fi.code === S.BYTES) {
            const n = r.length();
            valueStart = r.pos;
            v = r.bytes(n);
          } else {
            v = readNumeric(r, fi.code);
          }
          const sv: ScalarNodeValue = { kind: 'scalar', type: fi.scalar!, value: v };
          if (invalid !== null) sv.invalidUtf8 = invalid;
          value = sv;
        } else if (wt === WireType.LEN && fi.packable) {
          const n = r.length();
          valueStart = r.pos;
          r.pos += n;
          value = new DecodedPacked(ctx, fi.scalar!, fi.code, valueStart, r.pos);
        }
      } else if (kind === FieldKind.GROUP) {
        if (wt === WireType.SGROUP) {
          const g = groupBounds(r, facts, valueStart);
          const m = new DecodedMessage(ctx, facts, messageInfo(fi), valueStart, g.fieldsEnd, depth + 1, 'group');
          if (g.endTagStart >= 0) m.endTagStart = g.endTagStart;
          else m.unterminated = true;
          r.pos = g.end;
          value = m;
        }
      } else if (wt === WireType.LEN) {
        const n = r.length();
        valueStart = r.pos;
        r.pos += n;
        const map = kind === FieldKind.MAP;
        value = new DecodedMessage(
          ctx,
          lazy && !map ? null : facts,
          messageInfo(fi),
          valueStart,
          r.pos,
          depth + 1,
          map ? 'map-entry' : 'message',
        );
      }
      if (value !== null) {
        out.push({
          id: tagStart + 1,
          fieldNumber: fn,
          wireType: wt,
          field: fi.field,
          value,
          span: { tagStart, valueStart, end: r.pos },
          modified: false,
        });
        continue;
      }
    }
    out.push(unknownNode(ctx, facts, r, fn, wt, tagStart, depth));
  }
  if (stop < end) {
    out.push({
      id: stop + 1,
      fieldNumber: 0,
      wireType: WireType.VARINT,
      field: null,
      value: { kind: 'raw-bytes', bytes: buf.subarray(stop, end) },
      span: { tagStart: stop, valueStart: stop, end },
      modified: false,
    });
  }
}

/** The node of an unknown field whose tag was just read. */
function unknownNode(
  ctx: DecodeContext,
  facts: ScanFacts,
  r: WireReader,
  fn: number,
  wt: WireType,
  tagStart: number,
  depth: number,
): FieldNode {
  let valueStart = r.pos;
  let value: UnknownNodeValue;
  switch (wt) {
    case WireType.VARINT:
      value = { kind: 'unknown', raw: r.varint64() };
      break;
    case WireType.I64:
      value = { kind: 'unknown', raw: r.fixed64() };
      break;
    case WireType.I32:
      value = { kind: 'unknown', raw: r.fixed32() };
      break;
    case WireType.LEN: {
      const n = r.length();
      valueStart = r.pos;
      value = { kind: 'unknown', raw: r.bytes(n) };
      break;
    }
    default: {
      const g = groupBounds(r, facts, valueStart);
      const group = new DecodedUnknownGroup(new DecodedMessage(ctx, facts, null, valueStart, g.fieldsEnd, depth + 1, 'group'));
      if (g.endTagStart >= 0) group.endTagStart = g.endTagStart;
      else group.unterminated = true;
      r.pos = g.end;
      value = group;
    }
  }
  return {
    id: tagStart + 1,
    fieldNumber: fn,
    wireType: wt,
    field: null,
    value,
    span: { tagStart, valueStart, end: r.pos },
    modified: false,
  };
}

function lookupTypeIn(type: Type, name: string): Type | null {
  if (name === '') return null; // lookupType('.') answers the root namespace, not a type
  try {
    return type.root.lookupType('.' + name);
  } catch {
    return null;
  }
}

/**
 * For a google.protobuf.Any's fields (at `depth`): when `value` holds a valid message of the
 * type its type_url names, sets it as the value node's `embedded` (read when opened); bytes
 * that are not such a message stay bytes.
 */
export function expandAnyPayload(ctx: DecodeContext, anyInfo: TypeInfo, fields: readonly FieldNode[], depth: number): void {
  let url: string | null = null;
  let valueNode: FieldNode | null = null;
  for (const f of fields) {
    if (f.field === null || f.value.kind !== 'scalar') continue;
    if (f.fieldNumber === 1 && typeof f.value.value === 'string') url = f.value.value;
    else if (f.fieldNumber === 2 && f.value.value instanceof Uint8Array) valueNode = f;
  }
  if (url === null || valueNode === null || valueNode.span === null) return;
  if (depth + 1 > ctx.limits.maxDepth) return;
  const name = url.slice(url.lastIndexOf('/') + 1);
  const t = ctx.resolveType ? ctx.resolveType(name) : lookupTypeIn(anyInfo.type, name);
  if (!t) return;
  const ti = typeInfo(t);
  const { valueStart, end } = valueNode.span;
  const facts = new ScanFacts();
  const nodes = ctx.nodes;
  try {
    scanMessage(ctx, facts, ti, {
      messageStart: valueStart,
      from: valueStart,
      limit: end,
      depth: depth + 1,
      descend: !ctx.lazy,
      tolerant: false,
    });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    // Not a valid message of that type: keep the bytes as bytes.
    ctx.nodes = nodes;
    return;
  }
  facts.trim();
  (valueNode.value as ScalarNodeValue).embedded = new DecodedMessage(ctx, facts, ti, valueStart, end, depth + 1, 'message');
}
