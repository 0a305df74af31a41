import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PROTOC } from '../../testing/protoc';
import { rawMessageGenerator as generator } from '../../testing/raw-message-generator';
import { cEscape } from '../format/text-escape';
import { decodeRaw } from './raw-decode';
import { rawTextOf, rawToText, writeRawText } from './raw-text';

const bytes = (...b: number[]) => new Uint8Array(b);

/** Runs `protoc --decode_raw`; null when protoc fails to parse. */
function protocDecodeRaw(input: Uint8Array): string | null {
  const r = spawnSync(PROTOC, ['--decode_raw'], { input });
  return r.status === 0 ? r.stdout.toString('latin1') : null;
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

  it('with reuseChunks, writes the same text through one buffer, each chunk valid while write runs', () => {
    for (const input of inputs) {
      const expected = rawToText(decodeRaw(input));
      for (const chunkBytes of [1, 64, 1 << 16]) {
        const copies: Uint8Array[] = [];
        const buffers = new Set<ArrayBufferLike>();
        const stop = writeRawText(
          input,
          (c) => {
            copies.push(c.slice());
            buffers.add(c.buffer);
          },
          { chunkBytes, reuseChunks: true },
        );
        const where = `input ${Buffer.from(input).toString('hex').slice(0, 40)}, chunks of ${chunkBytes}`;
        expect(latin1(copies), where).toBe(expected);
        if (chunkBytes >= 100 && !stop) expect(buffers.size, where).toBeLessThanOrEqual(2); // the small first chunk, then one buffer: every line fits
      }
    }
  });

  it('refuses a chunk size that is not a whole number of at least 1', () => {
    for (const chunkBytes of [0, -1, 1.5, Number.NaN])
      expect(() => writeRawText(inputs[0], () => {}, { chunkBytes })).toThrow(/chunkBytes must be a whole number of at least 1/);
  });

  it('prints every 64-bit varint as its unsigned decimal, at 2^53 and above too', () => {
    let seed = 12345;
    const next32 = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const values = [2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 10n ** 19n, 10n ** 19n - 1n];
    for (let i = 0; i < 2000; i++) values.push((BigInt(next32()) << 32n) | BigInt(next32()));
    const input = new Uint8Array(values.flatMap((v) => [0x08, ...varint(v)]));
    expect(rawTextOf(input)).toBe(values.map((v) => `1: ${v}\n`).join(''));
  });

  it('splits one long string over many chunks', () => {
    const chunks: Uint8Array[] = [];
    writeRawText(inputs[12], (c) => chunks.push(c), { chunkBytes: 100 }); // the 512-byte string
    expect(chunks.length).toBeGreaterThan(10); // 512 bytes escape to 1,406
    expect(latin1(chunks)).toBe(`1: "${cEscape(new Uint8Array([...allBytes, ...allBytes]))}"\n`);
  });
});
