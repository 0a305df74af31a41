/**
 * Canonical proto3 JSON (ProtoJSON) printing, as protoc-generated runtimes print it
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
 *   with a JSON form of their own under "value"), Struct / Value / ListValue as plain JSON,
 *   wrappers as their value, FieldMask as "a.b,cD", Empty as {};
 * - an Any holding google.protobuf.Empty as {"@type": url}, as C++ JsonFormat (protoc's
 *   runtime) and protobuf-es print it; Go's protojson prints {"@type": url, "value": {}}, and
 *   fromJson reads both (docs/format-choices.md);
 * - MessageSet extensions as `[pkg.ext]` like other extensions;
 * - unknown fields are not printed (as protoc).
 * A message JSON cannot hold (a Timestamp out of range, an Any of a type not loaded, ...) is a
 * JsonPrintError naming the field path and the rule.
 */
import type { Enum, Field, Type } from 'protobufjs';
import type { MessageRoot, ScalarType, ScalarValue } from '../document/model';
import { defaultScalar } from '../document/build';
import { decodeMessage } from '../document/decode';
import { isStackOverflow } from '../document/stack';
import { bytesToBase64 } from '../wire/base64';
import { asMapField, mapEntryType, scalarTypeOf } from '../document/schema-info';
import type { SchemaRegistry } from '../schema/registry';
import { formatDoubleJson, formatFloatJson } from './float-format';
import { JsonPrintError, stringify } from './json-text';
import { fieldMaskPathFromJson, fieldMaskPathToJson, formatDuration, formatTimestamp, isSpecialWkt, WRAPPERS } from './json-well-known';
import {
  hasPresence,
  messageState,
  presentFields,
  type FieldItem,
  type FieldState,
  type MessageState,
  type ScalarItem,
} from './message-state';
import { enumName, fullNameOf, resolveAnyType, stripDot, WKT } from './type-lookup';

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

/** Converts a document to its canonical proto3 JSON value (a plain JS value; numbers may be -0). */
export function toJson(root: MessageRoot, options: ToJsonOptions = {}): unknown {
  if (!root.type) throw new JsonPrintError('$', 'no-schema', 'a message without a schema type has no JSON form');
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
  return isStackOverflow(e) ? new JsonPrintError('$', 'too-deep', 'the message nests too deep to convert (the call stack ran out)') : e;
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
  return scalarToJson(field, { kind: 'scalar', type, value: defaultScalar(type) });
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
          const camel = fieldMaskPathToJson(p);
          if (fieldMaskPathFromJson(camel) !== p)
            throw new JsonPrintError(
              path,
              'field-mask-path',
              `google.protobuf.FieldMask path "${p}" does not survive lowerCamelCase ("${camel}" reads back as "${fieldMaskPathFromJson(camel)}")`,
            );
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
          if (!Number.isFinite(n))
            throw new JsonPrintError(
              path,
              'value-number',
              `google.protobuf.Value number_value ${n} has no JSON number (only finite numbers do)`,
            );
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
  throw new JsonPrintError(
    path,
    'value-kind',
    'google.protobuf.Value has none of its kinds set (null, number, string, bool, struct or list)',
  );
}

function anyToJson(state: MessageState, type: Type, options: ToJsonOptions, path: string): unknown {
  const url = scalarOf(state, 1);
  const valueItem = state.fields.get(2)?.items[0] as ScalarItem | undefined;
  if (url === undefined || url === '') {
    if (!valueItem || (valueItem.value as Uint8Array).length === 0) return {};
    throw new JsonPrintError(path, 'any-type-url', 'google.protobuf.Any has a value but no type_url');
  }
  if (!String(url).includes('/'))
    throw new JsonPrintError(path, 'any-type-url', `google.protobuf.Any type_url "${String(url)}" has no "/" before the type name`);
  const typeName = String(url).slice(String(url).lastIndexOf('/') + 1);
  const inner = resolveAnyType(typeName, type, options.registry);
  if (!inner) throw new JsonPrintError(path, 'any-unknown-type', `google.protobuf.Any holds "${String(url)}", a type no loaded schema has`);
  let innerState: MessageState;
  // The decoder reads the value as the type its own occurrence named; when occurrences of the
  // Any merged (a later type_url, an earlier value), that reading is of another type: decode again.
  if (valueItem?.embedded && valueItem.embedded.typeName === fullNameOf(inner)) innerState = messageState(inner, valueItem.embedded.fields);
  else {
    const bytes = (valueItem?.value as Uint8Array | undefined) ?? new Uint8Array(0);
    try {
      innerState = messageState(inner, decodeMessage(bytes, inner).fields);
    } catch (e) {
      throw new JsonPrintError(
        `${path}.value`,
        'any-payload',
        `google.protobuf.Any value does not decode as ${typeName}: ${(e as Error).message}`,
      );
    }
  }
  const json = messageToJson(innerState, inner, options, path);
  if (fullNameOf(inner).startsWith(WKT) && isSpecialWkt(fullNameOf(inner))) return { '@type': String(url), value: json };
  return { '@type': String(url), ...(json as Record<string, unknown>) };
}
