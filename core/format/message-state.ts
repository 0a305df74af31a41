/**
 * The message a document tree stands for, as a protobuf runtime (protoc 36's C++ runtime) sees
 * it after parsing the bytes: a singular scalar keeps its last value, singular messages merge, a
 * oneof keeps its last member, repeated fields collect every value (packed and unpacked alike),
 * unknown fields are kept in wire order, and (for closed, proto2 enums) values that are not in
 * the enum become unknown varint fields. A map entry keeps only its key and value (unknown fields
 * inside it are dropped), and an entry whose value is a closed enum's unknown number becomes an
 * unknown field of the map's message: the entry as parsed (its key, or the default, then its
 * value). A MessageSet's items become the extensions they carry (message-set.ts). Text and JSON
 * printers work from this view, so they print what protoc prints for the same bytes.
 */
import type { Enum, Field, OneOf, Type } from 'protobufjs';
import type { FieldNode, MessageNodeValue, ScalarType, ScalarValue } from '../document/model';
import { writeScalarValue } from '../document/encode';
import { WireType } from '../wire/wire-types';
import { WireWriter } from '../wire/wire-writer';
import { asMapField, mapEntryType, scalarTypeOf, scalarWireType } from '../document/schema-info';
import { defaultScalar } from '../document/build';
import { decodeMessageSetItem, messageSetExtensionById, readMessageSetItem } from './message-set';
import { isMessageSet } from './type-lookup';

/** One scalar value of a field. */
export interface ScalarItem {
  kind: 'scalar';
  type: ScalarType;
  value: ScalarValue;
  /** For strings: the exact bytes when they are not valid UTF-8. */
  invalidUtf8?: Uint8Array;
  /** For the `value` of a google.protobuf.Any: the payload decoded as its type (if the decoder did). */
  embedded?: MessageNodeValue;
}

/** One message value of a field (a map entry is a message with key = 1 and value = 2). */
export interface MessageItem {
  kind: 'message';
  state: MessageState;
}

/** One value of a known field. */
export type FieldItem = ScalarItem | MessageItem;

/** A known field's values: one for a singular field, all of them (in wire order) for a repeated one. */
export interface FieldState {
  field: Field;
  items: FieldItem[];
}

/** An unknown field occurrence, as a runtime's unknown field set keeps it. */
export type UnknownItem =
  | { fieldNumber: number; wireType: typeof WireType.VARINT | typeof WireType.I64; value: bigint }
  | { fieldNumber: number; wireType: typeof WireType.I32; value: number }
  | { fieldNumber: number; wireType: typeof WireType.LEN; value: Uint8Array }
  | { fieldNumber: number; wireType: typeof WireType.SGROUP; value: readonly FieldNode[] };

/** The parsed view of one message. */
export interface MessageState {
  type: Type | null;
  /** Known fields by number (including extensions). */
  fields: Map<number, FieldState>;
  /** Unknown fields in wire order. */
  unknown: UnknownItem[];
  /** Bytes that could not be decoded (a tolerant decode stopped there) or were inserted raw. */
  rawBytes: Uint8Array[];
}

/** A fresh, empty message state. */
export function emptyState(type: Type | null): MessageState {
  return { type, fields: new Map(), unknown: [], rawBytes: [] };
}

/** Builds the parsed view of a list of nodes (a root's or a message node's fields). */
export function messageState(type: Type | null, nodes: readonly FieldNode[]): MessageState {
  const state = emptyState(type);
  applyNodes(state, nodes);
  return state;
}

/** Whether an enum is closed (proto2): values outside it are kept as unknown fields. */
export function isClosedEnum(e: Enum): boolean {
  const features = (e as unknown as { _features?: { enum_type?: string } })._features;
  if (features?.enum_type) return features.enum_type === 'CLOSED';
  type Node = { _edition?: string | null; parent: Node | null };
  for (let p: Node | null = e as unknown as Node; p; p = p.parent) {
    if (p._edition) return p._edition === 'proto2';
  }
  return false;
}

function enumOf(field: Field): Enum | null {
  const rt = field.resolvedType as unknown;
  return rt !== null && typeof rt === 'object' && 'values' in rt && !('fields' in rt) ? (rt as Enum) : null;
}

function knowsValue(e: Enum, n: number): boolean {
  return Object.prototype.hasOwnProperty.call(e.valuesById, n);
}

/** The real oneof a field belongs to (synthetic proto3-optional oneofs have a single member and behave alike). */
function oneofOf(field: Field): OneOf | null {
  return field.partOf ?? null;
}

function clearOneof(state: MessageState, field: Field): void {
  const o = oneofOf(field);
  if (!o) return;
  for (const other of o.fieldsArray) if (other !== field) state.fields.delete(other.id);
}

function fieldStateOf(state: MessageState, field: Field): FieldState {
  let fs = state.fields.get(field.id);
  if (!fs || fs.field !== field) {
    fs = { field, items: [] };
    state.fields.set(field.id, fs);
  }
  return fs;
}

