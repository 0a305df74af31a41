import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { decodeRaw, interpretLen } from './raw-decode';
import { cEscape } from '../format/text-escape';
import { bytesToBase64 as toBase64 } from '../wire/base64';
import { rawTextOf, rawToJson, rawToText, writeRawJson, writeRawText } from './raw-format';
import { PROTOC } from '../../testing/protoc';

const bytes = (...b: number[]) => new Uint8Array(b);

/** Runs `protoc --decode_raw`; null when protoc fails to parse. */
function protocDecodeRaw(input: Uint8Array): string | null {
  const r = spawnSync(PROTOC, ['--decode_raw'], { input });
  return r.status === 0 ? r.stdout.toString('latin1') : null;
}

/** A seeded generator of well-formed (and sometimes nested) messages. */
function generator(seed: number) {
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const int = (n: number) => Math.floor(rnd() * n);
  const varint = (v: bigint): number[] => {
    const out: number[] = [];
    while (v > 0x7fn) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return out;
  };
  const tag = (n: number, wt: number) => varint(BigInt(n) * 8n + BigInt(wt));
  const fieldNo = () => (rnd() < 0.8 ? 1 + int(20) : 1 + int(2 ** 29 - 1));
  const message = (depth: number): number[] => {
    const out: number[] = [];
    const count = int(6);
    for (let i = 0; i < count; i++) {
      const n = fieldNo();
      const k = int(depth < 12 ? 7 : 5);
      if (k === 0)
        out.push(...tag(n, 0), ...varint(rnd() < 0.5 ? BigInt(int(300)) : BigInt.asUintN(64, BigInt(Math.floor(rnd() * 2 ** 53)) * 4099n)));
      else if (k === 1) out.push(...tag(n, 1), ...Array.from({ length: 8 }, () => int(256)));
      else if (k === 2) out.push(...tag(n, 5), ...Array.from({ length: 4 }, () => int(256)));
      else if (k === 3) {
        // a string, sometimes with escapes and non-ASCII
        const s = Array.from({ length: int(12) }, () => (rnd() < 0.8 ? 0x20 + int(95) : int(256)));
        out.push(...tag(n, 2), ...varint(BigInt(s.length)), ...s);
      } else if (k === 4)
        out.push(...tag(n, 2), 0); // empty LEN
      else if (k === 5) {
        const m = message(depth + 1);
        out.push(...tag(n, 2), ...varint(BigInt(m.length)), ...m);
      } else out.push(...tag(n, 3), ...message(depth + 1), ...tag(n, 4));
    }
    return out;
  };
  return { message: () => new Uint8Array(message(0)), garbage: (n: number) => new Uint8Array(Array.from({ length: n }, () => int(256))) };
}

describe('rawToText', () => {
  it('prints protoc --decode_raw layout', () => {
    const buf = bytes(
      0x08,
      0x96,
      0x01, // tag 1 VARINT, 150
      0x12,
      0x04, // tag 2 LEN, length 4: a nested message
      0x0a,
      0x02,
      0x68,
      0x69, //   tag 1 LEN, length 2, "hi" (protoc shows it as a message: 13: 105)
      0x1a,
      0x03,
      0x27,
      0x0a,
      0xff, // tag 3 LEN, length 3: ' \n 0xff (not a message: an escaped string)
      0x25,
      0x01,
      0x02,
      0x03,
      0x04, // tag 4 I32
      0x29,
      0x01,
      0x02,
      0x03,
      0x04,
      0x05,
      0x06,
      0x07,
      0x08, // tag 5 I64
      0x33,
      0x38,
      0x01,
      0x34, // tag 6 SGROUP { tag 7 VARINT 1 } tag 6 EGROUP
    );
    const text = rawToText(decodeRaw(buf));
    expect(text).toBe(
      [
        '1: 150',
        '2 {',
        '  1 {',
        '    13: 105',
        '  }',
        '}',
        '3: "\\\'\\n\\377"',
        '4: 0x04030201',
        '5: 0x0807060504030201',
        '6 {',
        '  7: 1',
        '}',
        '',
      ].join('\n'),
    );
    // 'best' mode shows the most plausible reading instead
    expect(rawToText(decodeRaw(buf), { mode: 'best' })).toContain('  1: "hi"');
  });

  it('adds a line saying where parsing stopped (protoc just fails)', () => {
    const buf = bytes(
      0x08,
      0x01, // tag 1 VARINT, 1
      0x0f, // field 1, wire type 7
    );
    expect(rawToText(decodeRaw(buf))).toBe(
      '1: 1\n# parsing stopped at byte 2: expected a tag with wire type 0..5 (found wire type 7, field 1); bytes 2..3 not shown\n',
    );
  });

  it('escapes like protoc CEscape', () => {
    expect(cEscape(bytes(0x61, 0x22, 0x5c, 0x0d, 0x09, 0x00, 0x7f, 0xc3, 0xa9))).toBe('a\\"\\\\\\r\\t\\000\\177\\303\\251');
  });

  it('matches protoc --decode_raw on hand-made inputs', () => {
    const deepLen = (n: number): number[] => (n === 0 ? [0x08, 0x01] : ((m) => [0x0a, m.length, ...m])(deepLen(n - 1)));
    const deepGroup = (n: number): number[] => (n === 0 ? [0x08, 0x01] : [0x0b, ...deepGroup(n - 1), 0x0c]);
    const cases: number[][] = [
      [0x08, 0x96, 0x01, 0x12, 0x03, 0x61, 0x62, 0x63, 0x1a, 0x00], // 1: 150, 2: "abc", 3: ""
      [0x12, 0x02, 0x68, 0x69], // 2 { 13: 105 }
      [0x12, 0x04, 0x08, 0x01, 0x0c, 0x00], // 2: a LEN with a stray end-group: a string for protoc
      [0x13, 0x1b, 0x1c, 0x14], // group 2 { group 3 { } }
      [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 1: max uint64
      [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01], // largest field number
      deepLen(14), // nested LEN messages deeper than protoc's limit of 10
      [0x12, 24, ...deepGroup(11)], // groups inside a LEN deeper than its budget
      deepGroup(100), // 100 nested groups: protoc's limit
      [0x12, 0x07, 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01], // 2: LEN { a 6-byte tag for field 1 VARINT, 1 }: nested parsing allows 10-byte tags
      [0x12, 0x07, 0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x61], // 2: LEN { tag 1 LEN, length 2^32 + 1 truncated to 1 by nested parsing, "a" }
    ];
    for (const c of cases) {
      const input = new Uint8Array(c);
      expect(rawToText(decodeRaw(input)), `input ${Buffer.from(input).toString('hex')}`).toBe(protocDecodeRaw(input));
      expect(rawTextOf(input)).toBe(rawToText(decodeRaw(input)));
    }
    expect(protocDecodeRaw(new Uint8Array([0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01]))).toBeNull(); // a 6-byte tag at top level
    expect(decodeRaw(new Uint8Array([0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01])).stoppedAt?.reason).toBe('a tag of at most 5 bytes');
    expect(protocDecodeRaw(new Uint8Array(deepGroup(101)))).toBeNull();
    expect(decodeRaw(new Uint8Array(deepGroup(101))).stoppedAt?.reason).toBe('groups nested at most 100 deep');
  });

  it('matches protoc --decode_raw on generated messages, and fails where it fails on garbage', () => {
    const g = generator(20261122);
    const inputs: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) inputs.push(g.message());
    for (let i = 0; i < 40; i++) inputs.push(g.garbage(1 + (i % 12)));
    let agreedOk = 0;
    for (const input of inputs) {
      const expected = protocDecodeRaw(input);
      const r = decodeRaw(input);
      const hex = Buffer.from(input).toString('hex');
      expect(rawTextOf(input), hex).toBe(rawToText(r)); // the fast path agrees, garbage included
      if (expected === null) {
        expect(r.stoppedAt, `protoc fails on ${hex}`).not.toBeNull();
      } else {
        expect(r.stoppedAt, `protoc accepts ${hex}`).toBeNull();
        expect(rawToText(r), hex).toBe(expected);
        agreedOk++;
      }
    }
    expect(agreedOk).toBeGreaterThanOrEqual(40);
  });
});

