import { describe, expect, it } from 'vitest';
import { rawMessageGenerator as generator } from '../../testing/raw-message-generator';
import { bytesToBase64 as toBase64 } from '../wire/base64';
import { decodeRaw } from './raw-decode';
import { rawToJson, writeRawJson } from './raw-json';
import { interpretLen } from './raw-readings';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('writeRawJson', () => {
  it('writes exactly JSON.stringify(rawToJson(r), null, 2) and a newline, in pieces', () => {
    const g = generator(11);
    const many = new Uint8Array(Array.from({ length: 400 }, () => [...g.message()]).flat()); // a few hundred top-level fields
    for (const input of [many, g.message(), new Uint8Array(0), bytes(0x08, 0x01, 0x0e) /* 1: 1, then wire type 6 */]) {
      const r = decodeRaw(input);
      const pieces: string[] = [];
      writeRawJson(r, (t) => pieces.push(t));
      expect(pieces.join(''), Buffer.from(input).toString('hex').slice(0, 40)).toBe(JSON.stringify(rawToJson(r), null, 2) + '\n');
      if (input === many) expect(pieces.length).toBeGreaterThan(1);
    }
  });
});

describe('rawToJson', () => {
  it('gives spans, values, ranked readings and the chosen nested message', () => {
    const buf = bytes(
      0x08,
      0x7f, // tag 1 VARINT, 127
      0x12,
      0x07, // tag 2 LEN, length 7: a nested message
      0x0a,
      0x05,
      0x41,
      0x6c,
      0x69,
      0x63,
      0x65, //   tag 1 LEN, length 5, "Alice"
      0x1d,
      0x00,
      0x00,
      0xc0,
      0x3f, // tag 3 I32, 1.5f
    );
    const j = rawToJson(decodeRaw(buf));
    expect(j).toMatchObject({ size: 16, complete: true, parsedEnd: 16, stoppedAt: null });
    expect(j.fields[0]).toMatchObject({ field: 1, wireType: 'varint', span: [0, 1, 2], value: '127', as: 'uint64' });
    expect(j.fields[1]).toMatchObject({ field: 2, wireType: 'len', span: [2, 4, 11], length: 7, as: 'message' });
    expect(j.fields[1].readings?.[0]).toEqual({ type: 'message', confidence: expect.any(Number) });
    expect(j.fields[1].message?.[0]).toMatchObject({
      field: 1,
      span: [4, 6, 11],
      as: 'string',
      value: toBase64(new TextEncoder().encode('Alice')),
    });
    expect(j.fields[1].message?.[0].readings?.[0]).toMatchObject({ type: 'string', value: 'Alice' });
    expect(j.fields[2]).toMatchObject({ field: 3, wireType: 'i32', value: 0x3fc00000, as: 'float' });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j); // JSON-safe: no bigint
  });

  it('gives alternatives of a LEN value by their counts, the same as their values would', () => {
    // The nested message's bytes (\n\x05Alice) are also valid UTF-8 and seven one-byte varints.
    const j = rawToJson(decodeRaw(bytes(0x12, 0x07, 0x0a, 0x05, 0x41, 0x6c, 0x69, 0x63, 0x65)));
    expect(j.fields[0].readings?.slice(1)).toEqual([
      expect.objectContaining({ type: 'string', count: 7 }),
      expect.objectContaining({ type: 'packed-varint', count: 7 }),
      expect.objectContaining({ type: 'bytes' }),
    ]);
    // A string's count is its UTF-16 length, known before (and equal to after) decoding it.
    for (const text of ['h€😀', 'plain', '', 'ü'.repeat(40), '𝄞x']) {
      const reading = interpretLen(new TextEncoder().encode(text)).find((r) => r.type === 'string');
      expect(reading?.type === 'string' && reading.length).toBe(text.length);
      expect(reading?.type === 'string' && reading.value).toBe(text);
      expect(reading?.type === 'string' && reading.length).toBe(text.length);
    }
  });

  it('reports where it stopped and can leave readings out', () => {
    const j = rawToJson(decodeRaw(bytes(0x08, 0x01, 0x0e)), { readings: false }); // 1: 1, then wire type 6
    expect(j.complete).toBe(false);
    expect(j.stoppedAt?.offset).toBe(2);
    expect(j.fields[0].readings).toBeUndefined();
  });

  it('writes non-finite floats and 64-bit values as strings', () => {
    const j = rawToJson(decodeRaw(bytes(0x0d, 0x00, 0x00, 0xc0, 0x7f))); // tag 1 I32, NaN as float
    expect(j.fields[0].readings?.find((r) => r.type === 'float')?.value).toBe('NaN');
  });

  it('encodes base64 like btoa', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const b = new Uint8Array(n).map((_, i) => (i * 37) & 255);
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
    }
  });
});
