/**
 * Canonical proto3 JSON (ProtoJSON), both ways, as protoc-generated runtimes print it
 * (Go protojson, C++ JsonFormat, protobuf-es):
 * - field names in lowerCamelCase (`field.jsonName`: protoc's rule, or an explicit
 *   `json_name`); `protoNames: true` prints the names from the .proto; extensions as `[pkg.ext]`;
 * - fields in field number order (as C++ prints them from reflection); fields without presence
 *   are left out when they hold their default; proto2 / proto3 `optional` / oneof fields are
 *   printed when present; empty repeated fields and maps are left out;
 * - int64, uint64, sint64, fixed64, sfixed64 as decimal strings; other integers as numbers;
 * - float and double as numbers (a float as the shortest decimal that reads back to the same
 *   32-bit value), NaN / Infinity / -Infinity as strings;
 * - bytes as standard base64 with padding; enums by name, numbers outside the enum as numbers,
 *   google.protobuf.NullValue as null;
 * - map keys as strings (a repeated key: the last entry wins, at the key's first position);
 * - well-known types: Timestamp as RFC 3339 in UTC ("1972-01-01T10:00:20.021Z", 0/3/6/9
 *   fraction digits), Duration as "1.5s", Any as {"@type": url, ...fields} (well-known payloads
 *   under "value"), Struct / Value / ListValue as plain JSON, wrappers as their value,
 *   FieldMask as "a.b,cD", Empty as {};
 * - unknown fields are not printed (as protoc).
 *
 * fromJson accepts both JSON and proto field names, numbers as numbers or strings, base64 in
 * either alphabet, enum names or numbers, `null` as "not set"; it builds a document root with
 * fields in field number order (packed where the field packs), as protoc would encode it.
 * Errors are JsonFormatError naming the JSON path: `at $.participants[2].joinedAt: ...`.
 */
import type { Enum, Field, Type } from 'protobufjs';
import type { FieldNode, MessageRoot, ScalarType, ScalarValue } from '../document/model';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { isStackOverflow } from '../document/stack';
import { base64ToBytes, bytesToBase64 } from '../wire/base64';
import { coerceScalar, mapEntryNode, messageNode, newRoot, packedNode, scalarNode, type ScalarInput } from '../document/build';
import { asMapField, fieldInfo, FieldKind, mapEntryType, scalarTypeOf } from '../document/schema-info';
import { wellKnownRegistry, type SchemaRegistry } from '../schema/registry';
import { formatDoubleJson, formatFloatJson } from './float-format';
import {
  hasPresence,
  messageState,
  presentFields,
  type FieldItem,
  type FieldState,
  type MessageState,
  type ScalarItem,
} from './message-state';
import { enumName } from './text-format';

/** Options of toJson / toJsonString. */
export interface ToJsonOptions {
  /** Print field names as in the .proto instead of lowerCamelCase. */
  protoNames?: boolean;
  /** Resolves google.protobuf.Any type URLs (default: the message type's own root). */
  registry?: SchemaRegistry;
  /**
   * Also print fields without presence that are absent: scalars with their default, [] and {}
   * for repeated fields and maps (as protojson's EmitDefaultValues). Default false.
   */
  emitDefaults?: boolean;
  /**
   * emitDefaults, and absent singular message fields and proto2 scalars as null; oneof members
   * and proto3 `optional` fields stay out (as protojson's EmitUnpopulated, Twirp Go's default). Default false.
   */
  emitUnpopulated?: boolean;
}

/** Options of fromJson. */
export interface FromJsonOptions {
  /** Resolves Any type URLs and `[pkg.ext]` names (default: the message type's own root). */
  registry?: SchemaRegistry;
  /** Skip fields the type does not have instead of failing (as protojson's DiscardUnknown). */
  ignoreUnknownFields?: boolean;
}

/** A JSON conversion error: the JSON path ("$.a.b[2]") and what was wrong. */
export class JsonFormatError extends Error {
  override readonly name = 'JsonFormatError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`at ${path}: ${detail}`);
  }
}

type Json = null | boolean | number | string | JsonNumber | Json[] | { [k: string]: Json };

/** A JSON number kept as its source text (so 64-bit integers stay exact). */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** The number as a JS number. */
  valueOf(): number {
    return Number(this.text);
  }
  /** The number's source text. */
  toString(): string {
    return this.text;
  }
}

const WKT = 'google.protobuf.';

function stripDot(s: string): string {
  return s.startsWith('.') ? s.slice(1) : s;
}

const fullNames = new WeakMap<object, string>();

