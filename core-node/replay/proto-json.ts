/**
 * Canonical proto3 JSON for protobufjs messages (used by the transports and the mocks until
 * the shared core/format codec is wired in): lowerCamelCase names on output (either name on
 * input), 64-bit integers as strings, enums by name, bytes as base64, and the well-known types
 * Timestamp, Duration, wrappers, FieldMask, Struct/Value/ListValue, Empty and Any.
 */
import protobuf from 'protobufjs';
import type { Type, Enum, Field, Message } from 'protobufjs';

/** A protobufjs 64-bit value (long.js). */
export interface LongLike {
  toString(): string;
  isZero(): boolean;
}

interface LongStatic {
  fromValue(v: unknown): LongLike;
  fromString(s: string, unsigned?: boolean): LongLike;
  fromNumber(n: number): LongLike;
}

/** protobufjs's long.js constructor, typed for what this module uses. */
export const Long = protobuf.util.Long as unknown as LongStatic;

/** A JSON input that does not fit the message type; names the path where it went wrong. */
export class ProtoJsonError extends Error {
  override readonly name = 'ProtoJsonError';
}

/** Options for reading JSON. */
export interface FromJsonOptions {
  /** Ignore fields that the type does not have (livekit-server-sdk reads with this on). */
  ignoreUnknownFields?: boolean;
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const WRAPPERS: Record<string, string> = {
  'google.protobuf.DoubleValue': 'double', 'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64', 'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32', 'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool', 'google.protobuf.StringValue': 'string', 'google.protobuf.BytesValue': 'bytes',
};

/** lowerCamelCase JSON name of a field name (idempotent on camelCase names). */
export function jsonNameOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function snakeOf(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function fullName(t: Type | Enum): string {
  return t.fullName.replace(/^\./, '');
}

function b64(bytes: Uint8Array | readonly number[] | string): string {
  if (typeof bytes === 'string') return bytes;
  if (bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return Buffer.from(bytes as number[]).toString('base64');
}

function fromB64(s: string, path: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw new ProtoJsonError(`${path}: invalid base64`);
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function longToString(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v && typeof v === 'object' && 'low' in v) return Long.fromValue(v as never).toString();
  return String(v ?? 0);
}

function isDefault(field: Field, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (field.repeated) return Array.isArray(v) && v.length === 0;
  if (field.map) return Object.keys(v as object).length === 0;
  if (field.resolvedType instanceof protobuf.Type) return false;
  // oneof members and proto3 optional fields are emitted whenever they are set
  if (field.partOf) return false;
  if (typeof v === 'number') return v === 0 && !Object.is(v, -0);
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') return v === '';
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && 'low' in (v as object)) return Long.fromValue(v as never).isZero();
  return false;
}

function scalarToJson(field: Field, type: string, v: unknown): unknown {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Enum) {
    if (fullName(rt) === 'google.protobuf.NullValue') return null;
    const name = rt.valuesById[v as number];
    return name ?? v;
  }
  if (INT64.has(type)) return longToString(v);
  if (type === 'bytes') return b64(v as Uint8Array);
  if (type === 'double' || type === 'float') {
    const n = v as number;
    if (Number.isNaN(n)) return 'NaN';
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    return n;
  }
  return v;
}

function durationText(seconds: string, nanos: number): string {
  const neg = seconds.startsWith('-') || nanos < 0;
  const s = seconds.replace('-', '');
  const n = Math.abs(nanos);
  let frac = '';
  if (n) {
    frac = String(n).padStart(9, '0');
    frac = '.' + (frac.endsWith('000000') ? frac.slice(0, 3) : frac.endsWith('000') ? frac.slice(0, 6) : frac);
  }
  return `${neg ? '-' : ''}${s}${frac}s`;
}

function wktToJson(type: Type, msg: Record<string, unknown>): { ok: true; value: unknown } | { ok: false } {
  const name = fullName(type);
  if (name === 'google.protobuf.Timestamp') {
    const secs = Number(longToString(msg.seconds ?? 0));
    const nanos = Number(msg.nanos ?? 0);
    const iso = new Date(secs * 1000).toISOString().replace(/\.\d{3}Z$/, '');
    let frac = '';
    if (nanos) {
      frac = String(nanos).padStart(9, '0');
      frac = '.' + (frac.endsWith('000000') ? frac.slice(0, 3) : frac.endsWith('000') ? frac.slice(0, 6) : frac);
    }
    return { ok: true, value: `${iso}${frac}Z` };
  }
  if (name === 'google.protobuf.Duration') return { ok: true, value: durationText(longToString(msg.seconds ?? 0), Number(msg.nanos ?? 0)) };
  if (name in WRAPPERS) {
    const f = type.fields.value;
    return { ok: true, value: scalarToJson(f, WRAPPERS[name], msg.value ?? (f.typeDefault as unknown)) };
  }
  if (name === 'google.protobuf.FieldMask') return { ok: true, value: ((msg.paths as string[]) ?? []).map(jsonNameOf).join(',') };
  if (name === 'google.protobuf.Empty') return { ok: true, value: {} };
  if (name === 'google.protobuf.Struct') {
    const out: Record<string, unknown> = {};
    const vt = type.fields.fields.resolvedType as Type;
    for (const [k, v] of Object.entries((msg.fields as Record<string, unknown>) ?? {})) out[k] = messageToJson(vt, v as Message);
    return { ok: true, value: out };
  }
  if (name === 'google.protobuf.ListValue') {
    const vt = type.fields.values.resolvedType as Type;
    return { ok: true, value: ((msg.values as unknown[]) ?? []).map((v) => messageToJson(vt, v as Message)) };
  }
  if (name === 'google.protobuf.Value') {
    const k = (msg as { kind?: string }).kind ?? Object.keys(msg).find((x) => msg[x] !== undefined && x !== 'kind');
    if (!k || k === 'nullValue') return { ok: true, value: null };
    const f = type.fields[k];
    if (f.resolvedType instanceof protobuf.Type) return { ok: true, value: messageToJson(f.resolvedType, msg[k] as Message) };
    return { ok: true, value: msg[k] };
  }
  if (name === 'google.protobuf.Any') {
    const url = String(msg.type_url ?? msg.typeUrl ?? '');
    if (!url) return { ok: true, value: {} };
    const inner = type.root.lookup(url.slice(url.lastIndexOf('/') + 1));
    if (!(inner instanceof protobuf.Type)) throw new ProtoJsonError(`Any: unknown type ${url}`);
    const decoded = inner.decode(msg.value as Uint8Array);
    const j = messageToJson(inner, decoded);
    const wkt = wktToJson(inner, decoded as unknown as Record<string, unknown>);
    return { ok: true, value: wkt.ok ? { '@type': url, value: j } : { '@type': url, ...(j as object) } };
  }
  return { ok: false };
}

/** How JSON is written: field names as in the .proto (Twirp Go's default) or lowerCamelCase; unset fields too. */
export interface ToJsonOptions {
  /** Write fields that are unset / default (as protojson EmitUnpopulated: null for messages). */
  emitDefaults?: boolean;
  /** Use the .proto field names instead of lowerCamelCase JSON names. */
  protoNames?: boolean;
}

/** A message (protobufjs instance or plain object of the same shape) as canonical proto3 JSON. */
export function messageToJson(type: Type, message: Message | object, opts: ToJsonOptions = {}): unknown {
  const msg = message as Record<string, unknown>;
  const wkt = wktToJson(type, msg);
  if (wkt.ok) return wkt.value;
  const out: Record<string, unknown> = {};
  const nameOf = (f: Field): string => (opts.protoNames ? f.name : jsonNameOf(f.name));
  for (const field of type.fieldsArray) {
    field.resolve();
    // Oneof members and proto3 optional fields are set only when the message holds them itself
    // (protobufjs puts defaults on the prototype).
    const v = field.partOf && !Object.prototype.hasOwnProperty.call(msg, field.name) ? undefined : msg[field.name];
    if (!opts.emitDefaults && isDefault(field, v)) continue;
    if (v === undefined || v === null) {
      if (field.partOf) continue; // unset oneof member / proto3 optional: never written
      if (field.repeated) out[nameOf(field)] = [];
      else if (field.map) out[nameOf(field)] = {};
      else if (field.resolvedType instanceof protobuf.Type) out[nameOf(field)] = null;
      else out[nameOf(field)] = scalarToJson(field, field.type, field.typeDefault);
      continue;
    }
    const conv = (x: unknown): unknown => field.resolvedType instanceof protobuf.Type
      ? messageToJson(field.resolvedType, x as Message, opts)
      : scalarToJson(field, field.type, x);
    if (field.map) {
      const m: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = conv(x);
      out[nameOf(field)] = m;
    } else if (field.repeated) {
      out[nameOf(field)] = (v as unknown[]).map(conv);
    } else {
      out[nameOf(field)] = conv(v);
    }
  }
  return out;
}

function parseInt64(v: unknown, type: string, path: string): LongLike | number {
  if (typeof v !== 'string' && typeof v !== 'number') throw new ProtoJsonError(`${path}: expected an integer (string or number) for ${type}`);
  const s = String(v).trim();
  if (!/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isInteger(n)) throw new ProtoJsonError(`${path}: '${s}' is not an integer`);
  }
  const unsigned = type === 'uint64' || type === 'fixed64';
  const big = BigInt(/^-?\d+$/.test(s) ? s : String(Number(s)));
  if (unsigned ? big < 0n || big > 0xffffffffffffffffn : big < -(2n ** 63n) || big > 2n ** 63n - 1n) {
    throw new ProtoJsonError(`${path}: ${s} is out of range for ${type}`);
  }
  return Long.fromString(big.toString(), unsigned);
}

