/**
 * Reading protobuf text format into a document (the inverse of text-print.ts), as protoc 36's
 * TextFormat parser reads it for `protoc --encode`: tokens come from text-lexer.ts, scalar
 * values from text-parse-values.ts, and text-parse-nodes.ts turns the fields into nodes.
 *
 * The grammar: fields `name: value` (`:` optional before a message), messages in `{ }` or
 * `< >`, `[pkg.ext]` extensions (a MessageSet extension also under its message type's name),
 * an expanded Any `[prefix/pkg.T] { }`, lists `name: [1, 2]`, one optional `,` or `;` after
 * each field, group-like fields under their type name, reserved field names skipped. A singular
 * field given twice, or two members of a oneof, is an error, unless the earlier value left the
 * field unset (an implicit-presence field at its default), as in protoc.
 *
 * Beyond protoc, with `allowFieldNumbers` a numeric name is an unknown field written as toText
 * prints unknown fields (`N: 123` varint, `N: 0x` + 8 hex digits fixed32, + 16 fixed64,
 * `N: "..."` length-delimited, `N { ... }` a nested message, or a group when empty or nested
 * deeper than the printer expands), so print → parse → print is stable for every message.
 * Errors are TextFormatError with `line:column: ...` (1-based) where protoc reports them.
 */
import type { Field, OneOf, Type } from 'protobufjs';
import type { MessageRoot } from '../document/model';
import { newRoot } from '../document/build';
import { asMapField, fieldInfo, FieldKind, scalarTypeOf } from '../document/schema-info';
import type { SchemaRegistry } from '../schema/registry';
import { isImplicitDefault } from './message-state';
import { errorAt, Lexer, type Tok } from './text-lexer';
import { buildNodes, type TextField, type TextValue } from './text-parse-nodes';
import { consumeScalar, parseIntegerToken, SKIPPED_ENUM, stringBytes } from './text-parse-values';
import { TextFormatError } from './text-format-error';
import { messageSetExtension } from './message-set';
import { fullNameOf, isGroupLike, isMessageSet, resolveAnyType, stripDot } from './type-lookup';
import { appendAll } from '../wire/append';

/** Options of fromText. */
export interface FromTextOptions {
  /** Resolves `[pkg.ext]` extension names and Any type URLs (default: the type's own root). */
  registry?: SchemaRegistry;
  /**
   * How deep messages may nest (default DEFAULT_TEXT_MAX_DEPTH); deeper input is a
   * TextFormatError. Unknown fields written `N { ... }` may nest up to twice as deep in all:
   * toText prints unknown length-delimited fields as nested messages below the deepest decoded
   * message (as protoc does), and what it prints must read back.
   */
  maxDepth?: number;
  /**
   * Read numeric field names as unknown fields, written as toText prints them (default false:
   * protoc refuses them). The workbench sets it, so a message with unknown fields reads back.
   */
  allowFieldNumbers?: boolean;
  /** Skip fields and extensions the type does not have, and enum value names it lacks (protoc's AllowUnknownField). Default false. */
  ignoreUnknownFields?: boolean;
}

/**
 * Default nesting limit of fromText: 1000 levels. protoc 36 sets none for text (it reads 20,000
 * levels it then cannot decode past its binary limit of 100); a bound keeps the stack safe.
 */
export const DEFAULT_TEXT_MAX_DEPTH = 1000;

/**
 * Parses text format as a message of `type` into a document root (nodes without spans, in
 * field number order; unknown numeric fields last). Throws TextFormatError naming line:column.
 */
export function fromText(text: string, type: Type, options: FromTextOptions = {}): MessageRoot {
  const parser = new TextParser(new Lexer(text), options);
  return newRoot(type, buildNodes(type, parser.body(type, null, 0)));
}

/** What a message body has seen so far, for protoc's "specified multiple times" checks. */
interface BodyState {
  out: TextField[];
  /** Known fields by number. */
  byNumber: Map<number, TextField>;
  /** Fields holding a value a runtime sees as set (HasField). */
  present: Set<number>;
  /** The member each oneof holds. */
  oneofCase: Map<OneOf, Field>;
}

