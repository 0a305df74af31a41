/**
 * Encoding edits: invalid or unusual encodings made on purpose, for testing parsers. Each works
 * on a message's bytes and a node of their decode (spans absolute in those bytes), and returns
 * the new bytes; decoding them again shows exactly what will be saved, so the tree never claims
 * an encoding the file does not have.
 *
 * Where an edit changes a field's size, the length prefixes of the messages around it are
 * rewritten to match (kept as wide as they were when they were overlong), so only the anomaly
 * asked for is made; truncation and a lying length prefix are the exceptions, by design.
 */
import { WireType } from '../wire/wire-types';
import { EditError } from './edits';
import type { ByteSpan, FieldNode } from './model';
import { minimalVarintWidth, varintAt, varintBytes, varintLike } from './varint-bytes';

/** One encoding edit, as plain data. */
export type EncodingEdit =
  /** Writes a varint of the node overlong (or back to minimal): its tag, its length prefix, or its value (varint fields and packed varint elements). */
  | { kind: 'varint-width'; part: 'tag' | 'length' | 'value'; width: number }
  /** Sets a length-delimited field's length prefix to `length`, whatever its bytes are (a prefix that lies). */
  | { kind: 'set-length'; length: number }
  /** Rewrites the tag with another wire type (0..7), the value bytes unchanged. */
  | { kind: 'set-wire-type'; wireType: number }
  /** Cuts the message off after the first `keep` bytes of this field (from its tag): a truncated message. */
  | { kind: 'truncate'; keep: number }
  /** Writes the field's bytes twice, one after the other. */
  | { kind: 'duplicate' }
  /** Swaps the field's bytes with its previous (-1) or next (1) sibling's: fields out of order. */
  | { kind: 'move'; delta: -1 | 1 }
  /** Inserts bytes as they are right after the field. */
  | { kind: 'insert-bytes'; bytes: Uint8Array }
  /** Rewrites the tag with another field number (0 and numbers above 2^29-1 included). */
  | { kind: 'set-field-number'; fieldNumber: number }
  /** Removes a group's end-group tag. */
  | { kind: 'unterminate-group' }
  /** Splits a length-delimited field (a packed run) in two at `at` bytes into its value: inside an element, both halves hold a partial one. */
  | { kind: 'split'; at: number };

/** The node an encoding edit applies to, located in the message's decode. */
export interface EncodingTarget {
  /** The fields enclosing it, outermost first (their spans absolute in the bytes). */
  ancestors: readonly FieldNode[];
  node: FieldNode;
  /** Its siblings (the node among them at `index`), for moves. */
  siblings: readonly FieldNode[];
  index: number;
  /** For an element of a packed run (then `node` is the run): the element's span. */
  element?: ByteSpan;
}

interface Splice {
  start: number;
  end: number;
  insert: Uint8Array;
}

function fail(message: string): never {
  throw new EditError(message);
}

/** The tag at a field's start: its value (fieldNumber * 8 + wire type) and end, or a failure saying so. */
function tagOf(bytes: Uint8Array, node: FieldNode): { value: bigint; end: number } {
  if (!node.span) fail('this field has no bytes yet: save or reopen first');
  const t = varintAt(bytes, node.span.tagStart, node.span.end);
  if (!t) fail(`no readable tag at byte ${node.span.tagStart}`);
  return t;
}

function spanOf(node: FieldNode): ByteSpan {
  if (!node.span) fail('this field has no bytes yet: save or reopen first');
  if (node.value.kind === 'raw-bytes') fail('raw bytes have no tag: edit them in the hex view');
  return node.span;
}

/**
 * Applies splices inside `containers` (outermost first) and rewrites the length prefix of each
 * length-delimited one to its new size; returns the new bytes. Splices must not overlap and must
 * lie after the containers' prefixes.
 */
