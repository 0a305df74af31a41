/**
 * Reading protobuf text format into a document (the inverse of text-print.ts): fromText reads
 * tokens (text-lexer.ts) into fields, then text-parse-nodes.ts turns them into nodes.
 *
 * fromText reads text format (comments, `:` optional before messages, `{}` or `<>`,
 * `[pkg.ext]`, expanded Any `[type.googleapis.com/pkg.T] { }`, lists `[1, 2]`, `,` or `;`
 * separators, adjacent string literals, escapes) into a document root with fields in number
 * order, as `protoc --encode` would write them. Beyond protoc, it reads unknown fields as toText
 * prints them: a numeric name is always an unknown field (`N: 123` varint, `N: 0x` + 8 hex digits
 * fixed32, + 16 fixed64, `N: "..."` length-delimited, `N { ... }` a nested message, or a group
 * when empty or nested deeper than the printer expands), so print → parse → print is stable.
 * Errors are TextFormatError with `line:column: ...` (1-based), as protoc reports them.
 */
import type { Field, Type } from 'protobufjs';
import type { MessageRoot } from '../document/model';
import { newRoot } from '../document/build';
import { asMapField, fieldInfo, FieldKind } from '../document/schema-info';
import type { SchemaRegistry } from '../schema/registry';
import { buildNodes, type TextField, type TextValue } from './text-parse-nodes';
import { describeToken, errorAt, Lexer, type Tok } from './text-lexer';
import { isGroupLike, resolveAnyType, stripDot } from './type-lookup';
import { appendAll } from '../wire/append';

/** Options of fromText. */
export interface FromTextOptions {
  /** Resolves `[pkg.ext]` extension names and Any type URLs (default: the type's own root). */
  registry?: SchemaRegistry;
  /**
   * How deep messages may nest (default DEFAULT_TEXT_MAX_DEPTH, 100, as protoc); deeper input is a
   * TextFormatError. Unknown fields written `N { ... }` may nest up to twice as deep in all: toText
   * prints unknown length-delimited fields as nested messages below the deepest decoded message
   * (as protoc does), and what it prints must read back.
   */
  maxDepth?: number;
}

/** Default nesting limit of fromText: 100 levels, protoc's text-format recursion limit. */
export const DEFAULT_TEXT_MAX_DEPTH = 100;

/**
 * Parses text format as a message of `type` into a document root (nodes without spans, in
 * field number order; unknown numeric fields last). Throws TextFormatError naming line:column.
 */
export function fromText(text: string, type: Type, options: FromTextOptions = {}): MessageRoot {
  const lx = new Lexer(text);
  const fields = parseMessageBody(lx, type, 'eof', options, 0);
  return newRoot(type, buildNodes(type, fields));
}

function lookupExtension(type: Type, name: string, options: FromTextOptions): Field | undefined {
  const bare = stripDot(name);
  if (options.registry) {
    const f = options.registry.findExtension(bare);
    if (f && f.parent === type) return f;
  }
  return type.fieldsArray.find((f) => f.declaringField && stripDot(f.declaringField.fullName) === bare);
}

/**
 * The field a name in the text stands for: a field of that name, or a group-like field written
 * under its type name (protoc 36's lookup: the name in lowercase, then the type name checked).
 */
function fieldByName(type: Type, name: string): Field | null {
  const f = Object.prototype.hasOwnProperty.call(type.fields, name) ? type.fields[name] : undefined;
  if (f && !f.declaringField) return f;
  const lower = name.toLowerCase();
  const g = Object.prototype.hasOwnProperty.call(type.fields, lower) ? type.fields[lower] : undefined;
  if (g && !g.declaringField && isGroupLike(g) && (g.resolvedType as Type).name === name) return g;
  return null;
}

/** Throws at `t` (the opening brace) when a message opened there would nest deeper than the limit. */
function checkDepth(t: Tok, depth: number, maxDepth: number): void {
  if (depth > maxDepth) throw errorAt(t, `Message is too deep, the parser exceeded the configured recursion limit of ${maxDepth}.`);
}

/** The same for the body of an unknown field `N { ... }`: up to twice the limit in all (see FromTextOptions.maxDepth). */
function checkUnknownDepth(t: Tok, depth: number, maxDepth: number): void {
  if (depth > 2 * maxDepth)
    throw errorAt(t, `Unknown field is too deep, the parser exceeded twice the configured recursion limit of ${maxDepth}.`);
}

