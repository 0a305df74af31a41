/**
 * What the decoder, encoder and edits need to know about protobufjs reflection objects,
 * computed once per Type/Field and cached (WeakMap), so hot loops only read plain objects.
 */
import { Field, Type, type Enum, type MapField, type OneOf } from 'protobufjs';
import { WireType } from '../wire/wire-types';
import type { ScalarType } from './model';

/** How a field is laid out on the wire. */
export const FieldKind = { SCALAR: 0, MESSAGE: 1, GROUP: 2, MAP: 3 } as const;
/** One of FieldKind's values. */
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** Small integer codes for scalar types (switches on numbers are faster than on strings). */
export const S = {
  DOUBLE: 1,
  FLOAT: 2,
  INT32: 3,
  INT64: 4,
  UINT32: 5,
  UINT64: 6,
  SINT32: 7,
  SINT64: 8,
  FIXED32: 9,
  FIXED64: 10,
  SFIXED32: 11,
  SFIXED64: 12,
  BOOL: 13,
  STRING: 14,
  BYTES: 15,
  ENUM: 16,
} as const;

const SCALAR_CODES: Record<ScalarType, number> = {
  double: S.DOUBLE,
  float: S.FLOAT,
  int32: S.INT32,
  int64: S.INT64,
  uint32: S.UINT32,
  uint64: S.UINT64,
  sint32: S.SINT32,
  sint64: S.SINT64,
  fixed32: S.FIXED32,
  fixed64: S.FIXED64,
  sfixed32: S.SFIXED32,
  sfixed64: S.SFIXED64,
  bool: S.BOOL,
  string: S.STRING,
  bytes: S.BYTES,
  enum: S.ENUM,
};

/** The scalar type code of a ScalarType (see S). */
export function scalarCode(type: ScalarType): number {
  return SCALAR_CODES[type];
}

/** The wire type a single (unpacked) value of a scalar type uses. */
export function scalarWireType(type: ScalarType): WireType {
  switch (type) {
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WireType.I64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WireType.I32;
    case 'string':
    case 'bytes':
      return WireType.LEN;
    default:
      return WireType.VARINT;
  }
}

/** Whether a scalar type may be packed (every scalar except string and bytes). */
export function isPackable(type: ScalarType): boolean {
  return type !== 'string' && type !== 'bytes';
}

/** Decoding facts about one schema field. */
export interface FieldInfo {
  readonly field: Field;
  readonly kind: FieldKind;
  /** For SCALAR: its scalar type and code; null otherwise. */
  readonly scalar: ScalarType | null;
  readonly code: number;
  /** The wire type a single value uses (LEN for messages and maps, SGROUP for groups). */
  readonly wireType: WireType;
  /** Packable repeated scalar: LEN occurrences are packed runs. */
  readonly packable: boolean;
  /** For MESSAGE/GROUP: the message type; for MAP: the synthetic entry type. */
  readonly messageType: Type | null;
  /** For error paths. */
  readonly name: string;
  /** Cache of typeInfo(messageType), filled by messageInfo(). */
  typeInfoCache?: TypeInfo;
}

/** typeInfo of a message/group/map field's type, cached on the FieldInfo. */
export function messageInfo(fi: FieldInfo): TypeInfo {
  return (fi.typeInfoCache ??= typeInfo(fi.messageType!));
}

/** Decoding facts about one message type. */
export interface TypeInfo {
  readonly type: Type;
  readonly byNumber: ReadonlyMap<number, FieldInfo>;
  /** The same for field numbers below DENSE_LIMIT, as an array (faster than the map in hot loops). */
  readonly dense: readonly (FieldInfo | undefined)[];
  /** True for google.protobuf.Any. */
  readonly isAny: boolean;
  /** Fully-qualified name without the leading dot. */
  readonly fullName: string;
}

/** Field numbers below this are looked up in TypeInfo.dense. */
export const DENSE_LIMIT = 256;

const typeInfos = new WeakMap<Type, TypeInfo>();
const fieldInfos = new WeakMap<Field, FieldInfo>();
const entryTypes = new WeakMap<MapField, Type>();

function isEnum(t: unknown): t is Enum {
  return t !== null && typeof t === 'object' && 'values' in t && !('fields' in t);
}

function isType(t: unknown): t is Type {
  return t !== null && typeof t === 'object' && 'fields' in t && 'oneofs' in t;
}

/** Whether a field (as listed in Type.fieldsArray) is a map field; protobufjs types MapField apart from Field. */
export function isMapField(f: Field | MapField): f is MapField {
  return (f as { keyType?: string }).keyType !== undefined;
}

