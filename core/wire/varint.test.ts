import { describe, expect, it } from 'vitest';
import { readVarint, readVarint32, varintNumber, VARINT_TOO_LONG, VARINT_TRUNCATED, type VarintResult } from './varint';
import { WireWriter } from './wire-writer';

const bytes = (...b: number[]) => new Uint8Array(b);
const V: VarintResult = { lo: 0, hi: 0 };

/** The value readVarint left in V, as a BigInt (lo and hi joined). */
const readBack = (): bigint => (BigInt(V.hi) << 32n) | BigInt(V.lo);

describe('readVarint', () => {
  it('reads values at every byte-length boundary, as WireWriter writes them, and returns the end', () => {
    const values = [
      0n,
      1n,
      127n,
      128n,
      16383n,
      16384n,
      2n ** 28n - 1n,
      2n ** 28n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 35n - 1n,
      2n ** 35n,
      2n ** 53n - 1n,
      2n ** 63n,
      2n ** 64n - 1n,
    ];
    for (const v of values) {
      const buf = new WireWriter().raw(bytes(0xaa)).varint64(v).raw(bytes(0xbb)).finish(); // a byte either side
      expect(readVarint(buf, 1, buf.length, V), `end of ${v}`).toBe(buf.length - 1);
      expect(readBack(), `value of ${v}`).toBe(v);
    }
  });

  it('gives the value as a number, exact below 2^53', () => {
    const buf = new WireWriter().uvarint(2 ** 53 - 1).finish();
    readVarint(buf, 0, buf.length, V);
    expect(varintNumber(V)).toBe(2 ** 53 - 1);
  });

  it('drops bits above 64 in a 10th byte, as protoc does', () => {
    const buf = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f); // 2^70 - 1 written in 10 bytes
    expect(readVarint(buf, 0, buf.length, V)).toBe(10);
    expect(readBack()).toBe(2n ** 64n - 1n);
  });

  it('reads a non-minimal (padded) varint to its real end', () => {
    const buf = bytes(0x81, 0x80, 0x80, 0x00); // 1, padded to 4 bytes
    expect(readVarint(buf, 0, buf.length, V)).toBe(4);
    expect(readBack()).toBe(1n);
  });

  it('answers VARINT_TRUNCATED when `end` comes inside the varint, and leaves the result as it was', () => {
    V.lo = 7;
    V.hi = 0;
    const buf = bytes(0x96, 0x01); // 150
    expect(readVarint(buf, 0, 1, V)).toBe(VARINT_TRUNCATED); // end stops it after the first byte
    expect(readVarint(buf, 2, buf.length, V)).toBe(VARINT_TRUNCATED); // nothing left at all
    expect(readBack()).toBe(7n);
    const long = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); // 7 continuation bytes, then the input ends
    expect(readVarint(long, 0, long.length, V)).toBe(VARINT_TRUNCATED);
  });

  it('answers VARINT_TOO_LONG past 10 bytes', () => {
    const buf = bytes(...Array(10).fill(0x80), 0x00); // 11 bytes
    expect(readVarint(buf, 0, buf.length, V)).toBe(VARINT_TOO_LONG);
  });
});

describe("readVarint32 (protoc's rules for tags and sizes)", () => {
  it('keeps the low 32 bits of every value readVarint reads, within 10 bytes', () => {
    const values = [0n, 1n, 127n, 128n, 2n ** 28n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 35n + 7n, 2n ** 63n + 5n, 2n ** 64n - 1n];
    for (const v of values) {
      const buf = new WireWriter().varint64(v).finish();
      expect(readVarint32(buf, 0, buf.length, 10, V), `end of ${v}`).toBe(buf.length);
      expect(V.lo, `low bits of ${v}`).toBe(Number(v & 0xffffffffn));
      expect(V.hi).toBe(0);
    }
  });

  it('reads a negative int32 written as 10 bytes when 10 are allowed, and refuses it when 5 are', () => {
    const buf = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01); // -1 as int32
    expect(readVarint32(buf, 0, buf.length, 10, V)).toBe(10);
    expect(V.lo | 0).toBe(-1);
    expect(readVarint32(buf, 0, buf.length, 5, V)).toBe(VARINT_TOO_LONG);
  });

  it("drops the bits a 5th byte carries above 32, as protoc's ReadTag does", () => {
    const buf = bytes(0xf8, 0xff, 0xff, 0xff, 0x7f); // 2^35 - 8: bits 32..34 set in the 5th byte
    expect(readVarint32(buf, 0, buf.length, 5, V)).toBe(5);
    expect(V.lo).toBe(0xfffffff8);
  });

  it('reads a 6-byte (padded) tag only when more than 5 bytes are allowed', () => {
    const buf = bytes(0x88, 0x80, 0x80, 0x80, 0x80, 0x00); // tag 1 VARINT padded to 6 bytes
    expect(readVarint32(buf, 0, buf.length, 5, V)).toBe(VARINT_TOO_LONG);
    expect(readVarint32(buf, 0, buf.length, 10, V)).toBe(6);
    expect(V.lo).toBe(0x08);
    const eleven = bytes(...Array(10).fill(0x80), 0x00);
    expect(readVarint32(eleven, 0, eleven.length, 10, V)).toBe(VARINT_TOO_LONG);
  });

  it('answers VARINT_TRUNCATED when `end` comes first, and leaves the result as it was', () => {
    V.lo = 7;
    V.hi = 3;
    const buf = bytes(0x96, 0x01); // 150
    expect(readVarint32(buf, 0, 1, 5, V)).toBe(VARINT_TRUNCATED);
    expect(readVarint32(buf, 2, buf.length, 5, V)).toBe(VARINT_TRUNCATED);
    expect([V.lo, V.hi]).toEqual([7, 3]);
    expect(readVarint32(buf, 0, buf.length, 5, V)).toBe(2);
    expect([V.lo, V.hi]).toEqual([150, 0]);
  });
});