class TextParser {
  private readonly maxDepth: number;
  constructor(
    private readonly lx: Lexer,
    private readonly options: FromTextOptions,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_TEXT_MAX_DEPTH;
  }

  /** Consume(text): the current token must be `text`. */
  private consume(text: string): Tok {
    const t = this.lx.current;
    if (!this.lx.lookingAt(text)) throw errorAt(t, `Expected "${text}", found "${t.text}".`);
    return this.lx.next();
  }

  private identifier(): string {
    const t = this.lx.current;
    if (t.kind !== 'ident') throw errorAt(t, `Expected identifier, got: ${t.text}`);
    return this.lx.next().text;
  }

  /** The fields of a message body: to the end of input (close null) or to its closing `}` / `>`. */
  body(type: Type, close: string | null, depth: number): TextField[] {
    const st: BodyState = { out: [], byNumber: new Map(), present: new Set(), oneofCase: new Map() };
    if (close === null) while (this.lx.current.kind !== 'eof') this.field(type, st, depth);
    else {
      while (!this.lx.lookingAt('>') && !this.lx.lookingAt('}')) this.field(type, st, depth);
      this.consume(close);
    }
    return st.out;
  }

  /** A `{` or `<` opening a message `depth` levels down; returns the closing delimiter. */
  private open(depth: number): string {
    if (depth > this.maxDepth)
      throw errorAt(this.lx.current, `Message is too deep, the parser exceeded the configured recursion limit of ${this.maxDepth}.`);
    if (this.lx.tryConsume('<')) return '>';
    this.consume('{');
    return '}';
  }

  /** `[` ... `]`: a type URL or a full name, the tokens up to `]` joined (as protoc 36 reads it: `[t2 .x]` names "t2.x"). */
  private bracketName(): { name: string; end: Tok } {
    let name = '';
    while (!this.lx.lookingAt(']')) {
      if (this.lx.current.kind === 'eof') throw errorAt(this.lx.current, 'Expected "]", found "".');
      name += this.lx.next().text;
    }
    return { name, end: this.lx.next() };
  }

  private field(type: Type, st: BodyState, depth: number): void {
    const lx = this.lx;
    let field: Field | null = null;
    let name: string;
    if (lx.tryConsume('[')) {
      const { name: full, end } = this.bracketName();
      const afterEnd = (detail: string) => new TextFormatError(end.endLine, end.endCol, detail);
      if (fullNameOf(type) === 'google.protobuf.Any') {
        if (!full.includes('/')) throw afterEnd('Type URL prefix is missing');
        this.anyField(type, full, st, depth);
        return;
      }
      if (full.includes('/')) throw afterEnd('Extension name contains "/"');
      name = full;
      field = this.extension(type, full);
      if (!field) {
        if (this.options.ignoreUnknownFields) return this.skipRest();
        throw errorAt(lx.current, `Extension "${full}" is not defined or is not an extension of "${typeName(type)}".`);
      }
    } else {
      const t = lx.current;
      if (this.options.allowFieldNumbers && t.kind === 'int' && /^[1-9]\d*$/.test(t.text)) {
        lx.next();
        this.unknownField(t, st, depth);
        return;
      }
      name = this.identifier();
      field = fieldByName(type, name);
      if (!field) {
        if (type.isReservedName(name) || this.options.ignoreUnknownFields) return this.skipRest();
        throw errorAt(lx.current, `Message type "${typeName(type)}" has no field named "${name}".`);
      }
    }
    const isMap = !!asMapField(field);
    const repeated = field.repeated || isMap;
    if (!repeated && st.present.has(field.id)) throw errorAt(lx.current, `Non-repeated field "${name}" is specified multiple times.`);
    const oneof = field.partOf;
    const other = oneof ? st.oneofCase.get(oneof) : undefined;
    if (oneof && other)
      throw errorAt(lx.current, `Field "${name}" is specified along with field "${other.name}", another member of oneof "${oneof.name}".`);
    const isMessage = fieldInfo(field).kind !== FieldKind.SCALAR;
    if (isMessage) lx.tryConsume(':');
    else this.consume(':');
    const values: TextValue[] = [];
    const one = (): void => {
      const v = isMessage ? this.message(field, depth) : this.scalar(field);
      if (v) values.push(v);
    };
    if (repeated && lx.tryConsume('[')) {
      if (!lx.tryConsume(']')) {
        while (true) {
          one();
          if (lx.tryConsume(']')) break;
          this.consume(',');
        }
      }
    } else one();
    this.record(field, values, st);
    if (!lx.tryConsume(';')) lx.tryConsume(',');
  }

