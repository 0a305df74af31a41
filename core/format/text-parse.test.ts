import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { P2_CASES, P3_CASES, TEXT_FORMAT_FILES } from '../../testing/text-format-fixtures';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { TextFormatError } from './text-format-error';
import { fromText } from './text-parse';
import { toText } from './text-print';

const schema = protocSchema(TEXT_FORMAT_FILES);
const registry = loadSchemaSources(Object.entries(TEXT_FORMAT_FILES).map(([name, contents]) => ({ name, contents })));
const All = registry.findMessage('t2.All')!;
const Msg = registry.findMessage('t3.Msg')!;
const Sub = registry.findMessage('t2.Sub')!;

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
    expect(encodeMessage(fromText(text, All, { allowFieldNumbers: true }), new Uint8Array(0))).toEqual(bytes);
    // protoc refuses numeric names; so does fromText unless asked.
    expect(() => schema.encode('t2.All', text)).toThrow(/Expected identifier, got: 1000/);
    expect(() => fromText(text, All)).toThrowError('1:1: Expected identifier, got: 1000');
  });

  it('reads back deep unknown groups and messages so that they print the same', () => {
    let group: Uint8Array = new Uint8Array([0x08, 0x01]); // 1: 1
    for (let i = 0; i < 12; i++) group = new WireWriter().tag(7, 3).raw(group).tag(7, 4).finish().slice(); // 7 { ... } as groups
    let len: Uint8Array = new Uint8Array([0x08, 0x01]);
    for (let i = 0; i < 12; i++) len = new WireWriter().tag(8, 2).lengthDelimited(len).finish().slice(); // 8 { ... } as LEN
    const w = new WireWriter().tag(1000, 2).lengthDelimited(group).tag(1001, 2).lengthDelimited(len).tag(1002, 3).tag(1002, 4); // and an empty group
    const text = toText(decodeMessage(w.finish(), All));
    expect(toText(fromText(text, All, { allowFieldNumbers: true }))).toBe(text);
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
    expect(encodeMessage(fromText(toText(decodeMessage(shallow, All)), All, { allowFieldNumbers: true }), new Uint8Array(0))).toEqual(
      shallow,
    );
  });

  it('reads numeric names as unknown fields, even for declared numbers, and rejects bytes a declared field would misread', () => {
    const w = new WireWriter();
    w.tag(5, 1).fixed64(7n); // int32 i32 = 5 sent as fixed64: unknown, prints as `5: 0x0000000000000007`
    w.tag(16, 0).uvarint(9); // closed enum c = 16 with 9: unknown, prints as `16: 9`
    const bytes = w.finish().slice();
    const text = toText(decodeMessage(bytes, All));
    expect(text).toBe('5: 0x0000000000000007\n16: 9\n');
    expect(encodeMessage(fromText(text, All, { allowFieldNumbers: true }), new Uint8Array(0))).toEqual(bytes);
    expect(() => fromText('17: "a"', All, { allowFieldNumbers: true })).toThrowError(
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

  it('reads a message without a registry, resolving extensions through the type', () => {
    const root = fromText('[t2.ext_i]: 3', All.root.lookupType('t2.All'));
    expect(root.fields.map((f) => f.fieldNumber)).toEqual([100]);
    expect(() => fromText('[t2.nope]: 1', All)).toThrowError(/1:10: Extension "t2.nope" is not defined/);
    expect(Sub.name).toBe('Sub');
  });
});

describe('fromText: nesting limit (1000 levels by default; protoc 36 sets none)', () => {
  const nest = (open: string, n: number, close = '}') => open.repeat(n) + close.repeat(n);

  it('reads 200 nested messages as protoc does; past the limit a TextFormatError at the "{", not a stack overflow', () => {
    expect(Buffer.from(encodeMessage(fromText(nest('child { ', 200), Sub), new Uint8Array(0)))).toEqual(
      Buffer.from(schema.encode('t2.Sub', nest('child { ', 200))),
    );
    expect(() => fromText(nest('child { ', 1000), Sub)).not.toThrow();
    let e: unknown;
    try {
      fromText(nest('child { ', 1001), Sub);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TextFormatError);
    // 'child { ' is 8 characters: the 1001st "{" is at column 1000 * 8 + 7.
    expect((e as Error).message).toBe('1:8007: Message is too deep, the parser exceeded the configured recursion limit of 1000.');
  });

  it('takes the limit as an option; counts expanded Any; unknown `N { }` bodies may nest twice as deep in all', () => {
    const numbers = { allowFieldNumbers: true, maxDepth: 2 };
    expect(() => fromText('child { child { } }', Sub, { maxDepth: 2 })).not.toThrow();
    expect(() => fromText('child { child { child { } } }', Sub, { maxDepth: 2 })).toThrow('1:23: Message is too deep');
    // Unknown field 9 (toText prints unknown length-delimited fields as messages below the deepest message).
    expect(() => fromText(nest('9 { ', 4), Sub, numbers)).not.toThrow();
    expect(() => fromText(nest('9 { ', 5), Sub, numbers)).toThrow(
      '1:19: Unknown field is too deep, the parser exceeded twice the configured recursion limit of 2.',
    );
    expect(() => fromText('child { child { 9 { 9 { } } } }', Sub, numbers)).not.toThrow();
    expect(() => fromText('child { child { 9 { 9 { 9 { } } } } }', Sub, numbers)).toThrow('1:27: Unknown field is too deep');
    expect(() => fromText('any { [type.googleapis.com/t3.Inner] { } }', Msg, { maxDepth: 1, registry })).toThrow(
      '1:38: Message is too deep',
    );
  });

  it('a million levels, known or unknown, stop at the limit', () => {
    expect(() => fromText('child { '.repeat(1_000_000), Sub)).toThrow(TextFormatError);
    expect(() => fromText('1 < '.repeat(1_000_000), Sub, { allowFieldNumbers: true })).toThrow(/^1:8003: Unknown field is too deep/);
  });
});
