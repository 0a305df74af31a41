/**
 * JSON text with exact numbers: the parsed value type (numbers kept as their source text, so
 * 64-bit integers stay exact), the parser (line:column errors, duplicate keys rejected) and the
 * printer (-0 and bigint kept). No protobuf here: the JSON format modules build on it.
 */

/** A JSON conversion error: the JSON path ("$.a.b[2]") and what was wrong. */
export class JsonFormatError extends Error {
  override readonly name: string = 'JsonFormatError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`at ${path}: ${detail}`);
  }
}

/** Why a message has no JSON form: the rule of the ProtoJSON spec it breaks. */
export type JsonPrintRule =
  | 'no-schema'
  | 'timestamp-range'
  | 'duration-range'
  | 'field-mask-path'
  | 'value-kind'
  | 'value-number'
  | 'any-type-url'
  | 'any-unknown-type'
  | 'any-payload'
  | 'too-deep';

/**
 * A message that cannot be written as JSON (an out-of-range Timestamp, an Any whose type is not
 * loaded, ...): the field path ("$.event.startedAt"), the rule broken, and a sentence saying both.
 */
export class JsonPrintError extends JsonFormatError {
  override readonly name = 'JsonPrintError';
  constructor(
    path: string,
    readonly rule: JsonPrintRule,
    detail: string,
  ) {
    super(path, `cannot be written as JSON: ${detail}`);
  }
}

/** A parsed JSON value: numbers stay JsonNumber (their exact text). */
export type Json = null | boolean | number | string | JsonNumber | Json[] | { [k: string]: Json };

/** A JSON number kept as its source text (so 64-bit integers stay exact). */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** The number as a JS number. */
  valueOf(): number {
    return Number(this.text);
  }
  /** The number's source text. */
  toString(): string {
    return this.text;
  }
}

/** JSON.stringify that keeps -0 as "-0" and prints bigint as strings. */
export function stringify(value: unknown, indent = 2): string {
  const pad = (n: number) => (indent > 0 ? '\n' + ' '.repeat(indent * n) : '');
  const sep = indent > 0 ? ': ' : ':';
  const go = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
    if (typeof v === 'bigint') return JSON.stringify(v.toString());
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${v.map((x) => pad(depth + 1) + go(x, depth + 1)).join(',')}${pad(depth)}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}${sep}${go(x, depth + 1)}`).join(',')}${pad(depth)}}`;
  };
  return go(value, 0);
}

/** A UTF-16 surrogate without its other half (JSON text may write one as \uD83D; it has no UTF-8 form). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses JSON text, keeping numbers as JsonNumber (exact text); rejects duplicate keys and lone surrogates. */
export function parseJson(text: string): Json {
  let i = 0;
  let path = '$';
  const fail = (what: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const col = i - before.lastIndexOf('\n');
    throw new JsonFormatError(path, `invalid JSON at line ${line}, column ${col}: ${what}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(i)) i++;
  };
  const digitsEnd = (from: number, end: number): number => {
    let j = from;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
    return j;
  };
  /** End of the JSON number at i (at most 1000 characters are read), or -1 when none starts there. */
  const numberEnd = (): number => {
    const end = Math.min(text.length, i + 1000);
    let j = i;
    if (j < end && text.charCodeAt(j) === 0x2d) j++; // -
    if (j >= end) return -1;
    const first = text.charCodeAt(j);
    if (first === 0x30)
      j++; // a lone 0
    else if (first >= 0x31 && first <= 0x39) j = digitsEnd(j + 1, end);
    else return -1;
    if (j + 1 < end && text.charCodeAt(j) === 0x2e && isDigit(text.charCodeAt(j + 1))) j = digitsEnd(j + 2, end); // .digits
    if (j + 1 < end && (text.charCodeAt(j) | 0x20) === 0x65) {
      let k = j + 1; // after e / E
      const sign = text.charCodeAt(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (k < end && isDigit(text.charCodeAt(k))) j = digitsEnd(k + 1, end);
    }
    return j;
  };
  const value = (depth: number, at: string): Json => {
    path = at;
    if (depth > 200) fail('nested too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: Json } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const keyStart = i;
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) {
          i = keyStart;
          path = `${at}.${k}`;
          fail(`duplicate key ${JSON.stringify(k)}`);
        }
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[k] = value(depth + 1, `${at}.${k}`);
        path = at;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      while (true) {
        arr.push(value(depth + 1, `${at}[${arr.length}]`));
        path = at;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const numEnd = numberEnd();
    if (numEnd > i) {
      const num = text.slice(i, numEnd);
      i = numEnd;
      return new JsonNumber(num);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(c)}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('control character in string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    let s: string;
    try {
      s = JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('invalid escape in string');
    }
    if (LONE_SURROGATE.test(s)) {
      i = start;
      return fail('the string holds a lone UTF-16 surrogate, which is not valid Unicode');
    }
    return s;
  };
  const v = value(0, '$');
  path = '$';
  ws();
  if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the JSON value`);
  return v;
}
