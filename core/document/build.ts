/**
 * Builders: document nodes from JS values, without spans (encoded canonically). Used by edits
 * and by the JSON/text parsers. Values are checked and coerced to their JS form (coerceScalar).
 */
import type { Enum, Field, Type } from 'protobufjs';
import { base64ToBytes } from '../wire/base64';
import { MAX_FIELD_NUMBER, WIRE_TYPE_NAMES, WireType } from '../wire/wire-types';
import type { FieldNode, MessageNodeValue, MessageRoot, NodeId, ScalarType, ScalarValue } from './model';
import { FieldKind, asMapField, fieldInfo, isPackable, mapEntryType, scalarTypeOf, scalarWireType, typeFullName } from './schema-info';

/** Re-exported: the scalar type of a field (null for messages, groups and maps). */
export { scalarTypeOf } from './schema-info';

/** What coerceScalar accepts. */
export type ScalarInput = string | number | bigint | boolean | Uint8Array;

/** The raw value of an unknown field as given to unknownNode (groups: nested nodes). */
export type UnknownRawInput = string | number | bigint | Uint8Array | readonly FieldNode[];

let nextBuiltId = -1;

/** A fresh id for a node created outside decode (negative, process-wide, never reused). */
export function newNodeId(): NodeId {
  return nextBuiltId--;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const UINT32_MAX = 4294967295;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const FLOAT_MAX = 3.4028234663852886e38;

function show(input: ScalarInput): string {
  if (input instanceof Uint8Array) return `<${input.length} bytes>`;
  if (typeof input === 'string') return JSON.stringify(input);
  return String(input);
}

function toBigInt(type: ScalarType, input: ScalarInput): bigint {
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) throw new RangeError(`value ${show(input)} is not an integer (${type})`);
    if (!Number.isSafeInteger(input)) {
      throw new RangeError(`value ${show(input)} is not exact as a JS number; give ${type} values beyond 2^53 as a string or BigInt`);
    }
    return BigInt(input);
  }
  if (typeof input === 'string') {
    const s = input.trim();
    if (/^[-+]?\d+$/.test(s)) return BigInt(s.startsWith('+') ? s.slice(1) : s);
    if (/^-?\d+(\.0*)?([eE][+]?\d+)?$/.test(s)) {
      const n = Number(s);
      if (Number.isSafeInteger(n)) return BigInt(n);
    }
    if (/^-?0[xX][0-9a-fA-F]+$/.test(s)) return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  }
  throw new TypeError(`value ${show(input)} is not a valid ${type}`);
}

function toInt(type: ScalarType, input: ScalarInput, min: number, max: number): number {
  let n: number;
  if (typeof input === 'number') n = input;
  else if (typeof input === 'bigint') n = Number(input);
  else if (typeof input === 'string' && input.trim() !== '' && /^[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|0[xX][0-9a-fA-F]+)$/.test(input.trim()))
    n = Number(input.trim());
  else throw new TypeError(`value ${show(input)} is not a valid ${type}`);
  if (!Number.isInteger(n)) throw new RangeError(`value ${show(input)} is not an integer (${type})`);
  if (n < min || n > max) throw new RangeError(`value ${show(input)} is out of range for ${type}`);
  return n;
}

function toFloat(type: ScalarType, input: ScalarInput): number {
  let n: number;
  if (typeof input === 'number') n = input;
  else if (typeof input === 'bigint') n = Number(input);
  else if (typeof input === 'string') {
    const s = input.trim();
    if (s === 'NaN') n = NaN;
    else if (s === 'Infinity' || s === '+Infinity' || s === 'inf') n = Infinity;
    else if (s === '-Infinity' || s === '-inf') n = -Infinity;
    else if (s !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) n = Number(s);
    else throw new TypeError(`value ${show(input)} is not a valid ${type}`);
  } else throw new TypeError(`value ${show(input)} is not a valid ${type}`);
  if (type === 'float' && Number.isFinite(n)) {
    if (Math.abs(n) > FLOAT_MAX) throw new RangeError(`value ${show(input)} is out of range for float`);
    return Math.fround(n);
  }
  return n;
}

/**
 * Checks and converts a value to the JS form of a scalar type: int32-like and enum → number
 * (range-checked), 64-bit → bigint (range-checked; strings accepted), float/double → number
 * ("NaN", "Infinity" accepted), bool → boolean ("true"/"false", 0/1), string → string,
 * bytes → Uint8Array (a string is read as base64). Throws a RangeError/TypeError that names
 * the value and the type, e.g. "value 4294967296 is out of range for uint32".
 */
