/**
 * Reading bytes as an unknown field set with the rules of protoc's C++ runtime (3.21), used to
 * decide whether an unknown length-delimited field prints as a nested message or as a string.
 */
import { readVarint as readVarintAt, readVarint32, type VarintResult } from '../wire/varint';
import { WireType } from '../wire/wire-types';

/** One field of an unknown field set. */
export type RawField =
  | { fieldNumber: number; wireType: typeof WireType.VARINT | typeof WireType.I64; value: bigint }
  | { fieldNumber: number; wireType: typeof WireType.I32; value: number }
  | { fieldNumber: number; wireType: typeof WireType.LEN; value: Uint8Array }
  | { fieldNumber: number; wireType: typeof WireType.SGROUP; value: RawField[] };

/** protoc's recursion budget for printing unknown length-delimited fields as messages (10 levels). */
export const UNKNOWN_RECURSION_BUDGET = 10;

class Fail extends Error {}

/**
 * Parses bytes as protoc's UnknownFieldSet::ParseFromString would, allowing `groupDepth`
 * nested groups; null when that parse fails (tag 0, an end-group tag outside a group,
 * wire type 6 or 7, a truncated value, a varint longer than 10 bytes, groups too deep).
 */
export function parseUnknownFieldSet(bytes: Uint8Array, groupDepth: number): RawField[] | null {
  const p = { pos: 0 };
  try {
    const fields = parseFields(bytes, p, groupDepth, 0);
    return p.pos === bytes.length ? fields : null;
  } catch (e) {
    if (e instanceof Fail) return null;
    throw e;
  }
}

const V: VarintResult = { lo: 0, hi: 0 };

/** A tag or a size: at most 5 bytes, low 32 bits kept (protoc's ReadTag / ReadVarint32). */
function readTag(b: Uint8Array, p: { pos: number }): number {
  const r = readVarint32(b, p.pos, b.length, 5, V);
  if (r < 0) throw new Fail();
  p.pos = r;
  return V.lo;
}

function readVarint(b: Uint8Array, p: { pos: number }): bigint {
  const r = readVarintAt(b, p.pos, b.length, V);
  if (r < 0) throw new Fail();
  p.pos = r;
  return V.hi === 0 ? BigInt(V.lo) : (BigInt(V.hi) << 32n) | BigInt(V.lo);
}

function parseFields(b: Uint8Array, p: { pos: number }, depth: number, openGroup: number): RawField[] {
  const out: RawField[] = [];
  while (p.pos < b.length) {
    const tag = readTag(b, p);
    const wt = tag & 7;
    const fieldNumber = Math.floor(tag / 8);
    if (tag === 0) throw new Fail();
    if (wt === WireType.EGROUP) {
      if (openGroup !== 0 && fieldNumber === openGroup) return out;
      throw new Fail();
    }
    if (fieldNumber === 0) throw new Fail();
    switch (wt) {
      case WireType.VARINT:
        out.push({ fieldNumber, wireType: WireType.VARINT, value: readVarint(b, p) });
        break;
      case WireType.I64: {
        if (p.pos + 8 > b.length) throw new Fail();
        const v = new DataView(b.buffer, b.byteOffset + p.pos, 8).getBigUint64(0, true);
        p.pos += 8;
        out.push({ fieldNumber, wireType: WireType.I64, value: v });
        break;
      }
      case WireType.I32: {
        if (p.pos + 4 > b.length) throw new Fail();
        const v = new DataView(b.buffer, b.byteOffset + p.pos, 4).getUint32(0, true);
        p.pos += 4;
        out.push({ fieldNumber, wireType: WireType.I32, value: v });
        break;
      }
      case WireType.LEN: {
        const n = readTag(b, p); // a size is read like a 32-bit varint
        if (n > 0x7fffffff - 16 || p.pos + n > b.length) throw new Fail();
        out.push({ fieldNumber, wireType: WireType.LEN, value: b.subarray(p.pos, p.pos + n) });
        p.pos += n;
        break;
      }
      case WireType.SGROUP: {
        if (depth <= 0) throw new Fail();
        // Returns just past the matching end tag; running off the end fails.
        const inner = parseFields(b, p, depth - 1, fieldNumber);
        out.push({ fieldNumber, wireType: WireType.SGROUP, value: inner });
        break;
      }
      default:
        throw new Fail();
    }
  }
  if (openGroup !== 0) throw new Fail();
  return out;
}
