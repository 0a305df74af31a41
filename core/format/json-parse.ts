/**
 * Reading proto3 JSON into a document (the inverse of json-print.ts), as protobuf-es v2 and the
 * ProtoJSON spec read it.
 *
 * fromJson accepts both JSON and proto field names, numbers as numbers or strings (64-bit ones
 * as plain decimal strings), base64 in either alphabet, enum names or numbers (a closed enum
 * only its declared numbers), `null` as "not set" (for google.protobuf.Value and NullValue, in
 * lists and maps too, a null value); it builds a document root with fields in field number
 * order (packed where the field packs), as protoc would encode it. An Any holding Empty is read
 * with or without "value": {}. Messages nest at most 100 deep (protobuf-es and C++ stop there
 * too), counting a google.protobuf.Value as a level. With ignoreUnknownFields, unknown keys and
 * unknown enum value names are dropped. Errors are JsonFormatError naming the JSON path:
 * `at $.participants[2].joinedAt: ...`.
 */
import type { Field, Type } from 'protobufjs';
import type { FieldNode, MessageRoot, ScalarValue } from '../document/model';
import { encodeMessage } from '../document/encode';
import { isStackOverflow } from '../document/stack';
import { mapEntryNode, messageNode, newRoot, packedNode, scalarNode, type ScalarInput } from '../document/build';
import { asMapField, fieldInfo, FieldKind, mapEntryType, scalarTypeOf } from '../document/schema-info';
import type { SchemaRegistry } from '../schema/registry';
import { isDefault, isObject, kindOf, scalarFromJson, SKIPPED } from './json-parse-scalars';
import { JsonFormatError, JsonNumber, parseJson, type Json } from './json-text';
import { fieldMaskPathFromJson, isSpecialWkt, parseDuration, parseTimestamp, WRAPPERS } from './json-well-known';
import { messageSetExtension, messageSetItemNode } from './message-set';
import { fullNameOf, isMessageSet, resolveAnyType, stripDot, WKT } from './type-lookup';
import { appendAll } from '../wire/append';

/** Options of fromJson. */
export interface FromJsonOptions {
  /** Resolves Any type URLs and `[pkg.ext]` names (default: the message type's own root). */
  registry?: SchemaRegistry;
  /** Skip fields the type does not have, and enum value names an enum does not have, instead of failing (as protojson's DiscardUnknown). */
  ignoreUnknownFields?: boolean;
}

/** How deep messages may nest in JSON input: 100, as protobuf-es and C++ JsonFormat allow. */
export const JSON_MAX_DEPTH = 100;

/**
 * Builds a document root of `type` from proto3 JSON (a string, parsed keeping big numbers
 * exact, or an already-parsed JS value). Throws JsonFormatError naming the JSON path.
 */
export function fromJson(json: string | unknown, type: Type, options: FromJsonOptions = {}): MessageRoot {
  const value = typeof json === 'string' ? parseJson(json) : (json as Json);
  try {
    return newRoot(type, messageFromJson(value, type, options, '$', 1));
  } catch (e) {
    if (isStackOverflow(e)) throw new JsonFormatError('$', 'the value nests too deep to convert (the call stack ran out)');
    throw e;
  }
}

function fieldForKey(type: Type, key: string, options: FromJsonOptions): Field | undefined {
  if (key.startsWith('[') && key.endsWith(']')) {
    const name = key.slice(1, -1);
    if (options.registry) {
      const f = options.registry.findExtension(name);
      if (f && f.parent === type) return f;
    }
    const own = type.fieldsArray.find((f) => f.declaringField && stripDot(f.declaringField.fullName) === name);
    return own ?? (isMessageSet(type) ? (messageSetExtension(type, name) ?? undefined) : undefined);
  }
  return type.fieldsArray.find((f) => !f.declaringField && (f.jsonName === key || f.name === key));
}

function checkDepth(depth: number, path: string): void {
  if (depth > JSON_MAX_DEPTH) throw new JsonFormatError(path, `messages nest deeper than ${JSON_MAX_DEPTH} levels`);
}

