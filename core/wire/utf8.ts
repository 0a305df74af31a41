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
