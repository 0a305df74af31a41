/**
 * What detection knows of a message type: its field table (number, kind, wire type, enum
 * values, nested type, usage slot), compiled once per protobufjs Type and cached.
 */
import type { Field, MapField, Type } from 'protobufjs';

// Field kinds (FieldPlan.kind).
/** A varint number (int32, uint64, sint64, ...). */
export const K_VARINT = 0;

/** A bool. */
export const K_BOOL = 1;

/** An enum. */
export const K_ENUM = 2;

/** A 64-bit fixed-width number (fixed64, sfixed64, double). */
export const K_FIXED64 = 3;

/** A 32-bit fixed-width number (fixed32, sfixed32, float). */
export const K_FIXED32 = 4;

/** A string. */
export const K_STRING = 5;

/** Bytes. */
export const K_BYTES = 6;

/** A message (or a map entry). */
export const K_MESSAGE = 7;

/** One declared field as detection checks it. */
export interface FieldPlan {
  number: number;
  kind: number;
  /** The wire type of one (unpacked) value. */
  wire: number;
  /** Repeated numeric field: a LEN packed run is accepted. */
  packable: boolean;
  required: boolean;
  /** Message fields written as groups (proto2 group / editions DELIMITED). */
  delimited: boolean;
  enumValues: Set<number> | null;
  /** For K_MESSAGE: the nested type, compiled on first use. */
  msgType: Type | null;
  /** For map fields: the entry plan. */
  entry: TypePlan | null;
  /** Walk stamp: the last message instance this field was seen in. */
  stamp: number;
  /** Usage slot: its own, or shared by the members of its oneof. */
  slot: number;
}

/** A message type as detection checks it: its fields by number and its usage slots. */
export interface TypePlan {
  name: string;
  fields: Map<number, FieldPlan>;
  declared: number;
  requiredCount: number;
  /** Usage slots: fields outside oneofs plus oneofs. */
  slots: number;
  /** Per slot: occurrences at the top level in the current walk (reset before each top-level walk). */
  topCount: Int32Array;
  /** Per slot: 1 when the slot is a repeated field (or a map). */
  slotRepeated: Uint8Array;
}

const SCALAR_KIND: Record<string, [kind: number, wire: number]> = {
  double: [K_FIXED64, 1],
  fixed64: [K_FIXED64, 1],
  sfixed64: [K_FIXED64, 1],
  float: [K_FIXED32, 5],
  fixed32: [K_FIXED32, 5],
  sfixed32: [K_FIXED32, 5],
  int32: [K_VARINT, 0],
  int64: [K_VARINT, 0],
  uint32: [K_VARINT, 0],
  uint64: [K_VARINT, 0],
  sint32: [K_VARINT, 0],
  sint64: [K_VARINT, 0],
  bool: [K_BOOL, 0],
  string: [K_STRING, 2],
  bytes: [K_BYTES, 2],
};

const planCache = new WeakMap<object, TypePlan>();

function enumValueSet(e: { values: Record<string, number> }): Set<number> {
  return new Set(Object.values(e.values));
}

function scalarPlan(number: number, typeName: string, resolved: unknown, repeated: boolean): FieldPlan {
  const base: FieldPlan = {
    number,
    kind: K_BYTES,
    wire: 2,
    packable: false,
    required: false,
    delimited: false,
    enumValues: null,
    msgType: null,
    entry: null,
    stamp: 0,
    slot: 0,
  };
  const s = SCALAR_KIND[typeName];
  if (s) {
    base.kind = s[0];
    base.wire = s[1];
  } else if (resolved && typeof resolved === 'object' && 'values' in resolved && !('fields' in resolved)) {
    base.kind = K_ENUM;
    base.wire = 0;
    base.enumValues = enumValueSet(resolved as { values: Record<string, number> });
  } else if (resolved && typeof resolved === 'object' && 'fields' in resolved) {
    base.kind = K_MESSAGE;
    base.wire = 2;
    base.msgType = resolved as Type;
  }
  base.packable = repeated && base.wire !== 2;
  return base;
}

function plainPlan(name: string, fields: Map<number, FieldPlan>, requiredCount: number, slots: number, slotRepeated: Uint8Array): TypePlan {
  return { name, fields, declared: fields.size, requiredCount, slots, topCount: new Int32Array(slots), slotRepeated };
}

/** The plan of a type, compiled on first use and cached per Type. */
export function compileTypePlan(type: Type): TypePlan {
  const cached = planCache.get(type);
  if (cached) return cached;
  const fields = new Map<number, FieldPlan>();
  let requiredCount = 0;
  const oneofSlot = new Map<object, number>();
  const repeatedSlots: number[] = [];
  let slots = 0;
  for (const f of type.fieldsArray as Field[]) {
    let fp: FieldPlan;
    if ((f as Field & { map?: boolean }).map) {
      const mf = f as unknown as MapField;
      const entryFields = new Map<number, FieldPlan>();
      entryFields.set(1, scalarPlan(1, mf.keyType, null, false));
      entryFields.set(2, scalarPlan(2, mf.type, mf.resolvedType, false));
      entryFields.get(2)!.slot = 1;
      fp = {
        number: f.id,
        kind: K_MESSAGE,
        wire: 2,
        packable: false,
        required: false,
        delimited: false,
        enumValues: null,
        msgType: null,
        stamp: 0,
        slot: 0,
        entry: plainPlan(`${type.fullName.replace(/^\./, '')}.${f.name}Entry`, entryFields, 0, 2, new Uint8Array(2)),
      };
    } else {
      fp = scalarPlan(f.id, f.type, f.resolvedType, f.repeated);
      fp.required = f.required;
      if (fp.kind === K_MESSAGE && f.delimited) {
        fp.delimited = true;
        fp.wire = 3;
      }
    }
    // Members of one oneof share a usage slot (proto3 `optional` makes a one-member oneof: its own slot).
    const oneof = f.partOf;
    if (oneof && oneof.fieldsArray.length > 1) {
      let slot = oneofSlot.get(oneof);
      if (slot === undefined) {
        slot = slots++;
        oneofSlot.set(oneof, slot);
      }
      fp.slot = slot;
    } else {
      fp.slot = slots++;
      if (f.repeated || (f as Field & { map?: boolean }).map) repeatedSlots.push(fp.slot);
    }
    if (fp.required) requiredCount++;
    fields.set(f.id, fp);
  }
  const slotRepeated = new Uint8Array(slots);
  for (const i of repeatedSlots) slotRepeated[i] = 1;
  const plan = plainPlan(type.fullName.replace(/^\./, ''), fields, requiredCount, slots, slotRepeated);
  planCache.set(type, plan);
  return plan;
}
