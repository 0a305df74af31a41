/**
 * Protobuf text format printing.
 *
 * toText prints exactly what `protoc --decode=TYPE` (protoc 36) prints for the same bytes
 * and schema. The rules, found by running protoc:
 * - Fields print in field number order (extensions among them as `[pkg.ext]`), unknown
 *   fields after the known ones in wire order, as a parser would hold them: a singular
 *   field shows its last value, singular messages merge, a oneof shows its last member,
 *   proto3 fields without presence are left out when zero (but -0.0 is printed).
 * - Closed (proto2) enum values that are not in the enum are unknown fields (`8: 7`);
 *   open enums print unknown values as numbers; known ones by name (the first alias).
 * - Groups print under their type name (`G { ... }`); messages as `name {` ... `}` with
 *   two-space indents; an empty message as `name {` and `}` on two lines.
 * - Map entries print as repeated `name { key: K value: V }` messages sorted by key (strings
 *   by UTF-8 bytes, integers by value); key and value are always printed, defaults included;
 *   entries with the same key are all printed. Unknown fields inside an entry are not printed,
 *   and an entry whose value is a closed enum's undefined number prints among the unknown
 *   fields as protoc 36 parsed it (`32 { 1: 1 2: 7 }`: its last key, the default when absent,
 *   then its last value; not the entry's own bytes); 3.21 printed both inside the entry.
 * - google.protobuf.Any prints as a plain message (`type_url` and `value`), not expanded.
 * - Strings and bytes are C-escaped: \n \r \t \" \' \\ by name, any other byte below 0x20 or
 *   from 0x7f up as a 3-digit octal escape (so UTF-8 text prints as octal escapes).
 * - Doubles print as C `%.15g`, `%.17g` when that would not read back exactly; floats as
 *   `%.6g` / `%.9g`; "inf", "-inf", "nan"; "-0".
 * - Unknown fields: varint `N: 123` (unsigned 64-bit), fixed32 `N: 0x0000007b`, fixed64
 *   `N: 0x000000000000007b`, groups `N { ... }`; a length-delimited value prints as a
 *   nested `N { ... }` when it is not empty and parses as a message (at most 10 such levels),
 *   otherwise as an escaped string `N: "..."`.
 */
import type { Enum, Field, Type } from 'protobufjs';
import type { FieldNode, MessageRoot, ScalarType, ScalarValue } from '../document/model';
import { defaultScalar } from '../document/build';
import { isStackOverflow } from '../document/stack';
import { asMapField, mapEntryType, scalarTypeOf } from '../document/schema-info';
import { WireType } from '../wire/wire-types';
import type { SchemaRegistry } from '../schema/registry';
import { formatDoubleProtoc, formatFloatProtoc } from './float-format';
import { messageState, presentFields, type FieldItem, type MessageState, type ScalarItem, type UnknownItem } from './message-state';
import { cEscape } from './text-escape';
import { TextFormatError } from './text-format-error';
import { isMessageSetPrintable } from './message-set';
import { enumName, isGroupLike, isMessageSet, stripDot } from './type-lookup';
import { parseUnknownFieldSet, UNKNOWN_RECURSION_BUDGET, type RawField } from './unknown-fields';

/** Options of toText. */
export interface ToTextOptions {
  /** Spaces per nesting level (default 2, as protoc). */
  indent?: number;
  /** Accepted for symmetry with toJson; not needed: protoc prints Any unexpanded and extensions come from the nodes. */
  registry?: SchemaRegistry;
}

const utf8 = new TextEncoder();

/** Prints a document as protobuf text format, exactly as `protoc --decode` prints the same bytes. */
export function toText(root: MessageRoot, options: ToTextOptions = {}): string {
  const out: string[] = [];
  const unit = ' '.repeat(options.indent ?? 2);
  try {
    printState(messageState(root.type, root.fields), '', unit, out);
  } catch (e) {
    // A tree decoded with a raised depth limit can nest deeper than printing can recurse.
    if (isStackOverflow(e))
      throw new TextFormatError(out.length + 1, 1, 'the message nests too deep to print (the call stack ran out at this output line)');
    throw e;
  }
  return out.join('');
}

function printState(state: MessageState, indent: string, unit: string, out: string[]): void {
  for (const fs of presentFields(state)) {
    const field = fs.field;
    const name = fieldLabel(field);
    let items: FieldItem[] = fs.items;
    if (asMapField(field)) items = sortMapEntries(items, field);
    for (const item of items) printItem(field, name, item, indent, unit, out, !!asMapField(field));
  }
  printUnknown(state.unknown, indent, unit, out, UNKNOWN_RECURSION_BUDGET);
  for (const raw of state.rawBytes) out.push(`${indent}# ${raw.length} bytes that do not parse as this message\n`);
}

/** The name a field prints under: `[pkg.ext]` for extensions, the type name for group-like fields (isGroupLike), else its name. */
export function fieldLabel(field: Field): string {
  if (field.declaringField || field.name.startsWith('.')) {
    if (isMessageSet(field.parent as Type | null) && isMessageSetPrintable(field))
      return `[${stripDot((field.resolvedType as Type).fullName)}]`;
    const full = (field.declaringField ?? field).fullName;
    return `[${stripDot(field.declaringField ? full : field.name)}]`;
  }
  if (isGroupLike(field)) return (field.resolvedType as Type).name;
  return field.name;
}

