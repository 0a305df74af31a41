/**
 * Byte-exact encode of a document tree, as parts (EncodedBytes): an unmodified node is a view of
 * the source by its span, and runs of such nodes adjacent in the source are one view; only
 * modified nodes are walked and re-encoded, reusing their original tag and length-prefix bytes
 * where possible; nodes without spans (built by edits or parsers) are encoded canonically, as
 * protoc would.
 */
import { WireWriter, zigzagEncode32, zigzagEncode64 } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { encodeUtf8 } from '../wire/utf8';
import { readVarint, type VarintResult } from '../wire/varint';
import { EncodedBytes } from './encoded-bytes';
import type { FieldNode, MessageRoot, NodeValue, ScalarType, ScalarValue } from './model';
import { childrenOf } from './tree';

/** Writes one scalar value (no tag) in its canonical encoding. */
export function writeScalarValue(w: WireWriter, type: ScalarType, value: ScalarValue): void {
  switch (type) {
    case 'int32':
    case 'enum':
      w.int32(Number(value) | 0);
      return;
    case 'uint32':
      w.uvarint(Number(value) >>> 0);
      return;
    case 'sint32':
      w.uvarint(zigzagEncode32(Number(value) | 0));
      return;
    case 'int64':
    case 'uint64':
      w.varint64(BigInt(value as bigint));
      return;
    case 'sint64':
      w.varint64(zigzagEncode64(BigInt.asIntN(64, BigInt(value as bigint))));
      return;
    case 'bool':
      w.uvarint(value ? 1 : 0);
      return;
    case 'fixed32':
    case 'sfixed32':
      w.fixed32(Number(value));
      return;
    case 'fixed64':
    case 'sfixed64':
      w.fixed64(BigInt(value as bigint));
      return;
    case 'float':
      w.float(Number(value));
      return;
    case 'double':
      w.double(Number(value));
      return;
    case 'string':
      w.raw(typeof value === 'string' ? encodeUtf8(value) : (value as Uint8Array));
      return;
    case 'bytes':
      w.raw(value as Uint8Array);
      return;
  }
}

/** Whether two views are adjacent in one buffer (a directly before b). */
function adjacent(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset;
}

/**
 * Collects the output of one encode as parts. Appends extend an open run while they are
 * adjacent in one buffer (the source, or `w`), so unmodified siblings cost no view each.
 */
class PartsBuilder {
  readonly parts: Uint8Array[] = [];
  /** Bytes in `parts` (the open run not counted). */
  length = 0;
  /** New bytes (tags, length prefixes, re-encoded values) are written here; parts view its buffer. */
  readonly w = new WireWriter(256);
  /** The open run: bytes [runStart, runEnd) of runBuffer, not yet in parts. */
  private runBuffer: ArrayBufferLike | null = null;
  private runStart = 0;
  private runEnd = 0;
  /** Parts before this index are not joined (an open length-delimited body's prefix goes there). */
  private floor = 0;
  private readonly srcBuffer: ArrayBufferLike;
  private readonly srcOffset: number;

  constructor(
    /** The buffer the nodes' spans point into. */
    readonly src: Uint8Array,
  ) {
    this.srcBuffer = src.buffer;
    this.srcOffset = src.byteOffset;
  }

  /** Appends source bytes [start, end). */
  source(start: number, end: number): void {
    this.extend(this.srcBuffer, this.srcOffset + start, this.srcOffset + end);
  }

  /** Appends a view of bytes that stay unchanged (not copied). */
  view(bytes: Uint8Array): void {
    this.extend(bytes.buffer, bytes.byteOffset, bytes.byteOffset + bytes.length);
  }

  /** Appends what was written to `w` since position `start`. */
  written(start: number): void {
    this.extend(this.w.buffer, start, this.w.pos);
  }

  /** A view of what was written to `w` since position `start`. */
  writtenView(start: number): Uint8Array {
    return new Uint8Array(this.w.buffer, start, this.w.pos - start);
  }

