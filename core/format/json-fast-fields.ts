/**
 * What the fast JSON printer (json-print-fast.ts) knows about a message type, computed once per
 * type: its fields in field-number order with their JSON names, presence, enums and oneofs.
 */
import type { Enum, Field, MapField, Type } from 'protobufjs';
import { DENSE_LIMIT, FieldKind, S, asMapField, messageInfo, type FieldInfo, type TypeInfo } from '../document/schema-info';
import { isSpecialWkt } from './json-well-known';
import { hasPresence, isClosedEnum } from './message-state';
import { fullNameOf, stripDot, WKT } from './type-lookup';

/** What printing needs to know about a field, computed once per field. */
export interface FastField {
  readonly fi: FieldInfo;
  readonly field: Field;
  readonly rank: number;
  readonly repeated: boolean;
  readonly map: MapField | null;
  /** Singular scalar without presence: left out when it holds its default. */
  readonly implicit: boolean;
  /** For enum fields: the enum; closed (proto2) enums drop numbers they do not define. */
  readonly enumType: Enum | null;
  readonly closed: boolean;
  readonly nullValue: boolean;
  /** For map fields: the entry's key and value fields. */
  readonly entryKey: FastField | null;
  readonly entryValue: FastField | null;
  /** Index of its (real or synthetic) oneof among the type's, or -1. */
  readonly oneof: number;
  /** `"name": ` as UTF-8, filled in by printers: by style (2 × protoNames + 1 × indented). */
  readonly keyBytes: (Uint8Array | undefined)[];
  /** For enum fields: each number's JSON (its quoted name, or the number), filled in by printers. */
  readonly enumJson: Map<number, Uint8Array> | null;
}

/** A message type's fields in field-number order, with its oneofs. */
export interface FastType {
  readonly info: TypeInfo;
  /** A well-known type with a JSON form of its own (printed through toJson). */
  readonly special: boolean;
  readonly fields: readonly FastField[];
  /** Rank of a field number below DENSE_LIMIT (-1: not a field of the type); others through byNumber. */
  readonly dense: Int32Array;
  readonly byNumber: ReadonlyMap<number, number>;
  readonly oneofs: number;
}

/** The rank of field number `fn` in `ft`, or -1 when the type has no such field. */
export function rankOf(ft: FastType, fn: number): number {
  return fn < DENSE_LIMIT ? ft.dense[fn] : (ft.byNumber.get(fn) ?? -1);
}

const fastTypes = new WeakMap<TypeInfo, FastType>();

function enumOfField(field: Field): Enum | null {
  const rt = field.resolvedType as unknown;
  return rt !== null && typeof rt === 'object' && 'values' in rt && !('fields' in rt) ? (rt as Enum) : null;
}

function fastField(fi: FieldInfo, rank: number, oneof: number): FastField {
  const field = fi.field;
  const map = fi.kind === FieldKind.MAP ? asMapField(field) : null;
  const enumType = fi.code === S.ENUM ? enumOfField(field) : null;
  let entryKey: FastField | null = null;
  let entryValue: FastField | null = null;
  if (map) {
    const entry = messageInfo(fi);
    entryKey = fastField(entry.dense[1]!, 0, -1);
    entryValue = fastField(entry.dense[2]!, 1, -1);
  }
  return {
    fi,
    field,
    rank,
    repeated: field.repeated,
    map,
    implicit: fi.kind === FieldKind.SCALAR && !field.repeated && !hasPresence(field),
    enumType,
    closed: enumType !== null && isClosedEnum(enumType),
    nullValue: enumType !== null && fullNameOf(enumType as unknown as Type) === `${WKT}NullValue`,
    entryKey,
    entryValue,
    oneof,
    keyBytes: [undefined, undefined, undefined, undefined],
    enumJson: enumType !== null ? new Map() : null,
  };
}

/** The printing view of a message type (built once, then cached). */
export function fastType(info: TypeInfo): FastType {
  let ft = fastTypes.get(info);
  if (ft) return ft;
  const infos = [...info.byNumber.values()].sort((a, b) => a.field.id - b.field.id);
  const oneofIndex = new Map<object, number>();
  const dense = new Int32Array(DENSE_LIMIT).fill(-1);
  const byNumber = new Map<number, number>();
  const fields = infos.map((fi, rank) => {
    const o = fi.field.partOf;
    let oneof = -1;
    if (o && !fi.field.repeated) {
      oneof = oneofIndex.get(o) ?? oneofIndex.size;
      oneofIndex.set(o, oneof);
    }
    if (fi.field.id < DENSE_LIMIT) dense[fi.field.id] = rank;
    byNumber.set(fi.field.id, rank);
    return fastField(fi, rank, oneof);
  });
  ft = { info, special: isSpecialWkt(info.fullName), fields, dense, byNumber, oneofs: oneofIndex.size };
  fastTypes.set(info, ft);
  return ft;
}

/** Whether an enum defines the number n. */
export function knowsValue(e: Enum, n: number): boolean {
  return Object.prototype.hasOwnProperty.call(e.valuesById, n);
}

/** The JSON name of a field, as toJson names it. */
export function fieldJsonKey(field: Field, protoNames: boolean | undefined): string {
  if (field.declaringField) return `[${stripDot(field.declaringField.fullName)}]`;
  return protoNames ? field.name : (field.jsonName ?? field.name);
}

/** The key toJson prints for a map entry without a key field. */
export function defaultMapKey(fi: FieldInfo): string {
  return fi.code === S.STRING ? '' : fi.code === S.BOOL ? 'false' : '0';
}

/** The default of a numeric, bool or enum scalar type, as readNumeric returns values. */
export function defaultNumeric(code: number): number | bigint | boolean {
  switch (code) {
    case S.INT64:
    case S.UINT64:
    case S.SINT64:
    case S.FIXED64:
    case S.SFIXED64:
      return 0n;
    case S.BOOL:
      return false;
    default:
      return 0;
  }
}
