/** Values as the validation rules see them: lengths, 64-bit limits, the order of scalars and of messages, elements in words. */
import type { FieldNode, MessageNodeValue, ScalarValue } from '../document/model';

/** One logical value of a field: scalars as their JS value, messages as the nested node value. */
export type Element = { scalar: ScalarValue; invalidUtf8?: Uint8Array; embedded?: MessageNodeValue } | { message: MessageNodeValue };

/** The last node of field number `n` (the value a singular field holds). */
export function lastOf(fields: readonly FieldNode[], n: number): FieldNode | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].fieldNumber === n) return fields[i];
  return undefined;
}

/** The default of a map key type (a missing key reads as it). */
export function defaultKey(keyType: string): ScalarValue {
  if (keyType === 'string') return '';
  if (keyType === 'bool') return false;
  if (/64/.test(keyType)) return 0n;
  return 0;
}

/** The UTF-8 byte length of a string (lone surrogates count 3, as their replacement). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The number of Unicode code points of a string. */
export function codepoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** An integer limit or value as a bigint (numbers, decimal strings, protobufjs Longs); null when it is none. */
export function toBig(v: unknown): bigint | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  // protobufjs Long
  const l = v as { low?: number; high?: number; unsigned?: boolean };
  if (typeof l.low === 'number' && typeof l.high === 'number') {
    const big = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return l.unsigned ? big : BigInt.asIntN(64, big);
  }
  return null;
}

/** A bigint as a number when it is exact as one. */
export function bigOrNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** a < b for numbers and bigints, exact for integers; false when either is NaN. */
export function lessThan(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b;
  if (typeof a === 'number' && Number.isNaN(a)) return false;
  if (typeof b === 'number' && Number.isNaN(b)) return false;
  // Mixed: compare exactly when both are integers, else as numbers.
  if (typeof a === 'number' && Number.isInteger(a) && typeof b === 'bigint') return BigInt(a) < b;
  if (typeof b === 'number' && Number.isInteger(b) && typeof a === 'bigint') return a < BigInt(b);
  return Number(a) < Number(b);
}

type Comparable = number | bigint | string | boolean | Uint8Array;

function compareScalars(a: Comparable, b: Comparable): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return lessThan(a, b) ? -1 : lessThan(b, a) ? 1 : 0;
  }
  return 0;
}

/** Scalar fields of a message value in field-number order (last occurrence of each), for ordering. */
function messageKey(m: MessageNodeValue): Comparable[] {
  const last = new Map<number, Comparable>();
  for (const f of m.fields) {
    if (f.value.kind === 'scalar') last.set(f.fieldNumber, f.value.value);
    else if (f.value.kind === 'message') {
      const inner = messageKey(f.value);
      if (inner.length) last.set(f.fieldNumber, inner[0]);
    }
  }
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/** The order of two elements for `ordered`: scalars by value, messages by their scalar fields in number order. */
export function compareElements(a: Element, b: Element): number {
  if ('scalar' in a && 'scalar' in b) return compareScalars(a.scalar, b.scalar);
  if ('message' in a && 'message' in b) {
    const ka = messageKey(a.message);
    const kb = messageKey(b.message);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = compareScalars(ka[i], kb[i]);
      if (c) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

/** An element in words, for violation messages. */
export function describeElement(e: Element): string {
  const show = (v: Comparable): string =>
    typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? `${v.length} bytes` : String(v);
  if ('scalar' in e) return show(e.scalar);
  return `{${messageKey(e.message).map(show).join(', ')}}`;
}