/** A type's or enum's full name without the leading dot (cached: protobufjs computes it on each read). */
function fullNameOf(type: Type): string {
  let n = fullNames.get(type);
  if (n === undefined) {
    n = stripDot(type.fullName);
    fullNames.set(type, n);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Printing

/** Converts a document to its canonical proto3 JSON value (a plain JS value; numbers may be -0). */
export function toJson(root: MessageRoot, options: ToJsonOptions = {}): unknown {
  if (!root.type) throw new JsonFormatError('$', 'a message without a schema type has no JSON form');
  try {
    return messageToJson(messageState(root.type, root.fields), root.type, options, '$');
  } catch (e) {
    throw tooDeep(e);
  }
}

/** toJson as a string: `indent` spaces per level (default 2; 0 for one line). */
export function toJsonString(root: MessageRoot, options: ToJsonOptions & { indent?: number } = {}): string {
  const json = toJson(root, options);
  try {
    return stringify(json, options.indent ?? 2);
  } catch (e) {
    throw tooDeep(e);
  }
}

/** A tree decoded with a raised depth limit can nest deeper than printing can recurse: a JsonFormatError instead of a stack overflow. */
function tooDeep(e: unknown): unknown {
  return isStackOverflow(e) ? new JsonFormatError('$', 'the message nests too deep to convert to JSON (the call stack ran out)') : e;
}

/** JSON.stringify that keeps -0 as "-0" and prints bigint as strings. */
export function stringify(value: unknown, indent = 2): string {
  const pad = (n: number) => (indent > 0 ? '\n' + ' '.repeat(indent * n) : '');
  const sep = indent > 0 ? ': ' : ':';
  const go = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
    if (typeof v === 'bigint') return JSON.stringify(v.toString());
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${v.map((x) => pad(depth + 1) + go(x, depth + 1)).join(',')}${pad(depth)}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}${sep}${go(x, depth + 1)}`).join(',')}${pad(depth)}}`;
  };
  return go(value, 0);
}

function jsonKey(field: Field, options: ToJsonOptions): string {
  if (field.declaringField) return `[${stripDot(field.declaringField.fullName)}]`;
  return options.protoNames ? field.name : (field.jsonName ?? field.name);
}

function messageToJson(state: MessageState, type: Type, options: ToJsonOptions, path: string): unknown {
  const special = wellKnownToJson(state, type, options, path);
  if (special !== NOT_SPECIAL) return special;
  const present = presentFields(state);
  if (options.emitDefaults || options.emitUnpopulated)
    return withDefaults(present, type, options, path, (fs) => fieldToJson(fs, options, path));
  const out: Record<string, unknown> = {};
  for (const fs of present) out[jsonKey(fs.field, options)] = fieldToJson(fs, options, path);
  return out;
}

/**
 * Present fields plus every field without presence that is absent, with its default ([] for
 * repeated, {} for maps), in field number order; with emitUnpopulated, absent fields with
 * presence outside a oneof too, as null.
 */
function withDefaults(
  present: FieldState[],
  type: Type,
  options: ToJsonOptions,
  path: string,
  print: (fs: FieldState) => unknown,
): Record<string, unknown> {
  const byId = new Map(present.map((fs) => [fs.field.id, fs]));
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const fs = byId.get(field.id);
    if (fs) {
      out[jsonKey(field, options)] = print(fs);
      byId.delete(field.id);
      continue;
    }
    if (field.declaringField) continue;
    const key = jsonKey(field, options);
    if (asMapField(field)) out[key] = {};
    else if (field.repeated) out[key] = [];
    else if (!hasPresence(field)) out[key] = defaultJson(field, options, `${path}.${key}`);
    else if (options.emitUnpopulated && !field.partOf) out[key] = null;
  }
  for (const fs of byId.values()) out[jsonKey(fs.field, options)] = print(fs);
  return out;
}

/** The JSON of one present field's values. */
function fieldToJson(fs: FieldState, options: ToJsonOptions, path: string): unknown {
  const field = fs.field;
  const p = `${path}.${jsonKey(field, options)}`;
  const mf = asMapField(field);
  if (mf) {
    const entry = mapEntryType(mf);
    const obj: Record<string, unknown> = {};
    for (const item of fs.items) {
      if (item.kind !== 'message') continue;
      const k = item.state.fields.get(1)?.items[0];
      const keyStr = k && k.kind === 'scalar' ? mapKeyString(k) : defaultMapKey(scalarTypeOf(entry.fieldsById[1]));
      const v = item.state.fields.get(2)?.items[0];
      obj[keyStr] = v
        ? itemToJson(entry.fieldsById[2], v, options, `${p}["${keyStr}"]`)
        : defaultJson(entry.fieldsById[2], options, `${p}["${keyStr}"]`);
    }
    return obj;
  }
  if (field.repeated) return fs.items.map((it, i) => itemToJson(field, it, options, `${p}[${i}]`));
  return itemToJson(field, fs.items[0], options, p);
}

function mapKeyString(item: ScalarItem): string {
  const v = item.value;
  return typeof v === 'string' ? v : String(v);
}

function defaultMapKey(type: ScalarType | null): string {
  return type === 'string' ? '' : type === 'bool' ? 'false' : '0';
}