function scalarFromJson(field: Field, type: string, v: unknown, path: string): unknown {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Enum) {
    if (fullName(rt) === 'google.protobuf.NullValue') return 0;
    if (typeof v === 'string') {
      if (!(v in rt.values)) throw new ProtoJsonError(`${path}: unknown value '${v}' of enum ${fullName(rt)}`);
      return rt.values[v];
    }
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    throw new ProtoJsonError(`${path}: expected an enum name or number`);
  }
  if (INT64.has(type)) return parseInt64(v, type, path);
  if (INT32.has(type)) {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new ProtoJsonError(`${path}: expected an integer for ${type}`);
    const unsigned = type.startsWith('u') || type === 'fixed32';
    if (unsigned ? n < 0 || n > 0xffffffff : n < -0x80000000 || n > 0x7fffffff) throw new ProtoJsonError(`${path}: ${n} is out of range for ${type}`);
    return n;
  }
  if (type === 'double' || type === 'float') {
    if (typeof v === 'number') return v;
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    throw new ProtoJsonError(`${path}: expected a number`);
  }
  if (type === 'bool') {
    if (typeof v !== 'boolean') throw new ProtoJsonError(`${path}: expected true or false`);
    return v;
  }
  if (type === 'string') {
    if (typeof v !== 'string') throw new ProtoJsonError(`${path}: expected a string`);
    return v;
  }
  if (type === 'bytes') {
    if (typeof v !== 'string') throw new ProtoJsonError(`${path}: expected base64 bytes`);
    return fromB64(v, path);
  }
  throw new ProtoJsonError(`${path}: unsupported type ${type}`);
}

