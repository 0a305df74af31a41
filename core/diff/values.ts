/**
 * Scalar values for the diff: read from their bytes into a comparison key (equal keys mean
 * equal values, whatever the encoding) and a printed form; the encoding differences of two
 * equal values, in words.
 */
import type { Enum } from 'protobufjs';
import type { ScalarType } from '../document/model';
import { shortestFloat } from '../format/float-format';
import { decodeUtf8Strict } from '../wire/utf8';
import { readVarint, type VarintResult } from '../wire/varint';
import type { WireField } from './wire-fields';
import { hashBytes } from './wire-fields';

const V: VarintResult = { lo: 0, hi: 0 };
const WIRE_NAMES = ['varint', 'i64', 'len', 'group', 'egroup', 'i32'];

/**
 * A read value: `key` compares values (equal values, equal keys; for strings and bytes a hash,
 * so equal keys there still need a byte comparison, see byBytes), `text` prints it, `isDefault`
 * tells proto3's implicit default.
 */
export interface ReadValue {
  key: string;
  text: string;
  isDefault: boolean;
}

/** The wire type's name ("varint", "len"...). */
export function wireTypeName(wt: number): string {
  return WIRE_NAMES[wt] ?? `wire type ${wt}`;
}

const u64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);
const i64 = (lo: number, hi: number): bigint => BigInt.asIntN(64, u64(lo, hi));
const le32 = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

/** Prints bytes as hex, the first 24 of them. */
export function hexText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, start + 24); i++) s += b[i].toString(16).padStart(2, '0');
  return end - start > 24 ? `${s}… (${end - start} bytes)` : end === start ? '(empty)' : s;
}

/** Prints a string, quoted, cut at 80 characters. */
export function quoted(s: string): string {
  return s.length > 80 ? `${JSON.stringify(s.slice(0, 80))}… (${s.length} characters)` : JSON.stringify(s);
}

