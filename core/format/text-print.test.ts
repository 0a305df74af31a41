import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { P2_CASES, P3_CASES, TEXT_FORMAT_FILES } from '../../testing/text-format-fixtures';
import { decodeMessage } from '../document/decode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { TextFormatError } from './text-format-error';
import { toText } from './text-print';

const schema = protocSchema(TEXT_FORMAT_FILES);
const registry = loadSchemaSources(Object.entries(TEXT_FORMAT_FILES).map(([name, contents]) => ({ name, contents })));
const All = registry.findMessage('t2.All')!;
const Msg = registry.findMessage('t3.Msg')!;
const Sub = registry.findMessage('t2.Sub')!;

/** protoc --decode and our toText on the same bytes. */
function both(typeName: string, bytes: Uint8Array): { ours: string; protoc: string } {
  const type = registry.findMessage(typeName)!;
  return { ours: toText(decodeMessage(bytes, type)), protoc: schema.decode(typeName, bytes) };
}

function expectSameAsProtoc(typeName: string, bytes: Uint8Array): void {
  const { ours, protoc } = both(typeName, bytes);
  expect(ours).toBe(protoc);
}

describe('toText matches protoc --decode', () => {
  it.each(P2_CASES)('proto2: %s', (text) => expectSameAsProtoc('t2.All', schema.encode('t2.All', text)));
  it.each(P3_CASES)('proto3: %s', (text) => expectSameAsProtoc('t3.Msg', schema.encode('t3.Msg', text)));

  it('prints unknown fields after known ones, in wire order', () => {
    const w = new WireWriter();
    w.tag(1000, 0).uvarint(5); // unknown 1000: varint 5
    w.tag(5, 0).int32(-3); // int32 i32 = 5: -3
    w.tag(1001, 5).fixed32(0x7b); // unknown 1001: fixed32 0x7b
    w.tag(1002, 1).fixed64(0xfffffffffffffff7n); // unknown 1002: fixed64
    w.tag(1003, 2).lengthDelimited(new Uint8Array([0x08, 0x96, 0x01])); // unknown 1003: LEN that parses as { 1: 150 }
    w.tag(1004, 2).lengthDelimited(new Uint8Array([0x0c])); // unknown 1004: LEN "\014" (an end-group tag: not a message)
    w.tag(1005, 2).lengthDelimited(new Uint8Array([])); // unknown 1005: empty LEN prints as ""
    w.tag(1006, 3).tag(1, 0).uvarint(1).tag(1006, 4); // unknown group 1006 { 1: 1 }
    w.tag(1007, 2).lengthDelimited(new Uint8Array([0x00, 0x00])); // unknown 1007: field number 0 inside: a string
    w.tag(1008, 2).lengthDelimited(new Uint8Array([0x0b, 0x0c])); // unknown 1008: LEN holding an empty group
    w.tag(1009, 2).lengthDelimited(new Uint8Array([0x08, ...Array(9).fill(0xff), 0x7f])); // 10-byte varint with extra high bits
    w.tag(1010, 2).lengthDelimited(new Uint8Array([0xf8, 0xff, 0xff, 0xff, 0x7f, 0x00])); // 5-byte tag whose top bits overflow 32 bits
    w.tag(1011, 2).lengthDelimited(new Uint8Array([0x0e, 0x00])); // wire type 6: a string
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('prints a wire-type mismatch as an unknown field', () => {
    const w = new WireWriter();
    w.tag(5, 1).fixed64(7n); // i32 = 5 sent as fixed64: unknown
    w.tag(14, 0).uvarint(1); // string s = 14 sent as varint: unknown
    w.tag(17, 0).uvarint(3); // message sub = 17 sent as varint: unknown
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('keeps the last value of a singular field, merges messages, keeps the last oneof member', () => {
    const w = new WireWriter();
    w.tag(5, 0).uvarint(1); // i32 = 1
    w.tag(5, 0).uvarint(2); // i32 = 2 (wins)
    w.tag(17, 2).lengthDelimited(new WireWriter().tag(1, 0).uvarint(9).tag(3, 0).uvarint(1).finish()); // sub { a: 9 r: 1 }
    w.tag(17, 2).lengthDelimited(
      new WireWriter()
        .tag(2, 2)
        .lengthDelimited(new Uint8Array([0x78]))
        .tag(3, 0)
        .uvarint(2)
        .finish(),
    ); // sub { s: "x" r: 2 }
    w.tag(28, 2).lengthDelimited(new Uint8Array([0x79])); // os = "y"
    w.tag(27, 0).uvarint(4); // oi = 4 (clears os)
    w.tag(20, 3).tag(1, 0).uvarint(1).tag(20, 4); // G { ga: 1 }
    w.tag(20, 3)
      .tag(2, 2)
      .lengthDelimited(new Uint8Array([0x7a]))
      .tag(20, 4); // G { gs: "z" } merges
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('moves closed-enum values outside the enum to unknown fields', () => {
    const w = new WireWriter();
    w.tag(16, 0).uvarint(7); // c = 7: not a Color, unknown
    w.tag(26, 0).uvarint(1); // rc: GREEN
    w.tag(26, 0).uvarint(9); // rc = 9: unknown
    w.tag(26, 2).lengthDelimited(new Uint8Array([0x02, 0x05, 0x00])); // rc packed [BLUE, 5, RED]: 5 unknown
    w.tag(16, 0).int32(-1); // c = -1: unknown, printed as a uint64
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('prints open-enum values outside the enum as numbers', () => {
    const w = new WireWriter();
    w.tag(7, 0).uvarint(42); // mood = 42
    w.tag(19, 2).lengthDelimited(new Uint8Array([0x01, 0x63])); // moods [HAPPY, 99]
    expectSameAsProtoc('t3.Msg', w.finish());
  });

  it('prints map entries sorted by key, duplicates included, missing key and value as defaults', () => {
    const w = new WireWriter();
    const entry = (k: string, v: number) =>
      new WireWriter().tag(1, 2).lengthDelimited(new TextEncoder().encode(k)).tag(2, 0).uvarint(v).finish();
    w.tag(21, 2).lengthDelimited(entry('b', 1)); // msi { "b": 1 }
    w.tag(21, 2).lengthDelimited(entry('b', 2)); // msi { "b": 2 } (same key again)
    w.tag(21, 2).lengthDelimited(entry('a', 3)); // msi { "a": 3 }
    w.tag(21, 2).lengthDelimited(new Uint8Array([])); // msi {} : key "" value 0
    w.tag(22, 2).lengthDelimited(new Uint8Array([0x08, 0x05])); // mis { key: 5 } : value {}
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('drops unknown fields inside a map entry and prints an entry holding an undefined closed-enum value as an unknown field (protoc 36)', () => {
    const w = new WireWriter();
    w.tag(32, 2).lengthDelimited(new Uint8Array([0x08, 0x01, 0x10, 0x07])); // muc { key: 1, value: 7 (not a Color) }
    w.tag(32, 2).lengthDelimited(new Uint8Array([0x10, 0x01, 0x08, 0x02])); // muc { value: GREEN, key: 2 } (value first)
    w.tag(21, 2).lengthDelimited(new Uint8Array([0x18, 0x03, 0x0a, 0x01, 0x61])); // msi { 3: 3 (unknown), key: "a" }
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('prints such an entry as protoc 36 parsed it: its last key (the default when absent), then its last value', () => {
    const entry = (...bytes: number[]) => new WireWriter().tag(32, 2).lengthDelimited(new Uint8Array(bytes)).finish();
    const cases = [
      entry(0x10, 0x07), // muc { value: 7 }: no key
      entry(0x08, 0x01, 0x08, 0x02, 0x10, 0x07, 0x10, 0x09), // muc { key: 1, key: 2, value: 7, value: 9 }
      entry(0x08, 0x01, 0x18, 0x05, 0x10, 0x09), // muc { key: 1, 3: 5 (unknown), value: 9 }
      entry(0x08, 0x01, 0x10, 0x01, 0x10, 0x09), // muc { key: 1, value: GREEN, value: 9 }: the last value counts
      entry(0x10, 0x09, 0x08, 0x03), // muc { value: 9, key: 3 }: value first
    ];
    for (const bytes of cases) expectSameAsProtoc('t2.All', bytes);
    // Not the entry's own bytes: a key of 0 that was absent is written out.
    expect(both('t2.All', cases[0]).ours).toBe('32 {\n  1: 0\n  2: 7\n}\n');
  });

  it('expands unknown length-delimited fields at most 10 levels deep', () => {
    let inner: Uint8Array = new Uint8Array([0x08, 0x01]); // 1: 1
    for (let i = 0; i < 12; i++) inner = new WireWriter().tag(1, 2).lengthDelimited(inner).finish(); // 1 { ... }
    const w = new WireWriter().tag(999, 2).lengthDelimited(inner); // unknown 999
    expectSameAsProtoc('t2.All', w.finish());
  });

  it('prints random doubles and floats as protoc does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { minLength: 50, maxLength: 50 }),
        fc.array(fc.float(), { minLength: 50, maxLength: 50 }),
        (ds, fs) => {
          const w = new WireWriter();
          for (const d of ds) w.tag(23, 1).double(d); // repeated double rd = 23
          for (const f of fs) w.tag(24, 5).float(f); // repeated float rf = 24
          expectSameAsProtoc('t2.All', w.finish().slice());
        },
      ),
      { numRuns: 20 },
    );
  });

  it('matches protoc on random wire data', () => {
    // Random fields: known numbers with matching or mismatched wire types, and unknown numbers.
    const numbers = [1, 2, 3, 5, 7, 8, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 31, 32, 34, 100, 101, 102, 103, 500];
    const leaf = fc.oneof(
      fc.record({ n: fc.constantFrom(...numbers), wt: fc.constant(0 as const), v: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      fc.record({ n: fc.constantFrom(...numbers), wt: fc.constant(0 as const), v: fc.bigInt({ min: 0n, max: 3n }) }),
      fc.record({ n: fc.constantFrom(...numbers), wt: fc.constant(1 as const), v: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      fc.record({ n: fc.constantFrom(...numbers), wt: fc.constant(5 as const), v: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      fc.record({ n: fc.constantFrom(...numbers), wt: fc.constant(2 as const), v: fc.uint8Array({ maxLength: 6 }) }),
      fc.record({
        n: fc.constantFrom(...numbers),
        wt: fc.constant(2 as const),
        v: fc.string({ maxLength: 5 }).map((s) => new TextEncoder().encode(s)),
      }),
    );
    type F = { n: number; wt: 0 | 1 | 2 | 5; v: bigint | number | Uint8Array } | { n: number; wt: 'msg'; v: F[] };
    const { tree } = fc.letrec<{ tree: F[]; field: F }>((tie) => ({
      tree: fc.array(tie('field'), { maxLength: 6 }),
      field: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf as fc.Arbitrary<F>,
        fc.record({ n: fc.constantFrom(17, 22, 25, 29, 102, 600), wt: fc.constant('msg' as const), v: tie('tree') as fc.Arbitrary<F[]> }),
      ),
    }));
    const write = (fields: F[]): Uint8Array => {
      const w = new WireWriter();
      for (const f of fields) {
        if (f.wt === 'msg') w.tag(f.n, 2).lengthDelimited(write(f.v));
        else if (f.wt === 0) w.tag(f.n, 0).varint64(f.v as bigint);
        else if (f.wt === 1) w.tag(f.n, 1).fixed64(f.v as bigint);
        else if (f.wt === 5) w.tag(f.n, 5).fixed32(f.v as number);
        else w.tag(f.n, 2).lengthDelimited(f.v as Uint8Array);
      }
      return w.finish().slice();
    };
    let compared = 0;
    fc.assert(
      fc.property(tree, (fields) => {
        const bytes = write(fields);
        let expected: string;
        try {
          expected = schema.decode('t2.All', bytes);
        } catch {
          return; // protoc refuses these bytes (for example a nested message that does not parse)
        }
        let root;
        try {
          root = decodeMessage(bytes, All);
        } catch {
          return;
        }
        compared++;
        expect(toText(root)).toBe(expected);
      }),
      { numRuns: 150 },
    );
    expect(compared).toBeGreaterThan(30);
  });

  it('matches protoc on concatenated messages (merging, last value wins, oneofs, repeated map keys)', () => {
    const int = fc.integer({ min: -2147483648, max: 2147483647 });
    const str = fc.string({ maxLength: 4 }).map((x) => JSON.stringify(x).replace(/\\u[0-9a-f]{4}/g, ''));
    const snippet = fc.oneof(
      int.map((n) => `i32: ${n}`),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => `i64: ${n}`),
      fc
        .double()
        .map((d) => `d: ${Number.isNaN(d) ? 'nan' : d === Infinity ? 'inf' : d === -Infinity ? '-inf' : Object.is(d, -0) ? '-0' : d}`),
      str.map((x) => `s: ${x}`),
      fc.constantFrom('RED', 'GREEN', 'BLUE').map((c) => `c: ${c}`),
      fc
        .tuple(fc.option(int), fc.option(str))
        .map(([a, x]) => `sub { ${a !== null ? `a: ${a}` : ''} ${x !== null ? `s: ${x}` : ''} r: 1 }`),
      int.map((n) => `sub { child { a: ${n} } }`),
      int.map((n) => `pi: ${n} ri: ${n}`),
      fc.tuple(fc.option(int), fc.option(str)).map(([a, x]) => `G { ${a !== null ? `ga: ${a}` : ''} ${x !== null ? `gs: ${x}` : ''} }`),
      fc.tuple(str, int).map(([k, v]) => `msi { key: ${k} value: ${v} }`),
      fc.tuple(int, fc.option(int)).map(([k, a]) => `mis { key: ${k} value { ${a !== null ? `a: ${a}` : ''} } }`),
      int.map((n) => `oi: ${n}`),
      str.map((x) => `os: ${x}`),
      int.map((n) => `osub { a: ${n} }`),
      int.map((n) => `[t2.ext_i]: ${n} [t2.ext_sub] { r: ${n} }`),
      fc.constantFrom('rc: RED', 'rc: BLUE', 'al: ALSO_FIRST', 'b: true', 'b: false', 'with_default: 42', 'RG { x: 1 }', 'rsub { }'),
    );
    // One message: distinct singular fields (protoc refuses repeats within one text message), one oneof member.
    const message = fc.array(snippet, { maxLength: 5 }).map((parts) => {
      const seen = new Set<string>();
      return parts
        .filter((p) => {
          const key = /^(oi|os|osub)\b/.test(p) ? 'oneof' : (/^\[?[\w.]+\]?/.exec(p)?.[0] ?? p);
          if (/^(pi|rc|RG|rsub|msi|mis)\b/.test(p)) return true;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .join(' ');
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 2, maxLength: 3 }), (texts) => {
        const parts = texts.map((t) => schema.encode('t2.All', t));
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) {
          bytes.set(p, o);
          o += p.length;
        }
        expectSameAsProtoc('t2.All', bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('prints a message decoded without a schema as protoc --decode_raw does', () => {
    const w = new WireWriter();
    w.tag(1, 0).uvarint(150); // 1: 150
    w.tag(2, 2).lengthDelimited(new TextEncoder().encode('héllo')); // 2: "h\303\251llo"
    w.tag(3, 2).lengthDelimited(new WireWriter().tag(1, 5).fixed32(1).tag(2, 1).fixed64(2n).finish()); // 3 { 1: 0x00000001 2: 0x0000000000000002 }
    w.tag(4, 3).tag(1, 0).uvarint(1).tag(4, 4); // group 4 { 1: 1 }
    w.tag(1, 0).uvarint(7); // 1 again: both kept, in wire order
    const bytes = w.finish().slice();
    expect(toText(decodeMessage(bytes, null))).toBe(schema.decodeRaw(bytes));
  });
});

describe('toText details', () => {
  it('prints an empty message as nothing and a nested empty one on two lines', () => {
    expect(toText(decodeMessage(new Uint8Array(0), All))).toBe('');
    expect(toText(decodeMessage(new Uint8Array([0x8a, 0x01, 0x00]), All))).toBe('sub {\n}\n'); // tag 17 LEN, length 0
  });

  it('prints the first name of an aliased enum value', () => {
    expect(toText(decodeMessage(new Uint8Array([0xf0, 0x01, 0x01]), All))).toBe('al: FIRST\n'); // tag 30 VARINT, value 1
  });

  it('prints a text form of a message even when protoc would refuse it (invalid UTF-8 in proto3)', () => {
    const bytes = new Uint8Array([0x12, 0x02, 0xc3, 0x28]); // string s = 2, 2 bytes, invalid UTF-8
    expect(toText(decodeMessage(bytes, Msg))).toBe('s: "\\303("\n');
  });
});

describe('toText of a tree nested deeper than the stack allows', () => {
  it('is a TextFormatError, not a stack overflow (a lazy decode with a raised depth limit builds such trees)', () => {
    const depth = 100_000;
    // child { child { ... } }: tag 4 LEN (0x22) and a length, per level; built inside out.
    const w = new WireWriter();
    const lens: number[] = [];
    for (let d = 0, n = 0; d < depth; d++, n += 1 + new WireWriter().uvarint(n).finish().length) lens.push(n);
    for (let d = depth - 1; d >= 0; d--) w.tag(4, WireType.LEN).uvarint(lens[d]);
    const bytes = w.finish();
    const root = decodeMessage(bytes, Sub, { lazy: true, limits: { maxDepth: 10_000_000 } });
    expect(() => toText(root)).toThrow(TextFormatError);
    expect(() => toText(root)).toThrow(/the message nests too deep to print/);
  });
});
