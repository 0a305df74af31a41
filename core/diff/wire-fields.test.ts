/** Field spans, and B's fields read only between the inputs' common ends. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../../testing/field-shapes-schema';
import { WireType } from '../wire/wire-types';
import { WireWriter } from '../wire/wire-writer';
import { bytesEqual, commonEnds, equalPrefix, equalSuffix, scanAlike, scanFields } from './wire-fields';

describe('scanFields', () => {
  it('spans tags, length prefixes, values and groups', () => {
    const bytes = new WireWriter()
      .tag(1, WireType.LEN)
      .lengthDelimited(new Uint8Array([0x61, 0x62])) // 1: "ab"
      .tag(7, WireType.SGROUP)
      .tag(8, WireType.VARINT)
      .uvarint(300) // 7 { 8: 300 }
      .tag(7, WireType.EGROUP)
      .finish()
      .slice();
    expect(scanFields(bytes, 0, bytes.length)).toEqual([
      { num: 1, wt: 2, tagStart: 0, tagEnd: 1, valueStart: 2, valueEnd: 4, end: 4 },
      { num: 7, wt: 3, tagStart: 4, tagEnd: 5, valueStart: 5, valueEnd: 8, end: 9 },
    ]);
  });

  it('names the offset where the bytes stop parsing', () => {
    expect(() => scanFields(new Uint8Array([0x08]), 0, 1)).toThrow('at byte 1: the varint value of field 1');
    expect(() => scanFields(new Uint8Array([0x3b, 0x44]), 0, 2)).toThrow('at byte 1: the end-group tag of field 7, not of field 8');
    expect(() => scanFields(new Uint8Array([0x0f]), 0, 1)).toThrow('at byte 0: a valid wire type (0-5), not 7 (field 1)');
  });
});

describe('equal prefixes and suffixes', () => {
  it('count equal bytes exactly at any alignment, word views or not', () => {
    const base = new Uint8Array(400).map((_, i) => (i * 7) & 0xff);
    fc.assert(
      fc.property(fc.nat(7), fc.nat(7), fc.nat(300), fc.nat(399), (offA, offB, n, diffAt) => {
        const a = new Uint8Array(new ArrayBuffer(offA + 400), offA, 400);
        const b = new Uint8Array(new ArrayBuffer(offB + 400), offB, 400);
        a.set(base);
        b.set(base);
        b[diffAt] ^= 0xff;
        const len = Math.min(n, 400);
        const prefix = Math.min(diffAt, len);
        expect(equalPrefix(a, 0, b, 0, len)).toBe(prefix);
        expect(equalSuffix(a, 400, b, 400, len)).toBe(Math.min(len, 399 - diffAt));
        expect(bytesEqual(a, 0, len, b, 0, len)).toBe(diffAt >= len);
      }),
      { numRuns: 500 },
    );
  });
});

describe('scanAlike', () => {
  const Outer = testRoot().lookupType('test.Outer');
  const outer = fc.record(
    {
      name: fc.string({ maxLength: 4 }),
      participants: fc.array(fc.record({ name: fc.constantFrom('a', 'bb'), id: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 3 }),
      nums: fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 4 }),
    },
    { requiredKeys: [] },
  );
  const enc = (x: object) => Outer.encode(Outer.fromObject(x)).finish().slice();

  it('reads B exactly as scanFields does, whatever A shares with it', () => {
    fc.assert(
      fc.property(outer, outer, outer, outer, (pre, x, y, post) => {
        // Concatenated messages are one message: A and B share a prefix and a suffix of whole fields.
        const a = new Uint8Array([...enc(pre), ...enc(x), ...enc(post)]);
        const b = new Uint8Array([...enc(pre), ...enc(y), ...enc(post)]);
        const fa = scanFields(a, 0, a.length);
        expect(scanAlike(b, fa, commonEnds(a, b))).toEqual(scanFields(b, 0, b.length));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the common ends without letting them overlap', () => {
    const a = new Uint8Array([1, 2, 3, 2, 3]);
    const b = new Uint8Array([1, 2, 3]);
    const ends = commonEnds(a, b);
    expect(ends.prefix + (b.length - ends.sufB)).toBeLessThanOrEqual(b.length);
    expect(ends).toEqual({ prefix: 3, sufA: 5, sufB: 3, delta: -2 });
  });
});
