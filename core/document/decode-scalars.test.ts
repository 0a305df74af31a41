import { describe, expect, it } from 'vitest';
import { ascii, bytes, roundTrip, scalar, Scalars } from '../../testing/decode-test-helpers';
import { WireWriter } from '../wire/wire-writer';

describe('decodeMessage: scalars', () => {
  it('reads every scalar type with its JS form', () => {
    const buf = bytes(
      0x09,
      0,
      0,
      0,
      0,
      0,
      0,
      0xf8,
      0x3f, //          tag 1 I64: double d = 1.5
      0x15,
      0,
      0,
      0xc0,
      0xbf, //                       tag 2 I32: float f = -1.5
      0x18,
      0x96,
      0x01, //                             tag 3 VARINT: int32 i32 = 150
      0x20,
      0xfe,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 4: int64 i64 = -2
      0x28,
      0xff,
      0xff,
      0xff,
      0xff,
      0x0f, //           tag 5: uint32 u32 = 4294967295
      0x30,
      0x80,
      0x80,
      0x80,
      0x80,
      0x10, //           tag 6: uint64 u64 = 2^32
      0x38,
      0x03, //                                   tag 7: sint32 s32 = -2 (zigzag 3)
      0x40,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 8: sint64 s64 = min int64 (zigzag 2^64-1)
      0x4d,
      0xef,
      0xbe,
      0xad,
      0xde, //                 tag 9 I32: fixed32 fx32 = 0xdeadbeef
      0x51,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0x80, //              tag 10 I64: fixed64 fx64 = 2^63 + 1
      0x5d,
      0xff,
      0xff,
      0xff,
      0xff, //                 tag 11 I32: sfixed32 sf32 = -1
      0x61,
      0xfe,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // tag 12 I64: sfixed64 sf64 = -2
      0x68,
      0x01, //                                   tag 13: bool b = true
      0x72,
      0x02,
      ...ascii('hA'), //         tag 14 LEN 2: string s = "hA"
      0x7a,
      0x02,
      0x00,
      0xff, //                       tag 15 LEN 2: bytes by = 00 ff
      0x80,
      0x01,
      0x02, //                             tag 16 (2-byte tag): Color color = BLUE
    );
    const doc = roundTrip(buf, Scalars);
    const values = Object.fromEntries(doc.fields.map((f) => [f.field!.name, scalar(f).value]));
    expect(values).toEqual({
      d: 1.5,
      f: -1.5,
      i32: 150,
      i64: -2n,
      u32: 4294967295,
      u64: 4294967296n,
      s32: -2,
      s64: -(2n ** 63n),
      fx32: 0xdeadbeef,
      fx64: 2n ** 63n + 1n,
      sf32: -1,
      sf64: -2n,
      b: true,
      s: 'hA',
      by: bytes(0x00, 0xff),
      color: 2,
    });
    expect(doc.fields.map((f) => scalar(f).type)).toEqual([
      'double',
      'float',
      'int32',
      'int64',
      'uint32',
      'uint64',
      'sint32',
      'sint64',
      'fixed32',
      'fixed64',
      'sfixed32',
      'sfixed64',
      'bool',
      'string',
      'bytes',
      'enum',
    ]);
  });

  it('reads a negative int32 written as a 10-byte varint', () => {
    const buf = bytes(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01); // tag 3: int32 i32 = -1 (10 bytes)
    const doc = roundTrip(buf, Scalars);
    expect(scalar(doc.fields[0]).value).toBe(-1);
    expect(doc.fields[0].span).toEqual({ tagStart: 0, valueStart: 1, end: 11 });
  });

  it('reads max uint64 and min int64 as BigInt', () => {
    const buf = bytes(
      0x30,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // tag 6: uint64 u64 = 2^64-1
      0x20,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x01, // tag 4: int64 i64 = -2^63
    );
    const doc = roundTrip(buf, Scalars);
    expect(scalar(doc.fields[0]).value).toBe(18446744073709551615n);
    expect(scalar(doc.fields[1]).value).toBe(-(2n ** 63n));
  });

  it('keeps NaN (with its payload bytes) and -0.0 exactly', () => {
    const buf = bytes(
      0x09,
      0x01,
      0,
      0,
      0,
      0,
      0,
      0xf8,
      0x7f, // tag 1 I64: double d = NaN with payload 1
      0x15,
      0,
      0,
      0,
      0x80, //                  tag 2 I32: float f = -0.0
      0x15,
      0x01,
      0,
      0xc0,
      0x7f, //            tag 2 I32: float f = NaN with payload
    );
    const doc = roundTrip(buf, Scalars);
    expect(Number.isNaN(scalar(doc.fields[0]).value)).toBe(true);
    expect(Object.is(scalar(doc.fields[1]).value, -0)).toBe(true);
    expect(Number.isNaN(scalar(doc.fields[2]).value)).toBe(true);
  });

  it('reads bool from any varint, keeping its exact bytes', () => {
    const buf = bytes(
      0x68,
      0x02, //                         tag 13: bool b = 2 (non-canonical true)
      0x68,
      0x80,
      0x80,
      0x80,
      0x80,
      0x10, // tag 13: bool b = 2^32 (low 32 bits zero: still true)
      0x68,
      0x80,
      0x00, //                   tag 13: bool b = 0 in two bytes
    );
    const doc = roundTrip(buf, Scalars);
    expect(doc.fields.map((f) => scalar(f).value)).toEqual([true, true, false]);
  });

  it('keeps invalid UTF-8 bytes of a string beside a lossy value', () => {
    const buf = bytes(0x72, 0x03, 0x61, 0xc3, 0x28); // tag 14 LEN 3: string s = "a" + invalid sequence C3 28
    const doc = roundTrip(buf, Scalars);
    const v = scalar(doc.fields[0]);
    expect(v.invalidUtf8).toEqual(bytes(0x61, 0xc3, 0x28));
    expect(v.value).toBe('a\ufffd(');
  });

  it('decodes multi-byte UTF-8 strings', () => {
    const text = 'héllo wörld — ünïcode ✓ 😀 and a longer tail to skip the ASCII fast path';
    const enc = new TextEncoder().encode(text);
    const buf = new WireWriter().tag(14, 2).lengthDelimited(enc).finish(); // tag 14 LEN: string s
    expect(scalar(roundTrip(buf, Scalars).fields[0]).value).toBe(text);
  });

  it('keeps enum numbers outside the enum', () => {
    const buf = bytes(0x68, 0x07, 0x68, 0x7f); // tag 13: Color color = 7, then 127 (neither is a Color)
    const doc = roundTrip(buf);
    expect(doc.fields.map((f) => [f.field?.name, scalar(f).type, scalar(f).value])).toEqual([
      ['color', 'enum', 7],
      ['color', 'enum', 127],
    ]);
  });

  it('decodes an extension field declared with extend', () => {
    const buf = bytes(0xa0, 0x06, 0x2a); // tag 100 VARINT (2-byte tag): ext_num = 42
    const doc = roundTrip(buf);
    expect(doc.fields[0].field?.name).toContain('ext_num');
    expect(scalar(doc.fields[0]).value).toBe(42);
  });
});