/** The JSON of a map value that is absent from its entry: the type default. */
function defaultJson(field: Field, options: ToJsonOptions, path: string): unknown {
  const type = scalarTypeOf(field);
  if (!type) {
    const t = field.resolvedType as Type;
    return messageToJson(messageState(t, []), t, options, path);
  }
  const value: ScalarValue =
    type === 'string' ? '' : type === 'bytes' ? new Uint8Array(0) : type === 'bool' ? false : /64/.test(type) ? 0n : 0;
  return scalarToJson(field, { kind: 'scalar', type, value });
}

function itemToJson(field: Field, item: FieldItem, options: ToJsonOptions, path: string): unknown {
  if (item.kind === 'message') {
    const t = item.state.type ?? (field.resolvedType as Type);
    return messageToJson(item.state, t, options, path);
  }
  return scalarToJson(field, item);
}

function scalarToJson(field: Field, item: ScalarItem): unknown {
  const v = item.value;
  switch (item.type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return String(v);
    case 'float':
      return formatFloatJson(v as number);
    case 'double':
      return formatDoubleJson(v as number);
    case 'bytes':
      return bytesToBase64(v as Uint8Array);
    case 'enum': {
      const e = field.resolvedType as Enum | null;
      if (e && fullNameOf(e as unknown as Type) === `${WKT}NullValue`) return null;
      return enumName(e, v as number) ?? v;
    }
    default:
      return v;
  }
}

const NOT_SPECIAL = Symbol('not special');

function scalarOf(state: MessageState, n: number): ScalarValue | undefined {
  const it = state.fields.get(n)?.items;
  const last = it?.[it.length - 1];
  return last && last.kind === 'scalar' ? last.value : undefined;
}

const WRAPPERS = new Set([
  'DoubleValue',
  'FloatValue',
  'Int64Value',
  'UInt64Value',
  'Int32Value',
  'UInt32Value',
  'BoolValue',
  'StringValue',
  'BytesValue',
]);

function wellKnownToJson(state: MessageState, type: Type, options: ToJsonOptions, path: string): unknown {
  const name = fullNameOf(type);
  if (!name.startsWith(WKT)) return NOT_SPECIAL;
  const short = name.slice(WKT.length);
  switch (short) {
    case 'Timestamp':
      return formatTimestamp(BigInt((scalarOf(state, 1) ?? 0n) as bigint), Number(scalarOf(state, 2) ?? 0), path);
    case 'Duration':
      return formatDuration(BigInt((scalarOf(state, 1) ?? 0n) as bigint), Number(scalarOf(state, 2) ?? 0), path);
    case 'FieldMask': {
      const paths = (state.fields.get(1)?.items ?? []).map((i) => (i.kind === 'scalar' ? String(i.value) : ''));
      return paths
        .map((p) => {
          const camel = p.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
          if (camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) !== p)
            throw new JsonFormatError(path, `field mask path "${p}" cannot be written in JSON`);
          return camel;
        })
        .join(',');
    }
    case 'Empty':
      return {};
    case 'Struct': {
      const out: Record<string, unknown> = {};
      for (const item of state.fields.get(1)?.items ?? []) {
        if (item.kind !== 'message') continue;
        const k = item.state.fields.get(1)?.items[0];
        const key = k && k.kind === 'scalar' ? String(k.value) : '';
        const v = item.state.fields.get(2)?.items[0];
        const valueType = (type.fieldsById[1].resolvedType as Type | null) ?? type.root.lookupType('.google.protobuf.Value');
        out[key] =
          v && v.kind === 'message'
            ? messageToJson(v.state, v.state.type ?? valueType, options, `${path}.${key}`)
            : valueToJsonEmpty(`${path}.${key}`);
      }
      return out;
    }
    case 'ListValue':
      return (state.fields.get(1)?.items ?? []).map((it, i) =>
        it.kind === 'message'
          ? messageToJson(it.state, it.state.type ?? (type.fieldsById[1].resolvedType as Type), options, `${path}[${i}]`)
          : null,
      );
    case 'Value': {
      const fs = presentFields(state)[0];
      if (!fs) return valueToJsonEmpty(path);
      const item = fs.items[0];
      switch (fs.field.id) {
        case 1:
          return null;
        case 2: {
          const n = item.kind === 'scalar' ? (item.value as number) : 0;
          if (!Number.isFinite(n)) throw new JsonFormatError(path, `google.protobuf.Value cannot hold ${n} in JSON`);
          return n;
        }
        case 3:
        case 4:
          return item.kind === 'scalar' ? item.value : null;
        default:
          return itemToJson(fs.field, item, options, path);
      }
    }
    case 'Any':
      return anyToJson(state, type, options, path);
    default:
      if (WRAPPERS.has(short)) {
        const f = type.fieldsById[1];
        const it = state.fields.get(1)?.items[0];
        return it ? scalarToJson(f, it as ScalarItem) : defaultJson(f, options, path);
      }
      return NOT_SPECIAL;
  }
}

function valueToJsonEmpty(path: string): never {
  throw new JsonFormatError(path, 'google.protobuf.Value has none of its fields set');
}

