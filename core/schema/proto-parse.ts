/** Parsing .proto source with protobufjs (file names recorded) and turning its errors into SchemaErrors at file:line:column. */
import { Field, Namespace, parse, Type } from 'protobufjs';
import type { Root } from 'protobufjs';
import { scanDeclarations, type ProtoDeclarations } from './proto-declarations';
import { columnOfToken, positionOf, type Token } from './proto-source';
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
  return definitionError(msg, file, source) ?? new SchemaError(msg, { file });
}

/** protoc's hint after a duplicate field number: the smallest number no field, reserved or extension range, or the library's 19000 to 19999 takes. */
function nextFieldNumber(decls: ProtoDeclarations, scope: string): number {
  const used = new Set(decls.fields.filter((d) => !d.extendee && d.scope === scope).map((d) => Number(d.number?.text)));
  const ranges = [...decls.ranges.filter((r) => r.scope === scope), { from: 19000, to: 19999 }];
  let n = 1;
  for (;;) {
    const r = ranges.find((x) => n >= x.from && n <= x.to);
    if (r) n = r.to + 1;
    else if (used.has(n)) n++;
    else return n;
  }
}

/** Whether a declaration scope ("M.N") is the one protobufjs names ("N"). */
const inScope = (scope: string, name: string) => scope === name || scope.endsWith(`.${name}`);

/**
 * Errors protobufjs raises while adding definitions (duplicate numbers and names, reserved
 * numbers and names), worded as protoc words them and placed at the declaration.
 */
function definitionError(msg: string, file: string, source: string): SchemaError | null {
  const decls = scanDeclarations(source);
  const at = (detail: string, tok: Token | undefined) => {
    const p = tok ? positionOf(source, tok.offset) : undefined;
    return new SchemaError(detail, { file, line: p?.line, column: p?.column });
  };
  const pkg = decls.package ? `${decls.package.text}.` : '';
  let m = /^duplicate id (-?\d+) in Type (\S+)$/.exec(msg);
  if (m) {
    const same = decls.fields.filter((d) => !d.extendee && inScope(d.scope, m![2]) && d.number?.text === m![1]);
    const scope = same[0]?.scope ?? m[2];
    const next = nextFieldNumber(decls, scope);
    return at(
      `Field number ${m[1]} has already been used in "${pkg}${scope}" by field "${same[0]?.name.text ?? '?'}". Next available field number is ${next}.`,
      same[1]?.number,
    );
  }
  m = /^duplicate id (-?\d+) in Enum (\S+)$/.exec(msg);
  if (m) {
    const values = decls.enumValues.filter((d) => inScope(d.scope, m![2]));
    const same = values.filter((d) => d.number?.text === m![1]);
    const used = new Set(values.map((d) => Number(d.number?.text)));
    let next = Number(m[1]) + 1;
    while (used.has(next)) next++;
    return at(
      `"${same[1]?.name.text ?? '?'}" uses the same enum value as "${same[0]?.name.text ?? '?'}". If this is intended, set 'option allow_alias = true;' to the enum definition. The next available enum value is ${next}.`,
      same[1]?.number,
    );
  }
  m = /^id (-?\d+) is reserved in Type (\S+)$/.exec(msg);
  if (m) {
    const d = decls.fields.find((x) => !x.extendee && inScope(x.scope, m![2]) && x.number?.text === m![1]);
    return at(`Field "${d?.name.text ?? '?'}" uses reserved number ${m[1]}.`, d?.number);
  }
  m = /^name '([^']+)' is reserved in Type (\S+)$/.exec(msg);
  if (m) {
    const d = decls.fields.find((x) => inScope(x.scope, m![2]) && x.name.text === m![1]);
    return at(`Field name "${m[1]}" is reserved.`, d?.name);
  }
  m = /^duplicate name '([^']+)' in \w+ ?(\S*)$/.exec(msg);
  if (m) {
    const same = decls.names.filter((n) => n.text === m![1]);
    return at(`"${m[1]}" is already defined in "${m[2] ? `${pkg}${m[2]}` : pkg.slice(0, -1) || 'the file'}".`, same[1] ?? same[0]);
  }
  return null;
}
