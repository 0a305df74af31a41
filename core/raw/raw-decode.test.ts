import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { varintBytes } from '../../testing/raw-message-generator';
import type { FieldNode } from '../document/model';
import { decodeRaw, tryParseMessage } from './raw-decode';
import { rawToJson } from './raw-json';
import { readingsOf } from './raw-readings';
import { rawToText } from './raw-text';

const bytes = (...b: number[]) => new Uint8Array(b);
const raw = (n: FieldNode) => (n.value as { raw: unknown }).raw;

/** Checks that the spans of fully-decoded fields tile [start, end) with no gap (group bodies: up to their end tag). */
function spansTile(fields: readonly FieldNode[], start: number, end: number): boolean {
  return tileEnd(fields, start) === end;
}
function tileEnd(fields: readonly FieldNode[], start: number): number {
  let p = start;
  for (const f of fields) {
    if (!f.span || f.span.tagStart !== p) return -1;
    if (f.wireType === 3) {
      const bodyEnd = tileEnd(raw(f) as FieldNode[], f.span.valueStart);
      if (bodyEnd < 0 || bodyEnd >= f.span.end) return -1; // the end-group tag follows the body
    }
    p = f.span.end;
  }
  return p;
}

describe('decodeRaw', () => {
  it('reads scalars with spans in wire order', () => {
    const buf = bytes(
      0x08,
      0x96,
      0x01, // tag 1 VARINT, 150
      0x11,
      0x01,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00, // tag 2 I64, 1
      0x1d,
      0x00,
      0x00,
      0xc0,
      0x3f, // tag 3 I32, 1.5f
      0x22,
      0x02,
      0x68,
      0x69, // tag 4 LEN, length 2, "hi"
    );
    const r = decodeRaw(buf);
    expect(r.stoppedAt).toBeNull();
    expect(r.root.type).toBeNull();
    const f = r.root.fields;
    expect(f.map((n) => [n.fieldNumber, n.wireType])).toEqual([
      [1, 0],
      [2, 1],
      [3, 5],
      [4, 2],
    ]);
    expect(raw(f[0])).toBe(150n);
    expect(raw(f[1])).toBe(1n);
    expect(raw(f[2])).toBe(0x3fc00000);
    expect(raw(f[3])).toEqual(bytes(0x68, 0x69));
    expect(f[3].span).toEqual({ tagStart: 17, valueStart: 19, end: 21 });
    expect(f.every((n) => n.field === null && n.value.kind === 'unknown' && !n.modified)).toBe(true);
    expect(spansTile(f, 0, buf.length)).toBe(true);
  });

  it('nests groups and gives the group span past its end tag', () => {
    const buf = bytes(
      0x0b, // tag 1 SGROUP
      0x10,
      0x01, //   tag 2 VARINT, 1
      0x1b, //   tag 3 SGROUP
      0x1c, //   tag 3 EGROUP
      0x0c, // tag 1 EGROUP
      0x20,
      0x07, // tag 4 VARINT, 7
    );
    const r = decodeRaw(buf);
    expect(r.stoppedAt).toBeNull();
    const [g, four] = r.root.fields;
    expect(g.wireType).toBe(3);
    expect(g.span).toEqual({ tagStart: 0, valueStart: 1, end: 6 });
    const inner = raw(g) as FieldNode[];
    expect(inner.map((n) => n.fieldNumber)).toEqual([2, 3]);
    expect(inner[1].span).toEqual({ tagStart: 3, valueStart: 4, end: 5 });
    expect(raw(four)).toBe(7n);
    expect(readingsOf(g)[0].type).toBe('group');
    expect(spansTile(r.root.fields, 0, buf.length)).toBe(true);
  });

  it('keeps what parsed before a truncated field and says where it stopped', () => {
    const buf = bytes(
      0x08,
      0x01, // tag 1 VARINT, 1
      0x12,
      0x05,
      0x61,
      0x62, // tag 2 LEN, length 5, but only "ab" follows
    );
    const r = decodeRaw(buf);
    expect(r.root.fields).toHaveLength(1);
    expect(r.parsedEnd).toBe(2);
    expect(r.stoppedAt).toEqual({ offset: 3, reason: 'a length-delimited value of 5 bytes for field 2, but only 2 remain' });
  });

  it('stops on a truncated varint at the end of input', () => {
    const r = decodeRaw(bytes(0x08, 0x96)); // tag 1 VARINT, continuation bit set, nothing follows
    expect(r.root.fields).toHaveLength(0);
    expect(r.stoppedAt?.offset).toBe(2);
    expect(r.stoppedAt?.reason).toMatch(/rest of a varint that starts at byte 1/);
  });

  it('stops on wire types 6 and 7, naming the field', () => {
    const r6 = decodeRaw(bytes(0x08, 0x01, 0x0e)); // tag 1 VARINT 1; then field 1 wire type 6
    expect(r6.root.fields).toHaveLength(1);
    expect(r6.stoppedAt).toEqual({ offset: 2, reason: 'a tag with wire type 0..5 (found wire type 6, field 1)' });
    const r7 = decodeRaw(bytes(0x17)); // field 2, wire type 7
    expect(r7.stoppedAt?.reason).toMatch(/wire type 7, field 2/);
  });

  it('stops on field number 0, an unmatched end-group, and an unclosed group', () => {
    expect(decodeRaw(bytes(0x00)).stoppedAt?.reason).toMatch(/field number of at least 1/); // tag 0
    expect(decodeRaw(bytes(0x0c)).stoppedAt?.reason).toMatch(/outside any group/); // tag 1 EGROUP at top
    const open = decodeRaw(bytes(0x08, 0x01, 0x0b, 0x10, 0x01)); // 1: 1, group 1 { 2: 1 ... no end
    expect(open.root.fields).toHaveLength(1); // the partial group is dropped
    expect(open.parsedEnd).toBe(2);
    expect(open.stoppedAt).toEqual({ offset: 5, reason: 'an end-group tag for field 1 (group opened at byte 2)' });
    expect(decodeRaw(bytes(0x0b, 0x14)).stoppedAt?.reason).toMatch(/end-group tag for field 1 \(found one for field 2\)/); // group 1 closed by 2
  });

  it('applies depth and node limits', () => {
    const deep = new Uint8Array(2 * 5);
    deep.fill(0x0b, 0, 5); // five nested "tag 1 SGROUP"
    deep.fill(0x0c, 5); // five "tag 1 EGROUP"
    expect(decodeRaw(deep).stoppedAt).toBeNull();
    expect(decodeRaw(deep, { maxDepth: 4 }).stoppedAt).toEqual({ offset: 4, reason: 'groups nested at most 4 deep' });
    const many = bytes(0x08, 0x01, 0x08, 0x02, 0x08, 0x03); // three times tag 1 VARINT
    const r = decodeRaw(many, { maxNodes: 2 });
    expect(r.root.fields).toHaveLength(2);
    expect(r.stoppedAt?.reason).toMatch(/node limit/);
    expect(decodeRaw(many, { maxBytes: 4 }).stoppedAt?.offset).toBe(0);
  });

  it('offsets spans by baseOffset', () => {
    const r = decodeRaw(bytes(0x08, 0x01), { baseOffset: 100 }); // tag 1 VARINT, 1
    expect(r.root.fields[0].span).toEqual({ tagStart: 100, valueStart: 101, end: 102 });
    expect(r.parsedEnd).toBe(102);
  });

  it('accepts what protoc accepts: 10-byte varints with high bits, 5-byte tags, non-minimal varints', () => {
    const r = decodeRaw(
      bytes(
        0x08,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0x7f, // tag 1 VARINT, 10 bytes, bits above 64 dropped
        0xf8,
        0xff,
        0xff,
        0xff,
        0x1f,
        0x01, // tag 536870911 VARINT (5th byte carries extra bits), 1
        0x08,
        0x80,
        0x00, // tag 1 VARINT, 0 written in 2 bytes
      ),
    );
    expect(r.stoppedAt).toBeNull();
    expect(r.root.fields.map(raw)).toEqual([2n ** 64n - 1n, 1n, 0n]);
    expect(r.root.fields[1].fieldNumber).toBe(536870911);
    expect(decodeRaw(bytes(0x08, ...Array(10).fill(0x80), 0x00)).stoppedAt?.reason).toBe('a varint of at most 10 bytes'); // 11-byte varint
  });

  it("reads tags by protoc's two rules: 5 bytes at the top level, up to 10 in nested readings", () => {
    const sixByteTag = [0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01]; // tag 1 VARINT padded to 6 bytes, 1
    expect(decodeRaw(bytes(...sixByteTag)).stoppedAt).toEqual({ offset: 0, reason: 'a tag of at most 5 bytes' });
    expect(tryParseMessage(bytes(...sixByteTag))?.map(raw)).toEqual([1n]);
    const tenByteTag = [0x88, ...Array(8).fill(0x80), 0x00, 0x01]; // the same tag in 10 bytes
    expect(tryParseMessage(bytes(...tenByteTag))?.map(raw)).toEqual([1n]);
    expect(tryParseMessage(bytes(0x88, ...Array(9).fill(0x80), 0x00, 0x01))).toBeNull(); // 11 bytes
    expect(decodeRaw(bytes(0x88, 0x80), { baseOffset: 4 }).stoppedAt).toEqual({
      offset: 6,
      reason: 'the rest of a tag that starts at byte 4 (input ends)',
    });
  });

  it("reads lengths by protoc's two rules: 5 bytes below 2^31 at the top level, 32-bit truncation nested", () => {
    expect(decodeRaw(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x61)).stoppedAt?.reason).toBe(
      'a length prefix below 2^31 of at most 5 bytes (found 1)',
    ); // 1: LEN, length 1 padded to 6 bytes
    expect(decodeRaw(bytes(0x0a, 0x80, 0x80, 0x80, 0x80, 0x08)).stoppedAt?.reason).toBe(
      'a length prefix below 2^31 of at most 5 bytes (found 2147483648)',
    );
    expect(decodeRaw(bytes(0x0a, ...Array(10).fill(0x80), 0x00)).stoppedAt?.reason).toBe('a length prefix below 2^31 of at most 5 bytes'); // 11 bytes: no value
    expect(tryParseMessage(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x61))?.map(raw)).toEqual([bytes(0x61)]); // 2^32 + 1 read as 1
  });

  it('never throws on random bytes, and stops somewhere inside them', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let k = 0; k < 200; k++) {
      const buf = new Uint8Array(64).map(rnd);
      const r = decodeRaw(buf);
      if (r.stoppedAt) {
        expect(r.stoppedAt.offset).toBeGreaterThanOrEqual(r.parsedEnd);
        expect(r.stoppedAt.offset).toBeLessThanOrEqual(buf.length);
      }
      expect(spansTile(r.root.fields, 0, r.parsedEnd)).toBe(true);
      rawToText(r);
      JSON.stringify(rawToJson(r));
    }
  });
});

