/**
 * A top level read from its bytes keeps where each field starts and its kind; its field numbers
 * and whether the schema knows each field are read again from the tags, and must be what the
 * root's nodes say, for tags of every length.
 */
import { describe, expect, it } from 'vitest';
import { testRoot } from '../../testing/field-shapes-schema';
import { decodeMessage, rootLevelOf } from './decode';
import { fieldAtOffset } from './root-level';

const Outer = testRoot().lookupType('test.Outer');

/** A tag (field number and wire type) as varint bytes. */
function tag(fieldNumber: number, wireType: number): number[] {
  const out: number[] = [];
  let v = fieldNumber * 8 + wireType;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

describe('RootLevel', () => {
  // Tags of 1 to 5 bytes, the largest field number among them, numbers on both sides of 32; known and unknown fields; a wrong wire type.
  const bytes = Uint8Array.from(
    [
      [...tag(1, 2), 1, 0x61], // name = "a": known
      [...tag(15, 0), 7], // 15 is not in Outer: unknown
      [...tag(16, 0), 2], // colors (enum, varint): known
      [...tag(31, 0), 3], // the largest number kept beside the kind
      [...tag(32, 0), 3], // the smallest read again from the tag
      [...tag(2047, 5), 1, 2, 3, 4], // unknown fixed32
      [...tag(2048, 1), 1, 2, 3, 4, 5, 6, 7, 8], // unknown fixed64
      [...tag(262_143, 0), 1], // unknown, 3-byte tag
      [...tag(262_144, 0), 1], // unknown, 4-byte tag
      [...tag(536_870_911, 0), 1], // the largest field number: a 5-byte tag
      [...tag(13, 2), 0], // color (an enum) with a LEN wire type: not the field the schema knows
      [...tag(3, 2), 2, 4, 5], // nums, packed: known
    ].flat(),
  );

  it('reads field numbers and known fields from the tags, as the nodes hold them', () => {
    for (const type of [Outer, null]) {
      const root = decodeMessage(bytes, type, { lazy: true });
      const level = rootLevelOf(root)!;
      const fields = decodeMessage(bytes, type).fields;
      expect(level.count).toBe(12);
      expect(Array.from({ length: level.count }, (_, i) => [level.numberAt(i), level.knownAt(i)])).toEqual(
        fields.map((f) => [f.fieldNumber, f.field !== null]),
      );
      expect(fields.map((f) => f.fieldNumber)).toEqual([1, 15, 16, 31, 32, 2047, 2048, 262_143, 262_144, 536_870_911, 13, 3]);
      if (type)
        expect(fields.map((f) => f.field !== null)).toEqual([
          true,
          false,
          true,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
          true,
        ]);
      expect(level.byteLength).toBe(5 * level.count); // a start and a kind per field
    }
  });

  it('finds the field whose bytes hold an offset', () => {
    const level = rootLevelOf(decodeMessage(bytes, Outer, { lazy: true }))!;
    const fields = decodeMessage(bytes, Outer).fields;
    for (let i = 0; i < fields.length; i++) {
      const { tagStart, end } = fields[i].span!;
      expect([fieldAtOffset(level, tagStart), fieldAtOffset(level, end - 1)]).toEqual([i, i]);
    }
  });
});
