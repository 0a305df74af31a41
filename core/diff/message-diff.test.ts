/** The message diff: one test per kind of difference, value and encoding apart. */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../../testing/field-shapes-schema';
import { WireType } from '../wire/wire-types';
import { WireWriter } from '../wire/wire-writer';
import { diffSummary, diffToText, withoutEncoding } from './diff-format';
import type { DiffNode } from './diff-model';
import { DiffInputError, diffMessages } from './message-diff';

const root = testRoot();
const Outer = root.lookupType('test.Outer');
const { LEN, VARINT } = WireType;
const utf8 = (s: string) => new TextEncoder().encode(s);
const w = () => new WireWriter();

/** A test.Person: name = 1, id = 2. */
function person(name: string, id: number): Uint8Array {
  return w()
    .tag(1, LEN)
    .lengthDelimited(utf8(name)) // string name = 1
    .tag(2, VARINT)
    .uvarint(id) // int32 id = 2
    .finish()
    .slice();
}

/** Flattens the tree to "kind path" lines (depth first). */
function flat(nodes: readonly DiffNode[]): string[] {
  return nodes.flatMap((n) => [`${n.kind} ${n.path}`, ...flat(n.children ?? [])]);
}

describe('diffMessages: value differences', () => {
  it('reports identical inputs as such, with no nodes', () => {
    const a = w().tag(1, LEN).lengthDelimited(utf8('x')).finish().slice(); // name = "x"
    const d = diffMessages(a, a.slice(), { type: Outer });
    expect(d).toMatchObject({ identical: true, sameValues: true, nodes: [] });
    expect(diffSummary(d)).toBe('identical');
  });

  it('reports a changed scalar with both values and their byte spans', () => {
    const a = w().tag(1, LEN).lengthDelimited(utf8('standup')).finish().slice(); // name = "standup"
    const b = w().tag(1, LEN).lengthDelimited(utf8('retro')).finish().slice(); // name = "retro"
    const d = diffMessages(a, b, { type: Outer });
    expect(d.nodes).toEqual([
      {
        kind: 'changed',
        path: 'name',
        fieldNumber: 1,
        type: 'string',
        a: { text: '"standup"', span: { start: 0, valueStart: 2, end: 9 } },
        b: { text: '"retro"', span: { start: 0, valueStart: 2, end: 7 } },
      },
    ]);
    expect(d.sameValues).toBe(false);
  });

  it('reports added and removed fields, enums by name', () => {
    const a = w().tag(1, LEN).lengthDelimited(utf8('x')).finish().slice(); // name = "x"
    const b = w().tag(13, VARINT).uvarint(2).finish().slice(); // color = BLUE
    const d = diffMessages(a, b, { type: Outer });
    expect(d.nodes.map((n) => [n.kind, n.path, n.a?.text ?? n.b?.text])).toEqual([
      ['removed', 'name', '"x"'],
      ['added', 'color', 'BLUE'],
    ]);
  });

  it('descends into nested messages only where bytes differ, in tree form', () => {
    const build = (second: string) =>
      w()
        .tag(2, LEN)
        .lengthDelimited(person('alice', 1)) // participants[0]
        .tag(2, LEN)
        .lengthDelimited(person(second, 2)) // participants[1]
        .finish()
        .slice();
    const d = diffMessages(build('bob'), build('bobby'), { type: Outer });
    expect(flat(d.nodes)).toEqual(['changed participants', 'changed participants[1]', 'changed participants[1].name']);
    expect(d.nodes[0].children![0].children![0]).toMatchObject({ a: { text: '"bob"' }, b: { text: '"bobby"' } });
  });

  it('reports a repeated element at another position as moved, and added and removed elements', () => {
    const list = (...people: Uint8Array[]) => {
      const x = w();
      for (const p of people) x.tag(2, LEN).lengthDelimited(p); // participants
      return x.finish().slice();
    };
    const [p0, p1, p2, p3] = [person('a', 0), person('b', 1), person('c', 2), person('d', 3)];
    const d = diffMessages(list(p0, p1, p2, p3), list(p2, p0, p1, person('e', 4)), { type: Outer });
    const nodes = d.nodes[0].children!;
    expect(nodes.map((n) => [n.kind, n.path, n.from])).toEqual([
      ['moved', 'participants[0]', 'participants[2]'],
      ['changed', 'participants[3]', undefined],
    ]);
    const grown = diffMessages(list(p0, p1), list(p0, p3, p1), { type: Outer });
    expect(flat(grown.nodes)).toEqual(['changed participants', 'added participants[1]']);
    const shrunk = diffMessages(list(p0, p3, p1), list(p0, p1), { type: Outer });
    expect(flat(shrunk.nodes)).toEqual(['changed participants', 'removed participants[1]']);
  });

  it('reports a subtree that went to another field as moved, with where from and to', () => {
    const a = w()
      .tag(2, LEN)
      .lengthDelimited(person('carol', 7)) // participants[0]
      .finish()
      .slice();
    const b = w()
      .tag(12, LEN)
      .lengthDelimited(person('carol', 7)) // who (oneof choice)
      .finish()
      .slice();
    const d = diffMessages(a, b, { type: Outer });
    const moved = flat(d.nodes);
    expect(moved).toEqual(['changed participants', 'moved participants[0]', 'moved who']);
    expect(d.nodes[0].children![0]).toMatchObject({ to: 'who' });
    expect(d.nodes[1]).toMatchObject({ from: 'participants[0]' });
  });

  it('compares map entries by key', () => {
    const entry = (k: string, v: number) =>
      w()
        .tag(1, LEN)
        .lengthDelimited(utf8(k)) // key
        .tag(2, VARINT)
        .uvarint(v) // value
        .finish()
        .slice();
    const map = (...entries: Uint8Array[]) => {
      const x = w();
      for (const e of entries) x.tag(5, LEN).lengthDelimited(e); // map<string, int32> counts = 5
      return x.finish().slice();
    };
    const d = diffMessages(map(entry('a', 1), entry('b', 2)), map(entry('b', 3), entry('c', 4)), { type: Outer });
    expect(d.nodes[0].children!.map((n) => [n.kind, n.path, n.a?.text, n.b?.text])).toEqual([
      ['changed', 'counts["b"]', '2', '3'],
      ['added', 'counts["c"]', undefined, '4'],
      ['removed', 'counts["a"]', '1', undefined],
    ]);
  });

  it('shows unknown fields as such, by number and wire type', () => {
    const a = w().tag(99, VARINT).uvarint(5).finish().slice(); // 99: not in test.Outer
    const b = w().tag(99, VARINT).uvarint(6).finish().slice();
    const d = diffMessages(a, b, { type: Outer });
    expect(d.nodes).toEqual([
      expect.objectContaining({
        kind: 'changed',
        path: '99',
        unknown: true,
        type: 'varint',
        a: expect.objectContaining({ text: '5' }),
        b: expect.objectContaining({ text: '6' }),
      }),
    ]);
    expect(diffToText(d)).toBe('~ 99: 5 -> 6 [unknown field 99, varint]\n1 changed');
  });

  it('compares schema-less messages, descending into nested messages and keeping strings as strings', () => {
    const nested = (v: number) => w().tag(1, VARINT).uvarint(v).finish().slice(); // 1: v
    const a = w().tag(1, LEN).lengthDelimited(utf8('hello')).tag(2, LEN).lengthDelimited(nested(1)).finish().slice();
    const b = w().tag(1, LEN).lengthDelimited(utf8('help')).tag(2, LEN).lengthDelimited(nested(2)).finish().slice();
    const d = diffMessages(a, b);
    expect(d.typeName).toBeUndefined();
    expect(flat(d.nodes)).toEqual(['changed 1', 'changed 2', 'changed 2.1']);
    expect(d.nodes[0]).toMatchObject({ a: { text: '"hello"' }, b: { text: '"help"' } });
  });

  it('compares a nested message that does not parse as bytes, and says why', () => {
    const a = w()
      .tag(14, LEN)
      .lengthDelimited(new Uint8Array([0x0a, 0x05]))
      .finish()
      .slice(); // child: name claims 5 bytes, has 0
    const b = w()
      .tag(14, LEN)
      .lengthDelimited(new Uint8Array([0x0a, 0x00]))
      .finish()
      .slice(); // child: name = ""
    const [n] = diffMessages(a, b, { type: Outer }).nodes;
    expect(n).toMatchObject({ kind: 'changed', path: 'child', a: { text: '0a05' }, b: { text: '0a00' } });
    expect(n.encoding).toEqual(['not a valid test.Outer: A at byte 3: 5 bytes of field 1 (only 0 remain); compared as bytes']);
  });

  it('says which input is malformed at its top level, and where', () => {
    const good = w().tag(1, LEN).lengthDelimited(utf8('x')).finish().slice();
    expect(() => diffMessages(good, new Uint8Array([0x0a, 0x09, 0x41]), { type: Outer })).toThrow(DiffInputError);
    expect(() => diffMessages(good, new Uint8Array([0x0a, 0x09, 0x41]), { type: Outer })).toThrow(
      'B: at byte 1: 9 bytes of field 1 (only 1 remain)',
    );
  });
});

