import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import { protocSchema } from '../../testing/protoc';
import { corpusMessages, sampleMessages } from '../../testing/sample-messages';
import { P2_CASES, P3_CASES, TEXT_FORMAT_FILES } from '../../testing/text-format-fixtures';
import { decodeMessage } from '../document/decode';
import { applyEdit } from '../document/edits';
import { loadSchemaSources, type SchemaRegistry } from '../schema/registry';
import { ByteSink } from '../wire/byte-sink';
import { WireType } from '../wire/wire-types';
import { WireWriter } from '../wire/wire-writer';
import { formatDoubleProtoc, formatFloatProtoc } from './float-format';
import { formatDoubleText, formatFloatText } from './text-fast-values';
import { TextFormatError } from './text-format-error';
import { toText } from './text-print';
import { TextWriter, writeText } from './text-print-fast';

const protoc = protocSchema(TEXT_FORMAT_FILES);
const fixtures = loadSchemaSources(Object.entries(TEXT_FORMAT_FILES).map(([name, contents]) => ({ name, contents })));

/** What writeText prints (or the message of what it throws), collected through a small flush size. */
function fast(bytes: Uint8Array, typeName: string, registry: SchemaRegistry, indent = 2): string {
  const chunks: Uint8Array[] = [];
  const sink = new ByteSink((c) => chunks.push(c.slice()), 64, 16);
  try {
    const root = decodeMessage(bytes, registry.findMessage(typeName)!, { resolveType: (n) => registry.findMessage(n), transient: true });
    writeText(root, sink, { indent });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  sink.flush();
  return Buffer.concat(chunks).toString('latin1');
}

/** What toText prints (or the message of what it throws). */
function reference(bytes: Uint8Array, typeName: string, registry: SchemaRegistry, indent = 2): string {
  try {
    return toText(decodeMessage(bytes, registry.findMessage(typeName)!, { resolveType: (n) => registry.findMessage(n) }), { indent });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function expectSame(bytes: Uint8Array, typeName: string, registry: SchemaRegistry): void {
  for (const indent of [2, 0, 3]) {
    expect(fast(bytes, typeName, registry, indent), `${typeName}, indent ${indent}: ${hex(bytes)}`).toBe(
      reference(bytes, typeName, registry, indent),
    );
  }
}

/** writeText's output compared with toText's and with protoc --decode's. */
function expectSameAsProtoc(typeName: string, bytes: Uint8Array): void {
  const printed = fast(bytes, typeName, fixtures);
  expect(printed).toBe(protoc.decode(typeName, bytes));
  expect(printed).toBe(reference(bytes, typeName, fixtures));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** A length-delimited field `fn` holding `body`. */
function len(fn: number, body: Uint8Array): Uint8Array {
  return new WireWriter().tag(fn, WireType.LEN).lengthDelimited(body).finish();
}

describe('writeText prints what protoc --decode (and toText) prints', () => {
  it.each(P2_CASES)('proto2: %s', (text) => expectSameAsProtoc('t2.All', protoc.encode('t2.All', text)));
  it.each(P3_CASES)('proto3: %s', (text) => expectSameAsProtoc('t3.Msg', protoc.encode('t3.Msg', text)));

  it('prints unknown fields after known ones in wire order: varints, fixed, groups, nested messages, strings', () => {
    const w = new WireWriter();
    w.tag(1000, 0).uvarint(5);
    w.tag(5, 0).int32(-3); // i32: -3
    w.tag(1001, 5).fixed32(0x7b);
    w.tag(1002, 1).fixed64(0xfffffffffffffff7n);
    w.tag(1003, 2).lengthDelimited(new Uint8Array([0x08, 0x96, 0x01])); // parses as { 1: 150 }
    w.tag(1004, 2).lengthDelimited(new Uint8Array([0x0c])); // an end-group tag: a string
    w.tag(1005, 2).lengthDelimited(new Uint8Array([])); // empty: ""
    w.tag(1006, 3)
      .tag(1, 0)
      .uvarint(1)
      .tag(2, 2)
      .lengthDelimited(new Uint8Array([0x08, 0x01]))
      .tag(1006, 4); // group { 1: 1 2 { 1: 1 } }
    w.tag(1007, 2).lengthDelimited(new Uint8Array([0x0b, 0x0c])); // holds an empty group
    w.tag(1008, 2).lengthDelimited(new Uint8Array([0x08, ...Array(9).fill(0xff), 0x7f])); // a 10-byte varint with extra high bits
    w.tag(1009, 2).lengthDelimited(new Uint8Array([0x0e, 0x00])); // wire type 6: a string
    w.tag(1010, 3).tag(1010, 4); // an empty group
    w.tag(5, 1).fixed64(7n); // i32 sent as fixed64: unknown
    w.tag(14, 0).uvarint(1); // string s sent as varint: unknown
    w.tag(17, 0).varint64(2n ** 64n - 1n); // message sub sent as varint: unknown
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('expands unknown length-delimited fields at most 10 levels deep', () => {
    let inner: Uint8Array = new Uint8Array([0x08, 0x01]);
    for (let i = 0; i < 12; i++) inner = len(1, inner);
    expectSameAsProtoc('t2.All', concat([len(999, inner), len(17, len(999, inner))]));
  });

  it('keeps the last value of a singular field, merges messages and groups, keeps the last oneof member', () => {
    const w = new WireWriter();
    w.tag(5, 0).uvarint(1).tag(5, 0).uvarint(2); // i32: 2 wins
    w.tag(17, 2).lengthDelimited(new WireWriter().tag(1, 0).uvarint(9).tag(3, 0).uvarint(1).finish());
    w.tag(17, 2).lengthDelimited(new WireWriter().tag(3, 0).uvarint(2).finish()); // sub merges: { a: 9 r: 1 r: 2 }
    w.tag(28, 2).lengthDelimited(utf8('y')).tag(27, 0).uvarint(4); // os, then oi clears it
    w.tag(20, 3).tag(1, 0).uvarint(1).tag(20, 4);
    w.tag(20, 3).tag(2, 2).lengthDelimited(utf8('z')).tag(20, 4); // G merges
    w.tag(22, 2).lengthDelimited(concat([new WireWriter().tag(1, 0).uvarint(3).finish(), len(2, new Uint8Array([0x08, 0x01]))]));
    const bytes = w.finish();
    expectSameAsProtoc('t2.All', bytes);
    // Nested one level down, the merge happens inside the fast output.
    expectSameAsProtoc(
      't2.All',
      len(25, concat([bytes.subarray(0, 2), len(4, new Uint8Array([0x08, 1])), len(4, new Uint8Array([0x18, 2]))])),
    );
  });

  it('moves closed-enum numbers the enum does not define to the unknown fields (singular, repeated, packed, map values)', () => {
    const w = new WireWriter();
    w.tag(16, 0).uvarint(7); // c = 7: unknown
    w.tag(26, 0).uvarint(1).tag(26, 0).uvarint(9); // rc: GREEN, then 9 unknown
    w.tag(16, 0).int32(-1); // c = -1: unknown, printed as a uint64
    w.tag(16, 0).uvarint(4294967295); // c = -1 in 5 bytes: its int32 value is kept, printed as the same uint64
    w.tag(16, 0).uvarint(2); // c: BLUE
    expectSameAsProtoc('t2.All', w.finish());
    const packed = new WireWriter()
      .tag(26, 2)
      .lengthDelimited(new Uint8Array([0x02, 0x05, 0x00]))
      .finish(); // rc [BLUE, 5, RED]
    expectSameAsProtoc('t2.All', packed);
    const map = concat([len(32, new Uint8Array([0x08, 0x01, 0x10, 0x07])), len(32, new Uint8Array([0x10, 0x01, 0x08, 0x02]))]);
    expectSameAsProtoc('t2.All', map);
  });

  it('prints open-enum numbers the enum does not define as numbers, and proto3 zeros only when negative zero', () => {
    const w = new WireWriter();
    w.tag(7, 0).uvarint(42); // mood = 42
    w.tag(19, 2).lengthDelimited(new Uint8Array([0x01, 0x63])); // moods [HAPPY, 99]
    w.tag(4, 1).double(-0); // d: -0 prints
    w.tag(5, 5).float(0); // f: 0 does not
    w.tag(1, 0).uvarint(0).tag(2, 2).lengthDelimited(new Uint8Array(0)); // i: 0 and s: "" do not
    w.tag(13, 0).uvarint(0); // opt: 0 prints (explicit presence)
    expectSameAsProtoc('t3.Msg', w.finish());
  });

  it('prints map entries sorted by key (stable for equal keys), missing keys and values as defaults', () => {
    const entry = (k: string, v: number) => concat([len(1, utf8(k)), new WireWriter().tag(2, 0).uvarint(v).finish()]);
    const keys = ['b', 'b', 'a', '', 'é', '\u{10000}', '\uffff', 'ab', 'a\u0000'];
    const bytes = concat([
      ...keys.map((k, i) => len(21, entry(k, i))),
      len(21, new Uint8Array(0)), // key "" value 0
      len(22, new Uint8Array([0x08, 0x05])), // mis { key: 5 } value {}
      len(22, new Uint8Array([0x08, 0x7f])),
      len(22, new Uint8Array([0x08, 0x01, 0x12, 0x02, 0x08, 0x01])),
      len(31, new Uint8Array([0x08, 0x01])), // mbs { key: true } value ""
      len(31, new Uint8Array([0x12, 0x01, 0x78])), // key false
      len(32, new Uint8Array([0x08, 0x03])), // muc { key: 3 } value RED (the enum's zero)
      len(32, new Uint8Array([0x10, 0x02])), // muc { value: BLUE } key 0
    ]);
    expectSameAsProtoc('t2.All', bytes);
  });

  it('drops unknown fields inside a map entry and keeps its last key and value', () => {
    const bytes = concat([
      len(21, new Uint8Array([0x18, 0x03, 0x0a, 0x01, 0x61, 0x10, 0x01, 0x0a, 0x01, 0x62, 0x10, 0x02])), // { 3: 3 key: "a" value: 1 key: "b" value: 2 }
      len(21, new Uint8Array([0x08, 0x05, 0x0a, 0x01, 0x63])), // key sent as a varint (dropped), then key "c"
    ]);
    expectSameAsProtoc('t2.All', bytes);
  });

  it('prints fields of the largest numbers: maps, repeated, unknown', () => {
    const files = {
      'big.proto': `syntax = "proto3"; package big;
message M { map<string, int32> m = 536870911; repeated sint64 r = 536870910; int32 small = 1; }`,
    };
    const big = protocSchema(files);
    const registry = loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })));
    const known = big.encode('big.M', 'm { key: "b" value: 2 } m { key: "a" value: 1 } r: [-1, 5] small: 3');
    const bytes = concat([known, new WireWriter().tag(536870909, WireType.VARINT).uvarint(7).finish()]);
    expect(fast(bytes, 'big.M', registry)).toBe(big.decode('big.M', bytes));
    expectSame(bytes, 'big.M', registry);
  });

  it('prints random doubles and floats as protoc does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { minLength: 30, maxLength: 30 }),
        fc.array(fc.float(), { minLength: 30, maxLength: 30 }),
        (ds, fs) => {
          const w = new WireWriter();
          for (const d of ds) w.tag(23, 1).double(d);
          w.tag(24, 2).lengthDelimited(fs.reduce((r, f) => r.float(f), new WireWriter()).finish()); // packed
          expectSameAsProtoc('t2.All', w.finish().slice());
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('float formatting without BigInt arithmetic', () => {
  const doubles = [
    0.1,
    4.2,
    1e21,
    1e-5,
    1e-4,
    123456789012345,
    1234567890123456,
    1234567890123456.25,
    2 ** 53,
    1e15,
    1e14,
    0.30000000000000004,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    5e-324,
    1.7976931348623157e308,
    100,
    1.5,
    9.999999999999999e22,
  ];
  const floats = [0.1, 4.2, 123456.5, 1234567.5, 16777216, 1e-38, 1.1754943508222875e-38, 3.4028234663852886e38, 0.5, 1e-5, 33554436];

  it('is what formatDoubleProtoc prints, for chosen and random doubles', () => {
    for (const d of doubles) for (const v of [d, -d]) expect(formatDoubleText(v), String(v)).toBe(formatDoubleProtoc(v));
    fc.assert(
      fc.property(fc.double(), (v) => formatDoubleText(v) === formatDoubleProtoc(v)),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -30, max: 30 }), (m, e) => {
        const v = m * 10 ** e;
        return formatDoubleText(v) === formatDoubleProtoc(v);
      }),
      { numRuns: 20000 },
    );
  });

  it('is what formatDoubleProtoc prints for doubles halfway between two 17-digit decimals', () => {
    // Near 2^50 doubles step by 0.25: x.25 and x.75 have 18 digits ending in 5 (ties at 17 digits).
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (k) => {
        const v = 2 ** 50 + k * 0.25;
        return formatDoubleText(v) === formatDoubleProtoc(v) && formatDoubleText(-v) === formatDoubleProtoc(-v);
      }),
      { numRuns: 5000 },
    );
  });

  it('is what formatFloatProtoc prints, for chosen and random floats (ties at 6 and 9 digits included)', () => {
    for (const f of floats)
      for (const v of [Math.fround(f), -Math.fround(f)]) expect(formatFloatText(v), String(v)).toBe(formatFloatProtoc(v));
    fc.assert(
      fc.property(fc.float(), (v) => formatFloatText(v) === formatFloatProtoc(v)),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 24), max: 2 ** 24 }), fc.integer({ min: -8, max: 8 }), (m, e) => {
        const v = Math.fround(m * 2 ** e);
        return formatFloatText(v) === formatFloatProtoc(v);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('writeText prints what toText prints, byte for byte', () => {
  let bundled: SchemaRegistry;
  const messages = sampleMessages();
  beforeAll(async () => {
    bundled = await loadSchemas({ bundled: true });
  });

  it('for every sample message', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const m of messages) expectSame(m.bytes, m.type, bundled);
  });

  it('for the fuzz corpus (inputs that once broke a decoder or printer)', () => {
    const corpus = corpusMessages((name) => !!bundled.findMessage(name));
    expect(corpus.length).toBeGreaterThan(5);
    for (const m of corpus) expectSame(m.bytes, m.type, bundled);
  });

  it('for a MessageSet, alone and inside a message (printed through toText)', () => {
    const files = {
      'ms.proto': `syntax = "proto2"; package ms;
message Set { option message_set_wire_format = true; extensions 4 to max; }
message Ext1 { extend Set { optional Ext1 ext1 = 100; } optional int32 a = 1; }
message Holder { optional Set set = 1; repeated Set sets = 2; optional int32 n = 3; }`,
    };
    const registry = loadSchemaSources(Object.entries(files).map(([name, contents]) => ({ name, contents })));
    const ms = protocSchema(files);
    const set = ms.encode('ms.Set', '[ms.Ext1] { a: 5 }');
    expectSame(set, 'ms.Set', registry);
    const holder = ms.encode('ms.Holder', 'set { [ms.Ext1] { a: 5 } } sets { } sets { [ms.Ext1] { a: 6 } } n: 1');
    expectSame(holder, 'ms.Holder', registry);
    expect(fast(holder, 'ms.Holder', registry)).toBe(ms.decode('ms.Holder', holder));
  });

  it('prints an edited tree (no checked bytes behind it) and a schema-less one through toText', () => {
    const type = fixtures.findMessage('t2.All')!;
    const bytes = protoc.encode('t2.All', 'i32: 5 s: "x"');
    const edited = applyEdit(decodeMessage(bytes, type), { op: 'set-value', path: [0], value: 6 });
    const sink = new ByteSink();
    writeText(edited, sink);
    expect(new TextDecoder().decode(sink.view())).toBe('i32: 6\ns: "x"\n');
    sink.pos = 0;
    writeText(decodeMessage(bytes, null), sink);
    expect(new TextDecoder().decode(sink.view())).toBe(protoc.decodeRaw(bytes));
  });

  it('writes a stream through one TextWriter as message by message', () => {
    const sink = new ByteSink();
    const writer = new TextWriter(sink);
    const want: string[] = [];
    for (const m of messages) {
      const ref = reference(m.bytes, m.type, bundled);
      if (ref.startsWith('error:')) continue; // a sample that does not decode (bad input on purpose)
      writer.write(decodeMessage(m.bytes, bundled.findMessage(m.type)!, { transient: true }));
      want.push(ref);
    }
    expect(want.length).toBeGreaterThan(20);
    expect(new TextDecoder().decode(sink.view())).toBe(want.join(''));
  });
});

describe('writeText of a message nested deeper than the stack allows', () => {
  it('prints what toText prints, or fails as toText fails, leaving nothing in the sink', () => {
    const Sub = fixtures.findMessage('t2.Sub')!;
    const depth = 100_000;
    // child { child { ... } }: tag 4 LEN and a length per level, built inside out.
    const lens: number[] = [];
    for (let d = 0, n = 0; d < depth; d++, n += 1 + new WireWriter().uvarint(n).finish().length) lens.push(n);
    const w = new WireWriter();
    for (let d = depth - 1; d >= 0; d--) w.tag(4, WireType.LEN).uvarint(lens[d]);
    const root = decodeMessage(w.finish(), Sub, { limits: { maxDepth: 10_000_000 } });
    const sink = new ByteSink();
    sink.ascii('before\n');
    expect(() => writeText(root, sink)).toThrow(TextFormatError);
    expect(() => writeText(root, sink)).toThrow(/the message nests too deep to print/);
    expect(new TextDecoder().decode(sink.view())).toBe('before\n');
    // Through a sink that hands out chunks as it goes, the error is still toText's.
    const chunked = new ByteSink(() => {}, 64, 64);
    expect(() => writeText(root, chunked)).toThrow(/the message nests too deep to print \(the call stack ran out at this output line\)/);
  });
});
