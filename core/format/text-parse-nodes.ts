/**
 * Document nodes from parsed text format: scalar values checked as protoc checks them, map
 * entries, an expanded Any encoded into its value, and unknown fields written as toText prints them.
 */
import type { Enum, Field, Type } from 'protobufjs';
import type { FieldNode, ScalarType, ScalarValue } from '../document/model';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { mapEntryNode, messageNode, newRoot, packedNode, scalarNode, unknownNode, type ScalarInput } from '../document/build';
import { asMapField, fieldInfo, FieldKind, mapEntryType, scalarTypeOf } from '../document/schema-info';
import { isValidUtf8 } from '../wire/utf8';
import { WireType } from '../wire/wire-types';
import { isClosedEnum } from './message-state';
import { describeToken, errorAt, type Tok } from './text-lexer';
import { TextFormatError } from './text-format-error';
import { UNKNOWN_RECURSION_BUDGET } from './unknown-fields';
import { appendAll } from '../wire/append';

/** A parsed value before it becomes nodes. */
export type TextValue =
  | { kind: 'scalar'; tok: Tok }
  | { kind: 'message'; fields: TextField[]; tok: Tok }
  | { kind: 'any'; typeUrl: string; type: Type; fields: TextField[]; tok: Tok };

/** A field as written in the text, with its values in text order. */
export interface TextField {
  /** Known field, or null for a numeric unknown field. */
  field: Field | null;
  fieldNumber: number;
  values: TextValue[];
  tok: Tok;
}

/** Throws a TextFormatError at `tok`. */
function fail(tok: Tok, what: string): never {
  throw errorAt(tok, what);
}

/** The JS value of a scalar token for a field's type, checked as protoc checks it. */
function scalarInput(field: Field, type: ScalarType, tok: Tok): ScalarInput {
  const text = tok.text;
  switch (type) {
    case 'string':
    case 'bytes':
      if (tok.kind !== 'string') fail(tok, `Expected string, found ${describeToken(tok)}.`);
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
      if (tok.kind !== 'number') fail(tok, `Expected double, got: ${describeToken(tok)}`);
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
  else throw errorAt(tok, `Expected integer, got: ${text}`);
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
    throw errorAt(tok, `Invalid value for field "${field.name}": ${(e as Error).message}.`);
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

/** Document nodes for the parsed fields of a message of `type`: known fields in number order, then unknown ones as written. */
export function buildNodes(type: Type, fields: TextField[]): FieldNode[] {
  const known = fields.filter((f) => f.field).sort((a, b) => a.field!.id - b.field!.id);
  const out: FieldNode[] = [];
  for (const tf of known) {
    const field = tf.field!;
    const info = fieldInfo(field);
    if (info.kind === FieldKind.MAP) {
      for (const v of tf.values) out.push(mapEntryFromText(field, v));
      continue;
    }
    if (info.kind === FieldKind.SCALAR) {
      const nodes = tf.values.map((v) => {
        if (v.kind !== 'scalar') throw errorAt(v.tok, `Expected a value for field "${field.name}".`);
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
        appendAll(out, nodes);
      } else {
        const last = nodes[nodes.length - 1];
        if (!field.hasPresence && isDefaultScalar(last)) continue;
        out.push(last);
      }
      continue;
    }
    for (const v of tf.values) {
      if (v.kind !== 'message') throw errorAt(v.tok, `Expected "{" for field "${field.name}".`);
      out.push(messageNode(field, buildNodes(info.messageType!, v.fields)));
    }
  }
  const any = fields.find((f) => f.fieldNumber === -1);
  if (any) {
    const v = any.values[0] as Extract<TextValue, { kind: 'any' }>;
    const inner = newRoot(v.type, buildNodes(v.type, v.fields));
    const bytes = encodeMessage(inner, new Uint8Array(0));
    const urlField = type.fieldsById[1];
    const valueField = type.fieldsById[2];
    if (out.some((n) => n.fieldNumber === 1 || n.fieldNumber === 2))
      throw errorAt(any.tok, 'An expanded Any cannot also set type_url or value.');
    out.unshift(scalarNode(urlField, v.typeUrl), scalarNode(valueField, bytes));
  }
  for (const tf of fields.filter((f) => !f.field && f.fieldNumber > 0)) appendAll(out, checkShadowed(type, tf, unknownNodesFromText(tf)));
  return out;
}

function mapEntryFromText(field: Field, v: TextValue): FieldNode {
  if (v.kind !== 'message') throw errorAt(v.tok, `Expected "{" for map field "${field.name}".`);
  const entryType = mapEntryType(asMapField(field)!);
  const keyField = entryType.fieldsById[1];
  const valueField = entryType.fieldsById[2];
  const keyTf = v.fields.find((f) => f.field === keyField);
  const valueTf = v.fields.find((f) => f.field === valueField);
  // Numeric (unknown) fields inside an entry are kept after key and value, as toText prints them.
  const extra = v.fields
    .filter((f) => f !== keyTf && f !== valueTf)
    .flatMap((f) => {
      if (f.field) throw errorAt(f.tok, `Map entry of "${field.name}" has only "key" and "value".`);
      return checkShadowed(entryType, f, unknownNodesFromText(f));
    });
  const entry = mapEntryNodeFromText(field, keyField, valueField, keyTf, valueTf, v);
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
): FieldNode {
  const keyTok = keyTf?.values[keyTf.values.length - 1];
  const key: ScalarInput =
    keyTok && keyTok.kind === 'scalar' ? scalarInput(keyField, scalarTypeOf(keyField)!, keyTok.tok) : defaultKey(scalarTypeOf(keyField)!);
  const valueLast = valueTf?.values[valueTf.values.length - 1];
  const vType = scalarTypeOf(valueField);
  try {
    if (!vType) {
      const fieldsIn = valueLast && valueLast.kind === 'message' ? buildNodes(fieldInfo(valueField).messageType!, valueLast.fields) : [];
      return keepInvalidUtf8(mapEntryNode(field, key, fieldsIn), [keyTok]);
    }
    const value = valueLast && valueLast.kind === 'scalar' ? scalarInput(valueField, vType, valueLast.tok) : undefined;
    return keepInvalidUtf8(mapEntryNode(field, key, value), [keyTok, valueLast]);
  } catch (e) {
    if (e instanceof TextFormatError) throw e;
    throw errorAt(v.tok, `Invalid map entry for "${field.name}": ${(e as Error).message}.`);
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
      throw errorAt(
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
      throw errorAt(v.tok, `Invalid value for unknown field ${tf.fieldNumber}: ${(e as Error).message}.`);
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
    throw errorAt(tok, `Invalid value for unknown field ${tf.fieldNumber}: varints print unsigned, found ${tok.text}.`);
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
