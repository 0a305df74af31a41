import { parse } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { FieldNode } from '../document/model';
import { looksLikeText, missingFields } from './tree-row';

describe('looksLikeText (previews of bytes and unknown fields)', () => {
  it('keeps a leading byte order mark, refuses control characters and invalid UTF-8', () => {
    expect(looksLikeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x78]))).toBe('\ufeffx');
    expect(looksLikeText(new Uint8Array([0x61, 0x01]))).toBeNull();
    expect(looksLikeText(new Uint8Array([0x61, 0xff]))).toBeNull();
    // A start cut mid-character is still text.
    expect(looksLikeText(new Uint8Array([0x61, 0xc3]), true)).toBe('a');
  });
});

describe('missingFields (what a message could still add)', () => {
  const type = parse(
    'syntax = "proto3"; message M { string a = 1; repeated int32 r = 2; map<string, int32> m = 3; oneof o { int32 x = 4; string y = 5; } }',
  ).root.lookupType('M');
  const at = (...numbers: number[]) => numbers.map((fieldNumber) => ({ fieldNumber }) as FieldNode);

  it('lists the singular fields not set and every repeated one, however far down the list a field is set', () => {
    const names = (fields: FieldNode[]) => missingFields(type, fields).map((f) => f.name);
    expect(names([])).toEqual(['a', 'r', 'm', 'x', 'y']);
    expect(names(at(2, 2, 1))).toEqual(['r', 'm', 'x', 'y']);
    expect(names([...at(...Array.from({ length: 100_000 }, () => 2)), ...at(5, 3)])).toEqual(['a', 'r', 'x']);
    expect(names(at(99, 1, 3, 4, 5))).toEqual(['r']);
    expect(missingFields(type, at()).find((f) => f.name === 'x')).toMatchObject({ oneof: 'o', number: 4 });
    expect(missingFields(null, at(1))).toEqual([]);
  });
});
