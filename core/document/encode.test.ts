import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode';
import { ProtoDocument } from './document';
import { encodeMessage, encodeParts } from './encode';
import { applyEdits, type Edit } from './edits';
import { testRoot } from '../../testing/field-shapes-schema';

const root = testRoot();
const Outer = root.lookupType('test.Outer');

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** protobufjs's canonical encoding of an Outer given as a plain object (the referee), in fields order by number. */
const pbjs = (obj: Record<string, unknown>): Uint8Array => Uint8Array.from(Outer.encode(Outer.fromObject(obj)).finish());

/** Where a part lies in `source`: its byte range, or null when it is not a view of source. */
function inSource(part: Uint8Array, source: Uint8Array): [number, number] | null {
  if (part.buffer !== source.buffer) return null;
  const start = part.byteOffset - source.byteOffset;
  return [start, start + part.length];
}

const SAMPLE = bytes(
  0x0a,
  0x01,
  ...ascii('x'), //                           [0..2]   tag 1 LEN 1: name = "x"
  0x12,
  0x05,
  0x0a,
  0x03,
  ...ascii('ann'), //             [3..9]   tag 2 LEN 5: participants[0] { tag 1 LEN 3: name = "ann" }
  0x12,
  0x07,
  0x0a,
  0x03,
  ...ascii('bob'),
  0x10,
  0x05, // [10..18] tag 2 LEN 7: participants[1] { name = "bob", tag 2: id = 5 }
  0x20,
  0x01, //                                          [19..20] tag 4: unpacked = 1
  0x68,
  0x01, //                                          [21..22] tag 13: color = GREEN
);

