/**
 * Document nodes from parsed text format (text-parse.ts gives fields with their values already
 * read and checked): scalars, packed runs, map entries, an expanded Any encoded into its value,
 * MessageSet items, and unknown fields written as toText prints them.
 */
import type { Field, Type } from 'protobufjs';
import type { FieldNode, ScalarValue } from '../document/model';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { mapEntryNode, messageNode, newRoot, packedNode, scalarNode, unknownNode, type ScalarInput } from '../document/build';
import { asMapField, fieldInfo, FieldKind, mapEntryType, scalarTypeOf } from '../document/schema-info';
import { isValidUtf8 } from '../wire/utf8';
import { WireType } from '../wire/wire-types';
import { isImplicitDefault } from './message-state';
import { messageSetItemNode } from './message-set';
import { errorAt, type Tok } from './text-lexer';
import { TextFormatError } from './text-format-error';
import { parseIntegerToken } from './text-parse-values';
import { isMessageSet } from './type-lookup';
import { UNKNOWN_RECURSION_BUDGET } from './unknown-fields';
import { appendAll } from '../wire/append';

/** A parsed value before it becomes nodes. */
export type TextValue =
  /** A known field's scalar, read and checked; strings keep their bytes. */
  | { kind: 'scalar'; value: ScalarInput; bytes?: Uint8Array; tok: Tok }
  /** An unknown field's scalar as written (a number token, or string bytes). */
  | { kind: 'raw'; tok: Tok; bytes?: Uint8Array }
  | { kind: 'message'; fields: TextField[]; tok: Tok }
  | { kind: 'any'; typeUrl: string; type: Type; fields: TextField[]; tok: Tok };

/** A field as written in the text, with its values in text order. */
export interface TextField {
  /** Known field, or null for a numeric unknown field (and the expanded Any, number -1). */
  field: Field | null;
  fieldNumber: number;
  values: TextValue[];
  tok: Tok;
}

/** A scalar node for a value read from text, keeping string bytes that are not valid UTF-8. */
function scalarNodeOf(field: Field, v: Extract<TextValue, { kind: 'scalar' }>): FieldNode {
  let node: FieldNode;
  try {
    node = scalarNode(field, v.value);
  } catch (e) {
    throw errorAt(v.tok, `Invalid value for field "${field.name}": ${(e as Error).message}.`);
  }
  if (!v.bytes || node.value.kind !== 'scalar' || node.value.type !== 'string' || isValidUtf8(v.bytes)) return node;
  return { ...node, value: { ...node.value, invalidUtf8: v.bytes } };
}

function scalarValues(field: Field, tf: TextField): Extract<TextValue, { kind: 'scalar' }>[] {
  return tf.values.map((v) => {
    if (v.kind !== 'scalar') throw errorAt(v.tok, `Expected a value for field "${field.name}".`);
    return v;
  });
}

/** Document nodes for the parsed fields of a message of `type`: known fields in number order, then unknown ones as written. */
export function buildNodes(type: Type, fields: TextField[]): FieldNode[] {
  const known = fields.filter((f) => f.field).sort((a, b) => a.field!.id - b.field!.id);
  const out: FieldNode[] = [];
  const messageSet = isMessageSet(type);
  for (const tf of known) {
    const field = tf.field!;
    const info = fieldInfo(field);
    if (info.kind === FieldKind.MAP) {
      for (const v of tf.values) out.push(mapEntryFromText(field, v));
      continue;
    }
    if (info.kind === FieldKind.SCALAR) {
      const values = scalarValues(field, tf);
      if (field.repeated && info.packable && field.packed && values.length) {
        out.push(
          packedNode(
            field,
            values.map((v) => scalarNodeOf(field, v)).map((n) => (n.value as { value: ScalarValue }).value as ScalarInput),
          ),
        );
      } else if (field.repeated) {
        appendAll(
          out,
          values.map((v) => scalarNodeOf(field, v)),
        );
      } else {
        const last = values[values.length - 1];
        const node = scalarNodeOf(field, last);
        if (!field.hasPresence && node.value.kind === 'scalar' && isImplicitDefault(node.value)) continue;
        out.push(node);
      }
      continue;
    }
    for (const v of tf.values) {
      if (v.kind !== 'message') throw errorAt(v.tok, `Expected "{" for field "${field.name}".`);
      const inner = buildNodes(info.messageType!, v.fields);
      // A MessageSet holds its extensions as items: group 1 { type_id = 2, message = 3 }, as protoc writes them.
      out.push(messageSet && field.declaringField ? messageSetItemNode(field, inner) : messageNode(field, inner));
    }
  }
  const any = fields.find((f) => f.fieldNumber === -1);
  if (any) {
    const v = any.values[0] as Extract<TextValue, { kind: 'any' }>;
    const inner = newRoot(v.type, buildNodes(v.type, v.fields));
    const bytes = encodeMessage(inner, new Uint8Array(0));
    out.unshift(scalarNode(type.fieldsById[1], v.typeUrl), scalarNode(type.fieldsById[2], bytes));
  }
  for (const tf of fields.filter((f) => !f.field && f.fieldNumber > 0)) appendAll(out, checkShadowed(type, tf, unknownNodesFromText(tf)));
  return out;
}