function setScalar(state: MessageState, field: Field, item: ScalarItem, fieldNumber: number): void {
  if (item.type === 'enum') {
    const e = enumOf(field);
    if (e && isClosedEnum(e) && !knowsValue(e, item.value as number)) {
      state.unknown.push({ fieldNumber, wireType: WireType.VARINT, value: BigInt.asUintN(64, BigInt(item.value as number)) });
      return;
    }
  }
  if (field.repeated) {
    fieldStateOf(state, field).items.push(item);
    return;
  }
  clearOneof(state, field);
  fieldStateOf(state, field).items = [item];
}

function messageTypeOf(field: Field): Type | null {
  const rt = field.resolvedType as unknown;
  return rt && typeof rt === 'object' && 'fields' in rt ? (rt as Type) : null;
}

/** Applies nodes to a state in wire order (merging, as parsing the concatenated bytes would). */
export function applyNodes(state: MessageState, nodes: readonly FieldNode[]): void {
  for (const node of nodes) {
    const v = node.value;
    const field = node.field;
    switch (v.kind) {
      case 'scalar': {
        if (!field) break;
        const item: ScalarItem = { kind: 'scalar', type: v.type, value: v.value };
        if (v.invalidUtf8) item.invalidUtf8 = v.invalidUtf8;
        if (v.embedded) item.embedded = v.embedded;
        setScalar(state, field, item, node.fieldNumber);
        break;
      }
      case 'packed':
        if (!field) break;
        for (const el of v.elements) setScalar(state, field, { kind: 'scalar', type: v.type, value: el.value }, node.fieldNumber);
        break;
      case 'message': {
        if (!field) break;
        if (v.mapEntry) {
          const entry = messageState(entryTypeOf(v, field), v.fields);
          if (hasUnknownClosedEnumValue(v.fields)) {
            state.unknown.push({ fieldNumber: node.fieldNumber, wireType: WireType.LEN, value: parsedEntryBytes(entry.type, v.fields) });
            break;
          }
          entry.unknown = [];
          fieldStateOf(state, field).items.push({ kind: 'message', state: entry });
          break;
        }
        const type = messageTypeOf(field);
        if (field.repeated) {
          fieldStateOf(state, field).items.push({ kind: 'message', state: messageState(type, v.fields) });
          break;
        }
        const existing = state.fields.get(field.id);
        if (existing && existing.field === field && existing.items[0]?.kind === 'message') {
          applyNodes(existing.items[0].state, v.fields);
        } else {
          clearOneof(state, field);
          fieldStateOf(state, field).items = [{ kind: 'message', state: messageState(type, v.fields) }];
        }
        break;
      }
      case 'unknown': {
        const raw = v.raw;
        if (node.wireType === WireType.SGROUP && node.fieldNumber === 1 && isMessageSet(state.type)) {
          applyMessageSetItem(state, node, raw as readonly FieldNode[]);
          break;
        }
        switch (node.wireType) {
          case WireType.VARINT:
          case WireType.I64:
            state.unknown.push({
              fieldNumber: node.fieldNumber,
              wireType: node.wireType,
              value: BigInt.asUintN(64, BigInt(raw as bigint | number)),
            });
            break;
          case WireType.I32:
            state.unknown.push({ fieldNumber: node.fieldNumber, wireType: WireType.I32, value: Number(raw) >>> 0 });
            break;
          case WireType.LEN:
            state.unknown.push({ fieldNumber: node.fieldNumber, wireType: WireType.LEN, value: raw as Uint8Array });
            break;
          case WireType.SGROUP:
            state.unknown.push({ fieldNumber: node.fieldNumber, wireType: WireType.SGROUP, value: raw as readonly FieldNode[] });
            break;
        }
        break;
      }
      case 'raw-bytes':
        state.rawBytes.push(v.bytes);
        break;
    }
  }
}

/**
 * A MessageSet item (group 1: type_id = 2, message = 3) as protoc's runtime reads it: the
 * extension it names, an unknown length-delimited field of that number, or nothing when a part is missing.
 */
function applyMessageSetItem(state: MessageState, node: FieldNode, inner: readonly FieldNode[]): void {
  const item = readMessageSetItem(inner);
  if (!item) return;
  const ext = messageSetExtensionById(state.type!, item.typeId);
  const fields = ext ? decodeMessageSetItem(ext, item.message) : null;
  if (!ext || !fields) {
    state.unknown.push({ fieldNumber: item.typeId, wireType: WireType.LEN, value: item.message });
    return;
  }
  applyNodes(state, [{ ...node, field: ext, fieldNumber: ext.id, wireType: WireType.LEN, value: { kind: 'message', fields } }]);
}