  private extend(buffer: ArrayBufferLike, start: number, end: number): void {
    if (start === end) return;
    if (buffer === this.runBuffer && start === this.runEnd) {
      this.runEnd = end;
      return;
    }
    this.flush();
    this.runBuffer = buffer;
    this.runStart = start;
    this.runEnd = end;
  }

  /** Closes the open run: it becomes a part (joined to the last part when adjacent to it). */
  flush(): void {
    if (this.runBuffer === null) return;
    this.parts.push(new Uint8Array(this.runBuffer, this.runStart, this.runEnd - this.runStart));
    this.length += this.runEnd - this.runStart;
    this.runBuffer = null;
    this.joinAt(this.parts.length - 2);
  }

  /**
   * Appends a length-delimited body: the parts `writeBody` appends, preceded by the prefix that
   * `prefix` returns for their total length (the body is never materialized).
   */
  lengthDelimited(writeBody: () => void, prefix: (bodyLength: number) => Uint8Array): void {
    this.flush();
    const at = this.parts.length;
    const before = this.length;
    const floor = this.floor;
    this.floor = at; // the body's parts must not join parts before the prefix's place
    writeBody();
    this.flush();
    this.floor = floor;
    const part = prefix(this.length - before);
    this.parts.splice(at, 0, part);
    this.length += part.length;
    this.joinAt(at);
    this.joinAt(at - 1);
  }

  /** Joins parts i and i + 1 into one view when they are adjacent in one buffer (and i is not before the floor). */
  private joinAt(i: number): void {
    const parts = this.parts;
    if (i < this.floor || i + 1 >= parts.length) return;
    const a = parts[i];
    const b = parts[i + 1];
    if (adjacent(a, b)) parts.splice(i, 2, new Uint8Array(a.buffer, a.byteOffset, a.length + b.length));
  }

  /** The parts collected. */
  finish(): EncodedBytes {
    this.flush();
    return new EncodedBytes(this.parts);
  }
}

/** Scratch for reading tags back from the source. */
const TAG: VarintResult = { lo: 0, hi: 0 };

/** End of the varint at src[pos] when it is the tag of fieldNumber and wireType, else -1. */
function sourceTagEnd(src: Uint8Array, pos: number, fieldNumber: number, wireType: WireType): number {
  const end = readVarint(src, pos, src.length, TAG);
  return end >= 0 && TAG.hi === 0 && TAG.lo === fieldNumber * 8 + wireType ? end : -1;
}

/** Appends a new tag. */
function writeNewTag(out: PartsBuilder, fieldNumber: number, wireType: WireType): void {
  const start = out.w.pos;
  out.w.tag(fieldNumber, wireType);
  out.written(start);
}

/** Appends the node's tag: its original bytes when number and wire type are unchanged, else minimal. Returns the original tag end (or -1). */
function writeTag(out: PartsBuilder, node: FieldNode): number {
  const span = node.span;
  if (span !== null) {
    const end = sourceTagEnd(out.src, span.tagStart, node.fieldNumber, node.wireType);
    if (end >= 0) {
      out.source(span.tagStart, end);
      return end;
    }
  }
  writeNewTag(out, node.fieldNumber, node.wireType);
  return -1;
}

/** The length prefix of a LEN body of n bytes: the original prefix bytes when the length and tag are unchanged, else a minimal varint. */
function lengthPrefix(out: PartsBuilder, node: FieldNode, tagEnd: number, n: number): Uint8Array {
  const span = node.span;
  if (span !== null && tagEnd >= 0 && span.end - span.valueStart === n && span.valueStart > tagEnd) {
    return out.src.subarray(tagEnd, span.valueStart);
  }
  const start = out.w.pos;
  out.w.uvarint(n);
  return out.writtenView(start);
}

/** The body of a LEN node whose value is bytes as they are (bytes, invalid UTF-8, unknown); null when it must be encoded. */
function bytesBody(node: FieldNode): Uint8Array | null {
  const v = node.value;
  if (v.kind === 'scalar' && !v.embedded) return v.invalidUtf8 ?? (v.value instanceof Uint8Array ? v.value : null);
  if (v.kind === 'unknown') {
    if (v.raw instanceof Uint8Array) return v.raw;
    throw new Error(`unknown LEN field ${node.fieldNumber} holds no bytes`);
  }
  return null;
}