  /** Adds a field's values to the body and notes what a runtime would now see as set. */
  private record(field: Field, values: TextValue[], st: BodyState): void {
    if (!values.length) return;
    const prev = st.byNumber.get(field.id);
    if (prev) appendAll(prev.values, values);
    else {
      const tf: TextField = { field, fieldNumber: field.id, values, tok: values[0].tok };
      st.byNumber.set(field.id, tf);
      st.out.push(tf);
    }
    const last = values[values.length - 1];
    const hasPresence = field.repeated || !!asMapField(field) || !!field.partOf || !!field.hasPresence || last.kind !== 'scalar';
    if (!hasPresence && last.kind === 'scalar') {
      const type = scalarTypeOf(field)!;
      if (isImplicitDefault({ kind: 'scalar', type, value: last.value })) {
        st.present.delete(field.id);
        return;
      }
    }
    st.present.add(field.id);
    if (field.partOf) st.oneofCase.set(field.partOf, field);
  }

  private message(field: Field, depth: number): TextValue {
    const tok = this.lx.current;
    const close = this.open(depth + 1);
    const type = fieldInfo(field).messageType!;
    if (asMapField(field)) entryOwners.set(type, field.parent as Type);
    return { kind: 'message', fields: this.body(type, close, depth + 1), tok };
  }

  private scalar(field: Field): TextValue | null {
    const tok = this.lx.current;
    const v = consumeScalar(this.lx, field, scalarTypeOf(field)!, this.options.ignoreUnknownFields === true);
    if (v === SKIPPED_ENUM) return null;
    return { kind: 'scalar', value: v.value, bytes: v.bytes, tok };
  }

  /** An expanded Any: `[prefix/pkg.T]` (already read), an optional `:`, then the payload message. */
  private anyField(type: Type, url: string, st: BodyState, depth: number): void {
    const lx = this.lx;
    lx.tryConsume(':');
    const target = resolveAnyType(url.slice(url.lastIndexOf('/') + 1), type, this.options.registry);
    if (!target) throw errorAt(lx.current, `Could not find type "${url}" stored in google.protobuf.Any.`);
    const tok = lx.current;
    const close = this.open(depth + 1);
    const fields = this.body(target, close, depth + 1);
    if (st.present.has(1) || st.present.has(2)) throw errorAt(lx.current, 'Non-repeated Any specified multiple times.');
    st.present.add(1).add(2);
    st.out.push({ field: null, fieldNumber: -1, values: [{ kind: 'any', typeUrl: url, type: target, fields, tok }], tok });
    if (!lx.tryConsume(';')) lx.tryConsume(',');
  }

  /** The extension a bracketed name stands for: by its full name, or a MessageSet extension by its message type's name. */
  private extension(type: Type, name: string): Field | null {
    const bare = stripDot(name);
    const reg = this.options.registry;
    const byName = reg?.findExtension(bare);
    if (byName && byName.parent === type) return byName;
    const own = type.fieldsArray.find((f) => f.declaringField && stripDot(f.declaringField.fullName) === bare);
    if (own) return own;
    return isMessageSet(type) ? messageSetExtension(type, bare) : null;
  }