function printItem(field: Field, name: string, item: FieldItem, indent: string, unit: string, out: string[], isMap: boolean): void {
  if (item.kind === 'scalar') {
    out.push(`${indent}${name}: ${formatScalar(field, item)}\n`);
    return;
  }
  out.push(`${indent}${name} {\n`);
  if (isMap) printMapEntry(field, item.state, indent + unit, unit, out);
  else printState(item.state, indent + unit, unit, out);
  out.push(`${indent}}\n`);
}

/** A map entry: key and value always (defaults when absent). */
function printMapEntry(field: Field, state: MessageState, indent: string, unit: string, out: string[]): void {
  const entry = mapEntryType(asMapField(field)!);
  const keyField = entry.fieldsById[1];
  const valueField = entry.fieldsById[2];
  const key = state.fields.get(1)?.items[0] ?? defaultItem(keyField);
  printItem(keyField, 'key', key, indent, unit, out, false);
  const value = state.fields.get(2)?.items[0] ?? defaultItem(valueField);
  printItem(valueField, 'value', value, indent, unit, out, false);
}

function defaultItem(field: Field): FieldItem {
  const type = scalarTypeOf(field);
  if (!type) {
    const t = field.resolvedType as Type;
    return { kind: 'message', state: messageState(t, []) };
  }
  return { kind: 'scalar', type, value: defaultValueOf(type, field) };
}

function defaultValueOf(type: ScalarType, field: Field): ScalarValue {
  if (type !== 'enum') return defaultScalar(type);
  // protoc prints an absent enum as 0 when the enum has it, else as its first value.
  const values = Object.values((field.resolvedType as Enum).values);
  return values.includes(0) || values.length === 0 ? 0 : values[0];
}

/** Map entries sorted by key as protoc's printer sorts them (stable for equal keys). */
function sortMapEntries(items: FieldItem[], field: Field): FieldItem[] {
  const keyType = scalarTypeOf(mapEntryType(asMapField(field)!).fieldsById[1]);
  const keyOf = (it: FieldItem): ScalarValue => {
    const k = it.kind === 'message' ? it.state.fields.get(1)?.items[0] : undefined;
    if (k && k.kind === 'scalar') return k.invalidUtf8 ?? k.value;
    return keyType === 'string' ? '' : keyType === 'bool' ? false : /64/.test(keyType ?? '') ? 0n : 0;
  };
  const keyed = items.map((it, i) => ({ it, i, k: keyOf(it) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k) || a.i - b.i);
  return keyed.map((x) => x.it);
}

function compareKeys(a: ScalarValue, b: ScalarValue): number {
  if (typeof a === 'string' || typeof b === 'string' || a instanceof Uint8Array || b instanceof Uint8Array) {
    const x = typeof a === 'string' ? utf8.encode(a) : (a as Uint8Array);
    const y = typeof b === 'string' ? utf8.encode(b) : (b as Uint8Array);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A scalar value as protoc prints it. */
function formatScalar(field: Field, item: ScalarItem): string {
  const v = item.value;
  switch (item.type) {
    case 'string':
      return `"${cEscape(item.invalidUtf8 ?? utf8.encode(v as string))}"`;
    case 'bytes':
      return `"${cEscape(v as Uint8Array)}"`;
    case 'bool':
      return v ? 'true' : 'false';
    case 'double':
      return formatDoubleProtoc(v as number);
    case 'float':
      return formatFloatProtoc(v as number);
    case 'enum': {
      const name = enumName(field.resolvedType as Enum | null, v as number);
      return name ?? String(v);
    }
    default:
      return String(v);
  }
}

function hex(n: bigint | number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

function printUnknown(items: readonly (UnknownItem | RawField)[], indent: string, unit: string, out: string[], budget: number): void {
  for (const u of items) {
    const n = u.fieldNumber;
    switch (u.wireType) {
      case WireType.VARINT:
        out.push(`${indent}${n}: ${u.value}\n`);
        break;
      case WireType.I64:
        out.push(`${indent}${n}: ${hex(u.value, 16)}\n`);
        break;
      case WireType.I32:
        out.push(`${indent}${n}: ${hex(u.value, 8)}\n`);
        break;
      case WireType.LEN: {
        const nested = u.value.length > 0 && budget > 0 ? parseUnknownFieldSet(u.value, budget) : null;
        if (nested) {
          out.push(`${indent}${n} {\n`);
          printUnknown(nested, indent + unit, unit, out, budget - 1);
          out.push(`${indent}}\n`);
        } else {
          out.push(`${indent}${n}: "${cEscape(u.value)}"\n`);
        }
        break;
      }
      case WireType.SGROUP: {
        out.push(`${indent}${n} {\n`);
        const inner = u.value as readonly (FieldNode | RawField)[];
        const rawInner: (UnknownItem | RawField)[] =
          inner.length && 'id' in inner[0] ? messageState(null, inner as readonly FieldNode[]).unknown : (inner as RawField[]);
        printUnknown(rawInner, indent + unit, unit, out, budget);
        out.push(`${indent}}\n`);
        break;
      }
    }
  }
}
