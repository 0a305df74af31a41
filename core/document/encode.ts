/**
 * Byte-exact encode of a document tree. Unmodified nodes are copied from the source by span;
 * modified nodes are re-encoded reusing their original tag and length-prefix bytes where
 * possible; nodes without spans (built by edits or parsers) are encoded canonically, as protoc would.
 */
import { WireWriter, zigzagEncode32, zigzagEncode64 } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { encodeUtf8 } from '../wire/utf8';
import type { FieldNode, MessageRoot, NodeValue, ScalarType, ScalarValue } from './model';

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

/** Length of the varint starting at `pos` in `buf`. */
function varintLength(buf: Uint8Array, pos: number): number {
  let i = pos;
  while (i < buf.length && buf[i] >= 0x80) i++;
  return i - pos + 1;
}

/** Value of the varint (below 2^35) starting at pos. */
function varintValue(buf: Uint8Array, pos: number): number {
  let v = 0;
  let mul = 1;
  for (let i = pos; i < buf.length && i < pos + 5; i++) {
    v += (buf[i] & 0x7f) * mul;
    if (buf[i] < 0x80) break;
    mul *= 128;
  }
  return v;
}

/** Writes the node's tag: its original bytes when number and wire type are unchanged, else minimal. Returns the original tag end (or -1). */
function writeTag(w: WireWriter, node: FieldNode, src: Uint8Array): number {
  const span = node.span;
  if (span !== null && span.tagStart < src.length) {
    const n = varintLength(src, span.tagStart);
    if (varintValue(src, span.tagStart) === node.fieldNumber * 8 + node.wireType) {
      w.raw(src.subarray(span.tagStart, span.tagStart + n));
      return span.tagStart + n;
    }
  }
  w.tag(node.fieldNumber, node.wireType);
  return -1;
}

/** Writes a LEN body with its length prefix, reusing the original prefix bytes when the length is unchanged. */
function writeLen(w: WireWriter, node: FieldNode, src: Uint8Array, tagEnd: number, body: Uint8Array): void {
  const span = node.span;
  if (span !== null && tagEnd >= 0 && span.end - span.valueStart === body.length && span.valueStart > tagEnd) {
    w.raw(src.subarray(tagEnd, span.valueStart));
  } else {
    w.uvarint(body.length);
  }
  w.raw(body);
}

/** Encodes the body (no tag, no length) of a LEN node. */
function lenBody(node: FieldNode, src: Uint8Array): Uint8Array {
  const v = node.value;
  const w = new WireWriter(64);
  switch (v.kind) {
    case 'message':
      writeFields(w, v.fields, src);
      break;
    case 'packed':
      for (const el of v.elements) {
        if (el.span) w.raw(src.subarray(el.span.valueStart, el.span.end));
        else writeScalarValue(w, v.type, el.value);
      }
      break;
    case 'scalar':
      if (v.embedded) writeFields(w, v.embedded.fields, src);
      else if (v.invalidUtf8) w.raw(v.invalidUtf8);
      else writeScalarValue(w, v.type, v.value);
      break;
    case 'unknown':
      if (v.raw instanceof Uint8Array) w.raw(v.raw);
      else throw new Error(`unknown LEN field ${node.fieldNumber} holds no bytes`);
      break;
    case 'raw-bytes':
      w.raw(v.bytes);
      break;
  }
  return w.finish();
}

function groupFields(v: NodeValue): readonly FieldNode[] {
  if (v.kind === 'message') return v.fields;
  if (v.kind === 'unknown' && Array.isArray(v.raw)) return v.raw as readonly FieldNode[];
  throw new Error('a group node must hold fields');
}

/** Writes one node (tag and value) to w. */
function writeNode(w: WireWriter, node: FieldNode, src: Uint8Array): void {
  const span = node.span;
  if (!node.modified && span !== null) {
    w.raw(src.subarray(span.tagStart, span.end));
    return;
  }
  const v = node.value;
  if (v.kind === 'raw-bytes') {
    w.raw(v.bytes);
    return;
  }
  const tagEnd = writeTag(w, node, src);
  switch (node.wireType) {
    case WireType.LEN:
      writeLen(w, node, src, tagEnd, lenBody(node, src));
      return;
    case WireType.SGROUP: {
      writeFields(w, groupFields(v), src);
      // A group a tolerant decode stopped inside had no end tag in the source: do not add one.
      if ((v.kind === 'message' || v.kind === 'unknown') && v.unterminated === true) return;
      const endTagStart = v.kind === 'message' || v.kind === 'unknown' ? v.endTagStart : undefined;
      if (span !== null && endTagStart !== undefined && varintValue(src, endTagStart) === node.fieldNumber * 8 + WireType.EGROUP) {
        w.raw(src.subarray(endTagStart, span.end));
      } else {
        w.tag(node.fieldNumber, WireType.EGROUP);
      }
      return;
    }
    default:
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
  }
}

/** Writes a list of field nodes (a message body) to w, in order. */
export function writeFields(w: WireWriter, fields: readonly FieldNode[], src: Uint8Array): void {
  for (let i = 0; i < fields.length; i++) writeNode(w, fields[i], src);
}

/** Encodes one field node (tag and value); `source` is the buffer its spans point into. */
export function encodeNode(node: FieldNode, source: Uint8Array): Uint8Array {
  const w = new WireWriter(64);
  writeNode(w, node, source);
  return w.finish().slice();
}

/**
 * Encodes a document. An unmodified document returns a copy of `source`, byte for byte;
 * otherwise only modified nodes are re-encoded and every other byte is copied from `source`.
 */
export function encodeMessage(root: MessageRoot, source: Uint8Array): Uint8Array {
  if (!root.modified) return source.slice();
  const w = new WireWriter(Math.max(64, source.length + 16));
  writeFields(w, root.fields, source);
  return w.finish().slice();
}
