import { describe, expect, it } from 'vitest';
import { EncodedBytes } from './encoded-bytes';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('EncodedBytes', () => {
  // 0..9 in four parts, one of them empty: [0 1 2] [] [3 4 5 6] [7 8 9]
  const source = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  const parts = [source.subarray(0, 3), source.subarray(3, 3), bytes(3, 4, 5, 6), source.subarray(7)];
  const rope = new EncodedBytes(parts);

  it('holds its parts in order, with their total length', () => {
    expect(rope.length).toBe(10);
    expect(rope.parts).toBe(parts);
    expect(rope.toUint8Array()).toEqual(source);
  });

  it('slices any range, within a part or across part boundaries, as the contiguous bytes would', () => {
    for (let start = 0; start <= 10; start++) {
      for (let end = start; end <= 10; end++) {
        expect(rope.slice(start, end), `slice(${start}, ${end})`).toEqual(source.slice(start, end));
      }
    }
    expect(rope.slice()).toEqual(source);
  });

  it('returns copies: changing them does not change the parts', () => {
    const flat = rope.toUint8Array();
    const piece = rope.slice(2, 5);
    flat[0] = 99;
    piece[0] = 99;
    expect(rope.slice(0, 5)).toEqual(bytes(0, 1, 2, 3, 4));
  });

  it('rejects a range outside its bytes, naming the range and the length', () => {
    expect(() => rope.slice(-1, 2)).toThrow(new RangeError('slice(-1, 2) is outside the encoded bytes (0..10)'));
    expect(() => rope.slice(4, 11)).toThrow(/slice\(4, 11\) is outside the encoded bytes \(0\.\.10\)/);
    expect(() => rope.slice(5, 4)).toThrow(RangeError);
  });

  it('is empty with no parts', () => {
    const empty = new EncodedBytes([]);
    expect(empty.length).toBe(0);
    expect(empty.toUint8Array()).toEqual(new Uint8Array(0));
    expect(empty.slice(0, 0)).toEqual(new Uint8Array(0));
  });
});