export function spliceInside(bytes: Uint8Array, containers: readonly FieldNode[], splices: readonly Splice[]): Uint8Array {
  const all = [...splices];
  let delta = splices.reduce((n, s) => n + s.insert.length - (s.end - s.start), 0);
  for (let i = containers.length - 1; i >= 0; i--) {
    const c = containers[i];
    if (c.wireType !== WireType.LEN || !c.span) continue;
    const tag = tagOf(bytes, c);
    const oldLength = BigInt(c.span.end - c.span.valueStart);
    const prefix = varintLike(oldLength + BigInt(delta), oldLength, c.span.valueStart - tag.end);
    all.push({ start: tag.end, end: c.span.valueStart, insert: prefix });
    delta += prefix.length - (c.span.valueStart - tag.end);
  }
  return applySplices(bytes, all);
}

/** The bytes with non-overlapping splices applied. */
function applySplices(bytes: Uint8Array, splices: readonly Splice[]): Uint8Array {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  let size = bytes.length;
  for (const s of sorted) size += s.insert.length - (s.end - s.start);
  const out = new Uint8Array(size);
  let from = 0;
  let at = 0;
  for (const s of sorted) {
    if (s.start < from) fail('overlapping byte edits');
    out.set(bytes.subarray(from, s.start), at);
    at += s.start - from;
    out.set(s.insert, at);
    at += s.insert.length;
    from = s.end;
  }
  out.set(bytes.subarray(from), at);
  return out;
}

