/**
 * Varints as bytes, for edits that write them on purpose: read one with its width, write one
 * minimally or padded to a chosen width (an overlong varint: continuation bits over zero groups),
 * the way crafted inputs and some encoders write them.
 */
import { readVarint, type VarintResult } from '../wire/varint';

const V: VarintResult = { lo: 0, hi: 0 };

/** A varint read from bytes: its value and the offset just past it. */
export interface ReadVarint {
  value: bigint;
  end: number;
}

/** The varint at bytes[pos] (not reading at or past `end`), or null when it is truncated or runs past 10 bytes. */
export function varintAt(bytes: Uint8Array, pos: number, end = bytes.length): ReadVarint | null {
  const next = readVarint(bytes, pos, end, V);
  if (next < 0) return null;
  return { value: (BigInt(V.hi) << 32n) | BigInt(V.lo), end: next };
}

/** How many bytes the minimal varint of an unsigned value takes (1..10). */
export function minimalVarintWidth(value: bigint): number {
  let n = 1;
  let v = BigInt.asUintN(64, value);
  while (v > 0x7fn) {
    v >>= 7n;
    n++;
  }
  return n;
}

/**
 * The varint of an unsigned value (below 2^64) in exactly `width` bytes: minimal when width is
 * its minimal width, else padded with continuation bytes over zero groups (overlong). Throws a
 * RangeError when the value needs more bytes than `width`, or width is outside 1..10.
 */
export function varintBytes(value: bigint, width = minimalVarintWidth(value)): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`a varint holds 0 to 2^64-1, not ${value}`);
  const min = minimalVarintWidth(value);
  if (!Number.isInteger(width) || width < min || width > 10) {
    throw new RangeError(`${value} takes ${min} to 10 varint bytes, not ${width}`);
  }
  const out = new Uint8Array(width);
  let v = value;
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0x7fn) | (i < width - 1 ? 0x80 : 0);
    v >>= 7n;
  }
  return out;
}

/**
 * A new varint for a value where an old one of `oldWidth` bytes was: as wide as the old one when
 * that was overlong (a deliberate width is kept) and the value fits, else minimal.
 */
export function varintLike(value: bigint, oldValue: bigint, oldWidth: number): Uint8Array {
  const overlong = oldWidth > minimalVarintWidth(oldValue);
  return overlong && minimalVarintWidth(value) <= oldWidth ? varintBytes(value, oldWidth) : varintBytes(value);
}