/** Appends the body (no tag, no length) of a LEN node whose value must be encoded. */
function writeLenBody(out: PartsBuilder, node: FieldNode, base: FieldNode | null): void {
  const v = node.value;
  const w = out.w;
  switch (v.kind) {
    case 'message':
      writeFieldsTo(out, v.fields, baseChildren(base));
      return;
    case 'packed':
      for (const el of v.elements) {
        if (el.span) {
          out.source(el.span.valueStart, el.span.end);
        } else {
          const start = w.pos;
          writeScalarValue(w, v.type, el.value);
          out.written(start);
        }
      }
      return;
    case 'scalar':
      if (v.embedded) {
        writeFieldsTo(out, v.embedded.fields, baseChildren(base));
      } else {
        const start = w.pos;
        writeScalarValue(w, v.type, v.value);
        out.written(start);
      }
      return;
    default:
      throw new Error(`field ${node.fieldNumber}: a ${v.kind} value cannot be a LEN body`);
  }
}

/** Appends the length prefix and body of a modified LEN node (its tag is written). */
function writeLen(out: PartsBuilder, node: FieldNode, base: FieldNode | null, tagEnd: number): void {
  const v = node.value;
  if (v.kind === 'scalar' && !v.embedded && !v.invalidUtf8 && typeof v.value === 'string') {
    // A new string: prefix and UTF-8 go to w, next to each other.
    const utf8 = encodeUtf8(v.value);
    out.view(lengthPrefix(out, node, tagEnd, utf8.length));
    const start = out.w.pos;
    out.w.raw(utf8);
    out.written(start);
    return;
  }
  const bytes = bytesBody(node);
  if (bytes !== null) {
    out.view(lengthPrefix(out, node, tagEnd, bytes.length));
    out.view(bytes);
    return;
  }
  // A body of nodes: its length prefix is measured from the parts it appends.
  out.lengthDelimited(
    () => writeLenBody(out, node, base),
    (n) => lengthPrefix(out, node, tagEnd, n),
  );
}

function groupFields(v: NodeValue): readonly FieldNode[] {
  if (v.kind === 'message') return v.fields;
  if (v.kind === 'unknown' && Array.isArray(v.raw)) return v.raw as readonly FieldNode[];
  throw new Error('a group node must hold fields');
}

/** Appends one node (tag and value); `base` is its unmodified decoded counterpart, if known (see writeFieldsTo). */
function writeNode(out: PartsBuilder, node: FieldNode, base: FieldNode | null): void {
  const span = node.span;
  if (!node.modified && span !== null) {
    out.source(span.tagStart, span.end);
    return;
  }
  const v = node.value;
  if (v.kind === 'raw-bytes') {
    out.view(v.bytes);
    return;
  }
  const tagEnd = writeTag(out, node);
  switch (node.wireType) {
    case WireType.LEN:
      writeLen(out, node, base, tagEnd);
      return;
    case WireType.SGROUP: {
      writeFieldsTo(out, groupFields(v), baseChildren(base));
      // A group a tolerant decode stopped inside had no end tag in the source: do not add one.
      if ((v.kind === 'message' || v.kind === 'unknown') && v.unterminated === true) return;
      const endTagStart = v.kind === 'message' || v.kind === 'unknown' ? v.endTagStart : undefined;
      if (span !== null && endTagStart !== undefined && sourceTagEnd(out.src, endTagStart, node.fieldNumber, WireType.EGROUP) >= 0) {
        out.source(endTagStart, span.end);
      } else {
        writeNewTag(out, node.fieldNumber, WireType.EGROUP);
      }
      return;
    }
    default: {
      const w = out.w;
      const start = w.pos;
      if (v.kind === 'scalar') {
        writeScalarValue(w, v.type, v.value);
      } else if (v.kind === 'unknown') {
        if (node.wireType === WireType.VARINT) w.varint64(BigInt(v.raw as bigint));
        else if (node.wireType === WireType.I64) w.fixed64(BigInt(v.raw as bigint));
        else if (node.wireType === WireType.I32) w.fixed32(Number(v.raw));
        else throw new Error(`cannot encode unknown field ${node.fieldNumber} with wire type ${node.wireType}`);
      } else {
        throw new Error(`field ${node.fieldNumber}: a ${v.kind} value cannot have wire type ${node.wireType}`);
      }
      out.written(start);
    }
  }
}