function messageFromJson(v: Json, type: Type, options: FromJsonOptions, path: string, depth: number): FieldNode[] {
  checkDepth(depth, path);
  const special = wellKnownFromJson(v, type, options, path, depth);
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
    if (value === null && !acceptsNull(field)) continue;
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
  const messageSet = isMessageSet(type);
  for (const { field, value, path: p } of byField) {
    const nodes = fieldFromJson(field, value, options, p, depth);
    // A MessageSet holds its extensions as items (group 1: type_id, message), as protoc writes them.
    if (messageSet && field.declaringField)
      appendAll(
        out,
        nodes.map((n) => (n.value.kind === 'message' ? messageSetItemNode(field, n.value.fields) : n)),
      );
    else appendAll(out, nodes);
  }
  return out;
}

/** Whether a value of this type takes JSON null as a value: google.protobuf.Value and NullValue (singular, in lists and in maps). */
function nullIsValue(field: Field): boolean {
  const rt = field.resolvedType as unknown as Type | null;
  if (!rt) return false;
  const n = fullNameOf(rt);
  return n === `${WKT}Value` || n === `${WKT}NullValue`;
}

/** Fields whose JSON null is a value rather than "not set": singular Value and NullValue fields. */
function acceptsNull(field: Field): boolean {
  return !field.repeated && !asMapField(field) && nullIsValue(field);
}

/** A scalar for a field, or null when an ignored unknown enum value drops it. */
function scalarOrSkip(field: Field, type: NonNullable<ReturnType<typeof scalarTypeOf>>, v: Json, path: string, options: FromJsonOptions) {
  const x = scalarFromJson(field, type, v, path, options.ignoreUnknownFields === true);
  return x === SKIPPED ? null : x;
}

function fieldFromJson(field: Field, value: Json, options: FromJsonOptions, path: string, depth: number): FieldNode[] {
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
      } else key = scalarFromJson(keyField, keyType, keyType === 'string' ? k : (k as Json), p) as ScalarValue;
      if (val === null && !nullIsValue(valueField)) throw new JsonFormatError(p, 'a map value cannot be null');
      const vType = scalarTypeOf(valueField);
      if (vType) {
        const x = scalarOrSkip(valueField, vType, val, p, options);
        if (x !== null) nodes.push(mapEntryNode(field, key as ScalarInput, x as ScalarInput));
      } else
        nodes.push(mapEntryNode(field, key as ScalarInput, messageFromJson(val, valueField.resolvedType as Type, options, p, depth + 1)));
    }
    return nodes;
  }
  if (field.repeated) {
    if (!Array.isArray(value))
      throw new JsonFormatError(path, `expected an array for repeated field "${field.name}", found ${kindOf(value)}`);
    const nullOk = nullIsValue(field);
    if (info.kind === FieldKind.SCALAR) {
      const values: ScalarValue[] = [];
      value.forEach((x, i) => {
        if (x === null && !nullOk) throw new JsonFormatError(`${path}[${i}]`, 'a repeated field cannot hold null');
        const s = scalarOrSkip(field, info.scalar!, x, `${path}[${i}]`, options);
        if (s !== null) values.push(s);
      });
      if (values.length === 0) return [];
      if (info.packable && field.packed) return [packedNode(field, values as ScalarInput[])];
      return values.map((x) => scalarNode(field, x as ScalarInput));
    }
    return value.map((x, i) => {
      if (x === null && !nullOk) throw new JsonFormatError(`${path}[${i}]`, 'a repeated field cannot hold null');
      return messageNode(field, messageFromJson(x, info.messageType!, options, `${path}[${i}]`, depth + 1));
    });
  }
  if (info.kind === FieldKind.SCALAR) {
    const x = scalarOrSkip(field, info.scalar!, value, path, options);
    if (x === null || (!field.hasPresence && isDefault(x))) return [];
    return [scalarNode(field, x as ScalarInput)];
  }
  return [messageNode(field, messageFromJson(value, info.messageType!, options, path, depth + 1))];
}