function parseTimestamp(v: unknown, path: string): { seconds: LongLike; nanos: number } {
  if (typeof v !== 'string') throw new ProtoJsonError(`${path}: expected an RFC 3339 timestamp string`);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  if (!m) throw new ProtoJsonError(`${path}: '${v}' is not an RFC 3339 timestamp`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new ProtoJsonError(`${path}: '${v}' is not a valid date`);
  const nanos = m[2] ? Number(m[2].slice(1).padEnd(9, '0')) : 0;
  return { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos };
}

function wktFromJson(type: Type, v: unknown, path: string, opts: FromJsonOptions): { ok: true; value: Record<string, unknown> } | { ok: false } {
  const name = fullName(type);
  if (name === 'google.protobuf.Timestamp') return { ok: true, value: parseTimestamp(v, path) };
  if (name === 'google.protobuf.Duration') {
    const m = typeof v === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null;
    if (!m) throw new ProtoJsonError(`${path}: expected a duration like "1.5s"`);
    const sign = m[1] ? -1 : 1;
    return { ok: true, value: { seconds: Long.fromString(`${m[1] ?? ''}${m[2]}`), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) } };
  }
  if (name in WRAPPERS) return { ok: true, value: { value: scalarFromJson(type.fields.value, WRAPPERS[name], v, path) } };
  if (name === 'google.protobuf.FieldMask') {
    if (typeof v !== 'string') throw new ProtoJsonError(`${path}: expected a field mask string`);
    return { ok: true, value: { paths: v === '' ? [] : v.split(',').map(snakeOf) } };
  }
  if (name === 'google.protobuf.Value') {
    const vt = type;
    if (v === null) return { ok: true, value: { nullValue: 0 } };
    if (typeof v === 'number') return { ok: true, value: { numberValue: v } };
    if (typeof v === 'string') return { ok: true, value: { stringValue: v } };
    if (typeof v === 'boolean') return { ok: true, value: { boolValue: v } };
    if (Array.isArray(v)) return { ok: true, value: { listValue: messageFromJsonObject(vt.fields.listValue.resolvedType as Type, v, path, opts) } };
    return { ok: true, value: { structValue: messageFromJsonObject(vt.fields.structValue.resolvedType as Type, v, path, opts) } };
  }
  if (name === 'google.protobuf.Struct') {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ProtoJsonError(`${path}: expected an object`);
    const vt = type.fields.fields.resolvedType as Type;
    const fields: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) fields[k] = messageFromJsonObject(vt, x, `${path}.${k}`, opts);
    return { ok: true, value: { fields } };
  }
  if (name === 'google.protobuf.ListValue') {
    if (!Array.isArray(v)) throw new ProtoJsonError(`${path}: expected an array`);
    const vt = type.fields.values.resolvedType as Type;
    return { ok: true, value: { values: v.map((x, i) => messageFromJsonObject(vt, x, `${path}[${i}]`, opts)) } };
  }
  if (name === 'google.protobuf.Any') {
    if (!v || typeof v !== 'object') throw new ProtoJsonError(`${path}: expected an object`);
    const o = v as Record<string, unknown>;
    const url = o['@type'];
    if (url === undefined) return { ok: true, value: {} };
    if (typeof url !== 'string') throw new ProtoJsonError(`${path}: @type must be a string`);
    const inner = type.root.lookup(url.slice(url.lastIndexOf('/') + 1));
    if (!(inner instanceof protobuf.Type)) throw new ProtoJsonError(`${path}: unknown type ${url}`);
    const rest = { ...o };
    delete rest['@type'];
    const isWkt = fullName(inner).startsWith('google.protobuf.') && wktFromJson(inner, rest.value, path, opts).ok;
    const msg = messageFromJson(inner, isWkt ? rest.value : rest, opts);
    return { ok: true, value: { type_url: url, typeUrl: url, value: inner.encode(msg).finish() } };
  }
  return { ok: false };
}

