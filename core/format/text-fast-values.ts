/**
 * Scalar values written as protobuf text format straight into a ByteSink, as toText (text-print.ts)
 * writes them: integers in decimal, doubles and floats as protoc's `%.15g`/`%.17g` and
 * `%.6g`/`%.9g` (float-format.ts), strings and bytes C-escaped, unknown fixed-width values in hex.
 */
import { readNumeric } from '../document/decode-values';
import { S } from '../document/schema-info';
import type { ByteSink } from '../wire/byte-sink';
import { zigzag32, type WireReader } from '../wire/wire-reader';
import { formatDoubleProtoc, formatFloatProtoc } from './float-format';

const TWO32 = 4294967296;
/** Below this, hi × 2^32 + lo is exact as a number. */
const HI_EXACT = 0x200000;

/** The numeric or bool value of a scalar type `code` at the reader (not an enum: see TextFastField). */
export function writeTextNumericAt(out: ByteSink, r: WireReader, code: number): void {
  switch (code) {
    case S.INT32:
    case S.ENUM:
      out.int(r.varint32() | 0);
      return;
    case S.UINT32:
      out.int(r.varint32());
      return;
    case S.SINT32:
      out.int(zigzag32(r.varint32()));
      return;
    case S.FIXED32:
      out.int(r.fixed32());
      return;
    case S.SFIXED32:
      out.int(r.fixed32() | 0);
      return;
    case S.INT64:
    case S.UINT64:
    case S.SINT64:
      writeVarint64(out, r, code);
      return;
    case S.BOOL: {
      const lo = r.varint64Split();
      out.ascii((lo | r.hi) !== 0 ? 'true' : 'false');
      return;
    }
    case S.FLOAT:
      out.ascii(formatFloatText(r.float()));
      return;
    case S.DOUBLE:
      out.ascii(formatDoubleText(r.double()));
      return;
    default:
      out.ascii(String(readNumeric(r, code)));
  }
}

/** An int64, uint64 or sint64 varint, without a BigInt when its value is below 2^53 in size. */
function writeVarint64(out: ByteSink, r: WireReader, code: number): void {
  const start = r.pos;
  const lo = r.varint64Split();
  const hi = r.hi;
  if (hi < HI_EXACT) {
    const u = hi * TWO32 + lo;
    if (code !== S.SINT64) out.int(u);
    else {
      const half = Math.floor(u / 2);
      out.int(lo & 1 ? -half - 1 : half);
    }
    return;
  }
  if (code === S.INT64 && hi > 0xffe00000) {
    out.int((hi - TWO32) * TWO32 + lo);
    return;
  }
  r.pos = start;
  out.ascii(String(readNumeric(r, code)));
}

/** An unknown varint field's value: the unsigned 64-bit number of its low and high halves. */
export function writeUint64(out: ByteSink, lo: number, hi: number): void {
  if (hi < HI_EXACT) out.int(hi * TWO32 + lo);
  else out.ascii(((BigInt(hi) << 32n) | BigInt(lo)).toString());
}

const HEX = new TextEncoder().encode('0123456789abcdef');

/** `0x` and the 8 (fixed32) or 16 (fixed64) hex digits of a little-endian value at src[at..]. */
export function writeHexFixed(out: ByteSink, src: Uint8Array, at: number, size: 4 | 8): void {
  const b = out.reserve(2 + 2 * size);
  let p = out.pos;
  b[p++] = 0x30;
  b[p++] = 0x78;
  for (let i = at + size - 1; i >= at; i--) {
    b[p++] = HEX[src[i] >> 4];
    b[p++] = HEX[src[i] & 15];
  }
  out.pos = p;
}

/** protoc's CEscape escape of each byte (empty: the byte prints as itself); see text-escape.ts. */
const ESCAPES: readonly Uint8Array[] = Array.from({ length: 256 }, (_, c) => {
  const named: Record<number, string> = { 0x0a: 'n', 0x0d: 'r', 0x09: 't', 0x22: '"', 0x27: "'", 0x5c: '\\' };
  if (named[c] !== undefined) return Uint8Array.of(0x5c, named[c].charCodeAt(0));
  if (c >= 0x20 && c < 0x7f) return new Uint8Array(0);
  return Uint8Array.of(0x5c, 48 + ((c >> 6) & 7), 48 + ((c >> 3) & 7), 48 + (c & 7));
});

/** 1 for each byte that prints as itself. */
const PLAIN = Uint8Array.from(ESCAPES, (e) => (e.length === 0 ? 1 : 0));