/** The type an Any's URL names: from the registry (or the message's own root), else a well-known type. */
export function resolveAnyType(name: string, near: Type, registry?: SchemaRegistry): Type | undefined {
  let found: Type | undefined;
  if (registry) found = registry.findMessage(name);
  else {
    try {
      const t = near.root.lookup('.' + stripDot(name));
      found = t && 'fields' in t ? (t as Type) : undefined;
    } catch {
      found = undefined;
    }
  }
  if (!found && stripDot(name).startsWith(WKT)) found = wellKnownRegistry().findMessage(name);
  return found;
}

function anyToJson(state: MessageState, type: Type, options: ToJsonOptions, path: string): unknown {
  const url = scalarOf(state, 1);
  const valueItem = state.fields.get(2)?.items[0] as ScalarItem | undefined;
  if (url === undefined || url === '') {
    if (!valueItem || (valueItem.value as Uint8Array).length === 0) return {};
    throw new JsonFormatError(path, 'google.protobuf.Any has a value but no type_url');
  }
  const typeName = String(url).slice(String(url).lastIndexOf('/') + 1);
  const inner = resolveAnyType(typeName, type, options.registry);
  if (!inner) throw new JsonFormatError(path, `cannot resolve the type of google.protobuf.Any "${String(url)}"`);
  let innerState: MessageState;
  if (valueItem?.embedded) innerState = messageState(inner, valueItem.embedded.fields);
  else {
    const bytes = (valueItem?.value as Uint8Array | undefined) ?? new Uint8Array(0);
    try {
      innerState = messageState(inner, decodeMessage(bytes, inner).fields);
    } catch (e) {
      throw new JsonFormatError(`${path}.value`, `the payload does not decode as ${typeName}: ${(e as Error).message}`);
    }
  }
  const json = messageToJson(innerState, inner, options, path);
  if (fullNameOf(inner).startsWith(WKT) && isSpecialWkt(fullNameOf(inner))) return { '@type': String(url), value: json };
  return { '@type': String(url), ...(json as Record<string, unknown>) };
}

function isSpecialWkt(name: string): boolean {
  const short = name.slice(WKT.length);
  return ['Timestamp', 'Duration', 'FieldMask', 'Struct', 'ListValue', 'Value', 'Any', 'Empty'].includes(short) || WRAPPERS.has(short);
}

const MIN_TS = -62135596800n; // 0001-01-01T00:00:00Z
const MAX_TS = 253402300799n; // 9999-12-31T23:59:59Z

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const s = String(nanos).padStart(9, '0');
  if (s.endsWith('000000')) return '.' + s.slice(0, 3);
  if (s.endsWith('000')) return '.' + s.slice(0, 6);
  return '.' + s;
}

/** A Timestamp as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits. */
export function formatTimestamp(seconds: bigint, nanos: number, path = '$'): string {
  if (seconds < MIN_TS || seconds > MAX_TS)
    throw new JsonFormatError(path, `timestamp seconds ${seconds} is outside 0001-01-01 to 9999-12-31`);
  if (nanos < 0 || nanos > 999_999_999) throw new JsonFormatError(path, `timestamp nanos ${nanos} is outside 0..999999999`);
  const d = new Date(Number(seconds) * 1000);
  const iso = d.toISOString(); // years 0001..9999 print as 4 digits
  return iso.slice(0, 19) + fraction(nanos) + 'Z';
}

