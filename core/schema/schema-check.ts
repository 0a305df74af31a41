/**
 * The checks protoc makes on a schema that protobufjs does not, each reported as protoc words
 * it, at file:line:column for .proto sources: field numbers (1 to 536870911, not 19000 to 19999),
 * extension numbers inside the extended type's declared ranges, the first value of an open enum
 * (and of an enum used as a map value) being zero, no explicit defaults in proto3, JSON name
 * conflicts (protoc 36's rule: an error unless the message has legacy JSON best effort and a
 * default name is involved), group names starting with a capital letter, and names protobufjs
 * cannot hold ("__proto__", which protoc accepts but a JavaScript object cannot key), editions
 * features set where descriptor.proto does not let them be, and closed enums with implicit presence.
 */
import type { Root } from 'protobufjs';
import { Enum, Field, Namespace, Type } from 'protobufjs';
import { scanDeclarations, type FieldDecl, type ProtoDeclarations } from './proto-declarations';
import { positionOf, type Token } from './proto-source';
import { fileOf, isMapField, stripDot, walk } from './reflection';
import { SchemaError } from './schema-error';

/** The largest field number (2^29 - 1). */
export const MAX_FIELD_NUMBER = 536870911;

/** Reports a problem at a token of a file (or at the file alone). */
type Report = (detail: string, at?: Token) => void;

/** Field-number problems protoc reports, or null. */
export function fieldNumberProblem(n: number): string | null {
  if (n <= 0) return 'Field numbers must be positive integers.';
  if (n > MAX_FIELD_NUMBER) return `Field numbers cannot be greater than ${MAX_FIELD_NUMBER}.`;
  if (n >= 19000 && n <= 19999) return 'Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.';
  return null;
}

/** protoc's ToJsonName: underscores dropped, the letter after each upper-cased. */
export function defaultJsonName(name: string): string {
  let out = '';
  let up = false;
  for (const c of name) {
    if (c === '_') up = true;
    else {
      out += up ? c.toUpperCase() : c;
      up = false;
    }
  }
  return out;
}

/** Where each FeatureSet field may be set (its `targets` in descriptor.proto of protoc 36). */
const FEATURE_TARGETS: Record<string, readonly string[]> = {
  field_presence: ['field', 'file'],
  enum_type: ['enum', 'file'],
  repeated_field_encoding: ['field', 'file'],
  utf8_validation: ['field', 'file'],
  message_encoding: ['field', 'file'],
  json_format: ['message', 'enum', 'file'],
};

/** A message's or enum's path within its file ("M.N"), without the package. */
function scopeOf(o: Type | Enum, pkg: string): string {
  const full = stripDot(o.fullName);
  return pkg && full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : full;
}

/**
 * Checks the definitions a .proto file added to a resolved root; `source` gives positions.
 * Returns one SchemaError per problem.
 */
export function checkProtoFile(root: Root, file: string, source: string): SchemaError[] {
  const decls = scanDeclarations(source);
  const errors: SchemaError[] = [];
  const report: Report = (detail, at) => {
    const p = at ? positionOf(source, at.offset) : undefined;
    errors.push(new SchemaError(detail, { file, line: p?.line, column: p?.column }));
  };
  for (const n of decls.names) {
    if (n.text.split('.').includes('__proto__'))
      report('The name "__proto__" cannot be used here: JavaScript objects cannot hold it as a key, so its definitions would be lost.', n);
  }
  const syntax = decls.syntax ? decls.syntax.text.slice(1, -1) : 'proto2';
  for (const d of decls.fields) {
    if (d.group && /^[a-z]/.test(d.name.text)) report('Group names must start with a capital letter.', d.name);
  }
  for (const o of decls.options) {
    const feature = /^features\.(\w+)$/.exec(o.name)?.[1];
    const targets = feature ? FEATURE_TARGETS[feature] : undefined;
    if (targets && !targets.includes(o.target))
      report(
        `Option google.protobuf.FeatureSet.${feature} cannot be set on an entity of type \`${o.target === 'enum value' ? 'enum entry' : o.target}\`.`,
        o.at,
      );
  }
  checkDefinitions(root, file, decls, syntax, report);
  return errors;
}

