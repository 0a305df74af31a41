import { describe, expect, it } from 'vitest';
import { loadSchemaSources } from '../../schema/registry';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { createCoreEngine } from '../core-engine';
import type { Schemas } from '../engine';
import { toTextFormat } from '../text-adapter';

const PROTO = `syntax = "proto3";
package a;
import "google/protobuf/timestamp.proto";
message Inner { string label = 1; int32 n = 2; }
message Msg {
  string name = 1;
  uint32 size = 2;
  repeated int32 codes = 3;
  repeated Inner items = 4;
  map<string, int32> attrs = 5;
  Inner inner = 6;
  oneof pick { string a = 7; int32 b = 8; }
  repeated string tags = 9;
  google.protobuf.Timestamp at = 10;
}
`;
const registry = loadSchemaSources([{ name: 'a.proto', contents: PROTO }]);
const Msg = registry.findMessage('a.Msg')!;
const schemas = { registry } as unknown as Schemas;
const engine = createCoreEngine();
const utf8 = (t: string) => new TextEncoder().encode(t);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function inner(label: string | Uint8Array, n: number, extra?: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter();
  w.tag(1, WireType.LEN).lengthDelimited(typeof label === 'string' ? utf8(label) : label); // string label = 1
  w.tag(2, WireType.VARINT).uvarint(n); // int32 n = 2
  extra?.(w);
  return w.finish().slice();
}

/**
 * A Msg with everything JSON cannot show: `size` twice, an unknown varint and an unknown LEN
 * field, codes packed [1, 300] then unpacked 7, an item with an unknown field inside, an item
 * whose label is not UTF-8, an overlong varint, fields out of number order.
 */
function tricky(): { bytes: Uint8Array; nameAt: [number, number] } {
  const w = new WireWriter();
  w.tag(2, WireType.VARINT).uvarint(5); // uint32 size = 2: 5 (shadowed by the one below)
  w.tag(99, WireType.VARINT).uvarint(7); // unknown field 99: varint 7
  const nameStart = w.pos;
  w.tag(1, WireType.LEN).lengthDelimited(utf8('crate')); // string name = 1
  const nameEnd = w.pos;
  w.tag(3, WireType.LEN).uvarint(3).uvarint(1).uvarint(300); // packed int32 codes = 3: 1, 300
  w.tag(2, WireType.VARINT).raw(new Uint8Array([0x8c, 0x80, 0x00])); // uint32 size = 2: 12 as an overlong 3-byte varint
  w.tag(3, WireType.VARINT).uvarint(7); // int32 codes = 3: 7, unpacked
  const i1 = inner('apple', 3, (x) => x.tag(50, WireType.VARINT).uvarint(1)); // Inner with unknown field 50
  w.tag(4, WireType.LEN).uvarint(i1.length).raw(i1); // Inner items = 4
  const i2 = inner(new Uint8Array([0x70, 0xff, 0x71]), 4); // Inner label "p\xffq": not UTF-8
  w.tag(4, WireType.LEN).uvarint(i2.length).raw(i2); // Inner items = 4
  w.tag(100, WireType.LEN).lengthDelimited(utf8('hidden')); // unknown field 100: bytes "hidden"
  return { bytes: w.finish().slice(), nameAt: [nameStart, nameEnd] };
}

function json(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(toTextFormat(bytes, Msg, 'json', schemas)) as Record<string, unknown>;
}

function apply(bytes: Uint8Array, text: string, format: 'json' | 'text' = 'json') {
  const v = engine.open(bytes, Msg);
  const r = engine.applyText(v, text, Msg, format, schemas);
  return { ...r, bytes: r.after ? r.after.encode() : bytes };
}

