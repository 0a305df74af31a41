import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { fromText, TextFormatError, toText } from './text-format';

const P2 = `syntax = "proto2";
package t2;
enum Color { RED = 0; GREEN = 1; BLUE = 2; }
enum Aliased { option allow_alias = true; FIRST = 1; ALSO_FIRST = 1; SECOND = 2; }
message Sub { optional int32 a = 1; optional string s = 2; repeated int32 r = 3; optional Sub child = 4; }
message All {
  optional double d = 1;
  optional float f = 2;
  optional int64 i64 = 3;
  optional uint64 u64 = 4;
  optional int32 i32 = 5;
  optional uint32 u32 = 6;
  optional sint32 s32 = 7;
  optional sint64 s64 = 8;
  optional fixed32 fx32 = 9;
  optional fixed64 fx64 = 10;
  optional sfixed32 sfx32 = 11;
  optional sfixed64 sfx64 = 12;
  optional bool b = 13;
  optional string s = 14;
  optional bytes by = 15;
  optional Color c = 16;
  optional Sub sub = 17;
  repeated int32 ri = 18;
  repeated int32 pi = 19 [packed = true];
  optional group G = 20 { optional int32 ga = 1; optional string gs = 2; }
  map<string, int32> msi = 21;
  map<int32, Sub> mis = 22;
  repeated double rd = 23;
  repeated float rf = 24;
  repeated Sub rsub = 25;
  repeated Color rc = 26;
  oneof o { int32 oi = 27; string os = 28; Sub osub = 29; }
  optional Aliased al = 30;
  map<bool, string> mbs = 31;
  map<uint64, Color> muc = 32;
  repeated string rs = 33;
  repeated group RG = 34 { optional int32 x = 1; }
  optional int32 with_default = 35 [default = 42];
  extensions 100 to 200;
}
extend All {
  optional int32 ext_i = 100;
  repeated string ext_rs = 101;
  optional Sub ext_sub = 102;
}
message Holder { extend All { optional bool nested_ext = 103; } }
`;

const P3 = `syntax = "proto3";
package t3;
import "google/protobuf/any.proto";
import "google/protobuf/timestamp.proto";
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; SAD = 2; }
message Inner { int32 v = 1; repeated string tags = 2; }
message Msg {
  int32 i = 1;
  string s = 2;
  bytes b = 3;
  double d = 4;
  float f = 5;
  bool ok = 6;
  Mood mood = 7;
  Inner inner = 8;
  repeated int32 nums = 9;
  repeated Inner inners = 10;
  map<string, Inner> by_name = 11;
  map<sint64, string> by_num = 12;
  optional int32 opt = 13;
  oneof choice { string text = 14; Inner nested = 15; int64 big = 16; }
  google.protobuf.Any any = 17;
  google.protobuf.Timestamp ts = 18;
  repeated Mood moods = 19;
  uint64 u64 = 20;
  repeated double ds = 21;
}
`;

const schema = protocSchema({ 'p2.proto': P2, 'p3.proto': P3 });
const registry = loadSchemaSources([
  { name: 'p2.proto', contents: P2 },
  { name: 'p3.proto', contents: P3 },
]);
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

const P2_CASES = [
  'd: 0.1 f: 0.1 i64: -5 u64: 18446744073709551615 i32: -1 u32: 4294967295 s32: -2147483648 s64: -9223372036854775808',
  'fx32: 4294967295 fx64: 18446744073709551615 sfx32: -1 sfx64: -9223372036854775808 b: true',
  's: "h\\351llo\\n\\t\\"q\\x27\\\\ \\001 \\x7f é 😀" by: "\\000\\377abc"',
  'c: BLUE sub { a: 1 s: "x" child { a: 2 } } ri: 3 ri: 1 pi: 1 pi: 2 pi: -1',
  'G { ga: 5 gs: "g" } msi { key: "b" value: 2 } msi { key: "a" value: 1 } msi { key: "" value: 0 } msi { key: "é" value: 3 } msi { key: "B" value: 4 }',
  'mis { key: 2 value { a: 2 } } mis { key: -1 value { } } mis { key: 0 }',
  'rd: 0.3333333333333333 rd: 1e21 rd: 1e-5 rd: 123456789012345678 rd: -0 rd: inf rd: -inf rd: nan rd: 100 rd: 1.5 rd: 2.5e-308 rd: 4.9e-324 rd: 1.7976931348623157e308 rd: 0.000123456789 rd: 1234567.0 rd: 1e15 rd: 1e16 rd: 1e17',
  'rf: 0.1 rf: 3.4028235e38 rf: 1e-45 rf: 16777217 rf: 1.1754944e-38 rf: 0.333333343 rf: 100000 rf: 1e6 rf: 1e7 rf: 1234567 rf: -inf rf: nan',
  'rsub { a: 1 } rsub { } rsub { r: [1, 2, 3] } rc: RED rc: BLUE rc: GREEN',
  'oi: 5',
  'os: ""',
  'osub { }',
  'al: FIRST',
  'al: SECOND',
  'mbs { key: true value: "t" } mbs { key: false value: "f" } muc { key: 18446744073709551615 value: BLUE } muc { key: 1 value: RED }',
  'rs: "a" rs: "" rs: "\\r\\n" RG { x: 1 } RG { } RG { x: -1 } with_default: 42',
  '[t2.ext_i]: 7 [t2.ext_rs]: "x" [t2.ext_rs]: "y" [t2.ext_sub] { a: 1 } [t2.Holder.nested_ext]: true i32: 1',
  '',
];

