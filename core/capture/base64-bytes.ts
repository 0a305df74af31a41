/**
 * Base64 straight from ASCII bytes (a span of a HAR file, a grpc-web-text body) into bytes,
 * without building a JS string: standard and URL-safe alphabets, white space ignored, and
 * padding allowed at the end of any 4-character group, so concatenated padded chunks (as
 * gRPC-Web text responses send them) decode as one.
 */

/** Invalid base64: the offset of the offending character (relative to where decoding started) and why. */
export class Base64Error extends Error {
  override readonly name = 'Base64Error';
  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`not valid base64 at character ${offset}: ${detail}`);
  }
}

const PAD = -2;
const SPACE = -3;
const VALUE = new Int8Array(256).fill(-1);
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) VALUE[alphabet.charCodeAt(i)] = i;
  VALUE[0x2d] = 62; // '-' (URL-safe)
  VALUE[0x5f] = 63; // '_' (URL-safe)
  VALUE[0x3d] = PAD;
  for (const c of [0x20, 0x09, 0x0a, 0x0d]) VALUE[c] = SPACE;
}

/** The number of bytes `input[start, end)` decodes to, assuming it is unbroken base64 (exact then; an estimate otherwise). */
export function base64DecodedLength(input: Uint8Array, start = 0, end = input.length): number {
  let n = end - start;
  let pad = 0;
  while (n > 0 && pad < 2 && input[start + n - 1] === 0x3d) {
    n--;
    pad++;
  }
  return Math.floor((n * 3) / 4);
}

/** Decodes base64 held as ASCII bytes in `input[start, end)`; throws Base64Error naming the offset. */
export function decodeBase64Bytes(input: Uint8Array, start = 0, end = input.length): Uint8Array {
  const out = new Uint8Array(Math.floor(((end - start) * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let n = 0; // characters of the current group read so far
  let pad = 0; // '=' read in the current group
  for (let i = start; i < end; i++) {
    const c = VALUE[input[i]];
    if (c >= 0) {
      if (pad > 0) throw new Base64Error(i - start, "a character after '=' inside a 4-character group");
      acc = (acc << 6) | c;
      if (++n === 4) {
        out[o++] = acc >>> 16;
        out[o++] = (acc >>> 8) & 0xff;
        out[o++] = acc & 0xff;
        n = 0;
        acc = 0;
      }
    } else if (c === PAD) {
      if (n < 2) throw new Base64Error(i - start, "'=' where a group has fewer than 2 characters");
      if (n + ++pad === 4) {
        o = flushTail(out, o, acc, n);
        n = pad = acc = 0;
      }
    } else if (c !== SPACE) {
      throw new Base64Error(i - start, `byte 0x${input[i].toString(16).padStart(2, '0')} is not a base64 character`);
    }
  }
  if (n === 1) throw new Base64Error(end - start, 'the input ends with a lone character in its last group');
  if (n > 0) o = flushTail(out, o, acc, n);
  return out.subarray(0, o);
}

/** Writes the 1 or 2 bytes of a final group of 2 or 3 characters. */
function flushTail(out: Uint8Array, o: number, acc: number, n: number): number {
  if (n === 2) {
    out[o++] = (acc >>> 4) & 0xff;
  } else {
    out[o++] = (acc >>> 10) & 0xff;
    out[o++] = (acc >>> 2) & 0xff;
  }
  return o;
}

/** Decodes base64 held in a JS string (see decodeBase64Bytes). */
export function decodeBase64String(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Base64Error(i, `'${s[i]}' is not a base64 character`);
    bytes[i] = c;
  }
  return decodeBase64Bytes(bytes);
}
