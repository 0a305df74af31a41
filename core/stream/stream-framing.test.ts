import { describe, expect, it } from 'vitest';
import { detectAndIndex, detectFraming, indexStream, looksLikeMessage, messageAt } from './stream-framing';

const bytes = (...b: number[]) => new Uint8Array(b);
const concat = (...parts: (Uint8Array | number[])[]) => new Uint8Array(parts.flatMap((p) => Array.from(p)));

/** A varint length prefix. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const delimited = (...msgs: Uint8Array[]) => concat(...msgs.flatMap((m) => [varint(m.length), m]));
const grpcFrame = (m: Uint8Array, flag = 0) =>
  concat([flag, (m.length >>> 24) & 255, (m.length >>> 16) & 255, (m.length >>> 8) & 255, m.length & 255], m);

/** Element-wise equality of two number arrays (toEqual on 100,000-element typed arrays takes seconds). */
function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const msgA = bytes(0x08, 0x96, 0x01); // tag 1 VARINT, 150
const msgB = bytes(0x12, 0x03, 0x61, 0x62, 0x63); // tag 2 LEN, length 3, "abc"
const msgC = bytes(0x0a, 0x02, 0x08, 0x01, 0x18, 0x05); // tag 1 LEN { tag 1 VARINT 1 }, tag 3 VARINT 5

