import { describe, expect, it } from 'vitest';
import { decodeRaw } from './raw-decode';
import { interpretI32, interpretI64, interpretLen, interpretVarint, readingsOf, type LenReading } from './raw-readings';

const bytes = (...b: number[]) => new Uint8Array(b);
const types = (rs: { type: string }[]) => rs.map((r) => r.type);

describe('readings', () => {
  it('reads varints as uint64, int64, sint64 and bool', () => {
    const r = interpretVarint(1n);
    expect(r.map((x) => [x.type, x.value])).toEqual(
      expect.arrayContaining([
        ['uint64', 1n],
        ['int64', 1n],
        ['sint64', -1n],
        ['bool', true],
      ]),
    );
    const neg = interpretVarint(2n ** 64n - 1n); // -1 as int64
    expect(neg[0]).toMatchObject({ type: 'int64', value: -1n });
    expect(interpretVarint(300n).some((x) => x.type === 'bool')).toBe(false);
  });

  it('reads i64 and i32 as integers and floats, preferring plausible floats', () => {
    const d = interpretI64(0x3ff8000000000000n); // 1.5 as double
    expect(d[0]).toMatchObject({ type: 'double', value: 1.5 });
    expect(d.find((x) => x.type === 'fixed64')?.value).toBe(0x3ff8000000000000n);
    const small = interpretI64(5n); // 5 as fixed64 is a denormal double
    expect(small[0].type).not.toBe('double');
    const f = interpretI32(0x3fc00000); // 1.5 as float
    expect(f[0]).toMatchObject({ type: 'float', value: 1.5 });
    expect(interpretI32(0xffffffff).find((x) => x.type === 'sfixed32')?.value).toBe(-1);
  });

  it('ranks an embedded message first when it parses with sane field numbers', () => {
    const inner = bytes(
      0x0a,
      0x05,
      0x41,
      0x6c,
      0x69,
      0x63,
      0x65, // tag 1 LEN, length 5, "Alice"
      0x10,
      0x2a, // tag 2 VARINT, 42
    );
    const r = interpretLen(inner, 10);
    expect(r[0].type).toBe('message');
    const m = r[0] as Extract<LenReading, { type: 'message' }>;
    expect(m.fields.map((f) => f.fieldNumber)).toEqual([1, 2]);
    expect(m.fields[0].span).toEqual({ tagStart: 10, valueStart: 12, end: 17 }); // absolute spans
    expect(readingsOf(m.fields[0])[0]).toMatchObject({ type: 'string', value: 'Alice' });
    expect(types(r)).toContain('bytes'); // all readings kept
  });

  it('ranks a printable string above a message it happens to parse as', () => {
    const hi = bytes(0x68, 0x69); // "hi" also parses as field 13 VARINT 105
    const r = interpretLen(hi);
    expect(types(r)).toEqual(expect.arrayContaining(['string', 'message', 'packed-varint', 'bytes']));
    expect(r[0]).toMatchObject({ type: 'string', value: 'hi' });
    const utf8 = interpretLen(new TextEncoder().encode('héllo wörld ✓'));
    expect(utf8[0]).toMatchObject({ type: 'string', value: 'héllo wörld ✓' });
  });

  it('prefers a message wrapping a long string over reading it all as text', () => {
    const text = new TextEncoder().encode('a description of forty characters here!!'); // 40 bytes
    const wrapped = new Uint8Array([0x0a, text.length, ...text]); // tag 1 LEN, length 40 (= "(" printable), text
    expect(interpretLen(wrapped)[0].type).toBe('message');
  });

  it('ranks packed varints first for bytes that are neither message nor text', () => {
    const packed = bytes(
      0x01, // 1    (0x01 is field 0 as a tag: not a message)
      0x96,
      0x01, // 150
      0xac,
      0x02, // 300
    );
    const r = interpretLen(packed);
    expect(r[0]).toMatchObject({ type: 'packed-varint', values: [1n, 150n, 300n] });
    expect(r.some((x) => x.type === 'message')).toBe(false);
  });

  it('offers packed fixed32/fixed64 when the length fits, favouring plausible floats', () => {
    const floats = bytes(
      0x00,
      0x00,
      0x80,
      0x3f, // 1.0f (0x00 as a tag is field 0: not a message)
      0x00,
      0x00,
      0x00,
      0x40, // 2.0f
    );
    const r = interpretLen(floats);
    expect(types(r)).toEqual(expect.arrayContaining(['packed-fixed32', 'packed-fixed64', 'bytes']));
    expect(r[0].type).toBe('packed-fixed32');
    const three = interpretLen(bytes(0xff, 0xfe, 0xfd)); // not UTF-8, 3 bytes: not packed fixed, not varints (ends mid-varint)
    expect(types(three)).toEqual(['bytes']);
  });

  it('reads an empty LEN as an empty string first', () => {
    const r = interpretLen(bytes());
    expect(r[0]).toMatchObject({ type: 'string', value: '' });
    expect(types(r)).toEqual(expect.arrayContaining(['message', 'bytes']));
  });

  it('caches LEN readings per node so nested node ids are stable', () => {
    const r = decodeRaw(bytes(0x0a, 0x02, 0x08, 0x01)); // tag 1 LEN, length 2, { tag 1 VARINT 1 }
    expect(readingsOf(r.root.fields[0])).toBe(readingsOf(r.root.fields[0]));
  });
});
