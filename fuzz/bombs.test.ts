/**
 * Decompression and structure bombs against the core decoders: a million levels of nesting
 * (LEN chains and SGROUP chains), length prefixes of 2^32 and more, a million tiny fields,
 * inputs over the size limit, and streams of a million tiny messages. Each test asserts the
 * behaviour (a clean DecodeError naming the offset, a clean stop, a bounded result); none
 * asserts a time. Tests marked `it.fails` name a bug that is still open: they flip when fixed.
 */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../core/wire/decode-error';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { DEFAULT_DECODE_LIMITS } from '../core/document/model';
import { decodeRaw, DEFAULT_RAW_LIMITS, PROTOC_UNKNOWN_RECURSION_LIMIT, rawToJson, rawToText } from '../core/raw';
import { detectFraming, indexStream, messageAt } from '../core/stream/stream-framing';
import { rankTypes } from '../core/detect/detect-type';
import { fromJson, fromText, JsonFormatError, TextFormatError } from '../core/format';
import { tag, varint } from './wire-map';

// A recursive schema: a message chain (child = 1), a group chain (G = 3), packed numbers.
const BOMB_PROTO = `
syntax = "proto2";
package bomb;
message Node {
  optional Node child = 1;              // LEN, recursive
  optional int32 v = 2;                 // VARINT
  optional group G = 3 { optional Node node = 4; }  // SGROUP ... EGROUP
  repeated int32 nums = 5 [packed = true];
  optional bytes blob = 6;
  optional string text = 7;
}
`;
const Node = protobuf.parse(BOMB_PROTO).root.lookupType('bomb.Node');

const MILLION = 1_000_000;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const VARINT = 0;

/**
 * `depth` LEN fields (field `fn`), each wrapping the next, around `inner`; built back to front
 * in one buffer. Returns the bytes and the offset of each level's tag.
 */
function lenChain(depth: number, fn: number, inner: Uint8Array = new Uint8Array(0)): { bytes: Uint8Array; starts: Int32Array } {
  const t = tag(fn, LEN);
  const buf = new Uint8Array(inner.length + depth * (t.length + 5));
  let p = buf.length - inner.length;
  buf.set(inner, p);
  const startsFromEnd = new Int32Array(depth);
  for (let d = depth - 1; d >= 0; d--) {
    const len = varint(buf.length - p); // the length prefix: everything after it
    p -= len.length;
    buf.set(len, p);
    p -= t.length;
    buf.set(t, p);
    startsFromEnd[d] = p;
  }
  const starts = startsFromEnd.map((s) => s - p);
  return { bytes: buf.subarray(p), starts };
}

/** `depth` SGROUP tags of field `fn`, then `depth` EGROUP tags: groups nested `depth` deep. */
function groupChain(depth: number, fn: number): Uint8Array {
  const open = tag(fn, SGROUP);
  const close = tag(fn, EGROUP);
  const out = new Uint8Array(depth * (open.length + close.length));
  for (let i = 0; i < depth; i++) out.set(open, i * open.length);
  for (let i = 0; i < depth; i++) out.set(close, depth * open.length + i * close.length);
  return out;
}

/** n copies of `piece`. */
function repeat(piece: number[], n: number): Uint8Array {
  const out = new Uint8Array(piece.length * n);
  for (let i = 0; i < n; i++) out.set(piece, i * piece.length);
  return out;
}

/** Byte equality (vitest's deep equality is slow on megabyte arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as Error).message).toMatch(/^at byte \d+/);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError, but it decoded');
}

/** An input whose `length` claims `n` bytes without allocating them (decoders must check the size first). */
function claimedLength(n: number): Uint8Array {
  const small = new Uint8Array(16);
  Object.defineProperty(small, 'length', { value: n });
  Object.defineProperty(small, 'byteLength', { value: n });
  return small;
}

