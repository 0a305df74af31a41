/**
 * Finds the unusual and invalid encodings in a decoded message, so a crafted file can be reviewed:
 * overlong varints (tags, length prefixes, values), wire types a schema field cannot have,
 * singular fields written more than once, fields out of field-number order, a packed run written
 * as several, groups without their end, invalid UTF-8, and bytes that do not decode (a prefix
 * that lies, a truncated message, a field number 0 or out of range), each with where it is.
 */
import { WireType, WIRE_TYPE_NAMES } from '../wire/wire-types';
import type { FieldNode, MessageRoot } from './model';
import { childrenOf, type NodePath } from './tree';
import { minimalVarintWidth, varintAt } from './varint-bytes';

/** What kind of anomaly it is. */
export type AnomalyKind =
  | 'overlong-tag'
  | 'overlong-length'
  | 'overlong-value'
  | 'wire-type'
  | 'duplicate'
  | 'out-of-order'
  | 'split-packed'
  | 'unterminated-group'
  | 'invalid-utf8'
  | 'undecodable';

/** One anomaly: where it is in the message's bytes, which node it belongs to, and what it is in words. */
export interface EncodingAnomaly {
  kind: AnomalyKind;
  /** Byte offset in the message where it starts. */
  offset: number;
  /** The node's path (child indices from the root). */
  path: NodePath;
  node: FieldNode;
  message: string;
}

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'enum']);

/** Options of scanAnomalies. */
export interface ScanOptions {
  /** Stop after this many anomalies (default 10,000). */
  limit?: number;
  /** Says why bytes did not decode, for a raw-bytes node the decoder left (its offset is given). */
  undecodable?: (node: FieldNode) => string | undefined;
}

/** What a node's checks know of the siblings before it (see nodeAnomalies). */
export interface SiblingsBefore {
  /** How often the node's field number occurs among the known fields up to and including it. */
  occurrence: number;
  /** The highest known field number before it (0: none). */
  lastKnown: number;
}

/**
 * The anomalies of one node itself (not of its fields), as `report(kind, offset, message)` calls:
 * the checks scanAnomalies runs on every node, for a reader that shows a few nodes (the tree rows).
 * `type` is the message type the node is a field of; `before` what the siblings before it hold.
 */
export function nodeAnomalies(
  n: FieldNode,
  before: SiblingsBefore,
  type: TypeLike | null,
  bytes: Uint8Array,
  options: Pick<ScanOptions, 'undecodable'>,
  report: (kind: AnomalyKind, offset: number, message: string) => void,
): void {
  const varintWidth = (start: number, end: number, what: 'tag' | 'length' | 'value') => {
    const v = varintAt(bytes, start, end);
    if (!v || v.end !== end) return;
    const width = end - start;
    const min = minimalVarintWidth(v.value);
    if (width > min) {
      report(
        `overlong-${what}`,
        start,
        `overlong ${what === 'length' ? 'length prefix' : what} varint: ${width} bytes where ${min} hold ${v.value}`,
      );
    }
  };
  const s = n.span;
  const v = n.value;
  if (v.kind === 'raw-bytes') {
    if (s) report('undecodable', s.tagStart, options.undecodable?.(n) ?? `bytes ${s.tagStart} to ${s.end} do not decode`);
    return;
  }
  if (s && s.end <= bytes.length) {
    const tag = varintAt(bytes, s.tagStart, s.end);
    if (tag) {
      varintWidth(s.tagStart, tag.end, 'tag');
      if (n.wireType === WireType.LEN) varintWidth(tag.end, s.valueStart, 'length');
    }
    if (n.wireType === WireType.VARINT) varintWidth(s.valueStart, s.end, 'value');
  }
  if (v.kind === 'packed' && VARINT_TYPES.has(v.type)) {
    for (const el of v.elements) if (el.span) varintWidth(el.span.valueStart, el.span.end, 'value');
  }
  const field = n.field;
  if (field) {
    const count = before.occurrence;
    const repeated = field.repeated || (field as { map?: boolean }).map === true;
    if (count === 2 && !repeated)
      report(
        'duplicate',
        s?.tagStart ?? 0,
        `field ${field.name} (${n.fieldNumber}) is not repeated but is written again here: the last one wins`,
      );
    if (count === 2 && v.kind === 'packed')
      report('split-packed', s?.tagStart ?? 0, `packed field ${field.name} is written as more than one run`);
    if (n.fieldNumber < before.lastKnown)
      report(
        'out-of-order',
        s?.tagStart ?? 0,
        `field ${n.fieldNumber} comes after field ${before.lastKnown}: fields are usually written in number order`,
      );
    if (v.kind === 'scalar' && v.invalidUtf8) report('invalid-utf8', s?.valueStart ?? 0, `string ${field.name} is not valid UTF-8`);
  } else if (v.kind === 'unknown' && n.fieldNumber > 0) {
    // An unknown node whose number the schema knows: the wire type did not fit the field.
    const known = type?.fieldsById?.[n.fieldNumber];
    if (known)
      report(
        'wire-type',
        s?.tagStart ?? 0,
        `field ${known.name} (${n.fieldNumber}) has wire type ${WIRE_TYPE_NAMES[n.wireType] ?? n.wireType}, which its type ${known.type} cannot have`,
      );
  }
  if ((v.kind === 'message' || v.kind === 'unknown') && n.wireType === WireType.SGROUP && v.unterminated) {
    report('unterminated-group', s?.tagStart ?? 0, `group ${n.fieldNumber} has no end-group tag`);
  }
}

/** The type a node's fields belong to, as the checks read it (a message field's type; null otherwise). */
export function fieldsTypeOf(n: FieldNode): TypeLike | null {
  return n.value.kind === 'message' && n.field ? (n.field.resolvedType as TypeLike | null) : null;
}

/** The anomalies of a decoded message, in byte order, at most `limit`. */
export function scanAnomalies(root: MessageRoot, bytes: Uint8Array, options: ScanOptions = {}): EncodingAnomaly[] {
  const limit = options.limit ?? 10_000;
  const out: EncodingAnomaly[] = [];
  const path: number[] = [];
  let node: FieldNode;
  const report = (kind: AnomalyKind, offset: number, message: string) => {
    if (out.length < limit) out.push({ kind, offset, path: path.slice(), node, message });
  };
  const before: SiblingsBefore = { occurrence: 0, lastKnown: 0 };

  const visit = (fields: readonly FieldNode[], type: TypeLike | null) => {
    const seen = new Map<number, number>();
    let lastKnown = 0;
    for (let i = 0; i < fields.length && out.length < limit; i++) {
      const n = (node = fields[i]);
      path.push(i);
      if (n.field) {
        before.occurrence = (seen.get(n.fieldNumber) ?? 0) + 1;
        seen.set(n.fieldNumber, before.occurrence);
      }
      before.lastKnown = lastKnown;
      nodeAnomalies(n, before, type, bytes, options, report);
      if (n.field) lastKnown = Math.max(lastKnown, n.fieldNumber);
      const children = childrenOf(n);
      if (children.length) visit(children, fieldsTypeOf(n));
      path.pop();
    }
  };

  visit(root.fields, root.type as TypeLike | null);
  return out.sort((a, b) => a.offset - b.offset);
}

/** What the scan reads of a message type. */
export interface TypeLike {
  fieldsById?: Record<number, { name: string; type: string }>;
}