/** Fields of a message body up to `close`; `depth` is its nesting (0 for the top level). */
function parseMessageBody(lx: Lexer, type: Type, close: string, options: FromTextOptions, depth: number): TextField[] {
  const maxDepth = options.maxDepth ?? DEFAULT_TEXT_MAX_DEPTH;
  const out: TextField[] = [];
  /** Known fields by number, unknown (numeric) ones by minus their number. */
  const byNumber = new Map<number, TextField>();
  while (true) {
    const t = lx.peek();
    if (close === 'eof' ? t.kind === 'eof' : t.text === close && t.kind === 'punct') {
      lx.next();
      return out;
    }
    if (t.kind === 'eof') throw errorAt(t, `Expected "${close}", found end of input.`);
    lx.next();
    let field: Field | null = null;
    let fieldNumber = 0;
    let anyTarget: { url: string; type: Type } | null = null;
    if (t.kind === 'punct' && t.text === '[') {
      // [pkg.ext] or [type.googleapis.com/pkg.T]
      let name = '';
      while (true) {
        const p = lx.next();
        if (p.kind === 'eof') throw errorAt(p, 'Expected "]", found end of input.');
        if (p.text === ']' && p.kind === 'punct') break;
        name += p.text;
      }
      if (name.includes('/')) {
        if (stripDot(type.fullName) !== 'google.protobuf.Any')
          throw errorAt(t, `Type URL [${name}] is only allowed in a google.protobuf.Any.`);
        const target = resolveAnyType(name.slice(name.lastIndexOf('/') + 1), type, options.registry);
        if (!target) throw errorAt(t, `Could not find type "${name}" for an expanded Any.`);
        anyTarget = { url: name, type: target };
      } else {
        field = lookupExtension(type, name, options) ?? null;
        if (!field) throw errorAt(t, `Extension "${name}" is not defined or is not an extension of "${stripDot(type.fullName)}".`);
      }
    } else if (t.kind === 'ident') {
      field = fieldByName(type, t.text);
      if (!field) throw errorAt(t, `Message type "${stripDot(type.fullName)}" has no field named "${t.text}".`);
    } else if (t.kind === 'number' && /^\d+$/.test(t.text)) {
      // A numeric name is an unknown field (toText prints known fields by name), even when the
      // type declares that number: it came with another wire type, or as a closed-enum value
      // the enum lacks, and must read back as it was.
      fieldNumber = Number(t.text);
      if (fieldNumber < 1 || fieldNumber > 0x1fffffff) throw errorAt(t, `Field number ${t.text} is out of range.`);
    } else {
      throw errorAt(t, `Expected identifier, found ${describeToken(t)}.`);
    }

    if (anyTarget) {
      if (lx.peek().text === ':') lx.next();
      const open = lx.next();
      if (open.text !== '{' && open.text !== '<') throw errorAt(open, `Expected "{", found ${describeToken(open)}.`);
      checkDepth(open, depth + 1, maxDepth);
      const inner = parseMessageBody(lx, anyTarget.type, open.text === '{' ? '}' : '>', options, depth + 1);
      const tf: TextField = {
        field: null,
        fieldNumber: -1,
        values: [{ kind: 'any', typeUrl: anyTarget.url, type: anyTarget.type, fields: inner, tok: t }],
        tok: t,
      };
      if (out.some((f) => f.fieldNumber === -1)) throw errorAt(t, 'Expanded Any is specified multiple times.');
      out.push(tf);
      skipSeparator(lx);
      continue;
    }

    const number = field ? field.id : fieldNumber;
    const isMessage = field ? fieldInfo(field).kind !== FieldKind.SCALAR : false;
    const values: TextValue[] = [];
    const sep = lx.peek();
    let hasColon = false;
    if (sep.text === ':' && sep.kind === 'punct') {
      lx.next();
      hasColon = true;
    }
    const lb = lx.peek();
    if (lb.text === '[' && lb.kind === 'punct' && (hasColon || isMessage)) {
      if (field && !field.repeated && !asMapField(field))
        throw errorAt(lb, `Field "${field.name}" is not repeated; a list [ ] is not allowed here.`);
      lx.next();
      if (lx.peek().text === ']') lx.next();
      else {
        while (true) {
          values.push(readValue(lx, field, isMessage, hasColon, options, depth, maxDepth));
          const s = lx.next();
          if (s.text === ']') break;
          if (s.text !== ',') throw errorAt(s, `Expected "," or "]", found ${describeToken(s)}.`);
        }
      }
    } else {
      values.push(readValue(lx, field, isMessage, hasColon, options, depth, maxDepth));
    }
    const slot = field ? number : -number;
    const prev = byNumber.get(slot);
    if (field && prev && !field.repeated && !asMapField(field)) {
      throw errorAt(t, `Non-repeated field "${field.name}" is specified multiple times.`);
    }
    if (field?.partOf && !field.partOf.options?.['proto3_optional'] && field.partOf.fieldsArray.length > 1) {
      const other = out.find((f) => f.field && f.field !== field && f.field.partOf === field!.partOf);
      if (other)
        throw errorAt(
          t,
          `Field "${field.name}" is specified along with field "${other.field!.name}", another member of oneof "${field.partOf.name}".`,
        );
    }
    if (prev && field) appendAll(prev.values, values);
    else {
      // Unknown fields keep their text order, interleaved as written (each occurrence on its own).
      const tf: TextField = { field, fieldNumber: number, values, tok: t };
      byNumber.set(slot, tf);
      out.push(tf);
    }
    skipSeparator(lx);
  }
}

