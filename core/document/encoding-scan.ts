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

/** The anomalies of a decoded message, in byte order, at most `limit`. */
export function scanAnomalies(root: MessageRoot, bytes: Uint8Array, options: ScanOptions = {}): EncodingAnomaly[] {
  const limit = options.limit ?? 10_000;
  const out: EncodingAnomaly[] = [];
  const path: number[] = [];
  const add = (kind: AnomalyKind, offset: number, node: FieldNode, message: string) => {
    if (out.length < limit) out.push({ kind, offset, path: path.slice(), node, message });
  };

  const varintWidth = (node: FieldNode, start: number, end: number, what: 'tag' | 'length' | 'value') => {
    const v = varintAt(bytes, start, end);
    if (!v || v.end !== end) return;
    const width = end - start;
    const min = minimalVarintWidth(v.value);
    if (width > min) {
      add(
        `overlong-${what}`,
        start,
        node,
        `overlong ${what === 'length' ? 'length prefix' : what} varint: ${width} bytes where ${min} hold ${v.value}`,
      );
    }
  };

  const visit = (fields: readonly FieldNode[], type: TypeLike | null) => {
    const seen = new Map<number, number>();
    let lastKnown = 0;
    for (let i = 0; i < fields.length && out.length < limit; i++) {
      const n = fields[i];
      path.push(i);
      const s = n.span;
      const v = n.value;
      if (v.kind === 'raw-bytes') {
        if (s) add('undecodable', s.tagStart, n, options.undecodable?.(n) ?? `bytes ${s.tagStart} to ${s.end} do not decode`);
        path.pop();
        continue;
      }
      if (s && s.end <= bytes.length) {
        const tag = varintAt(bytes, s.tagStart, s.end);
        if (tag) {
          varintWidth(n, s.tagStart, tag.end, 'tag');
          if (n.wireType === WireType.LEN) varintWidth(n, tag.end, s.valueStart, 'length');
        }
        if (n.wireType === WireType.VARINT) varintWidth(n, s.valueStart, s.end, 'value');
      }
      if (v.kind === 'packed' && VARINT_TYPES.has(v.type)) {
        for (const el of v.elements) if (el.span) varintWidth(n, el.span.valueStart, el.span.end, 'value');
      }
      const field = n.field;
      if (field) {
        const count = (seen.get(n.fieldNumber) ?? 0) + 1;
        seen.set(n.fieldNumber, count);
        const repeated = field.repeated || (field as { map?: boolean }).map === true;
        if (count === 2 && !repeated)
          add(
            'duplicate',
            s?.tagStart ?? 0,
            n,
            `field ${field.name} (${n.fieldNumber}) is not repeated but is written again here: the last one wins`,
          );
        if (count === 2 && v.kind === 'packed')
          add('split-packed', s?.tagStart ?? 0, n, `packed field ${field.name} is written as more than one run`);
        if (n.fieldNumber < lastKnown)
          add(
            'out-of-order',
            s?.tagStart ?? 0,
            n,
            `field ${n.fieldNumber} comes after field ${lastKnown}: fields are usually written in number order`,
          );
        lastKnown = Math.max(lastKnown, n.fieldNumber);
        if (v.kind === 'scalar' && v.invalidUtf8) add('invalid-utf8', s?.valueStart ?? 0, n, `string ${field.name} is not valid UTF-8`);
      } else if (v.kind === 'unknown' && n.fieldNumber > 0) {
        // An unknown node whose number the schema knows: the wire type did not fit the field.
        const known = type?.fieldsById?.[n.fieldNumber];
        if (known)
          add(
            'wire-type',
            s?.tagStart ?? 0,
            n,
            `field ${known.name} (${n.fieldNumber}) has wire type ${WIRE_TYPE_NAMES[n.wireType] ?? n.wireType}, which its type ${known.type} cannot have`,
          );
      }
      if ((v.kind === 'message' || v.kind === 'unknown') && n.wireType === WireType.SGROUP && v.unterminated) {
        add('unterminated-group', s?.tagStart ?? 0, n, `group ${n.fieldNumber} has no end-group tag`);
      }
      const children = childrenOf(n);
      if (children.length) visit(children, v.kind === 'message' && n.field ? (n.field.resolvedType as TypeLike | null) : null);
      path.pop();
    }
  };

  visit(root.fields, root.type as TypeLike | null);
  return out.sort((a, b) => a.offset - b.offset);
}

/** What the scan reads of a message type. */
interface TypeLike {
  fieldsById?: Record<number, { name: string; type: string }>;
}