/** The semantic checks over the objects one file defined (positions from `decls` when given). */
export function checkDefinitions(root: Root, file: string, decls: ProtoDeclarations | null, syntax: string, report: Report): void {
  const pkg = decls?.package?.text ?? '';
  const fieldDecl = (scope: string, name: string, extension: boolean): FieldDecl | undefined =>
    decls?.fields.find((d) => d.scope === scope && d.name.text === name && !!d.extendee === extension);
  walk(root, (o) => {
    if (fileOf(o) !== file) return;
    if (o instanceof Type) {
      const scope = scopeOf(o, pkg);
      const own = o.fieldsArray.filter((f) => !f.declaringField && f.extend === undefined);
      for (const f of own) {
        const d = fieldDecl(scope, f.name, false) ?? fieldDecl(scope, nameAsWritten(f), false);
        const problem = fieldNumberProblem(f.id);
        if (problem) report(problem, d?.number);
        if (syntax === 'proto3' && f.options?.['default'] !== undefined)
          report('Explicit default values are not allowed in proto3.', d?.options.get('default') ?? d?.name);
        const presence = (f as unknown as { _features?: { field_presence?: string } })._features?.field_presence;
        const enumFeatures =
          f.resolvedType instanceof Enum ? (f.resolvedType as unknown as { _features?: { enum_type?: string } })._features : undefined;
        if (presence === 'IMPLICIT' && !f.repeated && !isMapField(f) && enumFeatures?.enum_type === 'CLOSED')
          report('Implicit presence enum fields must always be open.', d?.name);
        if (isMapField(f) && f.resolvedType instanceof Enum) {
          const first = Object.values(f.resolvedType.values)[0];
          if (first !== 0) report('Enum value in map must define 0 as the first value.', d?.type);
        }
      }
      checkJsonNames(o, own, (f) => fieldDecl(scope, f.name, false) ?? fieldDecl(scope, nameAsWritten(f), false), syntax, report);
    } else if (o instanceof Enum) {
      const scope = scopeOf(o, pkg);
      const features = (o as unknown as { _features?: { enum_type?: string } })._features;
      const open = features?.enum_type ? features.enum_type === 'OPEN' : syntax === 'proto3';
      const [firstName, firstValue] = Object.entries(o.values)[0] ?? [];
      if (open && firstName !== undefined && firstValue !== 0) {
        const d = decls?.enumValues.find((v) => v.scope === scope && v.name.text === firstName);
        report('The first enum value must be zero for open enums.', d?.number);
      }
    } else if (o instanceof Field && o.extend !== undefined && o.parent instanceof Namespace) {
      const parent = o.parent;
      const scope = parent instanceof Type ? scopeOf(parent, pkg) : '';
      const d = fieldDecl(scope, nameAsWritten(o), true);
      // Extensions may go above 2^29-1 (MessageSet's do): only the declared ranges bound them.
      const problem = o.id > MAX_FIELD_NUMBER ? null : fieldNumberProblem(o.id);
      if (problem) report(problem, d?.number);
      const extended = o.extensionField?.parent;
      if (!problem && extended instanceof Type) {
        const messageSet = extended.options?.['message_set_wire_format'] === true;
        const ranges = (extended.extensions ?? []).map(([lo, hi]) => [lo, messageSet && hi === MAX_FIELD_NUMBER ? 2147483646 : hi]);
        if (!ranges.some(([lo, hi]) => o.id >= lo && o.id <= hi))
          report(`"${stripDot(extended.fullName)}" does not declare ${o.id} as an extension number.`, d?.number);
      }
    }
  });
}

/** The name a field was written under (a group field is renamed to lowercase after parsing). */
function nameAsWritten(f: Field): string {
  const rt = f.resolvedType;
  return rt instanceof Type && (rt as Type & { group?: boolean }).group && f.name === rt.name.toLowerCase() ? rt.name : f.name;
}

/** protoc 36's JSON name uniqueness check: default names, then custom names, within one message. */
function checkJsonNames(type: Type, fields: Field[], declOf: (f: Field) => FieldDecl | undefined, syntax: string, report: Report): void {
  if (type.options?.['deprecated_legacy_json_field_conflicts'] === true) return;
  const features = (type as unknown as { _features?: { json_format?: string } })._features;
  const legacy = features?.json_format ? features.json_format === 'LEGACY_BEST_EFFORT' : syntax === 'proto2';
  for (const useCustom of [false, true]) {
    const seen = new Map<string, { field: Field; custom: boolean }>();
    for (const f of fields) {
      const customName = useCustom ? (f.options?.['json_name'] as string | undefined) : undefined;
      const custom = customName !== undefined;
      const name = custom ? customName : defaultJsonName(f.name);
      const match = seen.get(name);
      if (!match) {
        seen.set(name, { field: f, custom });
        continue;
      }
      if (useCustom && !custom && !match.custom) continue;
      if (legacy && (!custom || !match.custom)) continue; // a warning in protoc
      report(
        `The ${custom ? 'custom' : 'default'} JSON name of field "${f.name}" ("${name}") conflicts with the ${match.custom ? 'custom' : 'default'} JSON name of field "${match.field.name}".`,
        declOf(f)?.name,
      );
    }
  }
}

/** Editions this product reads (protobufjs resolves their features). */
const EDITIONS = ['2023', '2024'];

/** A `syntax` or `edition` line protoc would refuse, as a SchemaError at its string; null when it is fine. */
export function checkSyntax(file: string, source: string): SchemaError | null {
  const decls = scanDeclarations(source);
  const tok = decls.syntax;
  if (!tok) return null;
  const value = tok.text.slice(1, -1);
  const p = positionOf(source, tok.offset);
  const keyword = source.slice(0, tok.offset).trimEnd().replace(/=$/, '').trimEnd();
  if (keyword.endsWith('edition')) {
    if (EDITIONS.includes(value)) return null;
    return new SchemaError(`Unknown edition "${value}": this product reads editions ${EDITIONS.join(' and ')}.`, { file, ...p });
  }
  if (value === 'proto2' || value === 'proto3') return null;
  return new SchemaError(`Unrecognized syntax identifier "${value}".  This parser only recognizes "proto2" and "proto3".`, { file, ...p });
}