describe('encodeParts', () => {
  it('gives an unmodified document as its source buffer itself (no copy)', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    const out = doc.encodeParts();
    expect(out.parts).toHaveLength(1);
    expect(out.parts[0]).toBe(SAMPLE);
  });

  it('keeps unchanged bytes as views of the source, one per run, and only the edit as new bytes', () => {
    for (const lazy of [false, true]) {
      const doc = ProtoDocument.decode(SAMPLE, Outer, { lazy });
      doc.apply({ op: 'set-value', path: [2, 0], value: 'bobby' }); // participants[1].name
      const out = doc.encodeParts();
      expect(out.toUint8Array()).toEqual(
        bytes(
          ...SAMPLE.subarray(0, 11), //                     name, participants[0], participants[1]'s tag: unchanged
          0x09,
          0x0a,
          0x05,
          ...ascii('bobby'),
          0x10,
          0x05, // participants[1]: new length 9, tag 1 kept, new name
          ...SAMPLE.subarray(19), //                         unpacked, color: unchanged
        ),
      );
      // Parts: [0..10] from the source (four nodes and a tag, one view), the new length 9,
      // the name's tag from the source, the name's new length and bytes, then [17..22] from the
      // source (participants[1].id joined with the fields after it).
      expect(out.parts.map((p) => inSource(p, SAMPLE))).toEqual([[0, 11], null, [12, 13], null, [17, 23]]);
      expect([...out.parts[3]]).toEqual([0x05, ...ascii('bobby')]);
    }
  });

  it('coalesces a long run of unchanged siblings into one view, with or without the decoded root as base', () => {
    const people = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, id: i }));
    const source = pbjs({ participants: people, color: 1 });
    const doc = ProtoDocument.decode(source, Outer);
    doc.apply({ op: 'set-value', path: [500, 1], value: 501 }); // participants[500].id = 501 (a varint of the same size)
    const edited = pbjs({ participants: people.map((p, i) => (i === 500 ? { ...p, id: 501 } : p)), color: 1 });
    const withBase = doc.encodeParts();
    const walked = encodeParts(doc.root, source); // no base: every sibling visited
    for (const out of [withBase, walked]) {
      expect(out.toUint8Array()).toEqual(edited);
      const first = inSource(out.parts[0], source)!;
      expect(first[0]).toBe(0);
      expect(first[1]).toBeGreaterThanOrEqual(doc.root.fields[500].span!.tagStart); // participants[0..499] in one view
      expect(out.parts).toHaveLength(3); // same size: the source before the new id, the id, the source after
      expect(inSource(out.parts[out.parts.length - 1], source)![1]).toBe(source.length);
    }
  });

  it('grows (and shrinks back) the length prefixes on the edited path across 128 and 16384', () => {
    // child { child { name = "a" x len } }: the two message lengths are len + 2 (or + 3) and len + 4 (or more).
    const cases: [number, number][] = [
      [123, 124], // inner body 125 -> 126: no prefix changes size
      [124, 126], // inner body 126 -> 128: the inner length grows to 2 bytes, the outer body crosses 128 too
      [126, 128], // the name's own length prefix grows to 2 bytes as well
      [128, 125], // all shrink back to 1 byte
      [16378, 16381], // inner body crosses 16384: its length prefix grows to 3 bytes
      [16381, 16378],
    ];
    for (const [before, after] of cases) {
      const nested = (len: number) => ({ child: { child: { name: 'a'.repeat(len) } } });
      const source = pbjs(nested(before));
      const doc = ProtoDocument.decode(source, Outer, { lazy: true });
      doc.apply({ op: 'set-value', path: [0, 0, 0], value: 'a'.repeat(after) });
      const out = doc.encodeParts();
      expect(out.length, `${before} -> ${after}`).toBe(out.toUint8Array().length);
      expect(out.toUint8Array(), `${before} -> ${after}`).toEqual(pbjs(nested(after)));
    }
  });

  it('encodes new nested messages (no source bytes) canonically, as protobufjs does', () => {
    const doc = ProtoDocument.decode(new Uint8Array(0), Outer);
    doc.applyAll([
      { op: 'add-field', path: [], fieldNumber: 14 }, //           child {}
      { op: 'add-field', path: [0], fieldNumber: 1, value: 'c' }, // child.name
      { op: 'add-field', path: [0], fieldNumber: 14 }, //          child.child {}
      { op: 'add-field', path: [0, 1], fieldNumber: 2 }, //        child.child.participants[0] {}
      { op: 'add-field', path: [0, 1, 0], fieldNumber: 1, value: 'p'.repeat(200) },
      { op: 'add-field', path: [], fieldNumber: 1, value: 'top' },
    ]);
    const expected = pbjs({ name: 'top', child: { name: 'c', child: { participants: [{ name: 'p'.repeat(200) }] } } });
    expect(doc.encodeParts().toUint8Array()).toEqual(expected);
  });

  it('gives the source itself again after an edit is undone', () => {
    const doc = ProtoDocument.decode(SAMPLE, Outer);
    doc.apply({ op: 'remove', path: [1] });
    expect(doc.encodeParts().length).toBe(SAMPLE.length - 7);
    doc.undo();
    expect(doc.encodeParts().parts).toEqual([SAMPLE]);
    expect(doc.encodeParts().parts[0]).toBe(SAMPLE);
  });

  it('encodes a lazily decoded document edited deep inside exactly as the eager one', () => {
    // Top level: name [0], color [1], child [2]; child: participants [0] and [1], child [2]; child.child: name [0], nums [1].
    const deep = {
      name: 'top',
      child: { participants: [{ name: 'a' }, { name: 'b', id: 2 }], child: { name: 'deepest', nums: [1, 2, 3] } },
      color: 2,
    };
    const source = pbjs(deep);
    const edits: Edit[][] = [
      [{ op: 'set-value', path: [2, 2, 0], value: 'changed' }], //   child.child.name
      [{ op: 'set-packed-element', path: [2, 2, 1], index: 1, value: 300 }], // child.child.nums[1], a varint growing to 2 bytes
      [
        { op: 'remove', path: [2, 0] },
        { op: 'set-value', path: [2, 0, 1], value: 9 },
      ], // drop child.participants[0], edit the other
      [
        { op: 'add-field', path: [2, 2], fieldNumber: 14 },
        { op: 'set-value', path: [0], value: 'renamed' },
      ],
    ];
    for (const list of edits) {
      const eager = ProtoDocument.decode(source, Outer);
      const lazy = ProtoDocument.decode(source, Outer, { lazy: true });
      eager.applyAll(list);
      lazy.applyAll(list);
      const expected = eager.encodeParts().toUint8Array();
      expect(lazy.encodeParts().toUint8Array(), JSON.stringify(list)).toEqual(expected);
      expect(lazy.encode()).toEqual(expected);
      expect(encodeMessage(lazy.root, source)).toEqual(expected); // without the base: every node visited
      expect(Outer.decode(expected)).toBeDefined();
    }
  });

  it('finds changed siblings by reference from both ends when siblings are added, removed or moved', () => {
    const people = Array.from({ length: 20 }, (_, i) => ({ name: `p${i}`, id: i }));
    const source = pbjs({ name: 'n', participants: people, color: 1 });
    const edits: Edit[][] = [
      [{ op: 'remove', path: [1] }],
      [{ op: 'remove', path: [20] }],
      [{ op: 'add-field', path: [], fieldNumber: 2, at: 1 }],
      [{ op: 'move', path: [3], to: 15 }],
      [
        { op: 'set-value', path: [4, 0], value: 'four' },
        { op: 'set-value', path: [17, 1], value: 1700 },
      ],
      [
        { op: 'remove', path: [5] },
        { op: 'set-value', path: [9, 0], value: 'nine' },
      ],
      [{ op: 'clear-field', path: [], fieldNumber: 2 }],
    ];
    for (const list of edits) {
      const base = decodeMessage(source, Outer);
      const edited = applyEdits(base, list);
      const expected = encodeParts(edited, source).toUint8Array(); // no base: every node visited
      expect(encodeParts(edited, source, base).toUint8Array(), JSON.stringify(list)).toEqual(expected);
      expect(Outer.decode(expected)).toBeDefined();
    }
  });
});
