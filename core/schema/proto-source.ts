/**
 * Finding positions in .proto source text, for error messages. protobufjs reports a line
 * only; these helpers find the column of the offending token, skipping comments and strings.
 */

/** A 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One token of .proto source with its 0-based offset. */
export interface Token {
  text: string;
  offset: number;
}

/** Splits .proto source into tokens (identifiers with dots, numbers, strings, punctuation), skipping comments. */
export function tokens(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && source[i] !== c && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      i++;
      out.push({ text: source.slice(start, Math.min(i, n)), offset: start });
    } else if (/[\w.]/.test(c)) {
      const start = i;
      while (i < n && /[\w.]/.test(source[i])) i++;
      out.push({ text: source.slice(start, i), offset: start });
    } else {
      out.push({ text: c, offset: i++ });
    }
  }
  return out;
}

let cachedSource: string | null = null;
let cachedLineStarts: number[] = [];

/** Offsets where each line starts (cached for the last source seen). */
function lineStarts(source: string): number[] {
  if (source !== cachedSource) {
    const starts = [0];
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
    cachedSource = source;
    cachedLineStarts = starts;
  }
  return cachedLineStarts;
}

/** Converts a 0-based offset to a 1-based line and column. */
export function positionOf(source: string, offset: number): SourcePosition {
  const starts = lineStarts(source);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/**
 * The column of `token` on `line` (1-based), outside comments; when the token is not found
 * there, the first non-blank column of the line; for end of input, just past the last token.
 */
export function columnOfToken(source: string, line: number, token: string | null): number {
  const all = tokens(source);
  if (token === null) {
    const last = all[all.length - 1];
    if (!last) return 1;
    const p = positionOf(source, last.offset + last.text.length);
    return p.line === line ? p.column : 1;
  }
  const onLine = all.filter((t) => positionOf(source, t.offset).line === line);
  const hit =
    onLine.find((t) => t.text === token) ?? onLine.find((t) => t.text.startsWith(token) || (token.length > 0 && t.text.includes(token)));
  if (hit) return positionOf(source, hit.offset).column;
  if (onLine[0]) return positionOf(source, onLine[0].offset).column;
  return 1;
}

/** Where `import "name";` is in the source, or undefined. */
export function findImport(source: string, name: string): SourcePosition | undefined {
  const all = tokens(source);
  for (let i = 0; i < all.length; i++) {
    if (all[i].text !== 'import') continue;
    let j = i + 1;
    if (all[j] && (all[j].text === 'public' || all[j].text === 'weak')) j++;
    const str = all[j];
    if (str && str.text.length >= 2 && str.text.slice(1, -1) === name) return positionOf(source, str.offset);
  }
  return undefined;
}

/**
 * Where the type of a field declaration is: the type token before `name = id`, found by
 * scanning tokens; for maps (`map<K, V> name = id`) the token matching `typeName`.
 */
export function findFieldType(source: string, fieldName: string, id: number, typeName: string): SourcePosition | undefined {
  const all = tokens(source);
  for (let i = 2; i + 2 < all.length; i++) {
    if (all[i].text !== fieldName || all[i + 1].text !== '=' || all[i + 2].text !== String(id)) continue;
    // Walk back over the declaration to the type reference we are after.
    for (let j = i - 1; j >= 0 && j >= i - 8; j--) {
      const t = all[j].text;
      if (t === ';' || t === '{' || t === '}') break;
      if (t === typeName || t.endsWith(`.${typeName}`) || typeName.endsWith(t.replace(/^\./, ''))) {
        return positionOf(source, all[j].offset);
      }
    }
    return positionOf(source, all[i].offset);
  }
  return undefined;
}

/** Where `extend Name` is in the source, or undefined. */
export function findExtend(source: string, extendee: string): SourcePosition | undefined {
  const all = tokens(source);
  const bare = extendee.replace(/^\./, '');
  for (let i = 0; i + 1 < all.length; i++) {
    if (all[i].text === 'extend' && all[i + 1].text.replace(/^\./, '') === bare) return positionOf(source, all[i + 1].offset);
  }
  return undefined;
}

/** Where a declaration `message|enum|service Name` is, or undefined. */
export function findDeclaration(source: string, name: string): SourcePosition | undefined {
  const all = tokens(source);
  for (let i = 0; i + 1 < all.length; i++) {
    if (/^(message|enum|service|group)$/.test(all[i].text) && all[i + 1].text === name) return positionOf(source, all[i + 1].offset);
    if (all[i].text === name && all[i + 1].text === '=') return positionOf(source, all[i].offset);
  }
  return undefined;
}