describe('detectFraming', () => {
  it('detects a varint length-delimited stream', () => {
    const d = detectFraming(delimited(msgA, msgB, msgC));
    expect(d).toMatchObject({ framing: 'delimited', messageCount: 3 });
    expect(d.confidence).toBeGreaterThan(0.7);
  });

  it('detects gRPC frames, including a compressed one, even a single frame', () => {
    expect(detectFraming(concat(grpcFrame(msgA), grpcFrame(msgB), grpcFrame(bytes(0x1f, 0x8b, 0x08), 1)))).toMatchObject({
      framing: 'grpc',
      messageCount: 3,
    });
    // one frame: a protobuf message can never start with 0x00 (field number 0)
    expect(detectFraming(grpcFrame(msgC))).toMatchObject({ framing: 'grpc', messageCount: 1 });
  });

  it('prefers gRPC when 5-byte headers chain exactly even if varint lengths chain too', () => {
    // As delimited: 0x00 = empty message (x3), 0x00, 0x03 = 3-byte message; also chains. gRPC must win.
    const buf = grpcFrame(msgA); // 00 00 00 00 03 | 08 96 01
    expect(detectFraming(buf).framing).toBe('grpc');
  });

  it('keeps a single message whose first byte looks like a length', () => {
    // 0x0a = 10 as a length, but the rest is not 10 + more chaining chunks
    const single = bytes(
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
    expect(detectFraming(single)).toMatchObject({ framing: 'single', messageCount: 1 });
    expect(detectFraming(msgA).framing).toBe('single'); // 0x08 would need 8 bytes after it
  });

  it('does not call a message delimited when its chunks do not parse as protobuf', () => {
    // tag 1 VARINT 3, then tag 1 VARINT 0: chains as delimited [01 03] [00]? 0x08 = length 8: no. Build one that chains:
    // 0x02 | 0x01 0x00 | 0x01 | 0x07 : length 2 {01 00}, length 1 {07}: chunks start with field 0 / wire type 7.
    const buf = bytes(0x02, 0x01, 0x00, 0x01, 0x07);
    expect(detectFraming(buf).framing).toBe('single');
  });

  it('needs more than one delimited message, and not only empty ones', () => {
    expect(detectFraming(delimited(msgB)).framing).toBe('single'); // 0x05 prefix + 5 bytes: one chunk
    expect(detectFraming(bytes(0x00, 0x00, 0x00)).framing).toBe('single'); // three empty messages: not convincing
  });

  it('samples chunk validation on large inputs', () => {
    const msgs = Array.from({ length: 2000 }, (_, i) => (i % 2 ? msgA : msgC));
    const buf = delimited(...msgs);
    expect(detectFraming(buf, { validateAllBelow: 100, sampleSize: 16 })).toMatchObject({ framing: 'delimited', messageCount: 2000 });
  });

  it('handles empty input', () => {
    expect(detectFraming(new Uint8Array(0)).framing).toBe('single');
  });
});

describe('indexStream', () => {
  it('indexes delimited messages with views', () => {
    const buf = delimited(msgA, msgB, new Uint8Array(0), msgC);
    const idx = indexStream(buf, 'delimited');
    expect(idx.count).toBe(4);
    expect(idx.error).toBeNull();
    expect(Array.from(idx.offsets)).toEqual([1, 5, 11, 12]);
    expect(Array.from(idx.lengths)).toEqual([3, 5, 0, 6]);
    expect(messageAt(idx, 1)).toEqual(msgB);
    expect(messageAt(idx, 1).buffer).toBe(buf.buffer); // a view, no copy
    expect(() => messageAt(idx, 4)).toThrow(RangeError);
  });

  it('indexes gRPC frames with their compressed flags', () => {
    const idx = indexStream(concat(grpcFrame(msgA), grpcFrame(msgB, 1)), 'grpc');
    expect(idx.count).toBe(2);
    expect(Array.from(idx.flags!)).toEqual([0, 1]);
    expect(messageAt(idx, 0)).toEqual(msgA);
    expect(messageAt(idx, 1)).toEqual(msgB);
  });

  it('keeps what it indexed when the framing breaks mid-file', () => {
    const buf = concat(delimited(msgA, msgB), [0x09, 0x01, 0x02]); // length 9, but only 2 bytes follow
    const idx = indexStream(buf, 'delimited');
    expect(idx.count).toBe(2);
    expect(idx.error).toEqual({ offset: 10, reason: 'a message of 9 bytes after the length prefix at byte 10, but only 2 remain' });
    const g = indexStream(concat(grpcFrame(msgA), [0x02, 0, 0, 0, 1, 0x08]), 'grpc'); // flag 2 is not valid
    expect(g.count).toBe(1);
    expect(g.error).toEqual({ offset: 8, reason: 'a gRPC compressed flag of 0 or 1 (found 2)' });
    const t = indexStream(concat(grpcFrame(msgA), [0x00, 0x00]), 'grpc'); // truncated header
    expect(t.error?.reason).toBe('a 5-byte gRPC frame header (only 2 bytes remain)');
    const v = indexStream(concat(delimited(msgA), [0x80]), 'delimited'); // truncated varint prefix
    expect(v.count).toBe(1);
    expect(v.error?.offset).toBe(5);
  });

  it('indexes a single message as one entry', () => {
    const idx = indexStream(msgC, 'single');
    expect(idx.count).toBe(1);
    expect(messageAt(idx, 0)).toEqual(msgC);
  });

  it('stops at maxMessages and says so', () => {
    const idx = indexStream(delimited(msgA, msgB, msgC), 'delimited', { maxMessages: 2 });
    expect(idx.count).toBe(2);
    expect(idx.error?.reason).toMatch(/at most 2 messages/);
  });

  it('indexes 100k delimited messages', () => {
    const n = 100_000;
    const one = [0x08, 0x00, 0x12, 0x03, 0x61, 0x62, 0x63]; // tag 1 VARINT (patched below), tag 2 LEN "abc"
    const buf = new Uint8Array(n * (one.length + 1));
    for (let i = 0, p = 0; i < n; i++) {
      buf[p++] = one.length;
      buf.set(one, p);
      buf[p + 1] = i & 0x7f; // field 1 value varies
      p += one.length;
    }
    const d = detectFraming(buf);
    expect(d).toMatchObject({ framing: 'delimited', messageCount: n });
    const idx = indexStream(buf, 'delimited');
    expect(idx.count).toBe(n);
    expect(idx.offsets.length).toBe(n); // trimmed to the count
    expect(messageAt(idx, 99_999)[1]).toBe(99_999 & 0x7f);
    // Told how many to expect (exactly, too few, too many, absurdly many): the same index.
    for (const expectedCount of [n, 10, n + 5, 2 ** 40]) {
      const told = indexStream(buf, 'delimited', { expectedCount });
      expect(told.count).toBe(n);
      expect(sameNumbers(told.offsets, idx.offsets)).toBe(true);
      expect(sameNumbers(told.lengths, idx.lengths)).toBe(true);
    }
    // A stream broken after 3 messages, expecting 5: 3 indexed and the break named.
    const broken = indexStream(buf.subarray(0, 3 * (one.length + 1) + 2), 'delimited', { expectedCount: 5 });
    expect(broken.count).toBe(3);
    expect(broken.offsets.length).toBe(3);
    expect(broken.error?.reason).toMatch(/a message of 7 bytes after the length prefix at byte 24, but only 1 remain/);
  });
});

describe('detectAndIndex', () => {
  it('gives what detectFraming and then indexStream give, in one walk', () => {
    // 40,000 small messages: over validateAllBelow with a small bound, so chunks are sampled from the recorded index.
    const many = delimited(...Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? msgA : i % 3 === 1 ? msgB : msgC)));
    const inputs: [string, Uint8Array][] = [
      ['delimited', delimited(msgA, msgB, msgC)],
      ['grpc with a compressed frame', concat(grpcFrame(msgA), grpcFrame(msgB, 1), grpcFrame(msgC))],
      ['single', msgC],
      ['delimited, broken at the end', concat(delimited(msgA, msgB), [0x09, 0x08])],
      ['empty', new Uint8Array(0)],
      ['many', many],
    ];
    for (const [name, input] of inputs) {
      for (const options of [{}, { validateAllBelow: 1024, sampleSize: 7 }]) {
        const { detection, index } = detectAndIndex(input, options);
        const d = detectFraming(input, options);
        expect(detection, name).toEqual(d);
        const separate = indexStream(input, d.framing);
        expect({ ...index, bytes: null }, name).toEqual({ ...separate, bytes: null });
        expect(index.bytes).toBe(input);
      }
    }
    expect(detectAndIndex(many).index.count).toBe(40_000);
    expect(detectAndIndex(concat(grpcFrame(msgA), grpcFrame(msgB, 1))).index.flags).toEqual(new Uint8Array([0, 1]));
  });

  it('without the whole-file check of a single message, still chooses every framing the same way', () => {
    const inputs: Uint8Array[] = [
      delimited(msgA, msgB, msgC),
      concat(grpcFrame(msgA), grpcFrame(msgB, 1)),
      msgC,
      msgA,
      delimited(msgB), // one chunk that also parses as one message: the check decides here, so it still runs
      bytes(0x00, 0x00, 0x00),
      concat(delimited(msgA, msgB), [0x09, 0x08]),
      bytes(0x12, 0x09, 0x61), // parses neither way
      new Uint8Array(0),
    ];
    for (const input of inputs) {
      const checked = detectAndIndex(input);
      const unchecked = detectAndIndex(input, { checkSingle: false });
      expect(unchecked.detection.framing).toBe(checked.detection.framing);
      expect(unchecked.detection.messageCount).toBe(checked.detection.messageCount);
      expect({ ...unchecked.index, bytes: null }).toEqual({ ...checked.index, bytes: null });
    }
    // Only how sure the fallback is differs: it is not claimed to parse.
    expect(detectAndIndex(bytes(0x12, 0x09, 0x61), { checkSingle: false }).detection).toMatchObject({ framing: 'single', confidence: 0.5 });
    expect(detectAndIndex(msgA, { checkSingle: false }).detection.reason).toMatch(/not checked/);
  });

  it('judges a sample by the same chunks either way: a broken sampled chunk makes the file single', () => {
    const msgs = Array.from({ length: 100 }, () => msgB);
    msgs[50] = bytes(0x12, 0x09, 0x61); // a LEN field longer than its chunk: does not parse
    const input = delimited(...msgs);
    const options = { validateAllBelow: 10, sampleSize: 2 }; // stride 50: chunks 0, 50 and 99 are checked
    expect(detectFraming(input, options).framing).toBe('single');
    expect(detectAndIndex(input, options).detection.framing).toBe('single');
    expect(detectAndIndex(input, options).index.count).toBe(1);
  });
});

describe('looksLikeMessage', () => {
  it('accepts well-formed bytes and rejects malformed ones', () => {
    expect(looksLikeMessage(msgC, 0, msgC.length)).toBe(true);
    expect(looksLikeMessage(bytes(0x0b, 0x0c), 0, 2)).toBe(true); // group 1 { }
    expect(looksLikeMessage(bytes(0x0b, 0x14), 0, 2)).toBe(false); // group 1 closed by field 2
    expect(looksLikeMessage(bytes(0x12, 0x05, 0x61), 0, 3)).toBe(false); // LEN past the end
    expect(looksLikeMessage(bytes(0x0e), 0, 1)).toBe(false); // wire type 6
  });
});