/** The children of an unmodified decoded node (null without one). */
function baseChildren(base: FieldNode | null): readonly FieldNode[] | null {
  return base === null ? null : childrenOf(base);
}

/**
 * Appends a list of field nodes (a message body), in order. `base`, when known, is the children
 * of the unmodified decoded node `fields` was derived from by edits (path copying): nodes shared
 * with it at either end are unchanged, and as decoded siblings tile their parent's bytes, each
 * such run is one source view, found by comparing references, without visiting the nodes.
 */
function writeFieldsTo(out: PartsBuilder, fields: readonly FieldNode[], base: readonly FieldNode[] | null): void {
  const n = fields.length;
  if (base === null) {
    for (let i = 0; i < n; i++) writeNode(out, fields[i], null);
    return;
  }
  const m = base.length;
  // Object.is, not ===: V8 compiles === on objects with a type check that reads each node (a
  // cache miss per node in a big tree, ~10x slower here); Object.is compares references first.
  let head = 0;
  while (head < n && head < m && Object.is(fields[head], base[head])) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && Object.is(fields[n - 1 - tail], base[m - 1 - tail])) tail++;
  if (head > 0) out.source(base[0].span!.tagStart, base[head - 1].span!.end);
  for (let i = head; i < n - tail; i++) {
    // A node edited in place keeps its id (and its index when no sibling was added or removed).
    const node = fields[i];
    const b = i < m ? base[i] : undefined;
    writeNode(out, node, b !== undefined && b.id === node.id && !b.modified && b.span !== null ? b : null);
  }
  if (tail > 0) out.source(base[m - tail].span!.tagStart, base[m - 1].span!.end);
}

/** Writes a list of field nodes (a message body) to w, in order; `src` is the buffer their spans point into. */
export function writeFields(w: WireWriter, fields: readonly FieldNode[], src: Uint8Array): void {
  const out = new PartsBuilder(src);
  writeFieldsTo(out, fields, null);
  for (const part of out.finish().parts) w.raw(part);
}

/** Encodes one field node (tag and value); `source` is the buffer its spans point into. */
export function encodeNode(node: FieldNode, source: Uint8Array): Uint8Array {
  const out = new PartsBuilder(source);
  writeNode(out, node, null);
  return out.finish().toUint8Array();
}

/**
 * Encodes a document as parts, copying no unchanged byte: an unmodified document is
 * [source]; otherwise only modified nodes are re-encoded (new bytes) and every other byte is a
 * view of `source` (which must stay unchanged while the result is used).
 *
 * `base`: the unmodified root decoded from `source` that `root` was derived from by edits (as
 * ProtoDocument keeps it). With it, unchanged siblings are skipped by comparing references
 * instead of visiting each node (a big message's many top-level fields cost no memory reads).
 */
export function encodeParts(root: MessageRoot, source: Uint8Array, base?: MessageRoot): EncodedBytes {
  if (!root.modified) return new EncodedBytes([source]);
  const out = new PartsBuilder(source);
  writeFieldsTo(out, root.fields, base !== undefined && !base.modified ? base.fields : null);
  return out.finish();
}

/**
 * Encodes a document into one new buffer. An unmodified document returns a copy of `source`,
 * byte for byte; otherwise only modified nodes are re-encoded and every other byte is copied
 * from `source`. `base`: as for encodeParts.
 */
export function encodeMessage(root: MessageRoot, source: Uint8Array, base?: MessageRoot): Uint8Array {
  if (!root.modified) return source.slice(); // keeps the source's class (a Buffer stays a Buffer)
  return encodeParts(root, source, base).toUint8Array();
}
