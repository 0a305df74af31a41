/**
 * Fields of a decoded message whose wire type does not fit their schema field (a string sent as a
 * varint, say). The decoder keeps them as unknown fields, so the proto3 JSON of the message drops
 * them without a word; a replayed answer names each one instead.
 */
import protobuf from 'protobufjs';
import type { Type } from 'protobufjs';
import type { FieldNode, MessageRoot } from '../../core/document/model';
import { WIRE_TYPE_NAMES } from '../../core/wire/wire-types';

/** One field whose wire type its schema field cannot have. */
export interface WireTypeMismatch {
  /** Field path in proto names, e.g. "rooms[0].num_participants". */
  path: string;
  fieldNumber: number;
  /** The wire type that came, e.g. "len". */
  wireType: string;
  /** What the schema says the field is, e.g. "uint32". */
  expected: string;
}

const MAX_REPORTED = 50;

/** The mismatched fields of a decoded message (at most 50), in wire order, nested messages included. */
export function wireTypeMismatches(root: MessageRoot): WireTypeMismatch[] {
  const out: WireTypeMismatch[] = [];
  const walk = (fields: readonly FieldNode[], type: Type | null, prefix: string): void => {
    const seen = new Map<string, number>();
    for (const node of fields) {
      if (out.length >= MAX_REPORTED) return;
      if (node.field === null && node.value.kind === 'unknown' && type) {
        const schemaField = type.fieldsById[node.fieldNumber];
        if (schemaField) {
          out.push({
            path: `${prefix}${schemaField.name}`,
            fieldNumber: node.fieldNumber,
            wireType: WIRE_TYPE_NAMES[node.wireType] ?? String(node.wireType),
            expected: schemaField.map
              ? `map<${(schemaField as unknown as protobuf.MapField).keyType}, ${schemaField.type}>`
              : schemaField.type,
          });
        }
        continue;
      }
      if (node.value.kind === 'message' && !node.value.mapEntry && node.field) {
        const t = node.field.resolvedType;
        const name = node.field.name;
        const index = node.field.repeated ? (seen.get(name) ?? 0) : -1;
        if (node.field.repeated) seen.set(name, index + 1);
        walk(node.value.fields, t instanceof protobuf.Type ? t : null, `${prefix}${name}${index >= 0 ? `[${index}]` : ''}.`);
      }
    }
  };
  walk(root.fields, root.type, '');
  return out;
}

/** A mismatch as one sentence. */
export function describeMismatch(m: WireTypeMismatch): string {
  return `field ${m.path} (${m.fieldNumber}) came with wire type ${m.wireType}, but the schema says ${m.expected}: it is left out of the JSON`;
}
