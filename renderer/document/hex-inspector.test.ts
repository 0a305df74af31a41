import { describe, expect, it } from 'vitest';
import { inspectBytes } from './hex-inspector';

const read = (...b: number[]) => Object.fromEntries(inspectBytes(new Uint8Array(b)).map((i) => [i.as, `${i.value} /${i.bytes}`]));

describe('the data inspector', () => {
  it('reads a varint, its zigzag and its tag meaning', () => {
    const r = read(0xac, 0x02); // 300
    expect(r).toMatchObject({ varint: '300 /2', zigzag: '150 /2', tag: 'field 37, wire type 4 /2' });
    expect(read(0x03).zigzag).toBe('-2 /1');
    expect(read(0xff, 0xff).varint).toBe('runs past the end /0');
  });

  it('reads fixed-width values little-endian, and UTF-8', () => {
    const r = read(0x00, 0x00, 0x80, 0x3f, 0, 0, 0, 0); // float 1.0, then four zero bytes
    expect(r).toMatchObject({ float: '1 /4', fixed32: '1065353216 /4', fixed64: '1065353216 /8' });
    expect(read(0xff, 0xff, 0xff, 0xff).sfixed32).toBe('-1 /4');
    expect(read(0x00, 0, 0, 0, 0, 0, 0xf0, 0x3f).double).toBe('1 /8');
    expect(read(0xc3, 0xa9)['UTF-8']).toBe('"é" /2');
    expect(read(0xc3, 0x41)['UTF-8']).toBe('not a UTF-8 sequence /0');
    // A byte order mark is a character like any other here, not something to drop.
    expect(read(0xef, 0xbb, 0xbf)['UTF-8']).toBe('"\ufeff" /3');
  });
});