/** src[start, end) quoted and C-escaped as cEscape escapes it. */
export function writeQuotedEscaped(out: ByteSink, src: Uint8Array, start: number, end: number): void {
  const b = out.reserve(2 + 4 * (end - start));
  let p = out.pos;
  b[p++] = 0x22;
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (PLAIN[c] === 1) b[p++] = c;
    else {
      const esc = ESCAPES[c];
      for (let k = 0; k < esc.length; k++) b[p++] = esc[k];
    }
  }
  b[p++] = 0x22;
  out.pos = p;
}

/** The smallest normal double (2^-1022). */
const DBL_MIN = 2.2250738585072014e-308;

/** The smallest normal float (2^-126); below it protoc always prints 9 digits (see formatFloatProtoc). */
const FLT_MIN = 1.1754943508222875e-38;

/**
 * A double as formatDoubleProtoc prints it, without its exact (BigInt) expansion where that can
 * be decided. When JS's shortest form has at most 15 digits, `%.15g` is that decimal (it is
 * within half an ulp of the value, and 15-digit decimals of a normal double lie further apart
 * than an ulp) and reads back exactly; otherwise no 15-digit decimal reads back, and protoc
 * prints `%.17g`: toPrecision(17), unless the value is a tie at 17 digits (see precisionG).
 */
export function formatDoubleText(v: number): string {
  // Subnormals have fewer significant bits: the argument above does not hold for them.
  if (!(v > DBL_MIN || v < -DBL_MIN) || !Number.isFinite(v)) return formatDoubleProtoc(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  const d = decimalOf(String(a));
  if (d.digits.length <= 15) return gLayout(neg, d.digits, d.exponent, 15);
  return precisionG(neg, a, 17) ?? formatDoubleProtoc(v);
}

/**
 * A float as formatFloatProtoc prints it, without BigInt arithmetic where that can be decided:
 * `%.6g` when the nearest 6-digit decimal reads back as the float (no tie can: a tie is further
 * from the value than half an ulp), else `%.9g` (see precisionG).
 */
export function formatFloatText(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatFloatProtoc(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  if (a < FLT_MIN) return formatFloatProtoc(v);
  const six = a.toPrecision(6);
  if (Math.fround(Number(six)) === a) {
    const d = decimalOf(six);
    return gLayout(neg, d.digits, d.exponent, 6);
  }
  return precisionG(neg, a, 9) ?? formatFloatProtoc(v);
}

/**
 * `%.{p}g` of a positive value `a` as toPrecision(p) rounds it (to nearest, on the exact binary
 * value), or null when `a` may lie halfway between two p-digit decimals: then C rounds to even
 * and JS up. A tie has p + 1 digits ending in 5, so its (p + 1)-digit form ends in 5.
 */
function precisionG(neg: boolean, a: number, p: number): string | null {
  const more = a.toPrecision(p + 1);
  const e = more.indexOf('e');
  if (more.charCodeAt((e < 0 ? more.length : e) - 1) === 0x35) return null;
  const d = decimalOf(a.toPrecision(p));
  return gLayout(neg, d.digits, d.exponent, p);
}

/** The significant digits (no leading or trailing zeros) and the decimal exponent of the first one, of a positive number's JS string. */
function decimalOf(s: string): { digits: string; exponent: number } {
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  const dot = mant.indexOf('.');
  const int = dot < 0 ? mant : mant.slice(0, dot);
  const all = dot < 0 ? mant : int + mant.slice(dot + 1);
  let first = 0;
  while (first < all.length - 1 && all.charCodeAt(first) === 0x30) first++;
  let last = all.length;
  while (last > first + 1 && all.charCodeAt(last - 1) === 0x30) last--;
  const exponent = int.length - 1 - first + (e < 0 ? 0 : Number(s.slice(e + 1)));
  return { digits: all.slice(first, last), exponent };
}

/** C's `%.{p}g` layout of a nonzero value with these significant digits (at most p, no trailing zeros) and exponent. */
function gLayout(neg: boolean, digits: string, x: number, p: number): string {
  const sign = neg ? '-' : '';
  if (x < -4 || x >= p) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ax = x < 0 ? -x : x;
    return `${sign}${mant}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  }
  if (x < 0) return `${sign}0.${'0'.repeat(-x - 1)}${digits}`;
  if (digits.length <= x + 1) return sign + digits + '0'.repeat(x + 1 - digits.length);
  return `${sign}${digits.slice(0, x + 1)}.${digits.slice(x + 1)}`;
}
