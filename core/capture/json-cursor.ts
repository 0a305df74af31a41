/**
 * A pull reader over JSON text held as UTF-8 bytes. Callers walk the structure they need and
 * skip the rest without building it; a long string (a base64 body) can be taken as a span of
 * the source instead of a JS string, so a 100 MB HAR lists without copying its bodies.
 * Errors name the byte offset, line and column, and what was expected there.
 */

/** Where a JSON string's contents sit in the source bytes (between its quotes). */
export interface StringSpan {
  /** First byte after the opening quote. */
  start: number;
  /** The closing quote's offset. */
  end: number;
  /** True when the contents hold a backslash escape (so the bytes are not the value as they are). */
  escaped: boolean;
}

/** Malformed JSON: the byte offset, its line and column, and what was expected there. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly expected: string,
  ) {
    super(`at byte ${offset} (line ${line}, column ${column}): expected ${expected}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 512;
/** Slots of the short-string cache (a power of two). */
const INTERNED = 1024;

const utf8 = new TextDecoder('utf-8');

/** A scalar JSON value as read by JsonCursor.readScalar (containers are skipped and read as undefined). */
export type JsonScalar = string | number | boolean | null | undefined;

/** A cursor over JSON bytes; see the module comment. */
export class JsonCursor {
  pos: number;
  readonly end: number;
  /** Short strings already read (see spanText). */
  private readonly interned: (string | undefined)[] = new Array<string | undefined>(INTERNED).fill(undefined);

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
    // A UTF-8 byte order mark (some tools write one) is not part of the JSON text.
    if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) this.pos += 3;
  }

  /** An error at `offset` saying what was expected there. */
  error(expected: string, offset = this.pos): JsonSyntaxError {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.end; i++) {
      if (this.buf[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const found = offset >= this.end ? 'the end of the input' : `'${String.fromCharCode(this.buf[offset])}'`;
    return new JsonSyntaxError(offset, line, offset - lineStart + 1, `${expected}, found ${found}`);
  }

  /** Skips white space; returns the next byte (or -1 at the end). */
  peek(): number {
    const buf = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const c = buf[p];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    this.pos = p;
    return p < this.end ? buf[p] : -1;
  }

  /** Checks that only white space is left. */
  expectEnd(): void {
    if (this.peek() !== -1) throw this.error('the end of the JSON text');
  }

  private expectByte(c: number, what: string): void {
    if (this.peek() !== c) throw this.error(what);
    this.pos++;
  }

  /** Whether the next value is an object. */
  atObject(): boolean {
    return this.peek() === 0x7b;
  }

  /** Whether the next value is an array. */
  atArray(): boolean {
    return this.peek() === 0x5b;
  }

  /** Enters an object and reads its first key; null when it is empty (then the object is consumed). */
  firstKey(): string | null {
    this.expectByte(0x7b, "'{'");
    if (this.peek() === 0x7d) {
      this.pos++;
      return null;
    }
    return this.key();
  }

  /** The next key of the object being read; null at its end (then the object is consumed). */
  nextKey(): string | null {
    const c = this.peek();
    if (c === 0x7d) {
      this.pos++;
      return null;
    }
    if (c !== 0x2c) throw this.error("',' or '}'");
    this.pos++;
    return this.key();
  }

  private key(): string {
    if (this.peek() !== QUOTE) throw this.error('an object key (a string)');
    const s = this.readString();
    this.expectByte(0x3a, "':'");
    return s;
  }

  /** Enters an array; true when it has a first item (false: it was empty and is consumed). */
  firstItem(): boolean {
    this.expectByte(0x5b, "'['");
    if (this.peek() === 0x5d) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** True when the array being read has another item (consumes the comma); false at its end (consumed). */
  nextItem(): boolean {
    const c = this.peek();
    if (c === 0x5d) {
      this.pos++;
      return false;
    }
    if (c !== 0x2c) throw this.error("',' or ']'");
    this.pos++;
    return true;
  }

  /** Reads a string value as a span of the source (its bytes are not decoded). */
  readStringSpan(): StringSpan {
    if (this.peek() !== QUOTE) throw this.error('a string');
    const buf = this.buf;
    const start = this.pos + 1;
    // Short strings (keys, most values) by hand; long ones (bodies) by indexOf, which is native.
    const shortEnd = Math.min(this.end, start + 64);
    let escaped = false;
    for (let i = start; i < shortEnd; i++) {
      const c = buf[i];
      if (c === QUOTE) {
        this.pos = i + 1;
        return { start, end: i, escaped };
      }
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
    }
    if (escaped) return this.closeEscapedString(start);
    const q = buf.indexOf(QUOTE, shortEnd);
    if (q < 0 || q >= this.end) throw this.error('the closing quote of the string that starts here', start - 1);
    if (buf[q - 1] === BACKSLASH) return this.closeEscapedString(start);
    this.pos = q + 1;
    return { start, end: q, escaped: buf.subarray(shortEnd, q).indexOf(BACKSLASH) >= 0 };
  }

  /** Finds the end of a string known to hold escapes, from its start. */
  private closeEscapedString(start: number): StringSpan {
    const buf = this.buf;
    let p = start;
    for (;;) {
      const q = buf.indexOf(QUOTE, p);
      if (q < 0 || q >= this.end) throw this.error('the closing quote of the string that starts here', start - 1);
      // The quote is escaped when an odd number of backslashes precede it.
      let k = q;
      while (k > start && buf[k - 1] === BACKSLASH) k--;
      if ((q - k) % 2 === 0) {
        this.pos = q + 1;
        return { start, end: q, escaped: true };
      }
      p = q + 1;
    }
  }

  /** Reads a string value. */
  readString(): string {
    const span = this.readStringSpan();
    return this.spanText(span);
  }

  /** The value of a string span (escapes resolved). */
  spanText(span: StringSpan): string {
    const { start, end } = span;
    const buf = this.buf;
    if (!span.escaped) {
      if (end - start <= 32) {
        // Short ASCII strings (keys, small values) recur: kept once, found by a hash of their bytes.
        let h = end - start;
        for (let i = start; i < end; i++) {
          const c = buf[i];
          if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
          if (c < 0x20) throw this.error('no raw control character inside a string', i);
          h = (Math.imul(h, 31) + c) | 0;
        }
        const slot = h & (INTERNED - 1);
        const known = this.interned[slot];
        if (known !== undefined && known.length === end - start) {
          let same = true;
          for (let i = 0; same && i < known.length; i++) same = known.charCodeAt(i) === buf[start + i];
          if (same) return known;
        }
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
        this.interned[slot] = s;
        return s;
      }
      return utf8.decode(buf.subarray(start, end));
    }
    try {
      return JSON.parse(`"${utf8.decode(buf.subarray(start, end))}"`) as string;
    } catch (e) {
      throw this.error(`a well-formed string (${(e as Error).message})`, start - 1);
    }
  }

  /** Reads a number value. */
  readNumber(): number {
    this.peek();
    const start = this.pos;
    const buf = this.buf;
    let p = start;
    // Fast path: a plain integer of up to 15 digits (sizes, statuses, opcodes).
    let neg = false;
    if (buf[p] === 0x2d) {
      neg = true;
      p++;
    }
    let n = 0;
    const digits = p;
    while (p < this.end && buf[p] >= 0x30 && buf[p] <= 0x39 && p - digits < 15) n = n * 10 + (buf[p++] - 0x30);
    const c = p < this.end ? buf[p] : -1;
    if (p > digits && c !== 0x2e && c !== 0x65 && c !== 0x45 && !(c >= 0x30 && c <= 0x39) && !(buf[digits] === 0x30 && p - digits > 1)) {
      this.pos = p;
      return neg ? -n : n;
    }
    p = start;
    while (p < this.end) {
      const b = buf[p];
      if ((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45) p++;
      else break;
    }
    let text = '';
    for (let i = start; i < p; i++) text += String.fromCharCode(buf[i]);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) throw this.error('a number', start);
    this.pos = p;
    return Number(text);
  }

  private literal(text: string, value: boolean | null): boolean | null {
    const p = this.pos;
    for (let i = 0; i < text.length; i++) {
      if (this.buf[p + i] !== text.charCodeAt(i)) throw this.error('a JSON value', p);
    }
    this.pos = p + text.length;
    return value;
  }

  /** Reads a scalar (string, number, boolean, null); an object or array is skipped and read as undefined. */
  readScalar(): JsonScalar {
    const c = this.peek();
    switch (c) {
      case QUOTE:
        return this.readString();
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      case 0x7b:
      case 0x5b:
        this.skipValue();
        return undefined;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.readNumber();
        throw this.error('a JSON value');
    }
  }

  /** Skips one value of any kind, checking that brackets match and strings close. */
  skipValue(): void {
    const c = this.peek();
    if (c !== 0x7b && c !== 0x5b) {
      if (c === QUOTE) this.readStringSpan();
      else this.readScalar();
      return;
    }
    const buf = this.buf;
    const stack = new Uint8Array(MAX_DEPTH);
    let depth = 0;
    let p = this.pos;
    while (p < this.end) {
      const b = buf[p];
      if (b === QUOTE) {
        this.pos = p;
        this.readStringSpan();
        p = this.pos;
        continue;
      }
      if (b === 0x7b || b === 0x5b) {
        if (depth === MAX_DEPTH) throw this.error(`at most ${MAX_DEPTH} levels of nesting`, p);
        stack[depth++] = b + 2; // the matching closer: '{' + 2 = '}', '[' + 2 = ']'
      } else if (b === 0x7d || b === 0x5d) {
        if (stack[depth - 1] !== b) throw this.error(`'${String.fromCharCode(stack[depth - 1])}'`, p);
        if (--depth === 0) {
          this.pos = p + 1;
          return;
        }
      }
      p++;
    }
    throw this.error(`'${String.fromCharCode(stack[depth - 1])}' closing the value that starts at byte ${this.pos}`, this.end);
  }
}