/** A Duration as "<seconds>[.fraction]s", with 0, 3, 6 or 9 fraction digits. */
export function formatDuration(seconds: bigint, nanos: number, path = '$'): string {
  if (seconds < -315576000000n || seconds > 315576000000n)
    throw new JsonFormatError(path, `duration seconds ${seconds} is outside ±315576000000`);
  if (nanos <= -1_000_000_000 || nanos >= 1_000_000_000 || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw new JsonFormatError(path, `duration nanos ${nanos} do not match seconds ${seconds}`);
  }
  const neg = seconds < 0n || nanos < 0;
  const abs = seconds < 0n ? -seconds : seconds;
  return `${neg ? '-' : ''}${abs}${fraction(Math.abs(nanos))}s`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Builds a document root of `type` from proto3 JSON (a string, parsed keeping big numbers
 * exact, or an already-parsed JS value). Throws JsonFormatError naming the JSON path.
 */
export function fromJson(json: string | unknown, type: Type, options: FromJsonOptions = {}): MessageRoot {
  const value = typeof json === 'string' ? parseJson(json) : (json as Json);
  try {
    return newRoot(type, messageFromJson(value, type, options, '$'));
  } catch (e) {
    // JSON text nests at most 200 levels (parseJson); an already-parsed value has no such bound.
    if (isStackOverflow(e)) throw new JsonFormatError('$', 'the value nests too deep to convert (the call stack ran out)');
    throw e;
  }
}

function kindOf(v: Json): string {
  if (v === null) return 'null';
  if (v instanceof JsonNumber || typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

function isObject(v: Json): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function fieldForKey(type: Type, key: string, options: FromJsonOptions): Field | undefined {
  if (key.startsWith('[') && key.endsWith(']')) {
    const name = key.slice(1, -1);
    if (options.registry) {
      const f = options.registry.findExtension(name);
      if (f && f.parent === type) return f;
    }
    return type.fieldsArray.find((f) => f.declaringField && stripDot(f.declaringField.fullName) === name);
  }
  return type.fieldsArray.find((f) => !f.declaringField && (f.jsonName === key || f.name === key));
}

function messageFromJson(v: Json, type: Type, options: FromJsonOptions, path: string): FieldNode[] {
  const special = wellKnownFromJson(v, type, options, path);
  if (special) return special;
  if (!isObject(v)) throw new JsonFormatError(path, `expected an object for ${fullNameOf(type)}, found ${kindOf(v)}`);
  const seen = new Map<number, string>();
  const oneofs = new Map<string, string>();
  const byField: { field: Field; value: Json; path: string }[] = [];
  for (const [key, value] of Object.entries(v)) {
    const p = `${path}.${key}`;
    const field = fieldForKey(type, key, options);
    if (!field) {
      if (options.ignoreUnknownFields) continue;
      throw new JsonFormatError(p, `${fullNameOf(type)} has no field named "${key}"`);
    }
    if (seen.has(field.id)) throw new JsonFormatError(p, `field "${field.name}" is given twice (also as "${seen.get(field.id)}")`);
    seen.set(field.id, key);
    const isNullValue = value === null && !acceptsNull(field);
    if (isNullValue) continue;
    const o = field.partOf;
    if (o && o.fieldsArray.length > 1) {
      const other = oneofs.get(o.name);
      if (other) throw new JsonFormatError(p, `oneof "${o.name}" already has "${other}" set`);
      oneofs.set(o.name, key);
    }
    byField.push({ field, value, path: p });
  }
  byField.sort((a, b) => a.field.id - b.field.id);
  const out: FieldNode[] = [];
  for (const { field, value, path: p } of byField) out.push(...fieldFromJson(field, value, options, p));
  return out;
}

/** Fields whose JSON null is a value: google.protobuf.Value and NullValue. */
function acceptsNull(field: Field): boolean {
  const rt = field.resolvedType as unknown as Type | null;
  if (!rt) return false;
  const n = fullNameOf(rt);
  return !field.repeated && !field.map && (n === `${WKT}Value` || n === `${WKT}NullValue`);
}

function fieldFromJson(field: Field, value: Json, options: FromJsonOptions, path: string): FieldNode[] {
  const info = fieldInfo(field);
  if (info.kind === FieldKind.MAP) {
    if (!isObject(value)) throw new JsonFormatError(path, `expected an object for map field "${field.name}", found ${kindOf(value)}`);
    const entry = mapEntryType(asMapField(field)!);
    const keyField = entry.fieldsById[1];
    const valueField = entry.fieldsById[2];
    const keyType = scalarTypeOf(keyField)!;
    const nodes: FieldNode[] = [];
    for (const [k, val] of Object.entries(value)) {
      const p = `${path}["${k}"]`;
      let key: ScalarValue;
      if (keyType === 'bool') {
        if (k !== 'true' && k !== 'false') throw new JsonFormatError(p, `expected a bool map key "true" or "false", found "${k}"`);
        key = k === 'true';
      } else key = scalarFromJson(keyField, keyType, keyType === 'string' ? k : (k as Json), p);
      if (val === null && !acceptsNull(valueField)) throw new JsonFormatError(p, 'a map value cannot be null');
      const vType = scalarTypeOf(valueField);
      if (vType) nodes.push(mapEntryNode(field, key as ScalarInput, scalarFromJson(valueField, vType, val, p) as ScalarInput));
      else
        nodes.push(
          mapEntryNode(
            field,
            key as ScalarInput,
            messageFromJson(val, info.messageType ? (valueField.resolvedType as Type) : (valueField.resolvedType as Type), options, p),
          ),
        );
    }
    return nodes;
  }
  if (field.repeated) {
    if (!Array.isArray(value))
      throw new JsonFormatError(path, `expected an array for repeated field "${field.name}", found ${kindOf(value)}`);
    if (info.kind === FieldKind.SCALAR) {
      const values = value.map((x, i) => {
        if (x === null) throw new JsonFormatError(`${path}[${i}]`, 'a repeated field cannot hold null');
        return scalarFromJson(field, info.scalar!, x, `${path}[${i}]`);
      });
      if (values.length === 0) return [];
      if (info.packable && field.packed) return [packedNode(field, values as ScalarInput[])];
      return values.map((x) => scalarNode(field, x as ScalarInput));
    }
    return value.map((x, i) => {
      if (x === null && !acceptsNull(field)) throw new JsonFormatError(`${path}[${i}]`, 'a repeated field cannot hold null');
      return messageNode(field, messageFromJson(x, info.messageType!, options, `${path}[${i}]`));
    });
  }
  if (info.kind === FieldKind.SCALAR) {
    const x = scalarFromJson(field, info.scalar!, value, path);
    if (!field.hasPresence && isDefault(x)) return [];
    return [scalarNode(field, x as ScalarInput)];
  }
  return [messageNode(field, messageFromJson(value, info.messageType!, options, path))];
}

function isDefault(x: ScalarValue): boolean {
  if (typeof x === 'number') return Object.is(x, 0);
  if (typeof x === 'bigint') return x === 0n;
  if (typeof x === 'boolean') return !x;
  if (typeof x === 'string') return x === '';
  return x.length === 0;
}

const INT_RE = /^-?\d+$/;
const NUM_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** An integer from JSON: a number or a numeric string, exact for 64-bit values; exponents allowed when the value is integral. */
function integerFrom(v: Json, what: string, path: string): bigint {
  let text: string;
  if (v instanceof JsonNumber) text = v.text;
  else if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) throw new JsonFormatError(path, `expected ${what}, found the number ${v}`);
    if (!Number.isSafeInteger(v))
      throw new JsonFormatError(path, `expected ${what}; ${v} is beyond 2^53 as a JS number, give it as a string`);
    return BigInt(v);
  } else if (typeof v === 'string') text = v.trim() === v ? v : '';
  else throw new JsonFormatError(path, `expected ${what}, found ${kindOf(v)}`);
  if (INT_RE.test(text)) return BigInt(text);
  if (NUM_RE.test(text)) {
    const exact = exactInteger(text);
    if (exact !== null) return exact;
  }
  throw new JsonFormatError(path, `expected ${what}, found ${kindOf(v)}`);
}

/** The integer a decimal with fraction/exponent denotes, if it is one ("1.5e1" → 15n). */
function exactInteger(text: string): bigint | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) return null;
  const [, sign, int, frac = '', expStr = '0'] = m;
  const exp = Number(expStr) - frac.length;
  const digits = (int + frac).replace(/^0+(?=\d)/, '');
  if (exp >= 0) {
    if (exp > 400) return null;
    return BigInt(sign + digits + '0'.repeat(exp));
  }
  const cut = digits.length + exp;
  const tail = cut <= 0 ? digits : digits.slice(cut);
  if (/[1-9]/.test(tail)) return null;
  return BigInt(sign + (cut <= 0 ? '0' : digits.slice(0, cut)));
}

