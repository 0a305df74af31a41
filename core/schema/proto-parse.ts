/** Parsing .proto source with protobufjs (file names recorded) and turning its errors into SchemaErrors at file:line:column. */
import { parse } from 'protobufjs';
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
