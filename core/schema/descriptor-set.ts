/**
 * Binary FileDescriptorSets (protoc --descriptor_set_out, buf build): decoding one, adding its
 * files' definitions to a protobufjs root, and putting back the custom options protobufjs'
 * descriptor reader drops.
 */
import { Enum, Field, Reader, Service, Type } from 'protobufjs';
import type { ReflectionObject, Namespace, Root } from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { isPlainObject } from './reflection';
import { SchemaError } from './schema-error';

/** The parts of a decoded FileDescriptorProto used here. */
export interface FileDescriptorLike {
  name?: string;
  package?: string;
  dependency?: string[];
  syntax?: string;
  edition?: number;
  messageType?: unknown[];
  enumType?: unknown[];
  extension?: { type?: number; typeName?: string }[];
  service?: unknown[];
  options?: unknown;
}

/** A decoded FileDescriptorSet. */
export interface DescriptorSetLike {
  file?: FileDescriptorLike[];
}

/**
 * Decodes a binary FileDescriptorSet; a SchemaError naming `sourceName` when the bytes do not
 * decode. Values outside a closed enum (a field type of 99) are kept in each object's
 * `$unknowns`, so the checks can name them instead of protobufjs' silent default.
 */
export function decodeDescriptorSet(bytes: Uint8Array, sourceName: string): DescriptorSetLike {
  try {
    const reader = Reader.create(bytes);
    reader.discardUnknown = false;
    return descriptor.FileDescriptorSet.decode(reader) as unknown as DescriptorSetLike;
  } catch (e) {
    throw new SchemaError(`not a FileDescriptorSet: ${e instanceof Error ? e.message : String(e)}`, { file: sourceName });
  }
}

/** Adds one FileDescriptorProto's definitions to a root (as Root.fromDescriptor does, file by file, names kept). */
export function addFileDescriptor(root: Root, fd: FileDescriptorLike, fileName: string): void {
  const edition = fd.syntax === 'proto3' ? 'proto3' : fd.syntax === 'editions' ? editionName(fd.edition) : 'proto2';
  const ctx = { edition, keepCase: true };
  const ns: Namespace = fd.package ? root.define(fd.package) : root;
  const groupNames = new Set((fd.extension ?? []).filter((f) => f.type === 10 && f.typeName).map((f) => f.typeName!.split('.').pop()));
  const add = (o: ReflectionObject): void => {
    o.filename = fileName;
    ns.add(o);
  };
  for (const m of fd.messageType ?? []) {
    const t = Type.fromDescriptor(m as Parameters<typeof Type.fromDescriptor>[0], ctx);
    if (groupNames.has(t.name)) (t as Type & { group?: boolean }).group = true;
    add(t);
  }
  for (const e of fd.enumType ?? []) add(Enum.fromDescriptor(e as Parameters<typeof Enum.fromDescriptor>[0], ctx));
  for (const x of fd.extension ?? []) add(Field.fromDescriptor(x as Parameters<typeof Field.fromDescriptor>[0], ctx));
  for (const s of fd.service ?? []) add(Service.fromDescriptor(s as Parameters<typeof Service.fromDescriptor>[0], ctx));
}

/** The parts of a decoded DescriptorProto and FieldDescriptorProto the checks read. */
interface MessageLike {
  name?: string;
  field?: FieldLike[];
  extension?: FieldLike[];
  nestedType?: MessageLike[];
  enumType?: { name?: string; value?: { name?: string }[] }[];
}
interface FieldLike {
  name?: string;
  number?: number;
  type?: number;
  typeName?: string;
  /** Raw fields the decoder kept (a type outside the enum lands here). */
  $unknowns?: Uint8Array[];
}

/** The field type a FieldDescriptorProto holds: its decoded `type`, or a value the enum does not know (kept raw). */
function rawFieldType(f: FieldLike): number | undefined {
  if (Object.prototype.hasOwnProperty.call(f, 'type')) return f.type;
  for (const raw of f.$unknowns ?? []) {
    const r = Reader.create(raw);
    if (r.uint32() === 5 << 3 /* type, varint */) return r.int32();
  }
  return f.typeName ? undefined : 0;
}

/**
 * What protoc would never write into a descriptor set and protobufjs would load anyway: a field
 * type outside FieldDescriptorProto.Type (1 to 18), a field number out of range, the name
 * "__proto__". One message per problem, naming the file in the set and the field.
 */
export function descriptorProblems(fd: FileDescriptorLike, numberProblem: (n: number) => string | null): string[] {
  const out: string[] = [];
  const pkg = fd.package ? `${fd.package}.` : '';
  const name = (n: string | undefined, where: string) => {
    if (n !== undefined && n.split('.').includes('__proto__'))
      out.push(`${where}: the name "__proto__" cannot be used: JavaScript objects cannot hold it as a key`);
  };
  name(fd.package, 'package');
  const fields = (list: FieldLike[] | undefined, scope: string) => {
    for (const f of list ?? []) {
      const where = `field ${scope}${f.name ?? '?'}`;
      name(f.name, where);
      const type = rawFieldType(f);
      if (type === 0) out.push(`${where} has neither a type nor a type name`);
      else if (type !== undefined && !(Number.isInteger(type) && type >= 1 && type <= 18))
        out.push(`${where} has type ${type}, which is not a field type (FieldDescriptorProto.Type is 1 to 18)`);
      const problem = f.number === undefined ? null : numberProblem(f.number);
      if (problem) out.push(`${where} has number ${f.number}: ${problem}`);
    }
  };
  const message = (m: MessageLike, scope: string) => {
    const full = `${scope}${m.name ?? '?'}`;
    name(m.name, `message ${full}`);
    fields(m.field, `${full}.`);
    fields(m.extension, `${full}.`);
    for (const n of m.nestedType ?? []) message(n, `${full}.`);
    for (const e of m.enumType ?? []) for (const v of e.value ?? []) name(v.name, `enum value ${full}.${e.name ?? '?'}.${v.name ?? '?'}`);
  };
  for (const m of (fd.messageType ?? []) as MessageLike[]) message(m, pkg);
  fields(fd.extension as FieldLike[] | undefined, pkg);
  return out;
}