/** One value of a field (after its name and optional `:`): a `{ }` / `< >` message or a scalar token. */
function readValue(
  lx: Lexer,
  field: Field | null,
  isMessage: boolean,
  hasColon: boolean,
  options: FromTextOptions,
  depth: number,
  maxDepth: number,
): TextValue {
  const v = lx.peek();
  if ((v.text === '{' || v.text === '<') && v.kind === 'punct' && (isMessage || !field)) {
    lx.next();
    if (field) checkDepth(v, depth + 1, maxDepth);
    else checkUnknownDepth(v, depth + 1, maxDepth);
    const closeWith = v.text === '{' ? '}' : '>';
    if (!field) return { kind: 'message', fields: parseUnknownBody(lx, closeWith, depth + 1, maxDepth), tok: v };
    const inner = parseMessageBody(lx, fieldInfo(field).messageType!, closeWith, options, depth + 1);
    return { kind: 'message', fields: inner, tok: v };
  }
  if (isMessage) throw errorAt(v, `Expected "{", found ${describeToken(v)}.`);
  if (!hasColon) throw errorAt(v, `Expected ":", found ${describeToken(v)}.`);
  lx.next();
  if (v.kind === 'eof' || (v.kind === 'punct' && v.text !== '-')) throw errorAt(v, `Expected a value, found ${describeToken(v)}.`);
  if (v.kind === 'punct' && v.text === '-') {
    // "- inf" or "- 5": join the sign to the next token.
    const w = lx.next();
    return { kind: 'scalar', tok: { ...w, text: '-' + w.text, line: v.line, col: v.col } };
  }
  return { kind: 'scalar', tok: v };
}

function skipSeparator(lx: Lexer): void {
  const s = lx.peek();
  if ((s.text === ',' || s.text === ';') && s.kind === 'punct') lx.next();
}

/** The body of an unknown field written as `N { ... }`: numeric fields only. */
function parseUnknownBody(lx: Lexer, close: string, depth: number, maxDepth: number): TextField[] {
  const out: TextField[] = [];
  while (true) {
    const t = lx.next();
    if (t.text === close && t.kind === 'punct') return out;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text))
      throw errorAt(t, `Expected a field number inside an unknown field, found ${describeToken(t)}.`);
    const n = Number(t.text);
    if (n < 1 || n > 0x1fffffff) throw errorAt(t, `Field number ${t.text} is out of range.`);
    const v = lx.peek();
    let value: TextValue;
    if (v.text === ':') {
      lx.next();
      value = { kind: 'scalar', tok: lx.next() };
    } else if (v.text === '{' || v.text === '<') {
      lx.next();
      checkUnknownDepth(v, depth + 1, maxDepth);
      value = { kind: 'message', fields: parseUnknownBody(lx, v.text === '{' ? '}' : '>', depth + 1, maxDepth), tok: v };
    } else throw errorAt(v, `Expected ":" or "{", found ${describeToken(v)}.`);
    out.push({ field: null, fieldNumber: n, values: [value], tok: t });
    skipSeparator(lx);
  }
}