function messageFromJsonObject(type: Type, json: unknown, path: string, opts: FromJsonOptions): Record<string, unknown> {
  const wkt = wktFromJson(type, json, path, opts);
  if (wkt.ok) return wkt.value;
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ProtoJsonError(`${path || type.name}: expected an object for ${fullName(type)}`);
  const byName = new Map<string, Field>();
  for (const f of type.fieldsArray) {
    byName.set(f.name, f);
    byName.set(jsonNameOf(f.name), f);
    byName.set(snakeOf(f.name), f);
    if (typeof f.options?.json_name === 'string') byName.set(f.options.json_name, f);
  }
  const out: Record<string, unknown> = {};
  const oneofSeen = new Map<string, string>();
  for (const [key, v] of Object.entries(json as Record<string, unknown>)) {
    const field = byName.get(key);
    const p = path ? `${path}.${key}` : key;
    if (!field) {
      if (opts.ignoreUnknownFields) continue;
      throw new ProtoJsonError(`${p}: no field '${key}' in ${fullName(type)}`);
    }
    field.resolve();
    if (v === null && !(field.resolvedType && fullName(field.resolvedType) === 'google.protobuf.Value')) continue;
    if (field.partOf && field.partOf.oneof.length > 1) {
      const prev = oneofSeen.get(field.partOf.name);
      if (prev) throw new ProtoJsonError(`${p}: oneof ${field.partOf.name} already has ${prev}`);
      oneofSeen.set(field.partOf.name, key);
    }
    const conv = (x: unknown, pp: string): unknown => field.resolvedType instanceof protobuf.Type
      ? messageFromJsonObject(field.resolvedType, x, pp, opts)
      : scalarFromJson(field, field.type, x, pp);
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) throw new ProtoJsonError(`${p}: expected an object for a map`);
      const m: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = conv(x, `${p}.${k}`);
      out[field.name] = m;
    } else if (field.repeated) {
      if (!Array.isArray(v)) throw new ProtoJsonError(`${p}: expected an array`);
      out[field.name] = v.map((x, i) => conv(x, `${p}[${i}]`));
    } else {
      out[field.name] = conv(v, p);
    }
  }
  return out;
}

/** Reads canonical proto3 JSON (either field name style) into a protobufjs message. */
export function messageFromJson(type: Type, json: unknown, opts: FromJsonOptions = {}): Message {
  const plain = messageFromJsonObject(type, json, '', opts);
  return type.fromObject(plain);
}

/** Encodes JSON text as the binary message (throws ProtoJsonError on bad input). */
export function jsonTextToBinary(type: Type, text: string, opts: FromJsonOptions = {}): Uint8Array {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProtoJsonError(`not JSON: ${(e as Error).message}`);
  }
  return type.encode(messageFromJson(type, json, opts)).finish();
}

/** Decodes binary bytes and renders them as canonical proto3 JSON. */
export function binaryToJson(type: Type, bytes: Uint8Array): unknown {
  return messageToJson(type, type.decode(bytes));
}