const P3_CASES = [
  'i: 1 s: "x" b: "\\001" d: 1.5 f: -2.25 ok: true mood: SAD',
  'i: 0 s: "" d: 0 ok: false mood: MOOD_UNSPECIFIED opt: 0',
  'd: -0 f: -0',
  'inner { } nums: [1, 2, 300] inners { v: 1 } inners { tags: ["a", "b"] }',
  'by_name { key: "z" value { v: 26 } } by_name { key: "a" value { } } by_num { key: -5 value: "neg" } by_num { key: 3 value: "" }',
  'text: "chosen"',
  'nested { v: 3 }',
  'big: -1',
  'any { type_url: "type.googleapis.com/t3.Inner" value: "\\010\\007" } ts { seconds: 1700000000 nanos: 5 }',
  'moods: [HAPPY, SAD, MOOD_UNSPECIFIED] u64: 18446744073709551615 ds: [0.1, 0.2, 0.30000000000000004]',
];

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

describe('fromText', () => {
  /** fromText then encode gives the bytes protoc --encode gives. */
  function expectEncodesAsProtoc(typeName: string, text: string): void {
    const type = registry.findMessage(typeName)!;
    const ours = encodeMessage(fromText(text, type, { registry }), new Uint8Array(0));
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(schema.encode(typeName, text)).toString('hex'));
  }

  it.each(P2_CASES)('proto2 encodes as protoc: %s', (text) => expectEncodesAsProtoc('t2.All', text));
  it.each(P3_CASES)('proto3 encodes as protoc: %s', (text) => expectEncodesAsProtoc('t3.Msg', text));

  it('reads comments, both delimiters, separators, lists, adjacent strings and escapes', () => {
    const text = `# a comment
      i32: 0x10, u32: 017; s: 'ab' "c\\x41\\101\\u00e9"  # trailing
      sub < a: -3 child: { s: "\\"" } >
      ri: [1, -2] ri: 3
      rsub: [{ a: 1 }, < a: 2 >]
      d: -inf f: 1.5f b: t c: 2`;
    expectEncodesAsProtoc('t2.All', text);
  });

  it('reads an expanded Any', () => {
    const text = 'any { [type.googleapis.com/t3.Inner] { v: 7 tags: "x" } }';
    expectEncodesAsProtoc('t3.Msg', text);
  });

  it('reads back unknown fields as toText prints them', () => {
    const w = new WireWriter();
    w.tag(1000, 0).uvarint(5); // unknown varint
    w.tag(1001, 5).fixed32(0x7b); // unknown fixed32
    w.tag(1002, 1).fixed64(0xfffffffffffffff7n); // unknown fixed64
    w.tag(1003, 2).lengthDelimited(new Uint8Array([0x08, 0x96, 0x01])); // unknown LEN { 1: 150 }
    w.tag(1004, 2).lengthDelimited(new Uint8Array([0x0c])); // unknown LEN "\014"
    const bytes = w.finish().slice();
    const text = toText(decodeMessage(bytes, All));
    expect(encodeMessage(fromText(text, All), new Uint8Array(0))).toEqual(bytes);
  });

  it('reads back deep unknown groups and messages so that they print the same', () => {
    let group: Uint8Array = new Uint8Array([0x08, 0x01]); // 1: 1
    for (let i = 0; i < 12; i++) group = new WireWriter().tag(7, 3).raw(group).tag(7, 4).finish().slice(); // 7 { ... } as groups
    let len: Uint8Array = new Uint8Array([0x08, 0x01]);
    for (let i = 0; i < 12; i++) len = new WireWriter().tag(8, 2).lengthDelimited(len).finish().slice(); // 8 { ... } as LEN
    const w = new WireWriter().tag(1000, 2).lengthDelimited(group).tag(1001, 2).lengthDelimited(len).tag(1002, 3).tag(1002, 4); // and an empty group
    const text = toText(decodeMessage(w.finish(), All));
    expect(toText(fromText(text, All))).toBe(text);
    // Shallow nesting reads back as length-delimited messages, byte for byte.
    const shallow = new WireWriter()
      .tag(1003, 2)
      .lengthDelimited(
        new WireWriter()
          .tag(2, 2)
          .lengthDelimited(new Uint8Array([0x08, 0x05]))
          .finish(),
      )
      .finish()
      .slice();
    expect(encodeMessage(fromText(toText(decodeMessage(shallow, All)), All), new Uint8Array(0))).toEqual(shallow);
  });

  it('reads numeric names as unknown fields, even for declared numbers, and rejects bytes a declared field would misread', () => {
    const w = new WireWriter();
    w.tag(5, 1).fixed64(7n); // int32 i32 = 5 sent as fixed64: unknown, prints as `5: 0x0000000000000007`
    w.tag(16, 0).uvarint(9); // closed enum c = 16 with 9: unknown, prints as `16: 9`
    const bytes = w.finish().slice();
    const text = toText(decodeMessage(bytes, All));
    expect(text).toBe('5: 0x0000000000000007\n16: 9\n');
    expect(encodeMessage(fromText(text, All), new Uint8Array(0))).toEqual(bytes);
    expect(() => fromText('17: "a"', All)).toThrowError(
      '1:5: Field number 17 is declared as "sub"; this value would be read as it and is not valid there',
    );
  });

  it('round-trips random canonical messages: parse(print(x)) encodes to the same bytes', () => {
    const sub = fc.record({
      a: fc.option(fc.integer({ min: -2147483648, max: 2147483647 }), { nil: undefined }),
      s: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    });
    const msg = fc.record({
      d: fc.option(fc.double(), { nil: undefined }),
      f: fc.option(fc.float(), { nil: undefined }),
      i64: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: undefined }),
      u64: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
      s: fc.option(fc.string({ maxLength: 10, unit: 'binary' }), { nil: undefined }),
      by: fc.option(fc.uint8Array({ maxLength: 10 }), { nil: undefined }),
      c: fc.option(fc.constantFrom('RED', 'GREEN', 'BLUE'), { nil: undefined }),
      sub: fc.option(sub, { nil: undefined }),
      pi: fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 4 }),
      // Keys unique and in the order toText prints them, so the bytes are canonical.
      msi: fc
        .uniqueArray(fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 5 })), { maxLength: 3, selector: (e) => e[0] })
        .map((es) => es.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])))),
      rf: fc.array(fc.float(), { maxLength: 3 }),
    });
    const quote = (b: Uint8Array) => `"${[...b].map((x) => '\\' + x.toString(8).padStart(3, '0')).join('')}"`;
    const num = (x: number) =>
      Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : Object.is(x, -0) ? '-0' : String(x);
    fc.assert(
      fc.property(msg, (m) => {
        const parts: string[] = [];
        if (m.d !== undefined) parts.push(`d: ${num(m.d)}`);
        if (m.f !== undefined) parts.push(`f: ${num(m.f)}`);
        if (m.i64 !== undefined) parts.push(`i64: ${m.i64}`);
        if (m.u64 !== undefined) parts.push(`u64: ${m.u64}`);
        if (m.s !== undefined) parts.push(`s: ${quote(new TextEncoder().encode(m.s))}`);
        if (m.by !== undefined) parts.push(`by: ${quote(m.by)}`);
        if (m.c !== undefined) parts.push(`c: ${m.c}`);
        if (m.sub)
          parts.push(
            `sub { ${m.sub.a !== undefined ? `a: ${m.sub.a}` : ''} ${m.sub.s !== undefined ? `s: ${quote(new TextEncoder().encode(m.sub.s))}` : ''} }`,
          );
        for (const x of m.pi) parts.push(`pi: ${x}`);
        for (const [k, v] of m.msi) parts.push(`msi { key: ${quote(new TextEncoder().encode(k))} value: ${v} }`);
        for (const x of m.rf) parts.push(`rf: ${num(x)}`);
        const bytes = encodeMessage(fromText(parts.join(' '), All), new Uint8Array(0)).slice();
        const printed = toText(decodeMessage(bytes, All));
        const again = encodeMessage(fromText(printed, All), new Uint8Array(0));
        expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('names line:column of errors as protoc does', () => {
    const cases: [string, string][] = [
      ['i32: 1\nnope: 2', '2:1: Message type "t2.All" has no field named "nope".'],
      ['i32: 1 i32: 2', '1:8: Non-repeated field "i32" is specified multiple times.'],
      ['oi: 1 os: "x"', '1:7: Field "os" is specified along with field "oi", another member of oneof "o".'],
      ['c: 5', '1:4: Unknown enumeration value of "5" for field "c".'],
      ['c: PURPLE', '1:4: Unknown enumeration value of "PURPLE" for field "c".'],
      ['sub { a: 1', '1:11: Expected "}", found end of input.'],
      ['i32 1', '1:5: Expected ":", found "1".'],
      ['i32: 3000000000', '1:6: Invalid value for field "i32": value 3000000000 is out of range for int32.'],
      ['s: "abc', '1:4: string literal is not terminated'],
      ['s: "\\q"', '1:5: invalid escape \\q'],
    ];
    for (const [text, message] of cases) {
      try {
        fromText(text, All);
        expect.unreachable(text);
      } catch (e) {
        expect(e).toBeInstanceOf(TextFormatError);
        expect((e as Error).message).toBe(message);
      }
    }
  });

  it('reads a message without a registry, resolving extensions through the type', () => {
    const root = fromText('[t2.ext_i]: 3', All.root.lookupType('t2.All'));
    expect(root.fields.map((f) => f.fieldNumber)).toEqual([100]);
    expect(() => fromText('[t2.nope]: 1', All)).toThrowError(/1:1: Extension "t2.nope" is not defined/);
    expect(Sub.name).toBe('Sub');
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

describe('fromText: nesting limit (as protoc, 100 levels by default)', () => {
  const nest = (open: string, n: number, close = '}') => open.repeat(n) + close.repeat(n);

  it('reads 100 nested messages; a 101st is a TextFormatError at its "{", not a stack overflow', () => {
    expect(() => fromText(nest('child { ', 100), Sub)).not.toThrow();
    let e: unknown;
    try {
      fromText(nest('child { ', 101), Sub);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TextFormatError);
    // 'child { ' is 8 characters: the 101st "{" is at column 100 * 8 + 7.
    expect((e as Error).message).toBe('1:807: Message is too deep, the parser exceeded the configured recursion limit of 100.');
  });

  it('takes the limit as an option; counts expanded Any; unknown `N { }` bodies may nest twice as deep in all', () => {
    expect(() => fromText('child { child { } }', Sub, { maxDepth: 2 })).not.toThrow();
    expect(() => fromText('child { child { child { } } }', Sub, { maxDepth: 2 })).toThrow('1:23: Message is too deep');
    // Unknown field 9 (toText prints unknown length-delimited fields as messages below the deepest message).
    expect(() => fromText(nest('9 { ', 4), Sub, { maxDepth: 2 })).not.toThrow();
    expect(() => fromText(nest('9 { ', 5), Sub, { maxDepth: 2 })).toThrow(
      '1:19: Unknown field is too deep, the parser exceeded twice the configured recursion limit of 2.',
    );
    expect(() => fromText('child { child { 9 { 9 { } } } }', Sub, { maxDepth: 2 })).not.toThrow();
    expect(() => fromText('child { child { 9 { 9 { 9 { } } } } }', Sub, { maxDepth: 2 })).toThrow('1:27: Unknown field is too deep');
    expect(() => fromText('any { [type.googleapis.com/t3.Inner] { } }', Msg, { maxDepth: 1, registry })).toThrow(
      '1:38: Message is too deep',
    );
  });

  it('a million levels, known or unknown, stop at the limit', () => {
    expect(() => fromText('child { '.repeat(1_000_000), Sub)).toThrow(TextFormatError);
    expect(() => fromText('1 < '.repeat(1_000_000), Sub)).toThrow(/^1:803: Unknown field is too deep/);
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
