import { describe, expect, it } from 'vitest';
import { bytesToEscaped, escapedToBytes } from './string-escapes';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('string escapes', () => {
  it('shows newlines as line breaks and tabs, a BOM, invalid bytes and backslashes as escapes', () => {
    expect(bytesToEscaped(utf8('a\nb\tc'))).toBe('a\nb\\tc');
    expect(bytesToEscaped(utf8('\ufeffx'))).toBe('\\u{feff}x');
    expect(bytesToEscaped(new Uint8Array([0x61, 0xff, 0x0a]))).toBe('a\\xff\n');
    expect(bytesToEscaped(utf8('back\\slash\r\u0001'))).toBe('back\\\\slash\\r\\x01');
    expect(bytesToEscaped(utf8('héllo ✓ 😀'))).toBe('héllo ✓ 😀');
    // An overlong encoding and a lone surrogate's bytes are not valid UTF-8: shown byte by byte.
    expect(bytesToEscaped(new Uint8Array([0xc0, 0xaf]))).toBe('\\xc0\\xaf');
    expect(bytesToEscaped(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80');
    // A sequence cut short at the end.
    expect(bytesToEscaped(new Uint8Array([0x78, 0xe2, 0x9c]))).toBe('x\\xe2\\x9c');
  });

  it('parses escapes back into the exact bytes', () => {
    expect([...escapedToBytes('a\\xff\n')]).toEqual([0x61, 0xff, 0x0a]);
    expect([...escapedToBytes('\\u{feff}x')]).toEqual([0xef, 0xbb, 0xbf, 0x78]);
    expect([...escapedToBytes('a\\nb\\tc\\\\')]).toEqual([...utf8('a\nb\tc\\')]);
    expect([...escapedToBytes('😀')]).toEqual([0xf0, 0x9f, 0x98, 0x80]);
  });

  it('says where an escape is wrong', () => {
    expect(() => escapedToBytes('ab\\q')).toThrow('unknown escape \\q at character 3');
    expect(() => escapedToBytes('\\xg0')).toThrow('\\x needs two hex digits at character 1');
    expect(() => escapedToBytes('\\u{d800}')).toThrow('not a surrogate');
    expect(() => escapedToBytes('x\\')).toThrow('unknown escape \\ at character 2');
  });

  it('round-trips every byte string (random bytes, mostly near UTF-8)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pool = [0x00, 0x09, 0x0a, 0x0d, 0x5c, 0x61, 0x7f, 0x80, 0xbf, 0xc2, 0xe2, 0xef, 0xbb, 0xf0, 0x9f, 0xff, 0xed, 0xa0];
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(rand(12));
      for (let i = 0; i < b.length; i++) b[i] = rand(2) ? pool[rand(pool.length)] : rand(256);
      const text = bytesToEscaped(b);
      expect([...escapedToBytes(text)], text).toEqual([...b]);
    }
  });
});