export function coerceScalar(type: ScalarType, input: ScalarInput): ScalarValue {
  switch (type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'enum':
      return toInt(type, input, INT32_MIN, INT32_MAX);
    case 'uint32':
    case 'fixed32':
      return toInt(type, input, 0, UINT32_MAX);
    case 'int64':
    case 'sint64':
    case 'sfixed64': {
      const v = toBigInt(type, input);
      if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`value ${show(input)} is out of range for ${type}`);
      return v;
    }
    case 'uint64':
    case 'fixed64': {
      const v = toBigInt(type, input);
      if (v < 0n || v > UINT64_MAX) throw new RangeError(`value ${show(input)} is out of range for ${type}`);
      return v;
    }
    case 'float':
    case 'double':
      return toFloat(type, input);
    case 'bool':
      if (typeof input === 'boolean') return input;
      if (input === 'true' || input === 1 || input === 1n) return true;
      if (input === 'false' || input === 0 || input === 0n) return false;
      throw new TypeError(`value ${show(input)} is not a valid bool`);
    case 'string':
      if (typeof input === 'string') return input;
      throw new TypeError(`value ${show(input)} is not a valid string`);
    case 'bytes':
      if (input instanceof Uint8Array) return input;
      if (typeof input === 'string') return base64ToBytes(input);
      throw new TypeError(`value ${show(input)} is not valid bytes (give a Uint8Array or base64)`);
  }
}

/** Coerces an enum value: a number (any int32, known or not) or the name of one of the enum's values. */
export function coerceEnum(enumType: Enum, input: ScalarInput): number {
  if (typeof input === 'string' && Object.prototype.hasOwnProperty.call(enumType.values, input)) {
    return enumType.values[input];
  }
  try {
    return coerceScalar('enum', input) as number;
  } catch {
    throw new TypeError(`value ${show(input)} is not a value of enum ${enumType.name} (give a name or an int32)`);
  }
}

/** Coerces a value for a scalar or enum field (enum fields accept value names). */
export function coerceFieldValue(field: Field, input: ScalarInput): ScalarValue {
  const type = scalarTypeOf(field);
  if (!type) throw new TypeError(`field ${field.name} is not a scalar field`);
  if (type === 'enum') return coerceEnum(field.resolvedType as Enum, input);
  return coerceScalar(type, input);
}

/** The default value of a scalar type (0, 0n, false, "", empty bytes). */
export function defaultScalar(type: ScalarType): ScalarValue {
  switch (type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    default:
      return 0;
  }
}

/** The default value of a scalar or enum field: its [default = ...] option if any (proto2), else the type default (enum: first value for closed enums). */
export function defaultFieldValue(field: Field): ScalarValue {
  const type = scalarTypeOf(field);
  if (!type) throw new TypeError(`field ${field.name} is not a scalar field`);
  const explicit = field.options?.default as unknown;
  if (explicit !== undefined && !field.repeated) {
    try {
      return coerceFieldValue(field, explicit as ScalarInput);
    } catch {
      // fall through to the type default
    }
  }
  if (type === 'enum') {
    const values = Object.values((field.resolvedType as Enum).values);
    return values.includes(0) || values.length === 0 ? 0 : values[0];
  }
  return defaultScalar(type);
}

/** A scalar/enum node for a field (one value, not packed); the value is coerced and checked. */
export function scalarNode(field: Field, value: ScalarInput): FieldNode {
  const type = scalarTypeOf(field);
  if (!type) throw new TypeError(`field ${field.name} is not a scalar field`);
  return {
    id: newNodeId(),
    fieldNumber: field.id,
    wireType: scalarWireType(type),
    field,
    value: { kind: 'scalar', type, value: coerceFieldValue(field, value) },
    span: null,
    modified: true,
  };
}

/** A packed run of a repeated numeric/bool/enum field. */
export function packedNode(field: Field, values: readonly ScalarInput[]): FieldNode {
  const type = scalarTypeOf(field);
  if (!type || !isPackable(type)) throw new TypeError(`field ${field.name} cannot be packed`);
  return {
    id: newNodeId(),
    fieldNumber: field.id,
    wireType: WireType.LEN,
    field,
    value: {
      kind: 'packed',
      type,
      elements: values.map((v) => ({ value: coerceFieldValue(field, v) as number | bigint | boolean })),
    },
    span: null,
    modified: true,
  };
}

/** A message node for a message or group field (groups get wire type SGROUP and group: true). */
export function messageNode(field: Field, fields: readonly FieldNode[] = []): FieldNode {
  const info = fieldInfo(field);
  if (info.kind === FieldKind.SCALAR) throw new TypeError(`field ${field.name} is not a message field`);
  if (info.kind === FieldKind.MAP) {
    return {
      id: newNodeId(),
      fieldNumber: field.id,
      wireType: WireType.LEN,
      field,
      value: { kind: 'message', mapEntry: true, fields },
      span: null,
      modified: true,
    };
  }
  const group = info.kind === FieldKind.GROUP;
  const value: MessageNodeValue = group
    ? { kind: 'message', typeName: typeFullName(info.messageType!), group: true, fields }
    : { kind: 'message', typeName: typeFullName(info.messageType!), fields };
  return {
    id: newNodeId(),
    fieldNumber: field.id,
    wireType: group ? WireType.SGROUP : WireType.LEN,
    field,
    value,
    span: null,
    modified: true,
  };
}

