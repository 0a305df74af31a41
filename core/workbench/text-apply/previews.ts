/** Short previews of values for the list of changes an Apply makes ("12", "\"crate\"", "LARGE", "<0a 0b …>"). */
import type { Enum } from 'protobufjs';
import type { FieldNode, ScalarValue } from '../../document/model';

const MAX_TEXT = 40;
const MAX_BYTES = 12;

/** A scalar value in a few characters. */
export function valuePreview(value: ScalarValue): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
  if (value instanceof Uint8Array) {
    const hex = Array.from(value.subarray(0, MAX_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `<${hex}${value.length > MAX_BYTES ? ' …' : ''}>`;
  }
  return String(value);
}

/** A node's value in a few characters: a scalar (an enum by name), a packed run, a message's field count, an unknown value. */
export function nodePreview(node: FieldNode): string {
  const v = node.value;
  switch (v.kind) {
    case 'scalar': {
      if (v.type === 'enum' && node.field?.resolvedType && 'valuesById' in node.field.resolvedType) {
        const name = (node.field.resolvedType as Enum).valuesById[v.value as number];
        if (name) return name;
      }
      return valuePreview(v.value);
    }
    case 'packed':
      return `[${v.elements
        .slice(0, 8)
        .map((e) => String(e.value))
        .join(', ')}${v.elements.length > 8 ? ', …' : ''}]`;
    case 'message':
      return `{${v.fields.length} field${v.fields.length === 1 ? '' : 's'}}`;
    case 'unknown':
      return Array.isArray(v.raw) ? `{${v.raw.length} fields}` : valuePreview(v.raw as ScalarValue);
    case 'raw-bytes':
      return valuePreview(v.bytes);
  }
}