describe('nesting a million levels deep', () => {
  const depth = DEFAULT_DECODE_LIMITS.maxDepth;
  const chain = lenChain(MILLION, 1); // child { child { child { ... } } }, about 4.5 MB

  it('schema decode of a LEN chain (recursive type) stops with a DecodeError at the depth limit, naming the offset', () => {
    const e = decodeError(() => decodeMessage(chain.bytes, Node));
    expect(e.offset).toBe(chain.starts[depth]); // the tag of the first message past the limit
    expect(e.expected).toMatch(new RegExp(`nested at most ${depth} deep`));
    expect(e.path?.split('.').length).toBe(depth + 1);
  });

  it('tolerant decode of the LEN chain returns what parsed, with the error, and re-encodes byte-exact', () => {
    const root = decodeMessage(chain.bytes, Node, { partial: true });
    expect(root.error).toBeInstanceOf(DecodeError);
    expect(root.error!.offset).toBe(chain.starts[depth]);
    expect(sameBytes(encodeMessage(root, chain.bytes), chain.bytes)).toBe(true);
  });

  it('a lower depth limit is honoured', () => {
    const e = decodeError(() => decodeMessage(chain.bytes, Node, { limits: { maxDepth: 10 } }));
    expect(e.offset).toBe(chain.starts[10]);
  });

  it('raw decode of the LEN chain does not descend (one LEN field), and protoc-style text stops at its recursion limit', () => {
    const r = decodeRaw(chain.bytes);
    expect(r.stoppedAt).toBeNull();
    expect(r.root.fields).toHaveLength(1);
    expect(r.nodeCount).toBe(1);
    const smaller = lenChain(10_000, 1).bytes; // printing the whole 4.5 MB chain works too, but prints 14 MB
    const text = rawToText(decodeRaw(smaller));
    expect(text.split('\n').filter((l) => l.endsWith('{')).length).toBe(PROTOC_UNKNOWN_RECURSION_LIMIT);
  });

  it('detect and framing walk the LEN chain without a stack overflow', () => {
    expect(rankTypes(chain.bytes, [Node])[0].typeName).toBe('bomb.Node');
    expect(detectFraming(chain.bytes).framing).toBe('single');
  });

  const groups = groupChain(MILLION, 3); // G { #3 { #3 { ... } } }: 1-byte tags, 2 MB

  it('schema decode of an SGROUP chain stops with a DecodeError at the depth limit, naming the offset', () => {
    const e = decodeError(() => decodeMessage(groups, Node));
    expect(e.offset).toBe(depth); // one byte per SGROUP tag: the 101st group opens at byte 100
    expect(e.expected).toMatch(/nested at most 100 deep/);
  });

  it('tolerant decode of the SGROUP chain returns with the error set', () => {
    const root = decodeMessage(groups, Node, { partial: true });
    expect(root.error?.offset).toBe(depth);
    expect(sameBytes(encodeMessage(root, groups), groups)).toBe(true);
  });

  it('schema-less decodeMessage (type null) stops the same way', () => {
    expect(decodeError(() => decodeMessage(groups, null)).offset).toBe(depth);
  });

  it('raw decode of the SGROUP chain stops cleanly at the group depth limit (no stack overflow)', () => {
    const r = decodeRaw(groups);
    expect(r.stoppedAt).toEqual({ offset: DEFAULT_RAW_LIMITS.maxDepth, reason: expect.stringMatching(/groups nested at most 100 deep/) });
    expect(r.root.fields).toHaveLength(0);
    expect(rawToText(r)).toMatch(/parsing stopped at byte 100/);
  });

  it('detect and framing walk the SGROUP chain without a stack overflow', () => {
    expect(() => rankTypes(groups, [Node])).not.toThrow();
    expect(detectFraming(groups).framing).toBe('single');
  });

  it('JSON nested a million levels deep is rejected with a JsonFormatError naming line and column', () => {
    for (const open of ['[', '{"child":']) {
      let err: unknown;
      try {
        fromJson(open.repeat(MILLION), Node);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(JsonFormatError);
      expect((err as Error).message).toMatch(/line \d+, column \d+|nested/);
    }
  });

  // Was a bug when first run (core/format/text-parse.ts parseMessageBody): the text parser
  // recursed once per nested message with no depth limit, so deep input overflowed the stack.
  it('text nested a million levels deep is a TextFormatError, not a stack overflow', () => {
    let err: unknown;
    try {
      fromText('child { '.repeat(MILLION), Node);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextFormatError);
  });

  // Was a bug when first run (core/raw/raw-json.ts fieldsJson): rawToJson re-interpreted every
  // level of a nested LEN chain with readings of everything inside it, so its output grew as
  // depth x size (300 bytes of JSON per input byte here). Now bounded: keep it that way.
  it('rawToJson output stays proportional to the input on a nested LEN chain (2,000 levels, 6 KB in)', () => {
    const small = lenChain(2000, 1);
    const json = JSON.stringify(rawToJson(decodeRaw(small.bytes)));
    expect(json.length).toBeLessThan(small.bytes.length * 20);
  });
});

describe('length prefixes of 2^32 and beyond', () => {
  for (const n of [2n ** 31n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 64n - 1n]) {
    const bytes = Uint8Array.from([...tag(7, LEN), ...varint(n), 0x61, 0x62]); // string text = 7, claims n bytes, has 2

    it(`schema decode: a string claiming ${n} bytes is a DecodeError at the length prefix (byte 1)`, () => {
      const e = decodeError(() => decodeMessage(bytes, Node));
      expect(e.offset).toBe(1);
      expect(e.expected).toMatch(new RegExp(`${n} bytes`));
    });

    it(`raw decode: a LEN claiming ${n} bytes stops at byte 1`, () => {
      const r = decodeRaw(bytes);
      expect(r.stoppedAt?.offset).toBe(1);
      expect(r.root.fields).toHaveLength(0);
    });
  }

  it('the same inside a nested message, a packed run and an unknown field: the offset is the prefix', () => {
    const inner = [...tag(5, LEN), ...varint(2n ** 32n), 1, 2, 3]; // nums = 5 (packed) claims 2^32 bytes
    const bytes = Uint8Array.from([...tag(1, LEN), ...varint(inner.length), ...inner]);
    expect(decodeError(() => decodeMessage(bytes, Node)).offset).toBe(3);
    const unknown = Uint8Array.from([...tag(99, LEN), ...varint(2n ** 32n), 1]);
    expect(decodeError(() => decodeMessage(unknown, Node)).offset).toBe(2);
  });

  it('a delimited stream whose length prefix is 2^32 indexes what precedes it and reports the offset', () => {
    const bytes = Uint8Array.from([2, 0x10, 1, ...varint(2n ** 32n), 0x10, 1]);
    const ix = indexStream(bytes, 'delimited');
    expect(ix.count).toBe(1);
    expect(ix.error?.offset).toBe(3);
  });

  it('a gRPC frame header claiming 0xffffffff bytes indexes nothing and reports offset 0', () => {
    const bytes = Uint8Array.from([0, 0xff, 0xff, 0xff, 0xff, 0x10, 1]);
    const ix = indexStream(bytes, 'grpc');
    expect(ix.count).toBe(0);
    expect(ix.error?.offset).toBe(0);
  });
});

describe('a million tiny fields', () => {
  const fields = repeat([...tag(2, VARINT), 1], MILLION); // v = 2: 1, a million times (2 MB)

  it('decodes within the default node limit, one node per field, and re-encodes byte-exact', () => {
    const root = decodeMessage(fields, Node);
    expect(root.fields).toHaveLength(MILLION);
    expect(root.fields[MILLION - 1].span).toEqual({ tagStart: 2 * MILLION - 2, valueStart: 2 * MILLION - 1, end: 2 * MILLION });
    expect(sameBytes(encodeMessage(root, fields), fields)).toBe(true);
  });

  it('a lower node limit gives a clean DecodeError at the first field past it', () => {
    const e = decodeError(() => decodeMessage(fields, Node, { limits: { maxNodes: 1000 } }));
    expect(e.offset).toBe(2000); // field 1001 starts at byte 2000
    expect(e.expected).toMatch(/at most 1000 nodes/);
  });

  it('a packed run of a million values counts against the node limit', () => {
    const run = repeat([1], MILLION);
    const bytes = Uint8Array.from([...tag(5, LEN), ...varint(MILLION), ...run]);
    expect(decodeMessage(bytes, Node).fields[0].value).toMatchObject({ kind: 'packed' });
    const e = decodeError(() => decodeMessage(bytes, Node, { limits: { maxNodes: 1000 } }));
    expect(e.offset).toBe(0);
  });

  it('raw decode: a million nodes by default, a clean stop at a lower node limit', () => {
    expect(decodeRaw(fields).nodeCount).toBe(MILLION);
    const r = decodeRaw(fields, { maxNodes: 1000 });
    expect(r.nodeCount).toBe(1000);
    expect(r.stoppedAt).toEqual({ offset: 2000, reason: expect.stringMatching(/1000 nodes/) });
  });
});

describe('inputs over the size limit', () => {
  it(`an input longer than DEFAULT_DECODE_LIMITS.maxBytes (${DEFAULT_DECODE_LIMITS.maxBytes}) is refused before it is read`, () => {
    const huge = claimedLength(DEFAULT_DECODE_LIMITS.maxBytes + 1);
    const e = decodeError(() => decodeMessage(huge, Node));
    expect(e.expected).toMatch(/at most \d+ bytes/);
    expect(e.offset).toBe(DEFAULT_DECODE_LIMITS.maxBytes);
  });

  it('a 1 GB input with limits.maxBytes below it gets a clean "too large" DecodeError (nothing allocated)', () => {
    const gb = claimedLength(2 ** 30);
    const e = decodeError(() => decodeMessage(gb, Node, { limits: { maxBytes: 256 * 2 ** 20 } }));
    expect(e.expected).toMatch(/at most 268435456 bytes.*1073741824/);
  });

  it('raw decode refuses an input over maxBytes at offset 0 without reading it', () => {
    const r = decodeRaw(claimedLength(2 ** 30), { maxBytes: 2 ** 20 });
    expect(r.stoppedAt).toEqual({ offset: 0, reason: expect.stringMatching(/at most 1048576 bytes/) });
    expect(decodeRaw(claimedLength(DEFAULT_RAW_LIMITS.maxBytes + 1)).stoppedAt?.offset).toBe(0);
  });

  it('a real 1 MB input over a 64 KB limit is refused the same way', () => {
    const bytes = repeat([...tag(2, VARINT), 1], 2 ** 19);
    const e = decodeError(() => decodeMessage(bytes, Node, { limits: { maxBytes: 65536 } }));
    expect(e.offset).toBe(65536);
  });
});

describe('streams of many tiny messages', () => {
  it('a delimited stream of a million 2-byte messages is indexed in typed arrays (no per-message objects)', () => {
    const stream = repeat([2, ...tag(2, VARINT), 1], MILLION); // 3 MB
    const d = detectFraming(stream);
    expect(d).toMatchObject({ framing: 'delimited', messageCount: MILLION });
    const ix = indexStream(stream, 'delimited');
    expect(ix.count).toBe(MILLION);
    expect(ix.error).toBeNull();
    expect(ix.offsets).toBeInstanceOf(Uint32Array);
    expect(ix.lengths).toBeInstanceOf(Uint32Array);
    expect(ix.offsets.length).toBe(MILLION);
    expect(messageAt(ix, MILLION - 1)).toEqual(Uint8Array.of(0x10, 1));
    expect(messageAt(ix, 0).buffer).toBe(stream.buffer); // a view, not a copy
  });

  it('a gRPC body of a million tiny frames is indexed in typed arrays, flags included', () => {
    const body = repeat([0, 0, 0, 0, 2, ...tag(2, VARINT), 1], MILLION); // 7 MB
    const ix = indexStream(body, 'grpc');
    expect(ix.count).toBe(MILLION);
    expect(ix.flags).toBeInstanceOf(Uint8Array);
    expect(ix.offsets).toBeInstanceOf(Uint32Array);
    expect(detectFraming(body)).toMatchObject({ framing: 'grpc', messageCount: MILLION });
  });

  it('maxMessages bounds the index and says where it stopped', () => {
    const stream = repeat([2, ...tag(2, VARINT), 1], 10_000);
    const ix = indexStream(stream, 'delimited', { maxMessages: 100 });
    expect(ix.count).toBe(100);
    expect(ix.error?.offset).toBe(300);
  });
});