describe('properties', () => {
  it('decodeRaw never throws, and full decodes tile the input with their spans', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (buf) => {
        const r = decodeRaw(buf);
        expect(spansTile(r.root.fields, 0, r.parsedEnd)).toBe(true);
        if (r.stoppedAt === null) {
          expect(r.parsedEnd).toBe(buf.length);
          // concatenating the top-level spans reproduces the input
          const parts = r.root.fields.map((f) => buf.subarray(f.span!.tagStart, f.span!.end));
          const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let o = 0;
          for (const p of parts) {
            joined.set(p, o);
            o += p.length;
          }
          expect(joined).toEqual(buf);
        }
        for (const f of r.root.fields) readingsOf(f);
      }),
      { numRuns: 2000 },
    );
  });

  it('well-formed messages built from arbitrary fields decode fully', () => {
    const field = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 2 ** 29 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
        .map(([n, v]) => enc.varintField(n, v)),
      fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.uint8Array({ maxLength: 40 })).map(([n, b]) => enc.lenField(n, b)),
      fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.uint8Array({ minLength: 4, maxLength: 4 })).map(([n, b]) => [...enc.tag(n, 5), ...b]),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 20 }), (fields) => {
        const buf = new Uint8Array(fields.flat());
        const r = decodeRaw(buf);
        expect(r.stoppedAt).toBeNull();
        expect(r.root.fields).toHaveLength(fields.length);
      }),
    );
  });
});

/** Tiny encoders for building inputs in tests. */
const enc = {
  varint: varintBytes,
  tag(n: number, wt: number): number[] {
    return enc.varint(BigInt(n) * 8n + BigInt(wt));
  },
  varintField(n: number, v: bigint): number[] {
    return [...enc.tag(n, 0), ...enc.varint(v)];
  },
  lenField(n: number, b: Uint8Array | number[]): number[] {
    return [...enc.tag(n, 2), ...enc.varint(BigInt(b.length)), ...b];
  },
};