/**
 * A map entry node for a map field: key = 1 and value = 2. `value` is a scalar input for
 * scalar/enum values, or the fields of the value message for message values (default: the
 * value type's default, or an empty message).
 */
export function mapEntryNode(field: Field, key: ScalarInput, value?: ScalarInput | readonly FieldNode[]): FieldNode {
  const mf = asMapField(field);
  if (!mf) throw new TypeError(`field ${field.name} is not a map field`);
  const entry = mapEntryType(mf);
  const keyField = entry.fieldsById[1];
  const valueField = entry.fieldsById[2];
  const valueNode =
    Array.isArray(value) || (value === undefined && !scalarTypeOf(valueField))
      ? messageNode(valueField, (value ?? []) as readonly FieldNode[])
      : scalarNode(valueField, (value as ScalarInput | undefined) ?? defaultFieldValue(valueField));
  return messageNode(field, [scalarNode(keyField, key), valueNode]);
}

/** The fields of a map entry's synthetic type (key = 1, value = 2), for a map field. */
export function mapEntryFields(field: Field): { key: Field; value: Field } {
  const mf = asMapField(field);
  if (!mf) throw new TypeError(`field ${field.name} is not a map field`);
  const entry = mapEntryType(mf);
  return { key: entry.fieldsById[1], value: entry.fieldsById[2] };
}

/** A node holding a field's default: scalar default, empty message, or a map entry with default key and value. */
export function defaultNode(field: Field): FieldNode {
  const info = fieldInfo(field);
  if (info.kind === FieldKind.SCALAR) return scalarNode(field, defaultFieldValue(field));
  if (info.kind === FieldKind.MAP) {
    const { key } = mapEntryFields(field);
    return mapEntryNode(field, defaultFieldValue(key));
  }
  return messageNode(field, []);
}

function checkFieldNumber(fieldNumber: number): void {
  if (!Number.isInteger(fieldNumber) || fieldNumber < 1 || fieldNumber > MAX_FIELD_NUMBER) {
    throw new RangeError(`field number ${fieldNumber} is out of range (1..${MAX_FIELD_NUMBER})`);
  }
}

/**
 * An unknown-field node. raw: varint → unsigned 64-bit (negative values wrap), i64 → 64-bit,
 * i32 → 32-bit (negative wraps), len → bytes (a string is UTF-8), sgroup → nested nodes.
 */
export function unknownNode(fieldNumber: number, wireType: WireType, raw: UnknownRawInput): FieldNode {
  checkFieldNumber(fieldNumber);
  let value: bigint | number | Uint8Array | readonly FieldNode[];
  const name = WIRE_TYPE_NAMES[wireType] ?? String(wireType);
  switch (wireType) {
    case WireType.VARINT:
    case WireType.I64: {
      if (raw instanceof Uint8Array || Array.isArray(raw)) throw new TypeError(`an unknown ${name} field needs an integer`);
      const v = toBigInt(wireType === WireType.VARINT ? 'uint64' : 'fixed64', raw as string | number | bigint);
      if (v < INT64_MIN || v > UINT64_MAX) throw new RangeError(`value ${String(raw)} is out of range for a 64-bit ${name}`);
      value = BigInt.asUintN(64, v);
      break;
    }
    case WireType.I32: {
      if (raw instanceof Uint8Array || Array.isArray(raw)) throw new TypeError('an unknown i32 field needs an integer');
      const v = toInt('fixed32', raw as string | number | bigint, INT32_MIN, UINT32_MAX);
      value = v >>> 0;
      break;
    }
    case WireType.LEN:
      if (raw instanceof Uint8Array) value = raw;
      else if (typeof raw === 'string') value = new TextEncoder().encode(raw);
      else throw new TypeError('an unknown len field needs bytes');
      break;
    case WireType.SGROUP:
      if (!Array.isArray(raw)) throw new TypeError('an unknown group needs a list of nodes');
      value = raw as readonly FieldNode[];
      break;
    default:
      throw new RangeError(`wire type ${wireType} cannot start a field`);
  }
  return {
    id: newNodeId(),
    fieldNumber,
    wireType,
    field: null,
    value: { kind: 'unknown', raw: value },
    span: null,
    modified: true,
  };
}

/** A node of bytes written out as they are (no tag): for deliberately invalid encodings. */
export function rawBytesNode(bytes: Uint8Array): FieldNode {
  return {
    id: newNodeId(),
    fieldNumber: 0,
    wireType: WireType.VARINT,
    field: null,
    value: { kind: 'raw-bytes', bytes },
    span: null,
    modified: true,
  };
}

/** A document root built from nodes (no source bytes: encode it with an empty source). */
export function newRoot(type: Type | null, fields: readonly FieldNode[] = []): MessageRoot {
  return { type, fields, modified: true };
}
