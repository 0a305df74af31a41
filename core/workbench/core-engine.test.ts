import { describe, expect, it } from 'vitest';
import { loadSchemaSources } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { WireType } from '../wire/wire-types';
import { createCoreEngine } from './core-engine';

const registry = loadSchemaSources([
  { name: 'p.proto', contents: 'syntax = "proto3"; package p; message Pair { string name = 1; uint32 size = 2; }' },
]);
const pair = registry.findMessage('p.Pair')!;

/** A p.Pair: name "ab", size 7. */
function pairBytes(): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(new TextEncoder().encode('ab')); // string name = 1
  w.tag(2, WireType.VARINT).uvarint(7); // uint32 size = 2
  return w.finish().slice();
}

describe('core engine message versions', () => {
  it('an edit gives a new version and leaves the one it came from as it was (undo puts that one back)', () => {
    const src = pairBytes();
    const v1 = createCoreEngine().open(src, pair);
    const v2 = v1.edit({ op: 'set', path: [1], value: 300 });
    expect(v2).not.toBe(v1);
    expect(v1.root.modified).toBe(false);
    expect(v1.encode()).toBe(src); // unmodified: the source itself
    expect([...v2.encode()]).toEqual([...src.subarray(0, 4), 0x10, 0xac, 0x02]); // size = 300 as a two-byte varint
    expect(v2.root.fields[0]).toBe(v1.root.fields[0]); // the untouched field is shared
    expect([...v2.encodeParts().toUint8Array()]).toEqual([...v2.encode()]);
    expect(() => v1.edit({ op: 'set', path: [9], value: 1 })).toThrow();
    expect('undo' in v1).toBe(false);
  });

  it('marks modified paths as a new version with the same bytes', () => {
    const src = pairBytes();
    const v1 = createCoreEngine().open(src, pair);
    const marked = v1.markModified([[1], [5, 2]]); // the second path leads nowhere: skipped
    expect(marked).not.toBe(v1);
    expect(marked.root.fields.map((f) => f.modified)).toEqual([false, true]);
    expect(v1.root.fields[1].modified).toBe(false);
    expect(marked.encode()).toEqual(src);
    expect(v1.markModified([[]]).root.modified).toBe(true); // [] is the message itself
    expect(v1.markModified([])).toBe(v1);
    expect(v1.markModified([[7]])).toBe(v1);
  });
});
