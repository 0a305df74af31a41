/** Helpers over protobufjs reflection objects: names, walking a namespace, the file an object came from, options by name, map fields and synthetic oneofs. */
import { MapField, Namespace } from 'protobufjs';
import type { Field, OneOf, ReflectionObject } from 'protobufjs';

/** Removes a leading dot from a protobufjs full name. */
export function stripDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

/** Visits every reflection object below a namespace (types, enums, services, fields of namespaces). */
export function walk(ns: Namespace, visit: (o: ReflectionObject) => void): void {
  for (const o of ns.nestedArray) {
    visit(o);
    if (o instanceof Namespace) walk(o, visit);
  }
}

/** The file a reflection object was declared in (the nearest ancestor with a filename). */
export function fileOf(o: ReflectionObject | null): string | undefined {
  for (let p: ReflectionObject | null = o; p; p = p.parent) if (p.filename) return p.filename;
  return undefined;
}

/**
 * A field's custom (or standard) option by name, e.g. `fieldOption(f, "(kik.validation.field_validation)")`
 * returns `{ mandatory: true, min_byte_length: 3 }`, and `fieldOption(f, "(kik.validation.field_validation).mandatory")`
 * returns `true`. Works for any reflection object with options (types, enums, enum values excluded).
 */
export function fieldOption(object: ReflectionObject, name: string): unknown {
  const flat = object.options;
  if (flat && Object.prototype.hasOwnProperty.call(flat, name)) return flat[name];
  // Rebuild the nested value from the parsed list, or from the flattened "(x).a.b" keys.
  const parsed = (object as ReflectionObject & { parsedOptions?: Record<string, unknown>[] | null }).parsedOptions;
  let found: unknown = undefined;
  const merge = (value: unknown): void => {
    found = found !== undefined && isPlainObject(found) && isPlainObject(value) ? { ...found, ...value } : value;
  };
  for (const entry of parsed ?? []) {
    for (const [k, v] of Object.entries(entry)) {
      if (k === name) merge(v);
      else if (name.startsWith(`${k}.`)) {
        let cur: unknown = v;
        for (const part of name.slice(k.length + 1).split('.')) cur = isPlainObject(cur) ? cur[part] : undefined;
        if (cur !== undefined) merge(cur);
      }
    }
  }
  if (found !== undefined) return found;
  if (flat) {
    const prefix = `${name}.`;
    const obj: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(flat)) {
      if (!k.startsWith(prefix)) continue;
      any = true;
      const parts = k.slice(prefix.length).split('.');
      let cur = obj;
      for (const p of parts.slice(0, -1)) cur = (cur[p] = isPlainObject(cur[p]) ? cur[p] : {}) as Record<string, unknown>;
      cur[parts[parts.length - 1]] = v;
    }
    if (any) return obj;
  }
  return undefined;
}

/** Whether a value is a plain object (not null, an array or bytes). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** True for a field that is a map (`map<K, V>`). */
export function isMapField(field: Field): boolean {
  return field.map || (field as unknown) instanceof MapField;
}

/** True for a oneof that protoc synthesized for a proto3 `optional` field. */
export function isSyntheticOneof(oneof: OneOf): boolean {
  return oneof.fieldsArray.length === 1 && !!oneof.fieldsArray[0].options?.['proto3_optional'];
}
