/**
 * Where things are declared in .proto source: a light scan of the tokens (not a parser; protobufjs
 * parses) that finds each field, extension, enum value, syntax line, package and import with the
 * tokens of its name, number, type and options, by the message scope it sits in. The schema
 * checks use it to report their findings at file:line:column, as protoc does.
 */
import { tokens, type Token } from './proto-source';

/** A field, group or extension declaration. */
export interface FieldDecl {
  /** Message path within the file, without the package ("M.N"); "" at file level (extensions). */
  scope: string;
  /** For an extension, the extended type as written. */
  extendee?: string;
  name: Token;
  /** The number token (for a negative number, the "-" before it). */
  number?: Token;
  /** The type token ("int32", "pkg.T", "map" for a map, the group's name for a group). */
  type?: Token;
  /** Value tokens of the field's bracketed options by option name ("default", "json_name", "(x.y)"). */
  options: Map<string, Token>;
  /** True for a proto2 group (`group Name = n { }`). */
  group?: boolean;
}

/** An enum value declaration. */
export interface EnumValueDecl {
  /** The enum's path within the file ("E", "M.E"). */
  scope: string;
  name: Token;
  number?: Token;
}

/** A `reserved` or `extensions` number range of a message (`max` as 536870911). */
export interface RangeDecl {
  scope: string;
  kind: 'reserved' | 'extensions';
  from: number;
  to: number;
}

/** An `option` statement or bracketed option, by the kind of entity it sits on. */
export interface OptionDecl {
  /** "file", "message", "enum", "oneof", "service", "field", "enum value", ... */
  target: string;
  /** The option name as written ("features.enum_type", "(my.opt)"). */
  name: string;
  at: Token;
}

/** Declarations found in one .proto source. */
export interface ProtoDeclarations {
  /** The string after `syntax =` or `edition =`. */
  syntax?: Token;
  package?: Token;
  imports: { name: string; at: Token }[];
  fields: FieldDecl[];
  enumValues: EnumValueDecl[];
  /** Reserved and extension number ranges of messages. */
  ranges: RangeDecl[];
  /** Options set on the file, messages, enums, fields and values. */
  options: OptionDecl[];
  /** Every name a declaration introduces (packages, messages, enums, fields, values, oneofs, services, methods). */
  names: Token[];
}

const LABELS = new Set(['optional', 'required', 'repeated']);

