import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadSchemaSources } from '../../schema/registry';
import { WireWriter } from '../../wire/wire-writer';
import { WireType } from '../../wire/wire-types';
import { createCoreEngine } from '../core-engine';
import type { Schemas } from '../engine';
import { toTextFormat } from '../text-adapter';

const registry = loadSchemaSources([
  {
    name: 'p.proto',
    contents: `syntax = "proto3"; package p;
message Item { string label = 1; int32 n = 2; }
message Msg { string name = 1; uint32 size = 2; repeated int32 codes = 3; repeated Item items = 4; }`,
  },
]);
const Msg = registry.findMessage('p.Msg')!;
const schemas = { registry } as unknown as Schemas;
const engine = createCoreEngine();
const utf8 = (t: string) => new TextEncoder().encode(t);

/** One top-level field occurrence as bytes; `name` marks a name field (the one the property edits). */
type Piece = { bytes: Uint8Array; name?: boolean };

const w = () => new WireWriter();
/** An unknown field at the top level (the property checks they all survive). */
type Unknown = Piece & { unknown: true };
const unknownPiece: fc.Arbitrary<Unknown> = fc.oneof(
  fc.integer({ min: 20, max: 40 }).map((f) => ({ bytes: w().tag(f, WireType.VARINT).uvarint(f).finish().slice(), unknown: true as const })), // an unknown varint field
  fc
    .uint8Array({ maxLength: 5 })
    .map((b) => ({ bytes: w().tag(50, WireType.LEN).lengthDelimited(b).finish().slice(), unknown: true as const })), // an unknown LEN field
);
const piece: fc.Arbitrary<Piece> = fc.oneof(
  unknownPiece,
  fc.string({ maxLength: 6 }).map((s) => ({ bytes: w().tag(1, WireType.LEN).lengthDelimited(utf8(s)).finish().slice(), name: true })), // string name = 1
  fc.integer({ min: 0, max: 1000 }).map((n) => ({ bytes: w().tag(2, WireType.VARINT).uvarint(n).finish().slice() })), // uint32 size = 2
  fc.integer({ min: 0, max: 127 }).map((n) => ({ bytes: new Uint8Array([0x10, n | 0x80, 0x80, 0x00]) })), // uint32 size = 2, as an overlong varint
  fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 3 }).map((ns) => {
    const body = w();
    for (const n of ns) body.uvarint(n);
    return { bytes: w().tag(3, WireType.LEN).lengthDelimited(body.finish()).finish().slice() }; // packed int32 codes = 3
  }),
  fc.integer({ min: 0, max: 300 }).map((n) => ({ bytes: w().tag(3, WireType.VARINT).uvarint(n).finish().slice() })), // int32 codes = 3, unpacked
  fc.tuple(fc.string({ maxLength: 4 }), fc.boolean()).map(([label, extra]) => {
    const item = w().tag(1, WireType.LEN).lengthDelimited(utf8(label)); // string label = 1
    if (extra) item.tag(9, WireType.VARINT).uvarint(5); // unknown field 9 inside the item
    const body = item.finish().slice();
    return { bytes: w().tag(4, WireType.LEN).uvarint(body.length).raw(body).finish().slice() }; // Item items = 4
  }),
);

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('a JSON Apply that renames keeps every other byte', () => {
  it('for any mix of duplicates, packed and unpacked runs, overlong varints and unknown fields, only the name read changes', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.string({ maxLength: 8 }), (pieces, newName) => {
        const bytes = new Uint8Array(pieces.flatMap((p) => [...p.bytes]));
        const json = JSON.parse(toTextFormat(bytes, Msg, 'json', schemas)) as Record<string, unknown>;
        const want = { ...json, name: newName };
        const r = engine.applyText(engine.open(bytes, Msg), JSON.stringify(want), Msg, 'json', schemas);
        const out = r.after ? r.after.encode() : bytes;
        // It means what the text says.
        const { name: _old, ...rest } = json;
        expect(JSON.parse(toTextFormat(out, Msg, 'json', schemas))).toEqual(newName === '' ? rest : want); // "" is not printed
        expect(r.warnings.filter((x) => x.kind === 'rewritten')).toEqual([]);
        // Every occurrence but the name a runtime reads (the last one) is still there, byte for byte, in order.
        const last = pieces.map((p) => !!p.name).lastIndexOf(true);
        const kept = pieces.filter((_p, i) => i !== last).map((p) => hex(p.bytes));
        let at = 0;
        const h = hex(out);
        for (const k of kept) {
          const i = h.indexOf(k, at);
          expect(i, `occurrence ${k} kept`).toBeGreaterThanOrEqual(0);
          at = i + k.length;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any change of size, codes or items means what the text says, and keeps every unknown field at the top level in order', () => {
    const edit = fc.record({
      size: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      codes: fc.option(fc.array(fc.integer({ min: -5, max: 400 }), { maxLength: 5 }), { nil: undefined }),
      dropItem: fc.boolean(),
      addItem: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), edit, (pieces, e) => {
        const bytes = new Uint8Array(pieces.flatMap((p) => [...p.bytes]));
        const json = JSON.parse(toTextFormat(bytes, Msg, 'json', schemas)) as { items?: unknown[]; [k: string]: unknown };
        const want: Record<string, unknown> = { ...json };
        if (e.size !== undefined) want.size = e.size;
        if (e.codes !== undefined) want.codes = e.codes;
        const items = [...(json.items ?? [])];
        if (e.dropItem) items.shift();
        if (e.addItem !== undefined) items.push({ label: e.addItem });
        want.items = items;
        const r = engine.applyText(engine.open(bytes, Msg), JSON.stringify(want), Msg, 'json', schemas);
        const out = r.after ? r.after.encode() : bytes;
        const again = engine.applyText(engine.open(out, Msg), JSON.stringify(want), Msg, 'json', schemas);
        expect(again.after).toBeNull(); // the result already means what the text says
        expect(r.warnings.filter((x) => x.kind === 'rewritten')).toEqual([]);
        let at = 0;
        const h = hex(out);
        for (const u of pieces.filter((p): p is Unknown => 'unknown' in p)) {
          const i = h.indexOf(hex(u.bytes), at);
          expect(i, `unknown field ${hex(u.bytes)} kept`).toBeGreaterThanOrEqual(0);
          at = i + hex(u.bytes).length;
        }
      }),
      { numRuns: 300 },
    );
  });
});
