/**
 * String escaping for protobuf text format: printing as protoc 3.21 does (C-style escapes,
 * every byte outside printable ASCII as a 3-digit octal escape), and reading every escape
 * the text format grammar allows.
 */

const utf8 = new TextEncoder();

/** protoc's CEscape escape for each byte, or '' when the byte prints as itself. */
const ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  switch (b) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x22:
      return '\\"';
    case 0x27:
      return "\\'";
    case 0x5c:
      return '\\\\';
    default:
      return b < 0x20 || b >= 0x7f ? '\\' + ((b >> 6) & 7) + ((b >> 3) & 7) + (b & 7) : '';
  }
});

/**
 * Escapes bytes[start, end) as protoc's CEscape: \n \r \t \" \' \\ by name, every other byte
 * below 0x20 or from 0x7f up as \ooo (3 octal digits). UTF-8 text therefore prints as octal escapes.
 */
export function cEscape(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const esc = ESCAPES[bytes[i]];
    if (esc !== '') {
      if (run < i) out += latin1(bytes, run, i);
      out += esc;
      run = i + 1;
    }
  }
  if (run < end) out += latin1(bytes, run, end);
  return out;
}

/** Printable ASCII bytes as a string, in chunks (apply has an argument limit). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** A JS string's UTF-8 bytes, escaped as cEscape does. */
export function cEscapeString(s: string): string {
  return cEscape(utf8.encode(s));
}

/** An error in an escape sequence: the offset within the literal body and what is wrong. */
export class EscapeError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the body of a quoted text-format string (without the quotes) into bytes. Accepts
 * \a \b \f \n \r \t \v \\ \' \" \?, octal \o \oo \ooo, hex \xH \xHH, \uHHHH and \UHHHHHHHH
 * (written as UTF-8). Other characters are taken as their UTF-8 bytes.
 */
export function unescapeBytes(body: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      if (cp < 0x80) out.push(cp);
      else {
        const ch = String.fromCodePoint(cp);
        out.push(...utf8.encode(ch));
        i += ch.length - 1;
      }
      continue;
    }
    const start = i;
    const e = body[++i];
    switch (e) {
      case 'a':
        out.push(7);
        break;
      case 'b':
        out.push(8);
        break;
      case 'f':
        out.push(12);
        break;
      case 'n':
        out.push(10);
        break;
      case 'r':
        out.push(13);
        break;
      case 't':
        out.push(9);
        break;
      case 'v':
        out.push(11);
        break;
      case '\\':
        out.push(0x5c);
        break;
      case "'":
        out.push(0x27);
        break;
      case '"':
        out.push(0x22);
        break;
      case '?':
        out.push(0x3f);
        break;
      case 'x':
      case 'X': {
        let hex = '';
        while (hex.length < 2 && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) hex += body[++i];
        if (!hex) throw new EscapeError(start, '\\x must be followed by a hex digit');
        out.push(parseInt(hex, 16));
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new EscapeError(start, `\\${e} must be followed by ${n} hex digits`);
        i += n;
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) throw new EscapeError(start, `\\${e}${hex} is not a Unicode code point`);
        // A surrogate pair written as two \u escapes.
        if (cp >= 0xd800 && cp <= 0xdbff && body.slice(i + 1, i + 3) === '\\u') {
          const lo = parseInt(body.slice(i + 3, i + 7), 16);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            i += 6;
            out.push(...utf8.encode(String.fromCodePoint(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00))));
            break;
          }
        }
        out.push(...utf8.encode(String.fromCodePoint(cp)));
        break;
      }
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          let oct = e;
          while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body[++i];
          const v = parseInt(oct, 8);
          if (v > 255) throw new EscapeError(start, `octal escape \\${oct} is above \\377`);
          out.push(v);
        } else {
          throw new EscapeError(start, `invalid escape \\${e ?? ''}`);
        }
    }
  }
  return Uint8Array.from(out);
}