function floatText(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Whether values of a type compare by their bytes (strings and bytes: their keys are only hashes). */
export function byBytes(type: ScalarType): boolean {
  return type === 'string' || type === 'bytes';
}

/** Reads one value of a scalar type at buf[start, end) with wire type `wt` (packed elements pass their own range). */
export function readScalarAt(buf: Uint8Array, start: number, end: number, type: ScalarType, enumType?: Enum): ReadValue {
  switch (type) {
    case 'string': {
      const s = decodeUtf8Strict(buf, start, end);
      const key = `L${end - start}:${hashBytes(buf, start, end)}`;
      return { key, text: s === null ? `invalid UTF-8 ${hexText(buf, start, end)}` : quoted(s), isDefault: end === start };
    }
    case 'bytes':
      return { key: `L${end - start}:${hashBytes(buf, start, end)}`, text: hexText(buf, start, end), isDefault: end === start };
    case 'float': {
      const bits = le32(buf, start);
      const x = new Float32Array(new Uint32Array([bits]).buffer)[0];
      return { key: `f${bits}`, text: floatText(shortestFloat(x)), isDefault: bits === 0 };
    }
    case 'double': {
      const lo = le32(buf, start);
      const hi = le32(buf, start + 4);
      const x = new Float64Array(new Uint32Array([lo, hi]).buffer)[0];
      return { key: `d${lo}:${hi}`, text: floatText(x), isDefault: lo === 0 && hi === 0 };
    }
    case 'fixed32':
    case 'sfixed32': {
      const v = le32(buf, start);
      const n = type === 'fixed32' ? v : v | 0;
      return { key: String(n), text: String(n), isDefault: n === 0 };
    }
    case 'fixed64':
    case 'sfixed64': {
      const lo = le32(buf, start);
      const hi = le32(buf, start + 4);
      const n = type === 'fixed64' ? u64(lo, hi) : i64(lo, hi);
      return { key: String(n), text: String(n), isDefault: n === 0n };
    }
    default: {
      readVarint(buf, start, end, V);
      const { lo, hi } = V;
      let n: number | bigint | boolean;
      switch (type) {
        case 'int32':
        case 'enum':
          n = lo | 0;
          break;
        case 'uint32':
          n = lo;
          break;
        case 'sint32':
          n = (lo >>> 1) ^ -(lo & 1);
          break;
        case 'int64':
          n = i64(lo, hi);
          break;
        case 'uint64':
          n = u64(lo, hi);
          break;
        case 'sint64': {
          const v = u64(lo, hi);
          n = (v >> 1n) ^ -(v & 1n);
          break;
        }
        default:
          n = lo !== 0 || hi !== 0;
      }
      let text = String(n);
      if (type === 'enum') {
        const name = enumType?.valuesById[n as number];
        text = name ? name : `${n} (not in ${enumType?.name ?? 'the enum'})`;
      }
      return { key: String(n), text, isDefault: n === 0 || n === 0n || n === false };
    }
  }
}

/** Reads a field occurrence's value (see readScalarAt). */
export function readScalar(buf: Uint8Array, f: WireField, type: ScalarType, enumType?: Enum): ReadValue {
  return readScalarAt(buf, f.valueStart, f.valueEnd, type, enumType);
}

/** A packed element: its value and byte range. */
export interface PackedValue extends ReadValue {
  start: number;
  end: number;
}

/** The elements of a packed run buf[start, end) of a numeric type; null when it does not split evenly. */
export function readPacked(buf: Uint8Array, start: number, end: number, type: ScalarType, enumType?: Enum): PackedValue[] | null {
  const out: PackedValue[] = [];
  const fixed =
    type === 'double' || type === 'fixed64' || type === 'sfixed64'
      ? 8
      : type === 'float' || type === 'fixed32' || type === 'sfixed32'
        ? 4
        : 0;
  let p = start;
  while (p < end) {
    let q: number;
    if (fixed) {
      q = p + fixed;
      if (q > end) return null;
    } else {
      q = readVarint(buf, p, end, V);
      if (q < 0) return null;
    }
    out.push({ ...readScalarAt(buf, p, q, type, enumType), start: p, end: q });
    p = q;
  }
  return out;
}

/** A key comparing unknown-field values by value: varints by number (so an overlong one is equal), the rest by bytes. */
export function rawKey(buf: Uint8Array, f: WireField): string {
  if (f.wt === 0) {
    readVarint(buf, f.valueStart, f.valueEnd, V);
    return `0:${V.lo}:${V.hi}`;
  }
  return `${f.wt}:${f.valueEnd - f.valueStart}:${hashBytes(buf, f.valueStart, f.valueEnd)}`;
}

/** Prints an unknown field's value by its wire type (printable LEN as a string, else hex). */
export function rawText(buf: Uint8Array, f: WireField): string {
  switch (f.wt) {
    case 0:
      readVarint(buf, f.valueStart, f.valueEnd, V);
      return String(u64(V.lo, V.hi));
    case 1:
      return `0x${le32(buf, f.valueStart + 4)
        .toString(16)
        .padStart(8, '0')}${le32(buf, f.valueStart).toString(16).padStart(8, '0')}`;
    case 5:
      return `0x${le32(buf, f.valueStart).toString(16).padStart(8, '0')}`;
    case 3:
      return `group (${f.valueEnd - f.valueStart} bytes)`;
    default: {
      const s = decodeUtf8Strict(buf, f.valueStart, f.valueEnd);
      return s !== null && isPrintable(s) ? quoted(s) : hexText(buf, f.valueStart, f.valueEnd);
    }
  }
}

/** Whether text looks like text (no control characters but white space), for choosing how to print or descend. */
export function isPrintable(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
}

const bytesWord = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

/** How two occurrences holding equal values are written differently, in words (empty when their bytes are the same). */
export function encodingReasons(a: Uint8Array, fa: WireField, b: Uint8Array, fb: WireField): string[] {
  const out: string[] = [];
  const tagA = fa.tagEnd - fa.tagStart;
  const tagB = fb.tagEnd - fb.tagStart;
  if (tagA !== tagB) out.push(`tag written in ${bytesWord(tagA)} in A and ${bytesWord(tagB)} in B`);
  if (fa.wt === 2 && fb.wt === 2) {
    const pa = fa.valueStart - fa.tagEnd;
    const pb = fb.valueStart - fb.tagEnd;
    if (pa !== pb) out.push(`length prefix written in ${bytesWord(pa)} in A and ${bytesWord(pb)} in B`);
  }
  if (fa.wt === 0 && fb.wt === 0) {
    const va = fa.valueEnd - fa.valueStart;
    const vb = fb.valueEnd - fb.valueStart;
    if (va !== vb) out.push(`varint written in ${bytesWord(va)} in A and ${bytesWord(vb)} in B`);
  }
  if (out.length === 0 && fa.wt !== fb.wt) out.push(`wire type ${wireTypeName(fa.wt)} in A and ${wireTypeName(fb.wt)} in B`);
  if (out.length === 0) {
    let same = fa.end - fa.tagStart === fb.end - fb.tagStart;
    for (let i = 0; same && i < fa.end - fa.tagStart; i++) same = a[fa.tagStart + i] === b[fb.tagStart + i];
    if (!same) out.push('the same value in other bytes (a non-canonical encoding)');
  }
  return out;
}