function mapEntryFromText(field: Field, v: TextValue): FieldNode {
  if (v.kind !== 'message') throw errorAt(v.tok, `Expected "{" for map field "${field.name}".`);
  const entryType = mapEntryType(asMapField(field)!);
  const keyField = entryType.fieldsById[1];
  const valueField = entryType.fieldsById[2];
  const last = (f: Field) => {
    const tf = v.fields.find((x) => x.field === f);
    return tf?.values[tf.values.length - 1];
  };
  const keyV = last(keyField);
  const valueV = last(valueField);
  // Numeric (unknown) fields inside an entry are kept after key and value, as toText prints them.
  const extra = v.fields.filter((f) => !f.field).flatMap((f) => checkShadowed(entryType, f, unknownNodesFromText(f)));
  let entry: FieldNode;
  try {
    const key = keyV?.kind === 'scalar' ? keyV.value : undefined;
    if (!scalarTypeOf(valueField)) {
      const fieldsIn = valueV?.kind === 'message' ? buildNodes(fieldInfo(valueField).messageType!, valueV.fields) : [];
      entry = mapEntryNode(field, key ?? defaultKey(keyField), fieldsIn);
    } else entry = mapEntryNode(field, key ?? defaultKey(keyField), valueV?.kind === 'scalar' ? valueV.value : undefined);
  } catch (e) {
    if (e instanceof TextFormatError) throw e;
    throw errorAt(v.tok, `Invalid map entry for "${field.name}": ${(e as Error).message}.`);
  }
  entry = keepInvalidUtf8(entry, [keyV, valueV]);
  if (!extra.length || entry.value.kind !== 'message') return entry;
  return messageNode(field, [...entry.value.fields, ...extra]);
}

function defaultKey(keyField: Field): ScalarInput {
  const type = scalarTypeOf(keyField);
  return type === 'string' ? '' : type === 'bool' ? false : 0;
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
    const bytes = v && v.kind === 'scalar' ? v.bytes : undefined;
    if (!bytes || n.value.kind !== 'scalar' || n.value.type !== 'string' || isValidUtf8(bytes)) return n;
    changed = true;
    return { ...n, value: { ...n.value, invalidUtf8: bytes } };
  });
  return changed ? { ...entry, value: { ...entry.value, fields } } : entry;
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
  if (v.kind === 'scalar' || v.kind === 'raw' || v.fields.length === 0) return 0;
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
    const parts = v.fields
      .flatMap((f) => unknownNodesFromText(f, budget - 1))
      .map((n) => encodeMessage(newRoot(null, [n]), new Uint8Array(0)));
    return unknownNode(tf.fieldNumber, WireType.LEN, concat(parts));
  }
  if (v.kind === 'scalar') throw errorAt(v.tok, `Invalid value for unknown field ${tf.fieldNumber}.`);
  if (v.bytes) return unknownNode(tf.fieldNumber, WireType.LEN, v.bytes);
  const text = v.tok.text;
  const m = /^0[xX]([0-9a-fA-F]+)$/.exec(text);
  if (m && m[1].length === 8) return unknownNode(tf.fieldNumber, WireType.I32, Number(BigInt(text)));
  if (m && m[1].length === 16) return unknownNode(tf.fieldNumber, WireType.I64, BigInt(text));
  return unknownNode(tf.fieldNumber, WireType.VARINT, parseIntegerToken(text, 2n ** 64n - 1n)!);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