/** A field as a MapField when it is one (protobufjs lists map fields among Type.fieldsArray). */
export function asMapField(f: Field): MapField | null {
  return isMapField(f) ? (f as unknown as MapField) : null;
}

/** The fully-qualified name of a type without the leading dot ("livekit.Room"). */
export function typeFullName(type: Type): string {
  return type.fullName.startsWith('.') ? type.fullName.slice(1) : type.fullName;
}

/**
 * The scalar type of a field (enum fields give 'enum'), or null for message, group and map
 * fields. The field's type must be resolved (Root.resolveAll()).
 */
export function scalarTypeOf(field: Field): ScalarType | null {
  if (asMapField(field)) return null;
  if (field.type in SCALAR_CODES && field.type !== 'enum') return field.type as ScalarType;
  const rt = field.resolvedType ?? (field.resolve(), field.resolvedType);
  if (isEnum(rt)) return 'enum';
  return null;
}

/** Whether a field is a proto2 group (or an editions DELIMITED message field). */
export function isGroupField(field: Field): boolean {
  return (field as unknown as { delimited?: boolean }).delimited === true && isType(field.resolvedType);
}

/**
 * The synthetic entry message type of a map field: `key = 1` (the key type) and `value = 2`
 * (the value type, resolved as the map's). Cached: the same Type object for the same field.
 */
export function mapEntryType(field: MapField): Type {
  let t = entryTypes.get(field);
  if (!t) {
    const name = field.name.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase()) + 'Entry';
    t = new Type(name);
    const key = new Field('key', 1, field.keyType);
    const value = new Field('value', 2, field.type);
    t.add(key);
    t.add(value);
    value.resolvedType = field.resolvedType ?? (field.resolve(), field.resolvedType);
    (value as { resolved: boolean }).resolved = true;
    (key as { resolved: boolean }).resolved = true;
    entryTypes.set(field, t);
  }
  return t;
}

/** Decoding facts about a field (cached). */
export function fieldInfo(field: Field): FieldInfo {
  let info = fieldInfos.get(field);
  if (info) return info;
  if (!field.resolved) field.resolve();
  const mapField = asMapField(field);
  if (mapField) {
    info = {
      field,
      kind: FieldKind.MAP,
      scalar: null,
      code: 0,
      wireType: WireType.LEN,
      packable: false,
      messageType: mapEntryType(mapField),
      name: field.name,
    };
  } else {
    const scalar = scalarTypeOf(field);
    if (scalar) {
      info = {
        field,
        kind: FieldKind.SCALAR,
        scalar,
        code: SCALAR_CODES[scalar],
        wireType: scalarWireType(scalar),
        packable: field.repeated && isPackable(scalar),
        messageType: null,
        name: field.name,
      };
    } else {
      const group = isGroupField(field);
      info = {
        field,
        kind: group ? FieldKind.GROUP : FieldKind.MESSAGE,
        scalar: null,
        code: 0,
        wireType: group ? WireType.SGROUP : WireType.LEN,
        packable: false,
        messageType: field.resolvedType as Type,
        name: field.name,
      };
    }
  }
  fieldInfos.set(field, info);
  return info;
}

/** Decoding facts about a message type, including extension fields declared for it (cached). */
export function typeInfo(type: Type): TypeInfo {
  let info = typeInfos.get(type);
  if (info) return info;
  const byNumber = new Map<number, FieldInfo>();
  const dense: (FieldInfo | undefined)[] = new Array<FieldInfo | undefined>(DENSE_LIMIT).fill(undefined);
  for (const f of type.fieldsArray) {
    const fi = fieldInfo(f);
    byNumber.set(f.id, fi);
    if (f.id < DENSE_LIMIT) dense[f.id] = fi;
  }
  const fullName = typeFullName(type);
  info = { type, byNumber, dense, isAny: fullName === 'google.protobuf.Any', fullName };
  typeInfos.set(type, info);
  return info;
}

/** The schema field of a message type with the given number (including extensions), if any. */
export function fieldByNumber(type: Type, fieldNumber: number): Field | null {
  return typeInfo(type).byNumber.get(fieldNumber)?.field ?? null;
}

/** Whether a repeated field is written packed by default when created (proto3 default / [packed=true]). */
export function prefersPacked(field: Field): boolean {
  const info = fieldInfo(field);
  return info.packable && field.packed === true;
}

/** The oneof a field belongs to, if any (including proto3 optional's synthetic oneof). */
export function oneofOf(field: Field): OneOf | null {
  return field.partOf ?? null;
}