function wellKnownFromJson(v: Json, type: Type, options: FromJsonOptions, path: string, depth: number): FieldNode[] | null {
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
        return scalarNode(f(1), fieldMaskPathFromJson(p));
      });
    }
    case 'Struct':
      if (!isObject(v)) throw new JsonFormatError(path, `expected an object for google.protobuf.Struct, found ${kindOf(v)}`);
      return Object.entries(v).map(([k, x]) => mapEntryNode(f(1), k, valueNodes(x, type, options, `${path}.${k}`, depth)));
    case 'ListValue':
      if (!Array.isArray(v)) throw new JsonFormatError(path, `expected an array for google.protobuf.ListValue, found ${kindOf(v)}`);
      return v.map((x, i) => messageNode(f(1), valueNodes(x, type, options, `${path}[${i}]`, depth)));
    case 'Value':
      return valueNodes(v, type, options, path, depth - 1);
    case 'Any':
      return anyFromJson(v, type, options, path, depth);
    default: {
      if (!WRAPPERS.has(short)) return null;
      const field = f(1);
      const x = scalarFromJson(field, scalarTypeOf(field)!, v, path) as ScalarValue;
      return isDefault(x) ? [] : [scalarNode(field, x as ScalarInput)];
    }
  }
}

/** The fields of a google.protobuf.Value for any JSON value; each Value counts as a level (as protobuf-es counts it). */
function valueNodes(v: Json, near: Type, options: FromJsonOptions, path: string, depth: number): FieldNode[] {
  checkDepth(depth + 1, path);
  const valueType = fullNameOf(near) === `${WKT}Value` ? near : near.root.lookupType('.google.protobuf.Value');
  const f = (n: number) => valueType.fieldsById[n];
  if (v === null) return [scalarNode(f(1), 0)];
  if (typeof v === 'number' || v instanceof JsonNumber) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new JsonFormatError(path, `number ${String(v)} is out of range`);
    return [scalarNode(f(2), n)];
  }
  if (typeof v === 'string') return [scalarNode(f(3), scalarFromJson(f(3), 'string', v, path) as string)];
  if (typeof v === 'boolean') return [scalarNode(f(4), v)];
  if (Array.isArray(v)) return [messageNode(f(6), wellKnownFromJson(v, f(6).resolvedType as Type, options, path, depth + 1)!)];
  return [messageNode(f(5), wellKnownFromJson(v, f(5).resolvedType as Type, options, path, depth + 1)!)];
}

function anyFromJson(v: Json, type: Type, options: FromJsonOptions, path: string, depth: number): FieldNode[] {
  if (!isObject(v)) throw new JsonFormatError(path, `expected an object for google.protobuf.Any, found ${kindOf(v)}`);
  if (Object.keys(v).length === 0) return [];
  const url = v['@type'];
  const at = `${path}["@type"]`;
  if (typeof url !== 'string')
    throw new JsonFormatError(
      at,
      `expected the "@type" of a google.protobuf.Any as a string, found ${url === undefined ? 'nothing' : kindOf(url)}`,
    );
  if (!url.includes('/')) throw new JsonFormatError(at, `the type URL "${url}" has no "/" (write it as "type.googleapis.com/${url}")`);
  const typeName = url.slice(url.lastIndexOf('/') + 1);
  const inner = resolveAnyType(typeName, type, options.registry);
  if (!inner) throw new JsonFormatError(at, `cannot resolve the type "${url}"`);
  const innerName = fullNameOf(inner);
  let nodes: FieldNode[];
  if (isSpecialWkt(innerName) || (innerName === `${WKT}Empty` && 'value' in v)) {
    // A type with a JSON form of its own sits under "value"; so may Empty ({"value": {}}, as Go writes it).
    const rest = Object.keys(v).filter((k) => k !== '@type' && k !== 'value');
    if (rest.length)
      throw new JsonFormatError(`${path}.${rest[0]}`, `a google.protobuf.Any holding ${innerName} has only "@type" and "value"`);
    if (!('value' in v)) throw new JsonFormatError(path, `a google.protobuf.Any holding ${innerName} needs "value"`);
    nodes = messageFromJson(v['value'], inner, options, `${path}.value`, depth + 1);
  } else {
    const copy: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (k !== '@type') copy[k] = x;
    nodes = messageFromJson(copy, inner, options, path, depth + 1);
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
