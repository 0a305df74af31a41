/** Scalar values as decode reads them: 64-bit numbers from two 32-bit halves, one value of a scalar type code, packed elements. */
import { zigzag32, zigzag64, type WireReader } from '../wire/wire-reader';
import type { ByteSpan, PackedElement } from './model';
import { S } from './schema-info';

const TWO32 = 4294967296;

/** Signed 64-bit value from two unsigned 32-bit halves. */
function int64From(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  if (hi === 0xffffffff && lo >= 0x80000000) return BigInt(lo - TWO32);
  if (hi < 0x200000) return BigInt(hi * TWO32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

/** Unsigned 64-bit value from two unsigned 32-bit halves. */
function uint64From(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  if (hi < 0x200000) return BigInt(hi * TWO32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Zigzag-decoded signed 64-bit value from two unsigned 32-bit halves. */
function sint64From(lo: number, hi: number): bigint {
  if (hi < 0x200000) {
    const u = hi * TWO32 + lo;
    const half = Math.floor(u / 2);
    return BigInt(lo & 1 ? -half - 1 : half);
  }
  return zigzag64(uint64From(lo, hi));
}

/** Reads one numeric, bool or enum value of a scalar type code (S.INT32 ...) at the reader. */
/** Reads one numeric/bool/enum value of a scalar type code. */
export function readNumeric(r: WireReader, code: number): number | bigint | boolean {
  switch (code) {
    case S.INT32:
    case S.ENUM:
      return r.varint32() | 0;
    case S.UINT32:
      return r.varint32();
    case S.SINT32:
      return zigzag32(r.varint32());
    case S.INT64: {
      const lo = r.varint64Split();
      return int64From(lo, r.hi);
    }
    case S.UINT64: {
      const lo = r.varint64Split();
      return uint64From(lo, r.hi);
    }
    case S.SINT64: {
      const lo = r.varint64Split();
      return sint64From(lo, r.hi);
    }
    case S.BOOL: {
      const lo = r.varint64Split();
      return (lo | r.hi) !== 0;
    }
    case S.FIXED32:
      return r.fixed32();
    case S.SFIXED32:
      return r.fixed32() | 0;
    case S.FIXED64:
      return r.fixed64();
    case S.SFIXED64:
      return BigInt.asIntN(64, r.fixed64());
    case S.FLOAT:
      return r.float();
    case S.DOUBLE:
      return r.double();
    default:
      throw new Error(`not a numeric scalar type code: ${code}`);
  }
}

/**
 * A decoded element of a packed run. Runs are where most values of a big message live (millions
 * of them), so an element is one object holding its two offsets, and its span is built when
 * asked for (the hex view, a save) instead of being a second object per element.
 */
export class DecodedElement implements PackedElement {
  constructor(
    readonly value: number | bigint | boolean,
    private readonly start: number,
    private readonly stop: number,
  ) {}

  get span(): ByteSpan {
    return { tagStart: this.start, valueStart: this.start, end: this.stop };
  }
}
