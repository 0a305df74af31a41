/**
 * A string field's bytes as editable text and back, losing nothing: newlines stay real line
 * breaks; a tab, a carriage return, other control characters, a byte-order mark and other
 * invisible characters show as escapes (\t, \r, \x01, \u{feff}); bytes that are not valid UTF-8
 * show as \xNN; a backslash is \\. Parsing the text gives back exactly the bytes it stands for.
 */

/** Code points shown as \u{…}: C1 controls, BOM and the zero-width and direction marks, line and paragraph separators. */
const INVISIBLE = /^[\u0080-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]$/u;

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** The valid UTF-8 sequence at `i`: its code point and length, or null when the byte there does not start one. */
function sequenceAt(b: Uint8Array, i: number): { cp: number; len: number } | null {
  const x = b[i];
  if (x < 0x80) return { cp: x, len: 1 };
  const len = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
  if (!len || i + len > b.length) return null;
  let cp = x & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    const c = b[i + k];
    if ((c & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (c & 0x3f);
  }
  const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return { cp, len };
}

/** A string's bytes as text with escapes (see the module comment). */
export function bytesToEscaped(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const s = sequenceAt(bytes, i);
    if (!s) {
      out += `\\x${hex2(bytes[i])}`;
      i++;
      continue;
    }
    i += s.len;
    const ch = String.fromCodePoint(s.cp);
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (s.cp < 0x20 || s.cp === 0x7f) out += `\\x${hex2(s.cp)}`;
    else if (INVISIBLE.test(ch)) out += `\\u{${s.cp.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** The bytes that text with escapes stands for; throws an Error saying where an escape is wrong. */
export function escapedToBytes(text: string): Uint8Array {
  const out: number[] = [];
  const utf8 = new TextEncoder();
  const push = (s: string) => out.push(...utf8.encode(s));
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    if (ch !== '\\') {
      const cp = text.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      push(s);
      i += s.length;
      continue;
    }
    const at = `at character ${i + 1}`;
    const next = text[i + 1];
    if (next === '\\') push('\\');
    else if (next === 'n') push('\n');
    else if (next === 't') push('\t');
    else if (next === 'r') push('\r');
    else if (next === 'x') {
      const h = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Error(`\\x needs two hex digits ${at} (a byte: \\x00 to \\xff)`);
      out.push(parseInt(h, 16));
      i += 4;
      continue;
    } else if (next === 'u') {
      const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2));
      const cp = m ? parseInt(m[1], 16) : NaN;
      if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        throw new Error(`\\u needs a code point in braces ${at} (like \\u{feff}; not a surrogate, at most 10ffff)`);
      push(String.fromCodePoint(cp));
      i += 3 + m[1].length + 1;
      continue;
    } else throw new Error(`unknown escape \\${next ?? ''} ${at}: write \\\\ for a backslash`);
    i += 2;
  }
  return new Uint8Array(out);
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
