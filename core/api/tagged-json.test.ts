import { describe, expect, it } from 'vitest';
import { decodeTagged, encodeTagged } from './tagged-json';

describe('tagged JSON', () => {
  it('round-trips bigint, bytes, NaN, infinities and -0', () => {
    const v = { a: 2n ** 64n - 1n, b: -5n, c: new Uint8Array([0, 255, 7]), d: NaN, e: -0, f: Infinity, g: -Infinity, h: [1, 'x', null] };
    const back = decodeTagged<typeof v>(encodeTagged(v));
    expect(back.a).toBe(2n ** 64n - 1n);
    expect(back.b).toBe(-5n);
    expect(back.c).toEqual(new Uint8Array([0, 255, 7]));
    expect(back.d).toBeNaN();
    expect(Object.is(back.e, -0)).toBe(true);
    expect(back.f).toBe(Infinity);
    expect(back.g).toBe(-Infinity);
    expect(back.h).toEqual([1, 'x', null]);
  });
  it('escapes objects that look like tags', () => {
    const v = { $bigint: 'not a bigint' };
    expect(decodeTagged(encodeTagged(v))).toEqual(v);
  });
  it('handles large byte arrays', () => {
    const big = new Uint8Array(300_000).map((_, i) => i & 255);
    expect(decodeTagged(encodeTagged(big))).toEqual(big);
  });
});