describe('JSON/text Apply is a diff: only the fields the text changes are written', () => {
  it('a JSON rename keeps unknown fields, the repeated singular field, the packed/unpacked mix, the overlong varint and field order (no loss of what JSON cannot show)', () => {
    const { bytes, nameAt } = tricky();
    const j = json(bytes);
    expect(j).toMatchObject({ name: 'crate', size: 12, codes: [1, 300, 7] });
    const r = apply(bytes, JSON.stringify({ ...j, name: 'box' }));
    const renamed = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8('box')).finish();
    // The byte diff is only the name: every other byte as it was, in the order it was.
    expect(hex(r.bytes)).toBe(hex(new Uint8Array([...bytes.subarray(0, nameAt[0]), ...renamed, ...bytes.subarray(nameAt[1])])));
    expect(r.changes).toEqual([{ path: 'name', kind: 'set', before: '"crate"', after: '"box"' }]);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'unknown-kept', confirm: false })]);
    expect(r.warnings[0].message).toMatch(/^3 unknown fields that JSON does not show \(99, items\[0\]\.50, 100\) are kept as they are/);
  });

  it('the same through text format, which shows unknown fields (so it says nothing about them)', () => {
    const { bytes, nameAt } = tricky();
    const text = toTextFormat(bytes, Msg, 'text', schemas);
    const r = apply(bytes, text.replace('name: "crate"', 'name: "box"'), 'text');
    const renamed = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8('box')).finish();
    expect(hex(r.bytes)).toBe(hex(new Uint8Array([...bytes.subarray(0, nameAt[0]), ...renamed, ...bytes.subarray(nameAt[1])])));
    expect(r.warnings).toEqual([]);
  });

  it('the text as shown applies as no change at all: the message is the very same version', () => {
    const { bytes } = tricky();
    expect(apply(bytes, JSON.stringify(json(bytes))).after).toBeNull();
    expect(apply(bytes, toTextFormat(bytes, Msg, 'text', schemas), 'text').after).toBeNull();
  });

  it('changing a value written as an overlong varint says it is re-encoded (asked first)', () => {
    const { bytes } = tricky();
    const r = apply(bytes, JSON.stringify({ ...json(bytes), size: 13 }));
    expect(r.changes).toEqual([{ path: 'size', kind: 'set', before: '12', after: '13' }]);
    expect(r.warnings.find((w) => w.kind === 'reencoded')).toMatchObject({ path: 'size', confirm: true });
    // The last occurrence (the one a runtime reads) is set; the shadowed first one keeps its bytes.
    expect(hex(r.bytes).startsWith('10 05 98 06 07')).toBe(true); // size = 5, then unknown 99 = 7, as they were
    expect(hex(r.bytes)).toContain('10 0d 18 07'); // size = 13, canonical, then codes 7 unpacked as before
  });

  it('editing a label that is not UTF-8 says those bytes are replaced; other labels keep theirs', () => {
    const { bytes } = tricky();
    const j = json(bytes) as { items: { label: string; n: number }[] };
    expect(j.items[1].label).toBe('p\ufffdq');
    const kept = apply(bytes, JSON.stringify({ ...j, items: [{ ...j.items[0], n: 9 }, j.items[1]] }));
    expect(hex(kept.bytes)).toContain('70 ff 71'); // the other label's bytes, untouched
    expect(kept.warnings.map((w) => w.kind)).toEqual(['unknown-kept']);
    const r = apply(bytes, JSON.stringify({ ...j, items: [j.items[0], { label: 'pq', n: 4 }] }));
    expect(r.warnings.find((w) => w.kind === 'invalid-utf8-replaced')).toMatchObject({ path: 'items[1].label', confirm: true });
  });

  it('removing an item that holds an unknown field says so', () => {
    const { bytes } = tricky();
    const j = json(bytes) as { items: unknown[] };
    const r = apply(bytes, JSON.stringify({ ...j, items: [j.items[1]] }));
    expect(r.changes).toEqual([{ path: 'items[0]', kind: 'remove', before: '{2 fields}' }]); // as shown: label and n
    expect(r.warnings.find((w) => w.kind === 'hidden-removed')).toMatchObject({
      path: 'items[0]',
      confirm: true,
      message: 'items[0] is removed with 1 unknown field the text does not show.',
    });
  });

  it('repeated numbers: a changed element is set where it is, a new one goes beside its neighbours, the rest keep their bytes', () => {
    const { bytes } = tricky();
    const j = json(bytes);
    const set = apply(bytes, JSON.stringify({ ...j, codes: [1, 301, 7] }));
    expect(hex(set.bytes)).toContain('1a 03 01 ad 02'); // packed run 1, 301
    expect(hex(set.bytes)).toContain('18 07'); // 7 still unpacked
    const added = apply(bytes, JSON.stringify({ ...j, codes: [1, 300, 7, 8] }));
    expect(hex(added.bytes)).toContain('18 07 18 08'); // 8 after 7, unpacked like it
    expect(added.changes).toEqual([{ path: 'codes[3]', kind: 'add', after: '8' }]);
    const removed = apply(bytes, JSON.stringify({ ...j, codes: [1, 7] }));
    expect(hex(removed.bytes)).toContain('1a 01 01'); // the packed run holds 1 only
    expect(json(removed.bytes).codes).toEqual([1, 7]);
  });

  it('maps change entry by entry, in any key order; oneofs switch members', () => {
    const w = new WireWriter();
    for (const [k, v] of [
      ['x', 1],
      ['y', 2],
    ] as const) {
      const e = new WireWriter().tag(1, WireType.LEN).lengthDelimited(utf8(k)).tag(2, WireType.VARINT).uvarint(v).finish().slice();
      w.tag(5, WireType.LEN).uvarint(e.length).raw(e); // map<string, int32> attrs = 5: entry k → v
    }
    w.tag(8, WireType.VARINT).uvarint(4); // int32 b = 8 (oneof pick)
    w.tag(7, WireType.LEN).lengthDelimited(utf8('won')); // string a = 7 (oneof pick): the member read
    const bytes = w.finish().slice();
    expect(json(bytes)).toEqual({ attrs: { x: 1, y: 2 }, a: 'won' });
    const reordered = apply(bytes, JSON.stringify({ a: 'won', attrs: { y: 2, x: 1 } }));
    expect(reordered.after).toBeNull();
    const r = apply(bytes, JSON.stringify({ attrs: { y: 5, x: 1, z: 3 }, a: 'won' }));
    expect(r.changes).toEqual([
      { path: 'attrs["y"]', kind: 'set', before: '2', after: '5' },
      { path: 'attrs["z"]', kind: 'add', after: '{2 fields}' },
    ]);
    expect(json(r.bytes)).toEqual({ attrs: { x: 1, y: 5, z: 3 }, a: 'won' });
    expect(hex(r.bytes).startsWith(hex(bytes.subarray(0, 7)))).toBe(true); // entry x untouched
    const b = apply(bytes, JSON.stringify({ attrs: { x: 1, y: 2 }, b: 6 }));
    expect(json(b.bytes)).toEqual({ attrs: { x: 1, y: 2 }, b: 6 });
  });

  it('an Apply that cannot be lined up with what was shown is written anew, and says so first', () => {
    // A message JSON cannot print (a Timestamp past year 9999): nothing to compare the new text with.
    const w = new WireWriter();
    w.tag(1, WireType.LEN).lengthDelimited(utf8('n')); // string name = 1
    w.tag(10, WireType.LEN).lengthDelimited(
      new WireWriter()
        .tag(1, WireType.VARINT)
        .varint64(10n ** 12n)
        .finish(),
    ); // Timestamp at = 10 { seconds = 10^12 }
    const bytes = w.finish().slice();
    expect(() => json(bytes)).toThrow();
    const r = apply(bytes, JSON.stringify({ name: 'x' }));
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'rewritten', confirm: true })]);
    expect(json(r.bytes)).toEqual({ name: 'x' });
  });
});