describe('writeRawText', () => {
  const g = generator(7);
  const allBytes = Array.from({ length: 256 }, (_, i) => i); // every escape: none, \n-style, \ooo
  const inputs = [
    ...Array.from({ length: 12 }, () => g.message()),
    new Uint8Array([0x0a, 0x80, 0x04, ...allBytes, ...allBytes]), // tag 1 LEN, length 512: a string
    // tag 2 VARINT with values at the edges of the decimal printer's ranges (rawToText prints them with BigInt)
    new Uint8Array(
      [
        0n,
        9n,
        10n,
        99_999_999n,
        100_000_000n,
        2n ** 31n,
        2n ** 32n - 1n,
        2n ** 53n - 1n,
        2n ** 53n,
        10n ** 16n - 1n,
        2n ** 64n - 1n,
      ].flatMap((v) => [0x10, ...varint(v)]),
    ),
    bytes(0x08, 0x96, 0x01, 0x0f, 0xff), // 1: 150, then wire type 7: stops at byte 3
  ];
  const latin1 = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');
  function varint(v: bigint): number[] {
    const out: number[] = [];
    for (; v > 0x7fn; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
    return [...out, Number(v)];
  }

  it('writes exactly the text of rawToText, whatever the chunk size, each chunk handed over once', () => {
    for (const input of inputs) {
      const expected = rawToText(decodeRaw(input));
      for (const chunkBytes of [1, 3, 64, 100, 1 << 16]) {
        const chunks: Uint8Array[] = [];
        const copies: Uint8Array[] = [];
        const stop = writeRawText(
          input,
          (c) => {
            chunks.push(c);
            copies.push(c.slice());
          },
          { chunkBytes },
        );
        const where = `input ${Buffer.from(input).toString('hex').slice(0, 40)}, chunks of ${chunkBytes}`;
        expect(latin1(chunks), where).toBe(expected);
        expect(stop, where).toEqual(decodeRaw(input).stoppedAt);
        expect(
          chunks.every((c) => c.length > 0),
          where,
        ).toBe(true);
        expect(latin1(copies), `${where}: a chunk was written to after it was handed over`).toBe(expected);
        // Lines of these inputs (stop line aside) fit in 100 bytes; a string longer than that is split.
        if (chunkBytes >= 100 && !stop) expect(Math.max(...chunks.map((c) => c.length)), where).toBeLessThanOrEqual(chunkBytes);
      }
    }
  });

  it('refuses a chunk size that is not a whole number of at least 1', () => {
    for (const chunkBytes of [0, -1, 1.5, Number.NaN])
      expect(() => writeRawText(inputs[0], () => {}, { chunkBytes })).toThrow(/chunkBytes must be a whole number of at least 1/);
  });

  it('splits one long string over many chunks', () => {
    const chunks: Uint8Array[] = [];
    writeRawText(inputs[12], (c) => chunks.push(c), { chunkBytes: 100 }); // the 512-byte string
    expect(chunks.length).toBeGreaterThan(10); // 512 bytes escape to 1,406
    expect(latin1(chunks)).toBe(`1: "${cEscape(new Uint8Array([...allBytes, ...allBytes]))}"\n`);
  });
});

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
