/** Parsing .proto source with protobufjs (file names recorded) and turning its errors into SchemaErrors at file:line:column. */
import { Field, Namespace, parse, Type } from 'protobufjs';
import type { Root } from 'protobufjs';
import { columnOfToken, findDeclaration, positionOf } from './proto-source';
import { SchemaError } from './schema-error';

/** File options with protobufjs' internal fields; only used when reading parse results. */
export interface ParseResultLike {
  package?: string;
  imports?: string[];
  weakImports?: string[];
}

/** Parse options used for every .proto: field names kept as written, all comments kept. */
const PARSE_OPTIONS = { keepCase: true, alternateCommentMode: true } as const;

/** Parses .proto source into a root with `parse.filename` set, so objects record their file. */
export function parseWithName(source: string, root: Root, name: string): ParseResultLike {
  const p = parse as typeof parse & { filename: string | null };
  p.filename = name;
  try {
    return parse(source, root, PARSE_OPTIONS) as ParseResultLike;
  } finally {
    p.filename = null;
  }
}

/**
 * Gives group fields the names protoc gives them. protobufjs names the field of
 * `group RepeatedData = 7 { ... }` "repeatedData" (the type name with a lowercase first
 * letter); protoc names it "repeateddata" (the type name in lowercase), which is also its JSON
 * name, and the name descriptor sets carry. Fields read from descriptor sets are left alone.
 */
export function fixGroupFieldNames(ns: Namespace): void {
  for (const o of ns.nestedArray) {
    if (o instanceof Type) {
      for (const f of [...o.fieldsArray]) renameGroupField(o, f);
    }
    if (o instanceof Field && o.extend !== undefined) renameGroupField(ns, o);
    if (o instanceof Namespace) fixGroupFieldNames(o);
  }
}

function renameGroupField(scope: Namespace, f: Field): void {
  const group = scope.nested?.[f.type];
  if (!(group instanceof Type) || !(group as Type & { group?: boolean }).group) return;
  const name = group.name.toLowerCase();
  if (f.name === name || f.name !== group.name.charAt(0).toLowerCase() + group.name.slice(1)) return;
  if (f.extend !== undefined) {
    scope.remove(f);
    f.name = name;
    scope.add(f);
    return;
  }
  const type = scope as Type;
  if (type.fields[name]) return; // a clash protoc reports; leave protobufjs' name
  delete type.fields[f.name];
  for (const o of type.oneofsArray) o.oneof = o.oneof.map((n) => (n === f.name ? name : n));
  f.name = name;
  type.fields[name] = f;
  const caches = type as unknown as Record<string, unknown>;
  caches['_fieldsById'] = caches['_fieldsArray'] = caches['_fieldsByJsonName'] = null;
}

/** Turns a protobufjs parse error ("illegal token 'x' (file, line 3)") into `file:3:7: unexpected "x"`. */
export function toSchemaError(e: unknown, file: string, source: string): SchemaError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^illegal (.+?) '(.*?)'(.*?) \((?:.*?, )?line (\d+)\)$/s.exec(msg) ?? /^illegal (.+?) ()()\(line (\d+)\)$/.exec(msg);
  if (m) {
    const [, what, token, extra, lineStr] = m;
    const isEnd = what === 'end of input';
    // At end of input, point just past the last character (as protoc does).
    const line = isEnd ? positionOf(source, source.length).line : Number(lineStr);
    const column = isEnd ? positionOf(source, source.length).column : columnOfToken(source, line, token);
    let detail: string;
    if (isEnd) detail = 'unexpected end of input';
    else if (what === 'token') detail = `unexpected "${token}"${extra.replace(/^, '(.*)' expected$/, ', expected "$1"')}`;
    else detail = `invalid ${what} "${token}"${extra}`;
    return new SchemaError(detail, { file, line, column });
  }
  const lineOnly = /\(line (\d+)\)$/.exec(msg);
  if (lineOnly) {
    const line = Number(lineOnly[1]);
    return new SchemaError(msg.replace(/\s*\(line \d+\)$/, ''), { file, line, column: columnOfToken(source, line, '') });
  }
  // Errors raised while adding definitions (duplicate names, ids, reserved): locate the name.
  const dup = /^(?:duplicate name|name) '([^']+)'/.exec(msg) ?? /^duplicate id (\d+)/.exec(msg) ?? /^id (\d+) is reserved/.exec(msg);
  if (dup) {
    const at = /^\d+$/.test(dup[1]) ? undefined : findDeclaration(source, dup[1]);
    return new SchemaError(msg, { file, line: at?.line, column: at?.column });
  }
  return new SchemaError(msg, { file });
}
