/**
 * Protobuf text format, both ways.
 *
 * toText prints exactly what `protoc --decode=TYPE` (protoc 36) prints for the same bytes
 * and schema. The rules, found by running protoc:
 * - Fields print in field number order (extensions among them as `[pkg.ext]`), unknown
 *   fields after the known ones in wire order, as a parser would hold them: a singular
 *   field shows its last value, singular messages merge, a oneof shows its last member,
 *   proto3 fields without presence are left out when zero (but -0.0 is printed).
 * - Closed (proto2) enum values that are not in the enum are unknown fields (`8: 7`);
 *   open enums print unknown values as numbers; known ones by name (the first alias).
 * - Groups print under their type name (`G { ... }`); messages as `name {` ... `}` with
 *   two-space indents; an empty message as `name {` and `}` on two lines.
 * - Map entries print as repeated `name { key: K value: V }` messages sorted by key (strings
 *   by UTF-8 bytes, integers by value); key and value are always printed, defaults included;
 *   entries with the same key are all printed. Unknown fields inside an entry are not printed,
 *   and an entry whose value is a closed enum's undefined number prints among the unknown
 *   fields, whole (`32 { 1: 1 2: 7 }`): protoc 36 parses it so; 3.21 printed both inside the entry.
 * - google.protobuf.Any prints as a plain message (`type_url` and `value`), not expanded.
 * - Strings and bytes are C-escaped: \n \r \t \" \' \\ by name, any other byte below 0x20 or
 *   from 0x7f up as a 3-digit octal escape (so UTF-8 text prints as octal escapes).
 * - Doubles print as C `%.15g`, `%.17g` when that would not read back exactly; floats as
 *   `%.6g` / `%.9g`; "inf", "-inf", "nan"; "-0".
 * - Unknown fields: varint `N: 123` (unsigned 64-bit), fixed32 `N: 0x0000007b`, fixed64
 *   `N: 0x000000000000007b`, groups `N { ... }`; a length-delimited value prints as a
 *   nested `N { ... }` when it is not empty and parses as a message (at most 10 such levels),
 *   otherwise as an escaped string `N: "..."`.
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
import type { Enum, Field, Type } from 'protobufjs';
import type { FieldNode, MessageRoot, ScalarType, ScalarValue } from '../document/model';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { isStackOverflow } from '../document/stack';
import { mapEntryNode, messageNode, newRoot, packedNode, scalarNode, unknownNode, type ScalarInput } from '../document/build';
import { asMapField, fieldInfo, FieldKind, mapEntryType, scalarTypeOf } from '../document/schema-info';
import { isValidUtf8 } from '../wire/utf8';
import { WireType } from '../wire/wire-types';
import { wellKnownRegistry, type SchemaRegistry } from '../schema/registry';
import { formatDoubleProtoc, formatFloatProtoc } from './float-format';
import {
  isClosedEnum,
  messageState,
  presentFields,
  type FieldItem,
  type MessageState,
  type ScalarItem,
  type UnknownItem,
} from './message-state';
import { cEscape, EscapeError, unescapeBytes } from './text-escape';
import { parseUnknownFieldSet, type RawField } from './unknown-fields';

/** Options of toText. */
export interface ToTextOptions {
  /** Spaces per nesting level (default 2, as protoc). */
  indent?: number;
  /** Accepted for symmetry with toJson; not needed: protoc prints Any unexpanded and extensions come from the nodes. */
  registry?: SchemaRegistry;
}

const utf8 = new TextEncoder();

/** protoc's recursion budget for printing unknown length-delimited fields as messages. */
const UNKNOWN_RECURSION_BUDGET = 10;

/** Prints a document as protobuf text format, exactly as `protoc --decode` prints the same bytes. */
export function toText(root: MessageRoot, options: ToTextOptions = {}): string {
  const out: string[] = [];
  const unit = ' '.repeat(options.indent ?? 2);
  try {
    printState(messageState(root.type, root.fields), '', unit, out);
  } catch (e) {
    // A tree decoded with a raised depth limit can nest deeper than printing can recurse.
    if (isStackOverflow(e))
      throw new TextFormatError(out.length + 1, 1, 'the message nests too deep to print (the call stack ran out at this output line)');
    throw e;
  }
  return out.join('');
}

