import { describe, expect, it } from 'vitest';
import { parseUnknownFieldSet } from './unknown-fields';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('parseUnknownFieldSet (protoc 3.21 UnknownFieldSet rules)', () => {
  it('reads every wire type into fields in wire order', () => {
    const fields = parseUnknownFieldSet(
      bytes(
        0x08,
        0x96,
        0x01, // 1: varint 150
        0x11,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0, // 2: fixed64 1
        0x1d,
        2,
        0,
        0,
        0, // 3: fixed32 2
        0x22,
        0x01,
        0x61, // 4: LEN "a"
        0x2b,
        0x30,
        0x07,
        0x2c, // 5: group { 6: varint 7 }
      ),
      10,
    );
    expect(fields).toEqual([
      { fieldNumber: 1, wireType: 0, value: 150n },
      { fieldNumber: 2, wireType: 1, value: 1n },
      { fieldNumber: 3, wireType: 5, value: 2 },
      { fieldNumber: 4, wireType: 2, value: bytes(0x61) },
      { fieldNumber: 5, wireType: 3, value: [{ fieldNumber: 6, wireType: 0, value: 7n }] },
    ]);
  });

  it('reads tags of at most 5 bytes, keeping their low 32 bits', () => {
    expect(parseUnknownFieldSet(bytes(0x88, 0x80, 0x80, 0x80, 0x00, 0x01), 10)).toEqual([{ fieldNumber: 1, wireType: 0, value: 1n }]); // tag 1 VARINT in 5 bytes, 1
    expect(parseUnknownFieldSet(bytes(0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01), 10)).toBeNull(); // the same tag in 6 bytes
    // 5th byte 0x7f: bits 32..34 are dropped, leaving field 2^29 - 1, VARINT.
    expect(parseUnknownFieldSet(bytes(0xf8, 0xff, 0xff, 0xff, 0x7f, 0x05), 10)).toEqual([
      { fieldNumber: 2 ** 29 - 1, wireType: 0, value: 5n },
    ]);
  });

  it('reads a size like a tag (5 bytes, low 32 bits) and checks it against what remains', () => {
    expect(parseUnknownFieldSet(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x00, 0x61), 10)).toEqual([
      { fieldNumber: 1, wireType: 2, value: bytes(0x61) },
    ]); // 1: LEN, size 1 padded to 5 bytes, "a"
    expect(parseUnknownFieldSet(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x61), 10)).toEqual([
      { fieldNumber: 1, wireType: 2, value: bytes(0x61) },
    ]); // size 2^32 + 1: the 5th byte's high bits dropped, size 1
    expect(parseUnknownFieldSet(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x61), 10)).toBeNull(); // a 6-byte size
    expect(parseUnknownFieldSet(bytes(0x0a, 0x05, 0x61), 10)).toBeNull(); // size 5, one byte left
  });

  it('reads varint values of up to 10 bytes as 64 bits, and fails on longer or truncated ones', () => {
    expect(parseUnknownFieldSet(bytes(0x08, ...Array(9).fill(0xff), 0x7f), 10)).toEqual([
      { fieldNumber: 1, wireType: 0, value: 2n ** 64n - 1n },
    ]); // bits above 64 dropped
    expect(parseUnknownFieldSet(bytes(0x08, ...Array(10).fill(0x80), 0x00), 10)).toBeNull(); // 11 bytes
    expect(parseUnknownFieldSet(bytes(0x08, 0x96), 10)).toBeNull(); // truncated
  });

  it('fails where protoc fails: tag 0, a stray end-group, wire types 6 and 7, groups deeper than allowed', () => {
    expect(parseUnknownFieldSet(bytes(0x00), 10)).toBeNull();
    expect(parseUnknownFieldSet(bytes(0x0c), 10)).toBeNull(); // end-group 1 outside a group
    expect(parseUnknownFieldSet(bytes(0x0e), 10)).toBeNull(); // wire type 6
    expect(parseUnknownFieldSet(bytes(0x0f), 10)).toBeNull(); // wire type 7
    expect(parseUnknownFieldSet(bytes(0x0b, 0x13, 0x14, 0x0c), 2)).not.toBeNull(); // two nested groups
    expect(parseUnknownFieldSet(bytes(0x0b, 0x13, 0x14, 0x0c), 1)).toBeNull(); // with room for one
  });
});