/** The tag rewritten with a new value, as wide as it was when that was overlong. */
function retag(bytes: Uint8Array, t: EncodingTarget, tagValue: bigint): Uint8Array {
  const span = spanOf(t.node);
  const tag = tagOf(bytes, t.node);
  const insert = varintLike(tagValue, tag.value, tag.end - span.tagStart);
  return spliceInside(bytes, t.ancestors, [{ start: span.tagStart, end: tag.end, insert }]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The varint an overlong-width edit rewrites: where it is and its value. */
function varintPart(bytes: Uint8Array, t: EncodingTarget, part: 'tag' | 'length' | 'value'): { start: number; end: number; value: bigint } {
  const span = spanOf(t.node);
  const tag = tagOf(bytes, t.node);
  if (part === 'tag') return { start: span.tagStart, end: tag.end, value: tag.value };
  if (part === 'length') {
    if (t.node.wireType !== WireType.LEN || t.element) fail('only a length-delimited field has a length prefix');
    return { start: tag.end, end: span.valueStart, value: BigInt(span.end - span.valueStart) };
  }
  const at = t.element ?? (t.node.wireType === WireType.VARINT ? span : null);
  if (!at) fail('only a varint field, or an element of a packed varint run, has a varint value');
  const v = varintAt(bytes, at.valueStart, at.end);
  if (!v || v.end !== at.end) fail(`the value at byte ${at.valueStart} is not one varint`);
  return { start: at.valueStart, end: at.end, value: v.value };
}

/** Applies one encoding edit to a message's bytes; throws EditError (saying why) when it does not fit the node. */
export function applyEncodingEdit(bytes: Uint8Array, t: EncodingTarget, edit: EncodingEdit): Uint8Array {
  const span = spanOf(t.node);
  const inner = t.element ? [...t.ancestors, t.node] : t.ancestors;
  switch (edit.kind) {
    case 'varint-width': {
      const v = varintPart(bytes, t, edit.part);
      const min = minimalVarintWidth(v.value);
      if (!Number.isInteger(edit.width) || edit.width < min || edit.width > 10) {
        fail(`this varint holds ${v.value}: it takes ${min} to 10 bytes, not ${edit.width}`);
      }
      const containers = edit.part === 'value' ? inner : t.ancestors;
      return spliceInside(bytes, containers, [{ start: v.start, end: v.end, insert: varintBytes(v.value, edit.width) }]);
    }
    case 'set-length': {
      if (t.node.wireType !== WireType.LEN || t.element) fail('only a length-delimited field has a length prefix');
      if (!Number.isSafeInteger(edit.length) || edit.length < 0) fail(`a length is a whole number of bytes, not ${edit.length}`);
      const tag = tagOf(bytes, t.node);
      const old = BigInt(span.end - span.valueStart);
      const width = span.valueStart - tag.end;
      const want = BigInt(edit.length);
      // As wide as before when the new length fits: only the length changes, not the layout.
      const insert = minimalVarintWidth(want) <= width ? varintBytes(want, width) : varintLike(want, old, width);
      return spliceInside(bytes, t.ancestors, [{ start: tag.end, end: span.valueStart, insert }]);
    }
    case 'set-wire-type':
      if (t.element) fail('a packed element has no tag');
      if (!Number.isInteger(edit.wireType) || edit.wireType < 0 || edit.wireType > 7) fail(`a wire type is 0 to 7, not ${edit.wireType}`);
      return retag(bytes, t, (tagOf(bytes, t.node).value & ~7n) | BigInt(edit.wireType));
    case 'set-field-number': {
      if (t.element) fail('a packed element has no tag');
      const n = edit.fieldNumber;
      if (!Number.isSafeInteger(n) || n < 0 || n >= 2 ** 53) fail(`a field number here is 0 to 2^53-1, not ${n}`);
      return retag(bytes, t, (BigInt(n) << 3n) | (tagOf(bytes, t.node).value & 7n));
    }
    case 'truncate': {
      const at = t.element ?? span;
      const size = at.end - at.tagStart;
      if (!Number.isInteger(edit.keep) || edit.keep < 0 || edit.keep >= size) {
        fail(`keep 0 to ${size - 1} of this field's ${size} bytes, not ${edit.keep}`);
      }
      return bytes.slice(0, at.tagStart + edit.keep);
    }
    case 'duplicate': {
      const at = t.element ?? span;
      return spliceInside(bytes, inner, [{ start: at.end, end: at.end, insert: bytes.slice(at.tagStart, at.end) }]);
    }
    case 'insert-bytes': {
      const at = t.element ?? span;
      if (!(edit.bytes instanceof Uint8Array) || edit.bytes.length === 0) fail('give at least one byte to insert');
      return spliceInside(bytes, inner, [{ start: at.end, end: at.end, insert: edit.bytes.slice() }]);
    }
    case 'move': {
      if (t.element) fail('move a packed element with the tree’s ↑ and ↓');
      const other = t.siblings[t.index + edit.delta];
      if (!other || !other.span) fail(edit.delta < 0 ? 'it is already the first field here' : 'it is already the last field here');
      const [a, b] = edit.delta < 0 ? [other, t.node] : [t.node, other];
      const sa = a.span!;
      const sb = spanOf(b);
      if (sa.end !== sb.tagStart) fail('these fields are not next to each other in the bytes');
      const insert = concat(bytes.subarray(sb.tagStart, sb.end), bytes.subarray(sa.tagStart, sa.end));
      return spliceInside(bytes, t.ancestors, [{ start: sa.tagStart, end: sb.end, insert }]);
    }
    case 'unterminate-group': {
      const v = t.node.value;
      const endTag = v.kind === 'message' || v.kind === 'unknown' ? v.endTagStart : undefined;
      if (t.node.wireType !== WireType.SGROUP || endTag === undefined) fail('only a group with its end-group tag can lose it');
      return spliceInside(bytes, t.ancestors, [{ start: endTag, end: span.end, insert: new Uint8Array(0) }]);
    }
    case 'split': {
      if (t.node.wireType !== WireType.LEN || t.element) fail('only a length-delimited field (a packed run) can be split');
      const size = span.end - span.valueStart;
      if (!Number.isInteger(edit.at) || edit.at <= 0 || edit.at >= size)
        fail(`split at 1 to ${size - 1} bytes into the value, not ${edit.at}`);
      const tag = bytes.slice(span.tagStart, tagOf(bytes, t.node).end);
      const body = bytes.subarray(span.valueStart, span.end);
      const insert = concat(
        tag,
        varintBytes(BigInt(edit.at)),
        body.subarray(0, edit.at),
        tag,
        varintBytes(BigInt(size - edit.at)),
        body.subarray(edit.at),
      );
      return spliceInside(bytes, t.ancestors, [{ start: span.tagStart, end: span.end, insert }]);
    }
  }
}
