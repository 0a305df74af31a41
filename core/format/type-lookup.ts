/**
 * Names and lookups the JSON and text formats share: full names without the leading dot, the
 * name an enum number prints under, and the message type an Any's type URL names.
 */
import type { Enum, Field, ReflectionObject, Type } from 'protobufjs';
import { fieldInfo, FieldKind } from '../document/schema-info';
import { wellKnownRegistry, type SchemaRegistry } from '../schema/registry';

/** The package of Google's well-known types, with its trailing dot. */
export const WKT = 'google.protobuf.';

/** A protobufjs full name (".pkg.T") without its leading dot. */
export function stripDot(s: string): string {
  return s.startsWith('.') ? s.slice(1) : s;
}

const fullNames = new WeakMap<object, string>();

/** A type's or enum's full name without the leading dot (cached: protobufjs computes it on each read). */
export function fullNameOf(type: Type): string {
  let n = fullNames.get(type);
  if (n === undefined) {
    n = stripDot(type.fullName);
    fullNames.set(type, n);
  }
  return n;
}

/** The first name declared for an enum number (protoc prints the first alias). */
export function enumName(e: Enum | null, n: number): string | undefined {
  if (!e) return undefined;
  let names = firstNames.get(e);
  if (!names) {
    names = new Map();
    for (const [k, val] of Object.entries(e.values)) if (!names.has(val)) names.set(val, k);
    firstNames.set(e, names);
  }
  return names.get(n);
}

const firstNames = new WeakMap<Enum, Map<number, string>>();

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

/** The file a reflection object was declared in (the nearest ancestor with a filename). */
function fileOf(o: ReflectionObject | null): string | null {
  for (let p = o; p; p = p.parent) if (p.filename) return p.filename;
  return null;
}

/**
 * Whether a field is "group-like" as protoc 36 decides it (descriptor.cc IsGroupLike): a
 * delimited message field (a proto2 group, or an editions field with DELIMITED encoding) whose
 * name is its type's name in lowercase, with the type declared beside the field in the same
 * file. Text format writes such a field under its type name (`RepeatedData { }`) and reads both
 * names; any other delimited field goes by its own name (`delimited { }`).
 */
export function isGroupLike(field: Field): boolean {
  if (fieldInfo(field).kind !== FieldKind.GROUP) return false;
  const type = field.resolvedType as Type;
  const declared = field.declaringField ?? field;
  if (declared.name !== type.name.toLowerCase()) return false;
  if (fileOf(type) !== fileOf(declared)) return false;
  return type.parent === declared.parent;
}

/** Whether a message type uses the MessageSet wire format (proto2 `option message_set_wire_format = true`). */
export function isMessageSet(type: Type | null): boolean {
  return type?.options?.['message_set_wire_format'] === true;
}