function printState(state: MessageState, indent: string, unit: string, out: string[]): void {
  for (const fs of presentFields(state)) {
    const field = fs.field;
    const name = fieldLabel(field);
    let items: FieldItem[] = fs.items;
    if (asMapField(field)) items = sortMapEntries(items, field);
    for (const item of items) printItem(field, name, item, indent, unit, out, !!asMapField(field));
  }
  printUnknown(state.unknown, indent, unit, out, UNKNOWN_RECURSION_BUDGET);
  for (const raw of state.rawBytes) out.push(`${indent}# ${raw.length} bytes that do not parse as this message\n`);
}

/** The name a field prints under: `[pkg.ext]` for extensions, the type name for groups, else its name. */
export function fieldLabel(field: Field): string {
  if (field.declaringField || field.name.startsWith('.')) {
    const full = (field.declaringField ?? field).fullName;
    return `[${stripDot(field.declaringField ? full : field.name)}]`;
  }
  if (fieldInfo(field).kind === FieldKind.GROUP) return (field.resolvedType as Type).name;
  return field.name;
}

function stripDot(s: string): string {
  return s.startsWith('.') ? s.slice(1) : s;
}

function printItem(field: Field, name: string, item: FieldItem, indent: string, unit: string, out: string[], isMap: boolean): void {
  if (item.kind === 'scalar') {
    out.push(`${indent}${name}: ${formatScalar(field, item)}\n`);
    return;
  }
  out.push(`${indent}${name} {\n`);
  if (isMap) printMapEntry(field, item.state, indent + unit, unit, out);
  else printState(item.state, indent + unit, unit, out);
  out.push(`${indent}}\n`);
}

/** A map entry: key and value always (defaults when absent). */
function printMapEntry(field: Field, state: MessageState, indent: string, unit: string, out: string[]): void {
  const entry = mapEntryType(asMapField(field)!);
  const keyField = entry.fieldsById[1];
  const valueField = entry.fieldsById[2];
  const key = state.fields.get(1)?.items[0] ?? defaultItem(keyField);
  printItem(keyField, 'key', key, indent, unit, out, false);
  const value = state.fields.get(2)?.items[0] ?? defaultItem(valueField);
  printItem(valueField, 'value', value, indent, unit, out, false);
}

function defaultItem(field: Field): FieldItem {
  const type = scalarTypeOf(field);
  if (!type) {
    const t = field.resolvedType as Type;
    return { kind: 'message', state: messageState(t, []) };
  }
  return { kind: 'scalar', type, value: defaultValueOf(type, field) };
}

function defaultValueOf(type: ScalarType, field: Field): ScalarValue {
  switch (type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'enum': {
      const e = field.resolvedType as Enum;
      const values = Object.values(e.values);
      return values.includes(0) || values.length === 0 ? 0 : values[0];
    }
    default:
      return 0;
  }
}

