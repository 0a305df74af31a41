/**
 * String escaping for protobuf text format: printing as protoc does (C-style escapes, every
 * byte outside printable ASCII as a 3-digit octal escape), and reading escapes as protoc 36 reads them.
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

/** Appends the UTF-8 encoding of a code point (surrogates included, as protoc's AppendUTF8 writes them: 3 bytes). */
function appendUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else if (cp <= 0x10ffff) out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else for (const ch of `\\U${cp.toString(16).padStart(8, '0')}`) out.push(ch.charCodeAt(0)); // beyond Unicode: protoc writes the escape back
}

const hexValue = (c: string | undefined): number => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1);

/** n hex digits at body[at..] as a number, or -1 when they are not all there. */
function readHex(body: string, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = hexValue(body[at + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 0x5c,
  '?': 0x3f,
  "'": 0x27,
  '"': 0x22,
};

/**
 * Reads the body of a quoted text-format string (without the quotes) into bytes, as protoc's
 * Tokenizer::ParseStringAppend does: \a \b \f \n \r \t \v \\ \' \" \?, octal \o to \ooo (the low 8
 * bits: \777 is 0xff), hex \xH and \xHH, \uHHHH and \UHHHHHHHH written as UTF-8 (a \u surrogate pair
 * as one character, a lone surrogate as its 3-byte form), other characters as their UTF-8 bytes.
 * Escapes the tokenizer refuses (text-lexer.ts) are not checked here.
 */
export function unescapeBytes(body: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      const cp = body.codePointAt(i)!;
      if (cp < 0x80) out.push(cp);
      else {
        const ch = String.fromCodePoint(cp);
        out.push(...utf8.encode(ch));
        i += ch.length - 1;
      }
      continue;
    }
    const e = body[++i];
    if (e >= '0' && e <= '7') {
      let code = Number(e);
      for (let k = 0; k < 2 && body[i + 1] >= '0' && body[i + 1] <= '7'; k++) code = code * 8 + Number(body[++i]);
      out.push(code & 0xff);
    } else if (e === 'x' || e === 'X') {
      let code = 0;
      for (let k = 0; k < 2 && hexValue(body[i + 1]) >= 0; k++) code = code * 16 + hexValue(body[++i]);
      out.push(code);
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      let cp = readHex(body, i + 1, n);
      if (cp < 0) {
        out.push(e.charCodeAt(0));
        continue;
      }
      i += n;
      // A head surrogate followed by \u and a trail surrogate is one code point.
      if (cp >= 0xd800 && cp <= 0xdbff && body[i + 1] === '\\' && body[i + 2] === 'u') {
        const trail = readHex(body, i + 3, 4);
        if (trail >= 0xdc00 && trail <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (trail - 0xdc00);
          i += 6;
        }
      }
      appendUtf8(out, cp);
    } else out.push(SIMPLE_ESCAPES[e] ?? 0x3f);
  }
  return Uint8Array.from(out);
}
