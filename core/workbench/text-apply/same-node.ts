/**
 * Whether two document nodes hold the same thing as a parser builds it: field number, wire type,
 * value (numbers by Object.is, so -0 and NaN count), exact bytes; ids, spans and edit marks are
 * not compared. JSON/text apply compares what the old message prints as with what the new text
 * says this way, field by field.
 */
import type { FieldNode, NodeValue, ScalarValue } from '../../document/model';

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two scalar values are the same value (bytes by content). */
export function sameScalar(a: ScalarValue, b: ScalarValue): boolean {
  if (a instanceof Uint8Array) return b instanceof Uint8Array && sameBytes(a, b);
  return Object.is(a, b);
}

function sameRaw(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array) return b instanceof Uint8Array && sameBytes(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && sameNodes(a as FieldNode[], b as FieldNode[]);
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return BigInt(a) === BigInt(b);
  return false;
}

function sameValue(a: NodeValue, b: NodeValue): boolean {
  switch (a.kind) {
    case 'scalar': {
      if (b.kind !== 'scalar' || a.type !== b.type || !sameScalar(a.value, b.value)) return false;
      if (!a.invalidUtf8 || !b.invalidUtf8) return !a.invalidUtf8 && !b.invalidUtf8;
      return sameBytes(a.invalidUtf8, b.invalidUtf8);
    }
    case 'packed':
      return (
        b.kind === 'packed' &&
        a.type === b.type &&
        a.elements.length === b.elements.length &&
        a.elements.every((e, i) => Object.is(e.value, b.elements[i].value))
      );
    case 'message':
      return b.kind === 'message' && !!a.mapEntry === !!b.mapEntry && sameNodes(a.fields, b.fields);
    case 'unknown':
      return b.kind === 'unknown' && sameRaw(a.raw, b.raw);
    case 'raw-bytes':
      return b.kind === 'raw-bytes' && sameBytes(a.bytes, b.bytes);
  }
}

/** Whether two nodes hold the same field occurrence (ids, spans and marks aside). */
export function sameNode(a: FieldNode, b: FieldNode): boolean {
  return (
    a.fieldNumber === b.fieldNumber && a.wireType === b.wireType && (a.field === null) === (b.field === null) && sameValue(a.value, b.value)
  );
}

/** Whether two node lists hold the same occurrences in the same order. */
export function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameNode(a[i], b[i])) return false;
  return true;
}