/** Whether a map entry's value (its last field 2) is a closed enum's number that the enum does not define. */
function hasUnknownClosedEnumValue(entryNodes: readonly FieldNode[]): boolean {
  for (let i = entryNodes.length - 1; i >= 0; i--) {
    const n = entryNodes[i];
    if (n.fieldNumber !== 2 || !n.field) continue;
    if (n.value.kind !== 'scalar' || n.value.type !== 'enum') return false;
    const e = enumOf(n.field);
    return e !== null && isClosedEnum(e) && !knowsValue(e, n.value.value as number);
  }
  return false;
}

/**
 * The unknown field protoc keeps for a map entry whose value is a closed enum's undefined number:
 * the entry as it parsed it, serialized again: its key (the last one; the default when there is
 * none) and then its value (the last one). Repeated keys or values, and fields the entry does
 * not define, are gone from it, whatever order the entry's bytes had.
 */
function parsedEntryBytes(entry: Type | null, nodes: readonly FieldNode[]): Uint8Array {
  const last = (n: number): FieldNode | undefined => {
    for (let i = nodes.length - 1; i >= 0; i--)
      if (nodes[i].fieldNumber === n && nodes[i].field && nodes[i].value.kind === 'scalar') return nodes[i];
    return undefined;
  };
  const w = new WireWriter();
  const key = last(1);
  if (key) writeDetached(w, [key]);
  else if (entry) {
    const type = scalarTypeOf(entry.fieldsById[1])!;
    const wireType = scalarWireType(type);
    w.tag(1, wireType);
    if (wireType === WireType.LEN) w.lengthDelimited(new Uint8Array(0));
    else writeScalarValue(w, type, defaultScalar(type));
  }
  writeDetached(w, [last(2)!]);
  return w.finish();
}

/** Nodes encoded canonically, without their source bytes (values are what print, so canonical bytes print the same). */
function writeDetached(w: WireWriter, nodes: readonly FieldNode[]): void {
  for (const n of nodes) {
    const v = n.value;
    if (v.kind === 'raw-bytes') {
      w.raw(v.bytes);
      continue;
    }
    w.tag(n.fieldNumber, n.wireType);
    const body = new WireWriter();
    switch (v.kind) {
      case 'scalar':
        if (n.wireType !== WireType.LEN) writeScalarValue(w, v.type, v.value);
        else if (v.embedded) writeDetached(body, v.embedded.fields);
        else writeScalarValue(body, v.type, v.invalidUtf8 ?? v.value);
        break;
      case 'packed':
        for (const el of v.elements) writeScalarValue(body, v.type, el.value);
        break;
      case 'message':
        writeDetached(n.wireType === WireType.SGROUP ? w : body, v.fields);
        if (n.wireType === WireType.SGROUP && !v.unterminated) w.tag(n.fieldNumber, WireType.EGROUP);
        break;
      case 'unknown':
        if (n.wireType === WireType.VARINT) w.varint64(BigInt(v.raw as bigint | number));
        else if (n.wireType === WireType.I64) w.fixed64(BigInt(v.raw as bigint | number));
        else if (n.wireType === WireType.I32) w.fixed32(Number(v.raw));
        else if (n.wireType === WireType.LEN) body.raw(v.raw as Uint8Array);
        else if (n.wireType === WireType.SGROUP) {
          writeDetached(w, v.raw as readonly FieldNode[]);
          if (!v.unterminated) w.tag(n.fieldNumber, WireType.EGROUP);
        }
        break;
    }
    if (n.wireType === WireType.LEN) w.lengthDelimited(body.finish());
  }
}

/** The synthetic entry type of a map field (key = 1, value = 2), as the decoder uses it. */
function entryTypeOf(v: MessageNodeValue, field: Field): Type | null {
  for (const n of v.fields) if (n.field?.parent) return n.field.parent as Type;
  const mf = asMapField(field);
  return mf ? mapEntryType(mf) : null;
}

/** Whether a singular field with implicit presence (proto3 scalar) holds its default, so a runtime would not see it as set. */
export function isImplicitDefault(item: ScalarItem): boolean {
  const x = item.value;
  switch (typeof x) {
    case 'number':
      return Object.is(x, 0);
    case 'bigint':
      return x === 0n;
    case 'boolean':
      return !x;
    case 'string':
      return x === '' && !item.invalidUtf8;
    default:
      return x.length === 0;
  }
}

/** Whether a field tracks presence (proto2 optional, proto3 optional, oneof members, messages, extensions). */
export function hasPresence(field: Field): boolean {
  if (field.repeated || field.map) return false;
  return !!field.hasPresence || (!!field.resolvedType && 'fields' in (field.resolvedType as object));
}

/** The known fields a runtime would see as set, in field number order (the order protoc prints them). */
export function presentFields(state: MessageState): FieldState[] {
  const out: FieldState[] = [];
  for (const fs of state.fields.values()) {
    if (fs.items.length === 0) continue;
    if (!fs.field.repeated && !fs.field.map && !hasPresence(fs.field)) {
      const item = fs.items[0];
      if (item.kind === 'scalar' && isImplicitDefault(item)) continue;
    }
    out.push(fs);
  }
  return out.sort((a, b) => a.field.id - b.field.id);
}