describe('diffMessages: encoding-only differences', () => {
  const only = (a: Uint8Array, b: Uint8Array, type: protobuf.Type | null = Outer) => {
    const d = diffMessages(a, b, { type });
    expect(d.identical).toBe(false);
    expect(d.sameValues).toBe(true);
    expect(withoutEncoding(d).nodes).toEqual([]);
    return d.nodes.map((n) => [n.kind, n.path, n.encoding]);
  };

  it('an overlong varint', () => {
    const a = w()
      .tag(13, VARINT)
      .raw(new Uint8Array([0x81, 0x80, 0x00]))
      .finish()
      .slice(); // color = 1 in 3 bytes
    const b = w().tag(13, VARINT).uvarint(1).finish().slice(); // color = 1
    expect(only(a, b)).toEqual([['encoding', 'color', ['varint written in 3 bytes in A and 1 byte in B']]]);
  });

  it('fields in another order', () => {
    const name = (x: WireWriter) => x.tag(1, LEN).lengthDelimited(utf8('n')); // name = "n"
    const color = (x: WireWriter) => x.tag(13, VARINT).uvarint(2); // color = BLUE
    expect(only(color(name(w())).finish().slice(), name(color(w())).finish().slice())).toEqual([
      ['encoding', '(message)', ['fields in another order: 1, 13 in A, 13, 1 in B']],
    ]);
  });

  it('packed vs unpacked', () => {
    const packed = w()
      .tag(3, LEN)
      .lengthDelimited(new Uint8Array([1, 2, 3]))
      .finish()
      .slice(); // nums = [1, 2, 3] packed
    const x = w();
    for (const v of [1, 2, 3]) x.tag(3, VARINT).uvarint(v); // nums, one tag each
    expect(only(packed, x.finish().slice())).toEqual([['encoding', 'nums', ['packed in 1 run in A, unpacked in B']]]);
  });

  it('a wider length prefix', () => {
    const a = w()
      .tag(1, LEN)
      .raw(new Uint8Array([0x82, 0x00]))
      .raw(utf8('ab'))
      .finish()
      .slice(); // name, length 2 in 2 bytes
    const b = w().tag(1, LEN).lengthDelimited(utf8('ab')).finish().slice();
    expect(only(a, b)).toEqual([['encoding', 'name', ['length prefix written in 2 bytes in A and 1 byte in B']]]);
  });

  it('a singular field written twice (the last one counts)', () => {
    const a = w().tag(13, VARINT).uvarint(1).tag(13, VARINT).uvarint(2).finish().slice(); // color = GREEN, then BLUE
    const b = w().tag(13, VARINT).uvarint(2).finish().slice(); // color = BLUE
    expect(only(a, b)).toEqual([['encoding', 'color', ['written 2 times in A and 1 in B (the last one counts)']]]);
  });

  it('a proto3 default written explicitly', () => {
    const p = protobuf.parse('syntax = "proto3"; package t; message Plain { int32 n = 1; string s = 2; }', { keepCase: true }).root;
    p.resolveAll();
    const a = w().tag(1, VARINT).uvarint(0).finish().slice(); // n = 0, explicitly
    expect(only(a, new Uint8Array(0), p.lookupType('t.Plain'))).toEqual([
      ['encoding', 'n', ['the default value written explicitly in A (the same as absent)']],
    ]);
  });

  it('map entries in another order', () => {
    const entry = (k: string, v: number) => w().tag(1, LEN).lengthDelimited(utf8(k)).tag(2, VARINT).uvarint(v).finish().slice(); // key, value
    const a = w().tag(5, LEN).lengthDelimited(entry('a', 1)).tag(5, LEN).lengthDelimited(entry('b', 2)).finish().slice(); // counts {a:1, b:2}
    const b = w().tag(5, LEN).lengthDelimited(entry('b', 2)).tag(5, LEN).lengthDelimited(entry('a', 1)).finish().slice(); // counts {b:2, a:1}
    expect(only(a, b)).toEqual([['encoding', 'counts', ['entries in another order']]]);
  });

  it('an overlong varint deep inside a repeated message: the element is an encoding difference, not a change', () => {
    const wide = w()
      .tag(1, LEN)
      .lengthDelimited(utf8('a'))
      .tag(2, VARINT)
      .raw(new Uint8Array([0x87, 0x00]))
      .finish()
      .slice(); // Person a, id 7 in 2 bytes
    const a = w().tag(2, LEN).lengthDelimited(wide).finish().slice(); // participants[0]
    const b = w().tag(2, LEN).lengthDelimited(person('a', 7)).finish().slice();
    const d = diffMessages(a, b, { type: Outer });
    expect(d.sameValues).toBe(true);
    expect(flat(d.nodes)).toEqual(['encoding participants', 'encoding participants[0]', 'encoding participants[0].id']);
    expect(diffToText(d)).toBe(
      [
        '* participants (test.Person)',
        '  * participants[0] (test.Person)',
        '    * participants[0].id: 7 (encoding: varint written in 2 bytes in A and 1 byte in B)',
        'no value differences (3 encoding only)',
      ].join('\n'),
    );
  });
});

describe('diffMessages: the node limit', () => {
  it('keeps the field holding the listed elements, and never calls a cut-short diff value-equal', () => {
    const a = w().tag(1, LEN).lengthDelimited(utf8('x')); // name = "x"
    for (let i = 0; i < 10; i++) {
      const p = person(`p${i}`, i);
      a.tag(2, LEN).uvarint(p.length).raw(p); // Person participants = 2
    }
    const b = w().tag(1, LEN).lengthDelimited(utf8('x')).finish().slice(); // name = "x", no participants
    const d = diffMessages(a.finish().slice(), b, { type: Outer, maxNodes: 5 });
    expect(d.truncated).toBe(true);
    expect(d.sameValues).toBe(false);
    expect(flat(d.nodes)).toEqual([
      'changed participants',
      'removed participants[0]',
      'removed participants[1]',
      'removed participants[2]',
      'removed participants[3]',
      'removed participants[4]',
    ]);
    expect(diffSummary(d)).toBe('1 changed, 5 removed; stopped at the node limit, more differences may follow');
  });
});