/** Map entries sorted by key as protoc's printer sorts them (stable for equal keys). */
function sortMapEntries(items: FieldItem[], field: Field): FieldItem[] {
  const keyType = scalarTypeOf(mapEntryType(asMapField(field)!).fieldsById[1]);
  const keyOf = (it: FieldItem): ScalarValue => {
    const k = it.kind === 'message' ? it.state.fields.get(1)?.items[0] : undefined;
    if (k && k.kind === 'scalar') return k.invalidUtf8 ?? k.value;
    return keyType === 'string' ? '' : keyType === 'bool' ? false : /64/.test(keyType ?? '') ? 0n : 0;
  };
  const keyed = items.map((it, i) => ({ it, i, k: keyOf(it) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k) || a.i - b.i);
  return keyed.map((x) => x.it);
}

function compareKeys(a: ScalarValue, b: ScalarValue): number {
  if (typeof a === 'string' || typeof b === 'string' || a instanceof Uint8Array || b instanceof Uint8Array) {
    const x = typeof a === 'string' ? utf8.encode(a) : (a as Uint8Array);
    const y = typeof b === 'string' ? utf8.encode(b) : (b as Uint8Array);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A scalar value as protoc prints it. */
function formatScalar(field: Field, item: ScalarItem): string {
  const v = item.value;
  switch (item.type) {
    case 'string':
      return `"${cEscape(item.invalidUtf8 ?? utf8.encode(v as string))}"`;
    case 'bytes':
      return `"${cEscape(v as Uint8Array)}"`;
    case 'bool':
      return v ? 'true' : 'false';
    case 'double':
      return formatDoubleProtoc(v as number);
    case 'float':
      return formatFloatProtoc(v as number);
    case 'enum': {
      const name = enumName(field.resolvedType as Enum | null, v as number);
      return name ?? String(v);
    }
    default:
      return String(v);
  }
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

function hex(n: bigint | number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

function printUnknown(items: readonly (UnknownItem | RawField)[], indent: string, unit: string, out: string[], budget: number): void {
  for (const u of items) {
    const n = u.fieldNumber;
    switch (u.wireType) {
      case WireType.VARINT:
        out.push(`${indent}${n}: ${u.value}\n`);
        break;
      case WireType.I64:
        out.push(`${indent}${n}: ${hex(u.value, 16)}\n`);
        break;
      case WireType.I32:
        out.push(`${indent}${n}: ${hex(u.value, 8)}\n`);
        break;
      case WireType.LEN: {
        const nested = u.value.length > 0 && budget > 0 ? parseUnknownFieldSet(u.value, budget) : null;
        if (nested) {
          out.push(`${indent}${n} {\n`);
          printUnknown(nested, indent + unit, unit, out, budget - 1);
          out.push(`${indent}}\n`);
        } else {
          out.push(`${indent}${n}: "${cEscape(u.value)}"\n`);
        }
        break;
      }
      case WireType.SGROUP: {
        out.push(`${indent}${n} {\n`);
        const inner = u.value as readonly (FieldNode | RawField)[];
        const rawInner: (UnknownItem | RawField)[] =
          inner.length && 'id' in inner[0] ? messageState(null, inner as readonly FieldNode[]).unknown : (inner as RawField[]);
        printUnknown(rawInner, indent + unit, unit, out, budget);
        out.push(`${indent}}\n`);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** A text-format syntax or value error, at a 1-based line and column. */
export class TextFormatError extends Error {
  override readonly name = 'TextFormatError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${line}:${column}: ${detail}`);
  }
}

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

type TokKind = 'ident' | 'number' | 'string' | 'punct' | 'eof';
interface Tok {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
  /** For strings: the concatenated body bytes. */
  bytes?: Uint8Array;
}

/** A number token: decimal, hex, float with exponent and f suffix (sticky: matched at lastIndex). */
const NUMBER_RE = /-?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][-+]?\d+)?[fF]?|\.\d+(?:[eE][-+]?\d+)?[fF]?)/y;
/** An identifier token (a leading '-' for "-inf"). */
const IDENT_RE = /-?[A-Za-z_][A-Za-z0-9_]*/y;

class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  private peeked: Tok | null = null;

  constructor(private readonly src: string) {}

  peek(): Tok {
    if (!this.peeked) this.peeked = this.read();
    return this.peeked;
  }

  next(): Tok {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** Moves past n characters of one line (no newline among them). */
  private advanceInLine(n: number): void {
    this.i += n;
    this.col += n;
  }

  private advance(n: number): void {
    for (let k = 0; k < n; k++) {
      if (this.src[this.i] === '\n') {
        this.line++;
        this.col = 1;
      } else {
        this.col++;
      }
      this.i++;
    }
  }

  private skipSpace(): void {
    const src = this.src;
    while (this.i < src.length) {
      const c = src.charCodeAt(this.i);
      if (c === 0x0a) {
        this.i++;
        this.line++;
        this.col = 1;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c) {
        this.advanceInLine(1);
      } else if (c === 0x23) {
        // # comment, to the end of the line
        const nl = src.indexOf('\n', this.i);
        this.advanceInLine((nl < 0 ? src.length : nl) - this.i);
      } else if (c > 0x7f && /\s/.test(src[this.i])) {
        this.advance(1); // other Unicode white space (U+2028 and U+2029 do not start a new line)
      } else break;
    }
  }

  private read(): Tok {
    this.skipSpace();
    const line = this.line;
    const col = this.col;
    if (this.i >= this.src.length) return { kind: 'eof', text: '', line, col };
    const c = this.src[this.i];
    if (c === '"' || c === "'") {
      const parts: Uint8Array[] = [];
      let text = '';
      // Adjacent literals concatenate.
      while (this.i < this.src.length && (this.src[this.i] === '"' || this.src[this.i] === "'")) {
        const q = this.src[this.i];
        const sline = this.line;
        const scol = this.col;
        let j = this.i + 1;
        while (j < this.src.length && this.src[j] !== q) {
          if (this.src[j] === '\n') throw new TextFormatError(sline, scol, 'string literal is not terminated on its line');
          j += this.src[j] === '\\' ? 2 : 1;
        }
        if (j >= this.src.length) throw new TextFormatError(sline, scol, 'string literal is not terminated');
        const body = this.src.slice(this.i + 1, j);
        try {
          parts.push(unescapeBytes(body));
        } catch (e) {
          if (e instanceof EscapeError) throw new TextFormatError(sline, scol + 1 + e.offset, e.message);
          throw e;
        }
        text += this.src.slice(this.i, j + 1);
        this.advance(j + 1 - this.i);
        this.skipSpace();
      }
      const total = parts.reduce((n, p) => n + p.length, 0);
      const bytes = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
      return { kind: 'string', text, line, col, bytes };
    }
    NUMBER_RE.lastIndex = this.i;
    const num = NUMBER_RE.exec(this.src);
    if (num) {
      this.advanceInLine(num[0].length);
      return { kind: 'number', text: num[0], line, col };
    }
    IDENT_RE.lastIndex = this.i;
    const id = IDENT_RE.exec(this.src);
    if (id) {
      this.advanceInLine(id[0].length);
      return { kind: 'ident', text: id[0], line, col };
    }
    this.advanceInLine(1);
    return { kind: 'punct', text: c, line, col };
  }
}

/** A parsed value before it becomes nodes. */
type TextValue =
  | { kind: 'scalar'; tok: Tok }
  | { kind: 'message'; fields: TextField[]; tok: Tok }
  | { kind: 'any'; typeUrl: string; type: Type; fields: TextField[]; tok: Tok };

interface TextField {
  /** Known field, or null for a numeric unknown field. */
  field: Field | null;
  fieldNumber: number;
  values: TextValue[];
  tok: Tok;
  /** True when written as a list `[a, b]` or repeated. */
}

/**
 * Parses text format as a message of `type` into a document root (nodes without spans, in
 * field number order; unknown numeric fields last). Throws TextFormatError naming line:column.
 */
export function fromText(text: string, type: Type, options: FromTextOptions = {}): MessageRoot {
  const lx = new Lexer(text);
  const fields = parseMessageBody(lx, type, 'eof', options, 0);
  return newRoot(type, buildNodes(type, fields, options));
}

function err(t: Tok, detail: string): TextFormatError {
  return new TextFormatError(t.line, t.col, detail);
}

function describe(t: Tok): string {
  return t.kind === 'eof' ? 'end of input' : `"${t.text}"`;
}

function lookupExtension(type: Type, name: string, options: FromTextOptions): Field | undefined {
  const bare = stripDot(name);
  if (options.registry) {
    const f = options.registry.findExtension(bare);
    if (f && f.parent === type) return f;
  }
  return type.fieldsArray.find((f) => f.declaringField && stripDot(f.declaringField.fullName) === bare);
}

function lookupType(type: Type, name: string, options: FromTextOptions): Type | undefined {
  let found: Type | undefined;
  if (options.registry) found = options.registry.findMessage(name);
  else {
    try {
      const t = type.root.lookup('.' + stripDot(name));
      found = t && 'fields' in t ? (t as Type) : undefined;
    } catch {
      found = undefined;
    }
  }
  if (!found && stripDot(name).startsWith('google.protobuf.')) found = wellKnownRegistry().findMessage(name);
  return found;
}

/** Throws at `t` (the opening brace) when a message opened there would nest deeper than the limit. */
function checkDepth(t: Tok, depth: number, maxDepth: number): void {
  if (depth > maxDepth) throw err(t, `Message is too deep, the parser exceeded the configured recursion limit of ${maxDepth}.`);
}

/** The same for the body of an unknown field `N { ... }`: up to twice the limit in all (see FromTextOptions.maxDepth). */
function checkUnknownDepth(t: Tok, depth: number, maxDepth: number): void {
  if (depth > 2 * maxDepth)
    throw err(t, `Unknown field is too deep, the parser exceeded twice the configured recursion limit of ${maxDepth}.`);
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
    if (t.kind === 'eof') throw err(t, `Expected "${close}", found end of input.`);
    lx.next();
    let field: Field | null = null;
    let fieldNumber = 0;
    let anyTarget: { url: string; type: Type } | null = null;
    if (t.kind === 'punct' && t.text === '[') {
      // [pkg.ext] or [type.googleapis.com/pkg.T]
      let name = '';
      while (true) {
        const p = lx.next();
        if (p.kind === 'eof') throw err(p, 'Expected "]", found end of input.');
        if (p.text === ']' && p.kind === 'punct') break;
        name += p.text;
      }
      if (name.includes('/')) {
        if (stripDot(type.fullName) !== 'google.protobuf.Any') throw err(t, `Type URL [${name}] is only allowed in a google.protobuf.Any.`);
        const target = lookupType(type, name.slice(name.lastIndexOf('/') + 1), options);
        if (!target) throw err(t, `Could not find type "${name}" for an expanded Any.`);
        anyTarget = { url: name, type: target };
      } else {
        field = lookupExtension(type, name, options) ?? null;
        if (!field) throw err(t, `Extension "${name}" is not defined or is not an extension of "${stripDot(type.fullName)}".`);
      }
    } else if (t.kind === 'ident') {
      field = type.fields[t.text] ?? null;
      if (!field) {
        // Groups are written under their type name.
        field =
          type.fieldsArray.find(
            (f) => !f.declaringField && fieldInfo(f).kind === FieldKind.GROUP && (f.resolvedType as Type).name === t.text,
          ) ?? null;
      }
      if (!field) throw err(t, `Message type "${stripDot(type.fullName)}" has no field named "${t.text}".`);
    } else if (t.kind === 'number' && /^\d+$/.test(t.text)) {
      // A numeric name is an unknown field (toText prints known fields by name), even when the
      // type declares that number: it came with another wire type, or as a closed-enum value
      // the enum lacks, and must read back as it was.
      fieldNumber = Number(t.text);
      if (fieldNumber < 1 || fieldNumber > 0x1fffffff) throw err(t, `Field number ${t.text} is out of range.`);
    } else {
      throw err(t, `Expected identifier, found ${describe(t)}.`);
    }

    if (anyTarget) {
      if (lx.peek().text === ':') lx.next();
      const open = lx.next();
      if (open.text !== '{' && open.text !== '<') throw err(open, `Expected "{", found ${describe(open)}.`);
      checkDepth(open, depth + 1, maxDepth);
      const inner = parseMessageBody(lx, anyTarget.type, open.text === '{' ? '}' : '>', options, depth + 1);
      const tf: TextField = {
        field: null,
        fieldNumber: -1,
        values: [{ kind: 'any', typeUrl: anyTarget.url, type: anyTarget.type, fields: inner, tok: t }],
        tok: t,
      };
      if (out.some((f) => f.fieldNumber === -1)) throw err(t, 'Expanded Any is specified multiple times.');
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
        throw err(lb, `Field "${field.name}" is not repeated; a list [ ] is not allowed here.`);
      lx.next();
      if (lx.peek().text === ']') lx.next();
      else {
        while (true) {
          values.push(readValue(lx, field, isMessage, hasColon, options, depth, maxDepth));
          const s = lx.next();
          if (s.text === ']') break;
          if (s.text !== ',') throw err(s, `Expected "," or "]", found ${describe(s)}.`);
        }
      }
    } else {
      values.push(readValue(lx, field, isMessage, hasColon, options, depth, maxDepth));
    }
    const slot = field ? number : -number;
    const prev = byNumber.get(slot);
    if (field && prev && !field.repeated && !asMapField(field)) {
      throw err(t, `Non-repeated field "${field.name}" is specified multiple times.`);
    }
    if (field?.partOf && !field.partOf.options?.['proto3_optional'] && field.partOf.fieldsArray.length > 1) {
      const other = out.find((f) => f.field && f.field !== field && f.field.partOf === field!.partOf);
      if (other)
        throw err(
          t,
          `Field "${field.name}" is specified along with field "${other.field!.name}", another member of oneof "${field.partOf.name}".`,
        );
    }
    if (prev && field) prev.values.push(...values);
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
  if (isMessage) throw err(v, `Expected "{", found ${describe(v)}.`);
  if (!hasColon) throw err(v, `Expected ":", found ${describe(v)}.`);
  lx.next();
  if (v.kind === 'eof' || (v.kind === 'punct' && v.text !== '-')) throw err(v, `Expected a value, found ${describe(v)}.`);
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
      throw err(t, `Expected a field number inside an unknown field, found ${describe(t)}.`);
    const n = Number(t.text);
    if (n < 1 || n > 0x1fffffff) throw err(t, `Field number ${t.text} is out of range.`);
    const v = lx.peek();
    let value: TextValue;
    if (v.text === ':') {
      lx.next();
      value = { kind: 'scalar', tok: lx.next() };
    } else if (v.text === '{' || v.text === '<') {
      lx.next();
      checkUnknownDepth(v, depth + 1, maxDepth);
      value = { kind: 'message', fields: parseUnknownBody(lx, v.text === '{' ? '}' : '>', depth + 1, maxDepth), tok: v };
    } else throw err(v, `Expected ":" or "{", found ${describe(v)}.`);
    out.push({ field: null, fieldNumber: n, values: [value], tok: t });
    skipSeparator(lx);
  }
}

/** Throws a TextFormatError at `tok`. */
function fail(tok: Tok, what: string): never {
  throw err(tok, what);
}

/** The JS value of a scalar token for a field's type, checked as protoc checks it. */
function scalarInput(field: Field, type: ScalarType, tok: Tok): ScalarInput {
  const text = tok.text;
  switch (type) {
    case 'string':
    case 'bytes':
      if (tok.kind !== 'string') fail(tok, `Expected string, found ${describe(tok)}.`);
      if (type === 'bytes') return tok.bytes!;
      return new TextDecoder().decode(tok.bytes!); // invalid UTF-8 is kept by scalarNodeAt
    case 'bool':
      if (/^(true|t|True)$/.test(text) || text === '1') return true;
      if (/^(false|f|False)$/.test(text) || text === '0') return false;
      return fail(tok, `Invalid value for boolean field "${field.name}". Value: "${text}".`);
    case 'float':
    case 'double': {
      if (tok.kind === 'ident') {
        const l = text.toLowerCase();
        if (l === 'inf' || l === 'infinity') return Infinity;
        if (l === '-inf' || l === '-infinity') return -Infinity;
        if (l === 'nan' || l === '-nan') return NaN;
        return fail(tok, `Expected double, got: ${text}`);
      }
      if (tok.kind !== 'number') fail(tok, `Expected double, got: ${describe(tok)}`);
      const s = text.replace(/[fF]$/, '');
      const n = /^-?0[xX]/.test(s) ? Number(BigInt(s.replace('-', '')) * (s.startsWith('-') ? -1n : 1n)) : Number(s);
      // As protoc: a float is the double rounded to float (out of range becomes infinity).
      return type === 'float' ? Math.fround(n) : n;
    }
    case 'enum': {
      const e = field.resolvedType as Enum;
      if (tok.kind === 'ident') {
        if (!Object.prototype.hasOwnProperty.call(e.values, text))
          fail(tok, `Unknown enumeration value of "${text}" for field "${field.name}".`);
        return e.values[text];
      }
      if (tok.kind !== 'number' || !/^-?(\d+|0[xX][0-9a-fA-F]+)$/.test(text)) fail(tok, `Expected integer or identifier, got: ${text}`);
      const n = Number(parseInteger(text, tok));
      if (isClosedEnum(e) && !Object.prototype.hasOwnProperty.call(e.valuesById, n))
        fail(tok, `Unknown enumeration value of "${text}" for field "${field.name}".`);
      return n;
    }
    default: {
      if (tok.kind !== 'number' || !/^-?(\d+|0[xX][0-9a-fA-F]+)$/.test(text)) fail(tok, `Expected integer, got: ${text}`);
      return parseInteger(text, tok);
    }
  }
}

/** Decimal, hex (0x) or octal (leading 0) integer, as protoc reads them. */
function parseInteger(text: string, tok: Tok): bigint {
  const neg = text.startsWith('-');
  const body = neg ? text.slice(1) : text;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
  else if (/^\d+$/.test(body)) v = BigInt(body);
  else throw err(tok, `Expected integer, got: ${text}`);
  return neg ? -v : v;
}

function scalarNodeAt(field: Field, tok: Tok): FieldNode {
  const type = scalarTypeOf(field)!;
  const input = scalarInput(field, type, tok);
  try {
    const node = scalarNode(field, input);
    if (type === 'string' && tok.bytes && !isValidUtf8(tok.bytes)) {
      // Keep the exact bytes, as protoc does for strings that are not valid UTF-8.
      return {
        ...node,
        value: { kind: 'scalar', type, value: node.value.kind === 'scalar' ? node.value.value : '', invalidUtf8: tok.bytes },
      };
    }
    return node;
  } catch (e) {
    throw err(tok, `Invalid value for field "${field.name}": ${(e as Error).message}.`);
  }
}

/** Whether a singular field without presence holds its default (so protoc --encode would not write it). */
function isDefaultScalar(node: FieldNode): boolean {
  if (node.value.kind !== 'scalar') return false;
  const x = node.value.value;
  if (typeof x === 'number') return Object.is(x, 0);
  if (typeof x === 'bigint') return x === 0n;
  if (typeof x === 'boolean') return !x;
  if (typeof x === 'string') return x === '';
  return x.length === 0;
}

function buildNodes(type: Type, fields: TextField[], options: FromTextOptions): FieldNode[] {
  const known = fields.filter((f) => f.field).sort((a, b) => a.field!.id - b.field!.id);
  const out: FieldNode[] = [];
  for (const tf of known) {
    const field = tf.field!;
    const info = fieldInfo(field);
    if (info.kind === FieldKind.MAP) {
      for (const v of tf.values) out.push(mapEntryFromText(field, v, options));
      continue;
    }
    if (info.kind === FieldKind.SCALAR) {
      const nodes = tf.values.map((v) => {
        if (v.kind !== 'scalar') throw err(v.tok, `Expected a value for field "${field.name}".`);
        return scalarNodeAt(field, v.tok);
      });
      if (field.repeated && info.packable && field.packed && nodes.length) {
        out.push(
          packedNode(
            field,
            nodes.map((n) => (n.value as { value: ScalarValue }).value as ScalarInput),
          ),
        );
      } else if (field.repeated) {
        out.push(...nodes);
      } else {
        const last = nodes[nodes.length - 1];
        if (!field.hasPresence && isDefaultScalar(last)) continue;
        out.push(last);
      }
      continue;
    }
    for (const v of tf.values) {
      if (v.kind !== 'message') throw err(v.tok, `Expected "{" for field "${field.name}".`);
      out.push(messageNode(field, buildNodes(info.messageType!, v.fields, options)));
    }
  }
  const any = fields.find((f) => f.fieldNumber === -1);
  if (any) {
    const v = any.values[0] as Extract<TextValue, { kind: 'any' }>;
    const inner = newRoot(v.type, buildNodes(v.type, v.fields, options));
    const bytes = encodeMessage(inner, new Uint8Array(0));
    const urlField = type.fieldsById[1];
    const valueField = type.fieldsById[2];
    if (out.some((n) => n.fieldNumber === 1 || n.fieldNumber === 2))
      throw err(any.tok, 'An expanded Any cannot also set type_url or value.');
    out.unshift(scalarNode(urlField, v.typeUrl), scalarNode(valueField, bytes));
  }
  for (const tf of fields.filter((f) => !f.field && f.fieldNumber > 0)) out.push(...checkShadowed(type, tf, unknownNodesFromText(tf)));
  return out;
}

function mapEntryFromText(field: Field, v: TextValue, options: FromTextOptions): FieldNode {
  if (v.kind !== 'message') throw err(v.tok, `Expected "{" for map field "${field.name}".`);
  const entryType = mapEntryType(asMapField(field)!);
  const keyField = entryType.fieldsById[1];
  const valueField = entryType.fieldsById[2];
  const keyTf = v.fields.find((f) => f.field === keyField);
  const valueTf = v.fields.find((f) => f.field === valueField);
  // Numeric (unknown) fields inside an entry are kept after key and value, as toText prints them.
  const extra = v.fields
    .filter((f) => f !== keyTf && f !== valueTf)
    .flatMap((f) => {
      if (f.field) throw err(f.tok, `Map entry of "${field.name}" has only "key" and "value".`);
      return checkShadowed(entryType, f, unknownNodesFromText(f));
    });
  const entry = mapEntryNodeFromText(field, keyField, valueField, keyTf, valueTf, v, options);
  if (!extra.length || entry.value.kind !== 'message') return entry;
  return messageNode(field, [...entry.value.fields, ...extra]);
}

function mapEntryNodeFromText(
  field: Field,
  keyField: Field,
  valueField: Field,
  keyTf: TextField | undefined,
  valueTf: TextField | undefined,
  v: TextValue,
  options: FromTextOptions,
): FieldNode {
  const keyTok = keyTf?.values[keyTf.values.length - 1];
  const key: ScalarInput =
    keyTok && keyTok.kind === 'scalar' ? scalarInput(keyField, scalarTypeOf(keyField)!, keyTok.tok) : defaultKey(scalarTypeOf(keyField)!);
  const valueLast = valueTf?.values[valueTf.values.length - 1];
  const vType = scalarTypeOf(valueField);
  try {
    if (!vType) {
      const fieldsIn =
        valueLast && valueLast.kind === 'message' ? buildNodes(fieldInfo(valueField).messageType!, valueLast.fields, options) : [];
      return keepInvalidUtf8(mapEntryNode(field, key, fieldsIn), [keyTok]);
    }
    const value = valueLast && valueLast.kind === 'scalar' ? scalarInput(valueField, vType, valueLast.tok) : undefined;
    return keepInvalidUtf8(mapEntryNode(field, key, value), [keyTok, valueLast]);
  } catch (e) {
    if (e instanceof TextFormatError) throw e;
    throw err(v.tok, `Invalid map entry for "${field.name}": ${(e as Error).message}.`);
  }
}

/**
 * An unknown field whose number the type declares is read back as that field when its wire
 * type fits (a length-delimited value for a message field, say): such bytes must then be a
 * valid value of that field, or the document would not decode. Checked by decoding them.
 */
function checkShadowed(type: Type, tf: TextField, nodes: FieldNode[]): FieldNode[] {
  if (!type.fieldsById[tf.fieldNumber]) return nodes;
  for (let i = 0; i < nodes.length; i++) {
    const bytes = encodeMessage(newRoot(null, [nodes[i]]), new Uint8Array(0));
    try {
      decodeMessage(bytes, type);
    } catch (e) {
      const declared = type.fieldsById[tf.fieldNumber];
      throw err(
        tf.values[i]?.tok ?? tf.tok,
        `Field number ${tf.fieldNumber} is declared as "${declared.name}"; this value would be read as it and is not valid there (${(e as Error).message}).`,
      );
    }
  }
  return nodes;
}

/** Puts the exact bytes back on the key / value string nodes of a map entry whose text was not valid UTF-8. */
function keepInvalidUtf8(entry: FieldNode, values: (TextValue | undefined)[]): FieldNode {
  if (entry.value.kind !== 'message') return entry;
  let changed = false;
  const fields = entry.value.fields.map((n, i) => {
    const v = values[i];
    const tok = v && v.kind === 'scalar' ? v.tok : undefined;
    if (!tok?.bytes || n.value.kind !== 'scalar' || n.value.type !== 'string' || isValidUtf8(tok.bytes)) return n;
    changed = true;
    return { ...n, value: { ...n.value, invalidUtf8: tok.bytes } };
  });
  return changed ? { ...entry, value: { ...entry.value, fields } } : entry;
}

function defaultKey(type: ScalarType): ScalarInput {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

/**
 * Nodes for an unknown field written as toText prints them. `N { ... }` is a length-delimited
 * field holding a message when that would print back the same way (its nesting fits the
 * printer's budget of 10 levels), else a group; an empty `N { }` is always a group (an empty
 * length-delimited field prints as `N: ""`).
 */
function unknownNodesFromText(tf: TextField, budget = UNKNOWN_RECURSION_BUDGET): FieldNode[] {
  return tf.values.map((v) => {
    try {
      return unknownNodeFromText(tf, v, budget);
    } catch (e) {
      if (e instanceof TextFormatError) throw e;
      throw err(v.tok, `Invalid value for unknown field ${tf.fieldNumber}: ${(e as Error).message}.`);
    }
  });
}

/** How deep `{ }` bodies nest in a value (0 for a scalar or an empty body). */
function braceHeight(v: TextValue): number {
  if (v.kind === 'scalar' || v.fields.length === 0) return 0;
  let h = 0;
  for (const f of v.fields) for (const x of f.values) h = Math.max(h, braceHeight(x));
  return h + 1;
}

function unknownNodeFromText(tf: TextField, v: TextValue, budget: number): FieldNode {
  if (v.kind === 'message' || v.kind === 'any') {
    const h = braceHeight(v);
    if (h === 0) return unknownNode(tf.fieldNumber, WireType.SGROUP, []);
    if (h > budget)
      return unknownNode(
        tf.fieldNumber,
        WireType.SGROUP,
        v.fields.flatMap((f) => unknownNodesFromText(f, budget)),
      );
    const w = new InnerWriter();
    for (const n of v.fields.flatMap((f) => unknownNodesFromText(f, budget - 1))) w.node(n);
    return unknownNode(tf.fieldNumber, WireType.LEN, w.finish());
  }
  const tok = v.tok;
  if (tok.kind === 'string') return unknownNode(tf.fieldNumber, WireType.LEN, tok.bytes!);
  const m = /^0[xX]([0-9a-fA-F]+)$/.exec(tok.text);
  if (m && m[1].length === 8) return unknownNode(tf.fieldNumber, WireType.I32, Number(BigInt(tok.text)));
  if (m && m[1].length === 16) return unknownNode(tf.fieldNumber, WireType.I64, BigInt(tok.text));
  if (tok.text.startsWith('-'))
    throw err(tok, `Invalid value for unknown field ${tf.fieldNumber}: varints print unsigned, found ${tok.text}.`);
  return unknownNode(tf.fieldNumber, WireType.VARINT, parseInteger(tok.text, tok));
}

/** Encodes unknown nodes (built from text) into bytes for an enclosing unknown LEN field. */
class InnerWriter {
  private readonly parts: Uint8Array[] = [];
  node(n: FieldNode): void {
    this.parts.push(encodeMessage(newRoot(null, [n]), new Uint8Array(0)));
  }
  finish(): Uint8Array {
    const total = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
