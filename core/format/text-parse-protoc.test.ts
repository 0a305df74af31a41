import { describe, expect, it } from 'vitest';
import { TEXT_FORMAT_FILES } from '../../testing/text-format-fixtures';
import { protocSchema } from '../../testing/protoc';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { fromText } from './text-parse';

/**
 * Text format input beside `protoc --encode` (protoc 36): for each input, either both write the
 * same bytes, or both refuse it with the same first error at the same line and column.
 */
const schema = protocSchema(TEXT_FORMAT_FILES);
const registry = loadSchemaSources(Object.entries(TEXT_FORMAT_FILES).map(([name, contents]) => ({ name, contents })));

type Outcome = { bytes: string } | { error: string };

function protocOutcome(type: string, text: string): Outcome {
  try {
    return { bytes: Buffer.from(schema.encode(type, text)).toString('hex') };
  } catch (e) {
    const first = /input:(\d+:\d+: .*)/.exec((e as Error).message);
    return { error: first ? first[1] : (e as Error).message };
  }
}

function ourOutcome(type: string, text: string): Outcome {
  try {
    const root = fromText(text, registry.findMessage(type)!, { registry });
    return { bytes: Buffer.from(encodeMessage(root, new Uint8Array(0))).toString('hex') };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Inputs for t2.All (proto2: every scalar, closed enums, groups, maps, oneofs, extensions). */
const P2: string[] = [
  // Leniency protoc refuses.
  'u32: -0',
  'u64: -1',
  'i32:1b:2',
  'i32: 1 u32: 2',
  'd: 0x10',
  'd: 010',
  'f: 0x1',
  '\uFEFFi32: 1',
  'i32: 1 \uFEFF',
  'i32: 1\u00a0u32: 2',
  '1: 5',
  'd: -nan',
  'f: -nan',
  's: "\\uD83D"',
  'by: "\\uD83D"',
  's: "\\uD83D\\uDE00"',
  's: "\\357\\273\\277x"',
  'msi { key: "\\357\\273\\277" value: 1 }',
  'msi { key: "\\xef\\xbb\\xbfk" value: 2 }',
  // Numbers.
  'i32: 2147483647 i64: -9223372036854775808 u64: 18446744073709551615',
  'i32: 2147483648',
  'i32: -2147483649',
  'u32: 4294967296',
  'i32: 0x7fffffff sfx32: -0x80000000',
  'i32: 0x80000000',
  'i32: 010 u32: 0',
  'i32: 09',
  'i32: 1.5',
  'i32: 5f',
  'i32: - 5',
  'i32: -',
  'i32: 0x',
  'i32: 0x1.5',
  'd: 1.5.3',
  'd: 1e',
  'd: 1e5 f: .5e3f rd: 5F rd: 1. rd: 2f',
  'd: inf rd: -inf rd: Infinity rd: -INFINITY rd: nan rd: NaN',
  'd: nanx',
  'd: 18446744073709551616',
  'f: 3.4028235e38 rf: 3.40282347e38 rf: 1e39 rf: -1e39 rf: 1e-46',
  'd: a.5',
  'd: "1"',
  // Bools and enums.
  'b: 1',
  'b: 2',
  'b: True',
  'b: t',
  'b: yes',
  'b: -1',
  'c: BLUE rc: 0 rc: 0x2',
  'c: 5',
  'c: -1',
  'c: PURPLE',
  'c: PURPLE i32: 1',
  'c: - BLUE',
  'c: "RED"',
  'al: ALSO_FIRST',
  // Strings and escapes.
  's: "abc',
  's: "a\nb"',
  's: "\\q"',
  's: "\\x"',
  's: "\\xZ"',
  's: "\\u12"',
  's: "\\U00110000"',
  's: "\\U0010ffff" by: "\\777\\400\\X41\\x4"',
  's: "\\U00200000"',
  's: "a" \'b\' # c\n "d"',
  "s: 'it\\'s'",
  'by: "\\a\\b\\f\\n\\r\\t\\v\\\\\\?\\\'\\""',
  's: abc',
  // Structure.
  'nope: 1',
  'nope: 1 i32: 2',
  'i32: 1 i32: 2',
  'i32: 1; i32: 2',
  'i32: 1,,',
  'i32: 1;;',
  'i32: 1, u32: 2; s: "x"',
  'sub { a: 1 } sub { a: 2 }',
  'sub { a: 1',
  'sub < a: 1 }',
  'sub { a: 1 >',
  'sub { a: 1 } }',
  '}',
  'i32 1',
  'i32 [1]',
  'i32: [1]',
  'ri: [1, 2,]',
  'ri: []',
  'ri: [1, 2] ri: 3 pi: [4, 5]',
  'rsub [{ a: 1 }, < a: 2 >]',
  'rsub: [{ a: 1 }]',
  'sub: { a: 1 }',
  'sub a: 1',
  'oi: 1 os: "x"',
  'oi: 1 oi: 2',
  'osub { } oi: 1',
  'G { ga: 1 } RG { x: 1 } RG { x: 2 }',
  'g { ga: 1 } rg { x: 1 }',
  'Rg { x: 1 }',
  'msi { key: "a" value: 1 } msi { key: "a" value: 2 } msi { value: 3 }',
  'msi { key: "a" key: "b" }',
  'msi: [{ key: "a" }, { key: "b" }]',
  'mis { key: 1 value { a: 2 } } mbs { key: true value: "x" } muc { key: 18446744073709551615 value: GREEN }',
  'muc { key: 1 value: 7 }',
  'msi { nope: 1 }',
  '[t2.ext_i]: 1 [t2.ext_rs]: "a" [t2.ext_rs]: "b" [t2.Holder.nested_ext]: true [t2.ext_sub] { a: 1 }',
  '[ t2 . ext_i ] : 1',
  '[t2.ext_i]: 1 [t2.ext_i]: 2',
  '[t2.nope]: 1',
  '[type.googleapis.com/t2.Sub] { }',
  '[t2.ext_i 1',
  '[t2 .ext_i]: 1',
  '[t2.ext_i;',
  'with_default: 42',
  'i32: 1 # comment\n# another\nu32: 2',
  'i32: 1\n\nnope: 2',
  'i32: 1\x01',
  'i32: 1 $',
];

/** Inputs for t3.Msg (proto3: implicit presence, open enums, Any, optional). */
const P3: string[] = [
  'i: 0 i: 5',
  'i: 5 i: 0',
  'i: 0 i: 0',
  's: "" s: "x"',
  'd: -0 d: 1',
  'd: 0 d: -0',
  'opt: 0 opt: 1',
  'mood: 5 moods: [HAPPY, 7]',
  'mood: PURPLE',
  'text: "a" big: 1',
  'text: "" text: "b"',
  'any { [type.googleapis.com/t3.Inner] { v: 1 } }',
  'any { [type.googleprod.com/t3.Inner] { v: 1 } }',
  'any { [example.com/x/t3.Inner] { v: 1 } }',
  'any { [type.googleapis.com/t3.Inner]: < v: 1 > }',
  'any { [type.googleapis.com/t3.Nope] { } }',
  'any { [type.googleapis.com/t3.Inner] { v: 1 } [type.googleapis.com/t3.Inner] { v: 2 } }',
  'any { type_url: "x" [type.googleapis.com/t3.Inner] { v: 1 } }',
  'any { [type.googleapis.com/t3.Inner] { v: 1 } type_url: "x" }',
  'any { [t3.Inner] { v: 1 } }',
  'any { type_url: "type.googleapis.com/t3.Inner" value: "\\010\\001" }',
  'ts { seconds: 1 nanos: 2 }',
  'by_name { key: "k" value { v: 1 } } by_num { key: -5 value: "x" }',
  's: "\\377"',
];

describe('fromText beside protoc --encode', () => {
  it.each(P2)('proto2: %j', (text) => expect(ourOutcome('t2.All', text)).toEqual(protocOutcome('t2.All', text)));
  it.each(P3)('proto3: %j', (text) => expect(ourOutcome('t3.Msg', text)).toEqual(protocOutcome('t3.Msg', text)));
});

/** The cases found reading differently from protoc 36, each a regression test of its own. */
const REGRESSIONS: [string, string, string[]][] = [
  ['refuses -0 and other signs for unsigned fields', 't2.All', ['u32: -0', 'u64: -0', 'fx32: -1']],
  ['refuses a number run into the next field name (i32:1b:2)', 't2.All', ['i32:1b:2', 'i32:1 u32:2']],
  ['refuses hex and octal for floating-point fields', 't2.All', ['d: 0x10', 'f: 010', 'd: 0']],
  ['refuses a byte order mark and other non-ASCII outside strings', 't2.All', ['\uFEFFi32: 1', 'i32: 1\u2028']],
  ['refuses numeric field names (the workbench asks for them with allowFieldNumbers)', 't2.All', ['5: 1', '1000 { 1: 2 }']],
  ['keeps the sign of -nan, as protoc writes it', 't2.All', ['d: -nan rd: -NaN f: -nan rf: nan']],
  ['writes a lone surrogate escape as its 3 UTF-8 bytes, as protoc, not as U+FFFD', 't2.All', ['by: "\\uD83D" s: "\\uDE00x"']],
  ['keeps a leading U+FEFF in string values and map keys', 't2.All', ['s: "\\357\\273\\277x"', 'msi { key: "\\357\\273\\277" value: 1 }']],
  ['reports a refused value after its token, as protoc (unknown enum value, bad bool)', 't2.All', ['c: 5', 'c: PURPLE', 'b: yes']],
];

describe('text format cases that read differently from protoc 36 before', () => {
  it.each(REGRESSIONS)('%s', (_name, type, texts) => {
    for (const text of texts) expect(ourOutcome(type, text), text).toEqual(protocOutcome(type, text));
  });

  it('keeps a leading U+FEFF: "\\357\\273\\277x" encodes as 72 04 ef bb bf 78 (string s = 14), as protoc', () => {
    expect(ourOutcome('t2.All', 's: "\\357\\273\\277x"')).toEqual({ bytes: '7204efbbbf78' });
    expect(protocOutcome('t2.All', 's: "\\357\\273\\277x"')).toEqual({ bytes: '7204efbbbf78' });
  });
});