/** protobufjs' edition string for a descriptor Edition number. */
function editionName(n: number | undefined): string {
  switch (n) {
    case 1000:
      return '2023';
    case 1001:
      return '2024';
    case 1002:
      return '2026';
    default:
      throw new Error(`unsupported edition ${n}`);
  }
}

/** A decoded descriptor message as a plain object (snake_case keys). */
type DescriptorObject = Record<string, unknown>;

function list(v: unknown): DescriptorObject[] {
  return Array.isArray(v) ? (v as DescriptorObject[]) : [];
}

/** The custom options in a decoded *Options object: `[(full.name), value]` (extension fields are named ".full.name"). */
function customOptions(options: unknown): [string, unknown][] {
  if (!options || typeof options !== 'object') return [];
  return Object.entries(options as Record<string, unknown>)
    .filter(([k]) => k.startsWith('.'))
    .map(([k, v]) => [`(${k.slice(1)})`, v]);
}

/** Sets `name` and its nested leaves (`name.a.b`) in a flattened options object, as protobufjs' parser does. */
function flattenInto(target: Record<string, unknown>, name: string, value: unknown): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) flattenInto(target, `${name}.${k}`, v);
  } else {
    target[name] = value;
  }
}

/** Puts custom options on a reflection object the way a .proto parse leaves them. */
function applyOptions(object: ReflectionObject, options: unknown): void {
  const custom = customOptions(options);
  if (!custom.length) return;
  const o = object as ReflectionObject & { parsedOptions: Record<string, unknown>[] | null };
  o.options ??= {};
  o.parsedOptions ??= [];
  for (const [name, value] of custom) {
    flattenInto(o.options, name, value);
    o.parsedOptions.push({ [name]: value });
  }
}

/**
 * Custom options in a descriptor set are extension fields of the *Options messages, which
 * protobufjs' descriptor reader drops. Once the set's own extensions are loaded, the set is
 * decoded again with this registry's descriptor types, and every custom option found is put
 * on its reflection object as a .proto parse would (`options` flattened, `parsedOptions`),
 * named with its full name: `(kik.validation.field_validation)`. `setType` is the registry's
 * google.protobuf.FileDescriptorSet (nothing is done without it).
 */
export function applyCustomOptions(root: Root, setType: Type | undefined, bytes: Uint8Array, fileNames: Set<string>): void {
  if (!setType || fileNames.size === 0) return;
  let decoded: DescriptorObject;
  try {
    decoded = setType.toObject(setType.decode(bytes), {
      longs: Number,
      enums: String,
      bytes: String,
      defaults: false,
    }) as DescriptorObject;
  } catch {
    return; // the standard options were read already; custom ones are a bonus
  }
  const find = (name: string): ReflectionObject | null => {
    try {
      return root.lookup(name);
    } catch {
      return null;
    }
  };
  const visitMessage = (m: DescriptorObject, scope: string): void => {
    const full = `${scope}.${String(m['name'])}`;
    const t = find(full);
    if (!(t instanceof Type)) return;
    applyOptions(t, m['options']);
    for (const f of list(m['field'])) {
      const field = t.fields[String(f['name'])];
      if (field) applyOptions(field, f['options']);
    }
    for (const o of list(m['oneof_decl'])) {
      const oneof = t.oneofs?.[String(o['name'])];
      if (oneof) applyOptions(oneof, o['options']);
    }
    for (const x of list(m['extension'])) visitExtension(x, full);
    for (const n of list(m['nested_type'])) visitMessage(n, full);
    for (const e of list(m['enum_type'])) visitEnum(e, full);
  };
  const visitEnum = (e: DescriptorObject, scope: string): void => {
    const en = find(`${scope}.${String(e['name'])}`);
    if (!(en instanceof Enum)) return;
    applyOptions(en, e['options']);
    for (const v of list(e['value'])) {
      const custom = customOptions(v['options']);
      if (!custom.length) continue;
      const holder = en as Enum & { valuesOptions?: Record<string, Record<string, unknown>> };
      holder.valuesOptions ??= {};
      const opts = (holder.valuesOptions[String(v['name'])] ??= {});
      for (const [k, val] of custom) flattenInto(opts, k, val);
    }
  };
  const visitExtension = (x: DescriptorObject, scope: string): void => {
    const f = find(`${scope}.${String(x['name'])}`);
    if (f instanceof Field) {
      applyOptions(f, x['options']);
      if (f.extensionField) applyOptions(f.extensionField, x['options']);
    }
  };
  for (const file of list(decoded['file'])) {
    if (!fileNames.has(String(file['name']))) continue;
    const scope = file['package'] ? `.${String(file['package'])}` : '';
    for (const m of list(file['message_type'])) visitMessage(m, scope);
    for (const e of list(file['enum_type'])) visitEnum(e, scope);
    for (const x of list(file['extension'])) visitExtension(x, scope);
    for (const svc of list(file['service'])) {
      const sv = find(`${scope}.${String(svc['name'])}`);
      if (!(sv instanceof Service)) continue;
      applyOptions(sv, svc['options']);
      for (const md of list(svc['method'])) {
        const method = sv.methods[String(md['name'])];
        if (method) applyOptions(method, md['options']);
      }
    }
  }
}