/** Scans .proto source for its declarations (see ProtoDeclarations). */
export function scanDeclarations(source: string): ProtoDeclarations {
  const t = tokens(source);
  const out: ProtoDeclarations = { imports: [], fields: [], enumValues: [], ranges: [], options: [], names: [] };
  /** Open blocks: their kind and, for messages, groups and enums, their path. */
  const stack: { kind: string; path: string; extendee?: string }[] = [];
  const top = () => stack[stack.length - 1];
  const messagePath = () => {
    for (let k = stack.length - 1; k >= 0; k--) if (stack[k].kind === 'message') return stack[k].path;
    return '';
  };
  const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
  /** Index just past the `;` ending the statement starting at i (brackets and braces balanced). */
  const statementEnd = (i: number): number => {
    let depth = 0;
    for (let k = i; k < t.length; k++) {
      const x = t[k].text;
      if (x === '{' || x === '[' || x === '(') depth++;
      else if (x === '}' || x === ']' || x === ')') depth--;
      if (depth <= 0 && x === ';') return k + 1;
      if (depth < 0) return Math.max(k, i + 1); // a stray closer: step over it, never stand still
    }
    return t.length;
  };
  let i = 0;
  while (i < t.length) {
    const x = t[i].text;
    const scope = top();
    if (x === '}') {
      stack.pop();
      i++;
      continue;
    }
    if (x === ';') {
      i++;
      continue;
    }
    if ((x === 'syntax' || x === 'edition') && t[i + 1]?.text === '=' && !scope) {
      out.syntax = t[i + 2];
      i = statementEnd(i);
      continue;
    }
    if (x === 'package' && !scope) {
      out.package = t[i + 1];
      if (t[i + 1]) out.names.push(t[i + 1]);
      i = statementEnd(i);
      continue;
    }
    if (x === 'import' && !scope) {
      const s = t[i + 1]?.text === 'public' || t[i + 1]?.text === 'weak' ? t[i + 2] : t[i + 1];
      if (s && /^["']/.test(s.text)) out.imports.push({ name: s.text.slice(1, -1), at: t[i] });
      i = statementEnd(i);
      continue;
    }
    if (x === 'option' || x === 'reserved' || x === 'extensions') {
      const end = statementEnd(i);
      if (x !== 'option' && scope?.kind === 'message') out.ranges.push(...readRanges(t, i + 1, end, scope.path, x));
      if (x === 'option' && t[i + 1]) {
        const eq = findTopLevel(t, i + 1, end, '=');
        const name = t
          .slice(i + 1, eq > i ? eq : i + 2)
          .map((k) => k.text)
          .join('');
        out.options.push({ target: scope ? (scope.kind === 'other' ? 'method' : scope.kind) : 'file', name, at: t[i + 1] });
      }
      i = end;
      continue;
    }
    if ((x === 'message' || x === 'enum' || x === 'service' || x === 'oneof' || x === 'extend') && t[i + 2]?.text === '{') {
      const name = t[i + 1];
      if (x !== 'extend') out.names.push(name);
      const path = x === 'message' || x === 'enum' ? join(messagePath(), name.text) : messagePath();
      stack.push({ kind: x, path, extendee: x === 'extend' ? name.text : scope?.extendee });
      i += 3;
      continue;
    }
    if (x === 'rpc') {
      if (t[i + 1]) out.names.push(t[i + 1]);
      let k = i;
      while (k < t.length && t[k].text !== ';' && t[k].text !== '{') k++;
      if (t[k]?.text === '{') {
        stack.push({ kind: 'other', path: '' });
        i = k + 1;
      } else i = k + 1;
      continue;
    }
    if (x === '{') {
      stack.push({ kind: 'other', path: '' });
      i++;
      continue;
    }
    if (scope?.kind === 'enum') {
      // NAME = number [options];
      const end = statementEnd(i);
      if (t[i + 1]?.text === '=') {
        out.names.push(t[i]);
        out.enumValues.push({ scope: scope.path, name: t[i], number: t[i + 2] });
        const open = t[i + 3]?.text === '[' ? i + 3 : t[i + 4]?.text === '[' ? i + 4 : -1;
        if (open > 0) {
          const values = new Map<string, Token>();
          readOptions(t, open + 1, end, values);
          for (const [name, at] of values) out.options.push({ target: 'enum value', name, at });
        }
      }
      i = end;
      continue;
    }
    if (scope && (scope.kind === 'message' || scope.kind === 'oneof' || scope.kind === 'extend')) {
      let k = i;
      if (LABELS.has(t[k].text)) k++;
      const extendee = scope.extendee;
      const fieldScope = messagePath();
      if (t[k]?.text === 'group' && t[k + 2]?.text === '=') {
        // label group Name = number [options] { ... }
        const name = t[k + 1];
        out.names.push(name);
        const decl: FieldDecl = { scope: fieldScope, name, number: t[k + 3], type: name, options: new Map(), group: true };
        if (extendee) decl.extendee = extendee;
        out.fields.push(decl);
        let m = k + 4;
        while (m < t.length && t[m].text !== '{') m++;
        stack.push({ kind: 'message', path: join(messagePath(), name.text), extendee: undefined });
        i = m + 1;
        continue;
      }
      const end = statementEnd(i);
      const eq = findTopLevel(t, k, end, '=');
      if (eq > k) {
        const name = t[eq - 1];
        out.names.push(name);
        const typeTok = t[k].text === 'map' ? t[k] : t[eq - 2];
        const number = t[eq + 1];
        const decl: FieldDecl = { scope: fieldScope, name, number, type: typeTok, options: new Map() };
        if (extendee) decl.extendee = extendee;
        const after = number?.text === '-' ? eq + 3 : eq + 2;
        if (t[after]?.text === '[') readOptions(t, after + 1, end, decl.options);
        for (const [name, at] of decl.options) out.options.push({ target: 'field', name, at });
        out.fields.push(decl);
      }
      i = end;
      continue;
    }
    i = statementEnd(i);
  }
  return out;
}

/** Index of the first `text` token in [from, to) outside brackets, or -1. */
function findTopLevel(t: Token[], from: number, to: number, text: string): number {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const x = t[k].text;
    if (x === '[' || x === '<' || x === '(' || x === '{') depth++;
    else if (x === ']' || x === '>' || x === ')' || x === '}') depth--;
    else if (depth === 0 && x === text) return k;
  }
  return -1;
}

/** `name = value, ...` up to `]`: the first token of each value by option name. */
function readOptions(t: Token[], from: number, to: number, options: Map<string, Token>): void {
  let k = from;
  while (k < to && t[k].text !== ']') {
    let name = '';
    while (k < to && t[k].text !== '=' && t[k].text !== ']') name += t[k++].text;
    if (t[k]?.text !== '=') break;
    options.set(name, t[k + 1]);
    let depth = 0;
    for (k++; k < to; k++) {
      const x = t[k].text;
      if (x === '{' || x === '[') depth++;
      else if (x === '}' || (x === ']' && depth > 0)) depth--;
      else if (depth === 0 && (x === ',' || x === ']')) break;
    }
    if (t[k]?.text === ',') k++;
  }
}

/** The largest field number, what `max` stands for in a range. */
const MAX_NUMBER = 536870911;

/** The number ranges of a `reserved` or `extensions` statement (names and options skipped). */
function readRanges(t: Token[], from: number, to: number, scope: string, kind: RangeDecl['kind']): RangeDecl[] {
  const out: RangeDecl[] = [];
  const num = (k: number) => (t[k]?.text === 'max' ? MAX_NUMBER : /^\d+$/.test(t[k]?.text ?? '') ? Number(t[k].text) : NaN);
  for (let k = from; k < to && t[k].text !== '['; k++) {
    const lo = num(k);
    if (Number.isNaN(lo)) continue;
    const hi = t[k + 1]?.text === 'to' ? num(k + 2) : lo;
    if (!Number.isNaN(hi)) out.push({ scope, kind, from: lo, to: hi });
    if (t[k + 1]?.text === 'to') k += 2;
  }
  return out;
}
