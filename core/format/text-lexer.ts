/**
 * The tokens of protobuf text format, read as protoc 36's io::Tokenizer reads them (text format
 * settings: `#` comments, a float may end in `f`, a number may not run into a letter):
 * identifiers, integers (decimal, 0x hex, leading-0 octal), floats, one string literal per
 * token, and every other character as a one-character symbol (`-` included: the parser joins
 * signs). White space is ASCII only; control characters and non-ASCII characters outside
 * strings and comments are errors, as are malformed numbers and escapes, reported where
 * protoc reports them. Lines and columns are 1-based; columns count characters (protoc counts
 * bytes and puts tabs at multiples of 8).
 */
import { TextFormatError } from './text-format-error';

/** What a token is. */
export type TokKind = 'ident' | 'int' | 'float' | 'string' | 'symbol' | 'eof';

/** A token and where it starts (1-based line and column). */
export interface Tok {
  kind: TokKind;
  /** The token's text as written (strings with their quotes). */
  text: string;
  line: number;
  col: number;
  /** Where the token ends (for the "space after identifier" rule). */
  endLine: number;
  endCol: number;
}

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isOctal = (c: string): boolean => c >= '0' && c <= '7';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isAlnum = (c: string): boolean => isLetter(c) || isDigit(c);
/** ASCII white space as protoc's tokenizer has it. */
const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\v' || c === '\f';
/** Simple escapes: \a \b \f \n \r \t \v \\ \? \' \". */
const isEscape = (c: string): boolean => 'abfnrtv\\?\'"'.includes(c) && c !== '';

const utf8 = new TextEncoder();

/** Reads tokens from text format source; `current` is the token the parser looks at (protoc's model: Next() reads the following one at once). */
export class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  private prev: Tok | null = null;
  /** The token the parser is looking at. */
  current: Tok;

  constructor(private readonly src: string) {
    this.current = this.read();
  }

  /** Moves to the next token (reading it, and reporting its errors, at once) and returns the one passed. */
  next(): Tok {
    const t = this.current;
    this.prev = t;
    this.current = this.read();
    return t;
  }

  /** Whether the current token is the symbol or identifier `text`. */
  lookingAt(text: string): boolean {
    return this.current.kind !== 'string' && this.current.kind !== 'eof' && this.current.text === text;
  }

  /** Consumes the current token when it is `text`. */
  tryConsume(text: string): boolean {
    if (!this.lookingAt(text)) return false;
    this.next();
    return true;
  }

  private char(k = 0): string {
    return this.src[this.i + k] ?? '';
  }

  /** Moves one character ahead (newline: next line). */
  private step(): void {
    if (this.src[this.i] === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    this.i++;
  }

  private fail(detail: string): never {
    throw new TextFormatError(this.line, this.col, detail);
  }

  private read(): Tok {
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i];
      if (isSpace(c)) this.step();
      else if (c === '#') while (this.i < src.length && src[this.i] !== '\n') this.step();
      else break;
    }
    const line = this.line;
    const col = this.col;
    const start = this.i;
    const tok = (kind: TokKind): Tok => ({ kind, text: src.slice(start, this.i), line, col, endLine: this.line, endCol: this.col });
    if (this.i >= src.length) return tok('eof');
    const c = src[this.i];
    const code = c.charCodeAt(0);
    if (code < 0x20) this.fail('Invalid control characters encountered in text.');
    if (isLetter(c)) {
      this.step();
      while (isAlnum(this.char())) this.step();
      return tok('ident');
    }
    if (c === '0') {
      this.step();
      return tok(this.number(true, false));
    }
    if (c === '.') {
      this.step();
      if (!isDigit(this.char())) return tok('symbol');
      const p = this.prev;
      if (p && p.kind === 'ident' && p.endLine === line && p.endCol === col) {
        throw new TextFormatError(line, col - 1, 'Need space between identifier and decimal point.');
      }
      this.step();
      return tok(this.number(false, true));
    }
    if (isDigit(c)) {
      this.step();
      return tok(this.number(false, false));
    }
    if (c === '"' || c === "'") {
      this.step();
      this.string(c);
      return tok('string');
    }
    if (code >= 0x80) this.fail(`Interpreting non ascii codepoint ${utf8.encode(String.fromCodePoint(src.codePointAt(this.i)!))[0]}.`);
    this.step();
    return tok('symbol');
  }

  /** The rest of a number (io::Tokenizer::ConsumeNumber); returns its kind. */
  private number(startedWithZero: boolean, startedWithDot: boolean): TokKind {
    let isFloat = false;
    if (startedWithZero && (this.char() === 'x' || this.char() === 'X')) {
      this.step();
      if (!isHex(this.char())) this.fail('"0x" must be followed by hex digits.');
      while (isHex(this.char())) this.step();
    } else if (startedWithZero && isDigit(this.char())) {
      while (isOctal(this.char())) this.step();
      if (isDigit(this.char())) this.fail('Numbers starting with leading zero must be in octal.');
    } else {
      if (startedWithDot) {
        isFloat = true;
        while (isDigit(this.char())) this.step();
      } else {
        while (isDigit(this.char())) this.step();
        if (this.char() === '.') {
          this.step();
          isFloat = true;
          while (isDigit(this.char())) this.step();
        }
      }
      if (this.char() === 'e' || this.char() === 'E') {
        this.step();
        isFloat = true;
        if (this.char() === '-' || this.char() === '+') this.step();
        if (!isDigit(this.char())) this.fail('"e" must be followed by exponent.');
        while (isDigit(this.char())) this.step();
      }
      if (this.char() === 'f' || this.char() === 'F') {
        this.step();
        isFloat = true;
      }
    }
    if (isLetter(this.char())) this.fail('Need space between number and identifier.');
    if (this.char() === '.')
      this.fail(isFloat ? "Already saw decimal point or exponent; can't have another one." : 'Hex and octal numbers must be integers.');
    return isFloat ? 'float' : 'int';
  }

  /** The rest of a string literal after its opening quote (io::Tokenizer::ConsumeString). */
  private string(quote: string): void {
    while (true) {
      const c = this.char();
      if (c === '' || c === '\0') this.fail('Unexpected end of string.');
      if (c === '\n') this.fail('Multiline strings are not allowed. Did you miss a "?.');
      if (c === '\\') {
        this.step();
        const e = this.char();
        if (isEscape(e) || isOctal(e)) this.step();
        else if (e === 'x' || e === 'X') {
          this.step();
          if (!isHex(this.char())) this.fail('Expected hex digits for escape sequence.');
          this.step();
        } else if (e === 'u') {
          this.step();
          for (let k = 0; k < 4; k++) {
            if (!isHex(this.char())) this.fail('Expected four hex digits for \\u escape sequence.');
            this.step();
          }
        } else if (e === 'U') {
          this.step();
          // Eight hex digits, at most 0x1fffff (protoc's check: "00", then 0 or 1, then five).
          const ok = (p: (ch: string) => boolean) => {
            if (!p(this.char())) this.fail('Expected eight hex digits up to 10ffff for \\U escape sequence');
            this.step();
          };
          ok((ch) => ch === '0');
          ok((ch) => ch === '0');
          ok((ch) => ch === '0' || ch === '1');
          for (let k = 0; k < 5; k++) ok(isHex);
        } else this.fail('Invalid escape sequence in string literal.');
        continue;
      }
      this.step();
      if (c === quote) return;
    }
  }
}

/** A TextFormatError at a token. */
export function errorAt(t: Tok, detail: string): TextFormatError {
  return new TextFormatError(t.line, t.col, detail);
}