  /** Skips what follows an unknown or reserved field's name: a value, a list, or a message (protoc's SkipField). */
  private skipRest(): void {
    const lx = this.lx;
    if (lx.tryConsume(':') && !lx.lookingAt('{') && !lx.lookingAt('<')) {
      if (lx.tryConsume('[')) {
        while (!lx.tryConsume(']')) {
          if (lx.current.kind === 'eof') throw errorAt(lx.current, 'Expected "]", found "".');
          lx.next();
        }
      } else this.skipValue();
    } else if (lx.tryConsume('[')) {
      while (!lx.tryConsume(']')) {
        this.skipMessage();
        lx.tryConsume(',');
      }
    } else this.skipMessage();
    if (!lx.tryConsume(';')) lx.tryConsume(',');
  }

  private skipValue(): void {
    const lx = this.lx;
    if (lx.current.kind === 'string') while (lx.current.kind === 'string') lx.next();
    else {
      lx.tryConsume('-');
      const t = lx.current;
      if (t.kind !== 'ident' && t.kind !== 'int' && t.kind !== 'float') throw errorAt(t, `Invalid field value: ${t.text}`);
      lx.next();
    }
  }

  private skipMessage(): void {
    const close = this.lx.tryConsume('<') ? '>' : (this.consume('{'), '}');
    let level = 1;
    while (level > 0) {
      const t = this.lx.next();
      if (t.kind === 'eof') throw errorAt(t, `Expected "${close}", found "".`);
      if (t.kind === 'symbol' && (t.text === '{' || t.text === '<')) level++;
      else if (t.kind === 'symbol' && (t.text === '}' || t.text === '>')) level--;
    }
  }

  /** A numeric field name (allowFieldNumbers): an unknown field as toText prints it. */
  private unknownField(nameTok: Tok, st: BodyState, depth: number): void {
    const n = Number(nameTok.text);
    if (n > 0x1fffffff) throw errorAt(nameTok, `Field number ${nameTok.text} is out of range.`);
    const value = this.unknownValue(nameTok, depth);
    st.out.push({ field: null, fieldNumber: n, values: [value], tok: nameTok });
    if (!this.lx.tryConsume(';')) this.lx.tryConsume(',');
  }

  private unknownValue(nameTok: Tok, depth: number): TextValue {
    const lx = this.lx;
    const colon = lx.tryConsume(':');
    if (lx.lookingAt('{') || lx.lookingAt('<')) {
      const tok = lx.current;
      if (depth + 1 > 2 * this.maxDepth)
        throw errorAt(tok, `Unknown field is too deep, the parser exceeded twice the configured recursion limit of ${this.maxDepth}.`);
      const close = lx.next().text === '{' ? '}' : '>';
      const fields: TextField[] = [];
      while (!lx.tryConsume(close)) {
        const t = lx.current;
        if (t.kind !== 'int' || !/^[1-9]\d*$/.test(t.text))
          throw errorAt(t, `Expected a field number inside an unknown field, found "${t.text}".`);
        lx.next();
        if (Number(t.text) > 0x1fffffff) throw errorAt(t, `Field number ${t.text} is out of range.`);
        fields.push({ field: null, fieldNumber: Number(t.text), values: [this.unknownValue(t, depth + 1)], tok: t });
        if (!lx.tryConsume(';')) lx.tryConsume(',');
      }
      return { kind: 'message', fields, tok };
    }
    if (!colon) throw errorAt(lx.current, `Expected ":", found "${lx.current.text}".`);
    const tok = lx.current;
    if (tok.kind === 'string') return { kind: 'raw', tok, bytes: stringBytes(lx) };
    if (tok.kind !== 'int' || parseIntegerToken(tok.text, 2n ** 64n - 1n) === null)
      throw errorAt(
        tok,
        `Invalid value for unknown field ${nameTok.text}: expected an unsigned integer, 0x hex or a string, found "${tok.text}".`,
      );
    lx.next();
    return { kind: 'raw', tok };
  }
}

/** The message types that hold each map entry type met (the synthetic entry type has no parent of its own). */
const entryOwners = new WeakMap<Type, Type>();

/** A type's full name for errors; a map entry as protoc names it ("pkg.Msg.MapEntry"). */
function typeName(type: Type): string {
  const owner = entryOwners.get(type);
  return owner ? `${fullNameOf(owner)}.${type.name}` : fullNameOf(type);
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