const RANGES: Partial<Record<ScalarType, [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

function scalarFromJson(field: Field, type: ScalarType, v: Json, path: string): ScalarValue {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected a string, found ${kindOf(v)}`);
      return v;
    case 'bytes':
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected bytes as a base64 string, found ${kindOf(v)}`);
      try {
        return base64ToBytes(v);
      } catch {
        throw new JsonFormatError(path, `expected bytes as base64, found ${kindOf(v)}`);
      }
    case 'bool':
      if (typeof v !== 'boolean') throw new JsonFormatError(path, `expected true or false, found ${kindOf(v)}`);
      return v;
    case 'float':
    case 'double': {
      let n: number;
      if (typeof v === 'string') {
        if (v === 'NaN') return NaN;
        if (v === 'Infinity') return Infinity;
        if (v === '-Infinity') return -Infinity;
        if (!NUM_RE.test(v)) throw new JsonFormatError(path, `expected a ${type} as a number or string, found ${kindOf(v)}`);
        n = Number(v);
      } else if (v instanceof JsonNumber) n = Number(v.text);
      else if (typeof v === 'number') n = v;
      else throw new JsonFormatError(path, `expected a ${type} as a number or string, found ${kindOf(v)}`);
      if (!Number.isFinite(n)) throw new JsonFormatError(path, `${type} value ${String(v)} is out of range`);
      if (type === 'float') {
        const f = Math.fround(n);
        if (!Number.isFinite(f)) throw new JsonFormatError(path, `value ${String(v)} is out of range for float`);
        return f;
      }
      return n;
    }
    case 'enum': {
      const e = field.resolvedType as Enum;
      if (fullNameOf(e as unknown as Type) === `${WKT}NullValue` && v === null) return 0;
      if (typeof v === 'string') {
        if (Object.prototype.hasOwnProperty.call(e.values, v)) return e.values[v];
        throw new JsonFormatError(path, `"${v}" is not a value of enum ${fullNameOf(e as unknown as Type)}`);
      }
      const n = integerFrom(v, `an enum ${fullNameOf(e as unknown as Type)} value name or number`, path);
      if (n < -(2n ** 31n) || n >= 2n ** 31n) throw new JsonFormatError(path, `enum number ${n} is out of range for int32`);
      return Number(n);
    }
    default: {
      const is64 = /64/.test(type);
      const what = is64 ? `an ${type} as a string or number` : `an ${type} as a number`;
      const n = integerFrom(v, what, path);
      const [min, max] = RANGES[type]!;
      if (n < min || n > max) throw new JsonFormatError(path, `value ${n} is out of range for ${type}`);
      try {
        return coerceScalar(type, n);
      } catch (e) {
        throw new JsonFormatError(path, (e as Error).message);
      }
    }
  }
}

