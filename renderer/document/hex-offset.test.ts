import { describe, expect, it } from 'vitest';
import { formatOffset, parseOffset } from './hex-offset';

describe('parseOffset', () => {
  it('reads decimal and 0x hex', () => {
    expect(parseOffset('0', 10)).toBe(0);
    expect(parseOffset(' 9 ', 10)).toBe(9);
    expect(parseOffset('0x1F', 100)).toBe(31);
    expect(parseOffset('0X0a', 100)).toBe(10);
    expect(parseOffset('1_000', 2000)).toBe(1000);
  });

  it('says what is wrong with what was typed', () => {
    expect(() => parseOffset('', 10)).toThrow('type an offset: decimal (120) or hex (0x78)');
    expect(() => parseOffset('12z', 10)).toThrow('“12z” is not an offset: type decimal (120) or hex with 0x (0x78)');
    expect(() => parseOffset('-1', 10)).toThrow('is not an offset');
    expect(() => parseOffset('10', 10)).toThrow(
      'byte 10 is past the end: this message has 10 bytes, 0 to 9 (0x0 to 0x9); type one of those',
    );
    expect(() => parseOffset('0xffffffffffffffff', 10)).toThrow('past the end');
    expect(() => parseOffset('0', 0)).toThrow('this message has no bytes');
  });

  it('formats an offset in both bases', () => {
    expect(formatOffset(300)).toBe('300 (0x12c)');
  });
});
