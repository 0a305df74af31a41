/** The tokens of protobuf text format (comments and white space skipped, adjacent strings joined), with their line and column. */
import { unescapeBytes, EscapeError } from './text-escape';
import { TextFormatError } from './text-format-error';

/** What a token is. */
export type TokKind = 'ident' | 'number' | 'string' | 'punct' | 'eof';

/** A token and where it starts (1-based line and column). */
export interface Tok {
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

/** Reads tokens from text format source, one token of lookahead. */
export class Lexer {
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

/** A TextFormatError at a token. */
export function errorAt(t: Tok, detail: string): TextFormatError {
  return new TextFormatError(t.line, t.col, detail);
}

/** A token in words for errors: its text in quotes, or "end of input". */
export function describeToken(t: Tok): string {
  return t.kind === 'eof' ? 'end of input' : `"${t.text}"`;
}