function wellKnownFromJson(v: Json, type: Type, options: FromJsonOptions, path: string): FieldNode[] | null {
  const name = fullNameOf(type);
  if (!name.startsWith(WKT)) return null;
  const short = name.slice(WKT.length);
  const f = (n: number) => type.fieldsById[n];
  switch (short) {
    case 'Timestamp': {
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected a Timestamp as an RFC 3339 string, found ${kindOf(v)}`);
      const { seconds, nanos } = parseTimestamp(v, path);
      return secondsNanos(f(1), f(2), seconds, nanos);
    }
    case 'Duration': {
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected a Duration as a string like "1.5s", found ${kindOf(v)}`);
      const { seconds, nanos } = parseDuration(v, path);
      return secondsNanos(f(1), f(2), seconds, nanos);
    }
    case 'FieldMask': {
      if (typeof v !== 'string') throw new JsonFormatError(path, `expected a FieldMask as a string, found ${kindOf(v)}`);
      if (v === '') return [];
      return v.split(',').map((p) => {
        if (/_/.test(p)) throw new JsonFormatError(path, `field mask path "${p}" must be lowerCamelCase in JSON`);
        return scalarNode(
          f(1),
          p.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()),
        );
      });
    }
    case 'Empty':
      if (!isObject(v)) throw new JsonFormatError(path, `expected {} for google.protobuf.Empty, found ${kindOf(v)}`);
      if (Object.keys(v).length && !options.ignoreUnknownFields) throw new JsonFormatError(path, 'google.protobuf.Empty has no fields');
      return [];
    case 'Struct': {
      if (!isObject(v)) throw new JsonFormatError(path, `expected an object for google.protobuf.Struct, found ${kindOf(v)}`);
      const valueType = (f(1).resolvedType as Type) ?? type.root.lookupType('.google.protobuf.Value');
      void valueType;
      return Object.entries(v).map(([k, x]) => mapEntryNode(f(1), k, valueNodes(x, type, options, `${path}.${k}`)));
    }
    case 'ListValue': {
      if (!Array.isArray(v)) throw new JsonFormatError(path, `expected an array for google.protobuf.ListValue, found ${kindOf(v)}`);
      return v.map((x, i) => messageNode(f(1), valueNodes(x, type, options, `${path}[${i}]`)));
    }
    case 'Value':
      return valueNodes(v, type, options, path);
    case 'Any':
      return anyFromJson(v, type, options, path);
    default: {
      if (!WRAPPERS.has(short)) return null;
      const field = f(1);
      const x = scalarFromJson(field, scalarTypeOf(field)!, v, path);
      return isDefault(x) ? [] : [scalarNode(field, x as ScalarInput)];
    }
  }
}

/** The fields of a google.protobuf.Value for any JSON value. */
function valueNodes(v: Json, near: Type, options: FromJsonOptions, path: string): FieldNode[] {
  const valueType = fullNameOf(near) === `${WKT}Value` ? near : near.root.lookupType('.google.protobuf.Value');
  const f = (n: number) => valueType.fieldsById[n];
  if (v === null) return [scalarNode(f(1), 0)];
  if (typeof v === 'number' || v instanceof JsonNumber) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new JsonFormatError(path, `number ${String(v)} is out of range`);
    return [scalarNode(f(2), n)];
  }
  if (typeof v === 'string') return [scalarNode(f(3), v)];
  if (typeof v === 'boolean') return [scalarNode(f(4), v)];
  if (Array.isArray(v)) return [messageNode(f(6), wellKnownFromJson(v, f(6).resolvedType as Type, options, path)!)];
  return [messageNode(f(5), wellKnownFromJson(v, f(5).resolvedType as Type, options, path)!)];
}

function anyFromJson(v: Json, type: Type, options: FromJsonOptions, path: string): FieldNode[] {
  if (!isObject(v)) throw new JsonFormatError(path, `expected an object for google.protobuf.Any, found ${kindOf(v)}`);
  if (Object.keys(v).length === 0) return [];
  const url = v['@type'];
  if (typeof url !== 'string')
    throw new JsonFormatError(
      `${path}["@type"]`,
      `expected the "@type" of a google.protobuf.Any as a string, found ${url === undefined ? 'nothing' : kindOf(url)}`,
    );
  const typeName = url.slice(url.lastIndexOf('/') + 1);
  const inner = resolveAnyType(typeName, type, options.registry);
  if (!inner) throw new JsonFormatError(`${path}["@type"]`, `cannot resolve the type "${url}"`);
  let nodes: FieldNode[];
  if (isSpecialWkt(fullNameOf(inner))) {
    const rest = Object.keys(v).filter((k) => k !== '@type' && k !== 'value');
    if (rest.length)
      throw new JsonFormatError(`${path}.${rest[0]}`, `a google.protobuf.Any holding ${fullNameOf(inner)} has only "@type" and "value"`);
    if (!('value' in v)) throw new JsonFormatError(path, `a google.protobuf.Any holding ${fullNameOf(inner)} needs "value"`);
    nodes = messageFromJson(v['value'], inner, options, `${path}.value`);
  } else {
    const copy: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (k !== '@type') copy[k] = x;
    nodes = messageFromJson(copy, inner, options, path);
  }
  const bytes = encodeMessage(newRoot(inner, nodes), new Uint8Array(0));
  const out = [scalarNode(type.fieldsById[1], url)];
  if (bytes.length) out.push(scalarNode(type.fieldsById[2], bytes.slice()));
  return out;
}

