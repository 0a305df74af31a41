/**
 * JSON and text format for the workbench over core/format, with errors placed at a line and
 * column (JSON errors name a path such as `$.codecs[1].mime`: it is found in the text).
 */
import type { Type } from 'protobufjs';
import type { FieldNode, MessageRoot } from '../document/model';
import { decodeMessage } from '../document/decode';
import { fromJson, JsonFormatError, toJsonString } from '../format';
import { fromText, TextFormatError, toText } from '../format';
import type { SchemaRegistry } from '../schema/registry';
import { positionOf } from '../schema/proto-source';
import { TextInputError, type Schemas } from './engine';

/** Splits a JSON path like `$.a.b[2]["c d"]` into keys and indices. */
function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
  return out;
}

/**
 * The offset of the value (or, for an object member, its key) at a JSON path in the text;
 * the deepest part of the path that exists when it does not all exist. Tolerant scanner.
 */
export function locateJsonPath(text: string, path: string): number {
  const parts = pathParts(path);
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = () => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        if (d === '}' || d === ']') depth--;
        i++;
        if (depth === 0) return;
      }
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  };
  let found = 0;
  ws();
  for (const part of parts) {
    ws();
    if (typeof part === 'number') {
      if (text[i] !== '[') return found;
      i++;
      for (let k = 0; k < part; k++) {
        skipValue();
        ws();
        if (text[i] !== ',') return found;
        i++;
      }
      ws();
      found = i;
    } else {
      if (text[i] !== '{') return found;
      i++;
      let hit = false;
      while (i < text.length) {
        ws();
        if (text[i] !== '"') return found;
        const keyStart = i;
        skipString();
        const key = text.slice(keyStart + 1, i - 1);
        ws();
        if (text[i] === ':') i++;
        if (key === part) {
          found = keyStart;
          hit = true;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else return found;
      }
      if (!hit) return found;
    }
  }
  return found;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * The JSON path (`$.items[1].label`, `$.attrs["k"]`) of the node at a tree path: field names in
 * lowerCamelCase, repeated occurrences by their index (packed elements counted), map entries by key.
 */
export function jsonPathOf(root: MessageRoot, path: readonly number[]): string | null {
  let out = '$';
  let fields: readonly FieldNode[] = root.fields;
  let inMapEntry = false;
  for (let depth = 0; depth < path.length; depth++) {
    const i = path[depth];
    const node = fields[i];
    if (!node) return out;
    const v = node.value;
    if (inMapEntry) {
      // Inside a map entry: the key is the member name, the value is the member.
      if (node.fieldNumber === 2 && v.kind === 'message') {
        fields = v.fields;
        inMapEntry = false;
        continue;
      }
      return out;
    }
    if (!node.field) return out;
    const name = camel(node.field.name);
    if (v.kind === 'message' && v.mapEntry) {
      const key = v.fields.find((f) => f.fieldNumber === 1);
      const k = key && key.value.kind === 'scalar' ? String(key.value.value) : '';
      out += `.${name}[${JSON.stringify(k)}]`;
      fields = v.fields;
      inMapEntry = true;
      continue;
    }
    if (node.field.repeated) {
      let index = 0;
      for (let k = 0; k < i; k++) {
        const f = fields[k];
        if (f.fieldNumber === node.fieldNumber) index += f.value.kind === 'packed' ? f.value.elements.length : 1;
      }
      if (v.kind === 'packed') return `${out}.${name}[${index + (depth + 1 < path.length ? path[depth + 1] : 0)}]`;
      out += `.${name}[${index}]`;
    } else out += `.${name}`;
    if (v.kind !== 'message') return out;
    fields = v.fields;
  }
  return out;
}

/** The message as proto3 JSON or text format. */
export function toTextFormat(bytes: Uint8Array, type: Type | null, format: 'json' | 'text', schemas: Schemas): string {
  return printTextFormat(decodeMessage(bytes, type), format, schemas.registry as SchemaRegistry);
}

/** A message tree as proto3 JSON or text format. */
export function printTextFormat(root: MessageRoot, format: 'json' | 'text', registry: SchemaRegistry): string {
  if (format === 'text') return toText(root);
  if (!root.type) throw new Error('choose a message type: JSON needs a schema (text format shows raw fields)');
  return toJsonString(root, { registry }) + '\n';
}

/** Parses proto3 JSON or text format into a message tree (nodes without spans); throws TextInputError with positions. */
export function parseTextFormat(text: string, type: Type, format: 'json' | 'text', registry: SchemaRegistry): MessageRoot {
  try {
    return format === 'json' ? fromJson(text, type, { registry }) : fromText(text, type, { registry, allowFieldNumbers: true });
  } catch (e) {
    if (e instanceof TextFormatError) throw new TextInputError([{ message: e.detail, line: e.line, column: e.column }]);
    if (e instanceof JsonFormatError) {
      const m = /^invalid JSON at line (\d+), column (\d+): (.*)$/s.exec(e.detail);
      if (m) throw new TextInputError([{ message: m[3], line: Number(m[1]), column: Number(m[2]) }]);
      throw new TextInputError([{ message: `${e.path}: ${e.detail}`, ...positionOf(text, locateJsonPath(text, e.path)) }]);
    }
    throw e;
  }
}
