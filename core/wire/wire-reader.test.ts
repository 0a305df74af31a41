import { describe, expect, it } from 'vitest';
import { WireReader, zigzag32, zigzag64 } from './wire-reader';
import { WireWriter, zigzagEncode32, zigzagEncode64 } from './wire-writer';
import { DecodeError } from './decode-error';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('WireReader', () => {
  it('reads a negative int32 written as a 10-byte varint', () => {
    const buf = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01); // -1 as int32
    const r = new WireReader(buf);
    expect(r.varint32() | 0).toBe(-1);
    expect(r.pos).toBe(10);
    expect(BigInt.asIntN(64, new WireReader(buf).varint64())).toBe(-1n);
  });

  it('reads max uint64', () => {
    const buf = new WireWriter().varint64(18446744073709551615n).finish();
    expect(buf.length).toBe(10);
    expect(new WireReader(buf).varint64()).toBe(18446744073709551615n);
  });

  it('rejects an 11-byte varint, naming its offset', () => {
    const buf = bytes(0x08, ...Array(10).fill(0x80), 0x00); // tag 1 VARINT, then 11 varint bytes
    const r = new WireReader(buf);
    r.tag();
    expect(() => r.varint64()).toThrowError(/at byte 1: a varint of at most 10 bytes/);
  });

  it('reports a truncated varint at the end of input', () => {
    const r = new WireReader(bytes(0x96)); // continuation bit set, nothing follows
    try {
      r.varint64();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
    }
  });

  it('rejects field number 0 and wire types 6 and 7', () => {
    expect(() => new WireReader(bytes(0x00)).tag()).toThrowError(/field number of at least 1/); // field 0, VARINT
    expect(() => new WireReader(bytes(0x0e)).tag()).toThrowError(/wire type 6/); // field 1, wire type 6
    expect(() => new WireReader(bytes(0x0f)).tag()).toThrowError(/wire type 7/); // field 1, wire type 7
  });

  it('checks a length prefix against the bytes that remain', () => {
    const r = new WireReader(bytes(0x0a, 0x05, 0x61)); // tag 1 LEN, length 5, one byte "a"
    r.tag();
    expect(() => r.length()).toThrowError(/at byte 1: a length-delimited value of 5 bytes, but only 1 remain/);
  });

  it('skips nested groups to the matching end tag', () => {
    // group 1 { group 2 { varint 3 = 1 } } then field 4
    const buf = bytes(0x0b, 0x13, 0x18, 0x01, 0x14, 0x0c, 0x20, 0x07);
    const r = new WireReader(buf);
    const t = r.tag();
    expect(r.skip(t)).toBe(5); // end-group tag of field 1 starts at byte 5
    expect(r.tag().fieldNumber).toBe(4);
  });

  it('round-trips zigzag values', () => {
    for (const n of [0, -1, 1, -2147483648, 2147483647]) expect(zigzag32(zigzagEncode32(n))).toBe(n);
    for (const n of [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n]) expect(zigzag64(zigzagEncode64(n))).toBe(n);
  });

  it('reads fixed-width values little-endian', () => {
    const w = new WireWriter().fixed32(0xdeadbeef).fixed64(0x0102030405060708n).float(1.5).double(-0);
    const r = new WireReader(w.finish());
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.fixed64()).toBe(0x0102030405060708n);
    expect(r.float()).toBe(1.5);
    expect(Object.is(r.double(), -0)).toBe(true);
  });
});

describe('WireReader fast paths', () => {
  it('varint64Split returns the low and high 32 bits without BigInt', () => {
    const cases: bigint[] = [
      0n,
      1n,
      127n,
      128n,
      2n ** 28n - 1n,
      2n ** 28n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 35n + 5n,
      2n ** 63n,
      2n ** 64n - 1n,
    ];
    for (const v of cases) {
      const r = new WireReader(new WireWriter().varint64(v).finish());
      const lo = r.varint64Split();
      expect((BigInt(r.hi) << 32n) | BigInt(lo)).toBe(v);
      expect(r.done()).toBe(true);
    }
  });

  it('varint64Split drops bits above 64 in a 10th byte, as protoc does', () => {
    const r = new WireReader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)); // 10th byte carries extra bits
    expect(r.varint64()).toBe(2n ** 64n - 1n);
  });

  it('tagValue reads a tag without allocating and checks it like tag()', () => {
    const r = new WireReader(bytes(0xa2, 0x06)); // field 100, LEN
    const v = r.tagValue();
    expect(v >>> 3).toBe(100);
    expect(v & 7).toBe(2);
    expect(() => new WireReader(bytes(0x07)).tagValue()).toThrowError(/wire type 7/); // field 0, wire type 7
    expect(() => new WireReader(bytes(0x02)).tagValue()).toThrowError(/field number of at least 1/); // field 0, LEN
    expect(() => new WireReader(bytes(0x80, 0x80, 0x80, 0x80, 0x10)).tagValue()).toThrowError(/field number is at most/); // 2^32: too large
  });

  it('tags are at most 5 bytes, a 5th byte holding at most bits 28..31; a truncated tag names where the input ends', () => {
    expect(new WireReader(bytes(0xf8, 0xff, 0xff, 0xff, 0x0f)).tag().fieldNumber).toBe(2 ** 29 - 1); // largest field number, VARINT
    expect(() => new WireReader(bytes(0x88, 0x80, 0x80, 0x80, 0x80, 0x00)).tag()).toThrowError(
      /at byte 0: a tag whose field number is at most/,
    ); // 6-byte tag
    expect(() => new WireReader(bytes(0x08, 0x88, 0x80), 1).tag()).toThrowError(
      /at byte 3: the rest of a tag that starts at byte 1 \(input ends\)/,
    );
  });

  it('varint32 keeps the low 32 bits of up to 10 bytes and names where a varint fails', () => {
    const r = new WireReader(new WireWriter().varint64(2n ** 35n + 9n).finish());
    expect(r.varint32()).toBe(9);
    expect(r.done()).toBe(true);
    expect(() => new WireReader(bytes(...Array(10).fill(0x80), 0x00)).varint32()).toThrowError(/at byte 0: a varint of at most 10 bytes/);
    expect(() => new WireReader(bytes(0x00, 0x80, 0x80), 1).varint32()).toThrowError(
      /at byte 3: the rest of a varint that starts at byte 1 \(input ends\)/,
    );
    expect(() => new WireReader(bytes(0x96, 0x01), 0, 1).varint64()).toThrowError(/at byte 1: the rest of a varint/); // the limit, not the buffer, ends it
  });

  it('length rejects prefixes beyond 32 bits, naming the length', () => {
    const r = new WireReader(new WireWriter().varint64(2n ** 40n).finish()); // a length of 2^40
    expect(() => r.length()).toThrowError(/at byte 0: a length-delimited value of 1099511627776 bytes, but only 0 remain/);
  });
});
