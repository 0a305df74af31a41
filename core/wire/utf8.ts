const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();
/** Reused char-code arrays for short ASCII strings, one per length (so no resizing). */
const scratch: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(n).fill(0));

/**
 * Decodes buf[start, end) as UTF-8; returns null when the bytes are not valid UTF-8.
 * Short ASCII strings take a fast path without TextDecoder.
 */
export function decodeUtf8Strict(buf: Uint8Array, start: number, end: number): string | null {
  const n = end - start;
  if (n === 0) return '';
  if (n <= 64) {
    const codes = scratch[n];
    let i = start;
    for (; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) break;
      codes[i - start] = c;
    }
    if (i === end) return String.fromCharCode.apply(null, codes);
  }
  try {
    return strict.decode(buf.subarray(start, end));
  } catch {
    return null;
  }
}

/** Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD. */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return lossy.decode(bytes);
}

/** Encodes a string as UTF-8. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Validates UTF-8 (no overlongs, no surrogates, at most U+10FFFF) without allocating. */
export function isValidUtf8(b: Uint8Array, start = 0, end = b.length): boolean {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      if (i + 1 >= end || (b[i + 1] & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= end) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80) return false;
      if (c === 0xe0 && c1 < 0xa0) return false;
      if (c === 0xed && c1 > 0x9f) return false;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (i + 3 >= end) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80 || (b[i + 3] & 0xc0) !== 0x80) return false;
      if (c === 0xf0 && c1 < 0x90) return false;
      if (c === 0xf4 && c1 > 0x8f) return false;
      i += 4;
    } else return false;
  }
  return true;
}