function secondsNanos(sf: Field, nf: Field, seconds: bigint, nanos: number): FieldNode[] {
  const out: FieldNode[] = [];
  if (seconds !== 0n) out.push(scalarNode(sf, seconds));
  if (nanos !== 0) out.push(scalarNode(nf, nanos));
  return out;
}

/** Parses an RFC 3339 timestamp ("2024-01-02T03:04:05.123Z", offsets allowed) into seconds and nanos. */
export function parseTimestamp(s: string, path = '$'): { seconds: bigint; nanos: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) throw new JsonFormatError(path, `expected a Timestamp like "1972-01-01T10:00:20.021Z", found ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, se, frac, , sign, oh, om] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(se), 0);
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(se) > 59
  ) {
    throw new JsonFormatError(path, `${JSON.stringify(s)} is not a valid date and time`);
  }
  let seconds = BigInt(Math.floor(date.getTime() / 1000));
  if (sign) seconds -= BigInt((sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60));
  if (seconds < MIN_TS || seconds > MAX_TS) throw new JsonFormatError(path, `${JSON.stringify(s)} is outside 0001-01-01 to 9999-12-31`);
  return { seconds, nanos: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

/** Parses a Duration string ("1.5s", "-0.000001s") into seconds and nanos (same sign). */
export function parseDuration(s: string, path = '$'): { seconds: bigint; nanos: number } {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) throw new JsonFormatError(path, `expected a Duration like "1.5s", found ${JSON.stringify(s)}`);
  const neg = m[1] === '-';
  let seconds = BigInt(m[2]);
  let nanos = m[3] ? Number(m[3].padEnd(9, '0')) : 0;
  if (seconds > 315576000000n) throw new JsonFormatError(path, `duration ${JSON.stringify(s)} is outside ±315576000000s`);
  if (neg) {
    seconds = -seconds;
    nanos = -nanos;
  }
  return { seconds, nanos };
}

// ---------------------------------------------------------------------------------------------
// A JSON parser that keeps numbers exact and reports where it fails.

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses JSON text, keeping numbers as JsonNumber (exact text); rejects duplicate keys. */
export function parseJson(text: string): Json {
  let i = 0;
  let path = '$';
  const fail = (what: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const col = i - before.lastIndexOf('\n');
    throw new JsonFormatError(path, `invalid JSON at line ${line}, column ${col}: ${what}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(i)) i++;
  };
  const digitsEnd = (from: number, end: number): number => {
    let j = from;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
    return j;
  };
  /** End of the JSON number at i (at most 1000 characters are read), or -1 when none starts there. */
  const numberEnd = (): number => {
    const end = Math.min(text.length, i + 1000);
    let j = i;
    if (j < end && text.charCodeAt(j) === 0x2d) j++; // -
    if (j >= end) return -1;
    const first = text.charCodeAt(j);
    if (first === 0x30)
      j++; // a lone 0
    else if (first >= 0x31 && first <= 0x39) j = digitsEnd(j + 1, end);
    else return -1;
    if (j + 1 < end && text.charCodeAt(j) === 0x2e && isDigit(text.charCodeAt(j + 1))) j = digitsEnd(j + 2, end); // .digits
    if (j + 1 < end && (text.charCodeAt(j) | 0x20) === 0x65) {
      let k = j + 1; // after e / E
      const sign = text.charCodeAt(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (k < end && isDigit(text.charCodeAt(k))) j = digitsEnd(k + 1, end);
    }
    return j;
  };
  const value = (depth: number, at: string): Json => {
    path = at;
    if (depth > 200) fail('nested too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: Json } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const keyStart = i;
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) {
          i = keyStart;
          path = `${at}.${k}`;
          fail(`duplicate key ${JSON.stringify(k)}`);
        }
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[k] = value(depth + 1, `${at}.${k}`);
        path = at;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      while (true) {
        arr.push(value(depth + 1, `${at}[${arr.length}]`));
        path = at;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const numEnd = numberEnd();
    if (numEnd > i) {
      const num = text.slice(i, numEnd);
      i = numEnd;
      return new JsonNumber(num);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(c)}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('control character in string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('invalid escape in string');
    }
  };
  const v = value(0, '$');
  path = '$';
  ws();
  if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the JSON value`);
  return v;
}
