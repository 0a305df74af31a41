import { describe, expect, it } from 'vitest';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources, SchemaRegistry } from '../schema/registry';
import { WireWriter } from '../wire/wire-writer';
import { fromJson } from './json-parse';
import { toJson } from './json-print';
import { fromText } from './text-parse';
import { toText } from './text-print';

/** MessageSet (proto2 message_set_wire_format): decoded, printed and encoded as protoc 36 does. */
const FILES = {
  'ms.proto': `syntax = "proto2";
package ms;
message Set {
  option message_set_wire_format = true;
  extensions 4 to max;
}
message Ext1 {
  extend Set { optional Ext1 ext1 = 100; }
  optional int32 a = 1;
  optional string s = 2;
}
message Ext2 {
  extend Set { optional Ext2 message_set_extension = 200; }
  optional int32 b = 1;
}
message Other { optional int32 c = 1; }
extend Set { optional Other other = 300; }
message Holder { optional Set set = 1; repeated Set sets = 2; }
`,
};
const protoc = protocSchema(FILES);
const fromSource = loadSchemaSources(Object.entries(FILES).map(([name, contents]) => ({ name, contents })));
const fromSet = new SchemaRegistry();
fromSet.addDescriptorSet(protoc.descriptorSet());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('MessageSet', () => {
  const text = '[ms.Ext1] { a: 5 s: "x" } [ms.Ext2] { b: 7 } [ms.other] { c: 1 }';
  const bytes = protoc.encode('ms.Set', text);

  it('is written as items (group 1: type_id 2, message 3) by protoc, and encoded the same from text', () => {
    expect(hex(bytes)).toBe('0b10641a0508051201780c0b10c8011a0208070c0b10ac021a0208010c');
    for (const registry of [fromSource, fromSet]) {
      const Set = registry.findMessage('ms.Set')!;
      expect(hex(encodeMessage(fromText(text, Set, { registry }), new Uint8Array(0)))).toBe(hex(bytes));
      // The extensions' full names read too.
      const full = '[ms.Ext1.ext1] { a: 5 s: "x" } [ms.Ext2.message_set_extension] { b: 7 } [ms.other] { c: 1 }';
      expect(hex(encodeMessage(fromText(full, Set, { registry }), new Uint8Array(0)))).toBe(hex(protoc.encode('ms.Set', full)));
    }
  });

  it('prints each item as its extension, under the message type name when declared inside it (as protoc)', () => {
    for (const registry of [fromSource, fromSet]) {
      const printed = toText(decodeMessage(bytes, registry.findMessage('ms.Set')!));
      expect(printed).toBe(protoc.decode('ms.Set', bytes));
      expect(printed).toContain('[ms.Ext1] {');
      expect(printed).toContain('[ms.other] {');
    }
  });

  it('reads items as protoc: message before type_id, merged items, unknown type_ids, parts missing', () => {
    const Holder = fromSource.findMessage('ms.Holder')!;
    // An item: group 1 { ... } holding the given fields; set = 1 of Holder wraps them.
    const item =
      (...parts: ((w: WireWriter) => void)[]) =>
      (w: WireWriter) => {
        w.tag(1, 3);
        for (const p of parts) p(w);
        w.tag(1, 4);
      };
    const typeId = (n: number) => (w: WireWriter) => void w.tag(2, 0).uvarint(n);
    const message = (b: number[]) => (w: WireWriter) => void w.tag(3, 2).lengthDelimited(Uint8Array.from(b));
    const set = (...parts: ((w: WireWriter) => void)[]) => {
      const inner = new WireWriter();
      for (const p of parts) p(inner);
      return new WireWriter().tag(1, 2).lengthDelimited(inner.finish()).finish().slice();
    };
    const cases = [
      set(item(message([0x08, 0x05]), typeId(100))), // message first, then type_id 100 (ext1 { a: 5 })
      set(item(typeId(100), message([0x08, 0x05])), item(typeId(100), message([0x12, 0x01, 0x78]))), // two items of ext1: merged
      set(item(typeId(999), message([0x08, 0x01]))), // type_id 999: an unknown field 999 { 1: 1 }
      set(item(typeId(100))), // a type_id without a message: dropped
      set(item(message([0x08, 0x05]))), // a message without a type_id: dropped
      set(item(typeId(100), message([0x08, 0x05]), (w) => void w.tag(4, 0).uvarint(7))), // an extra field 4 in the item: skipped
      set(item(typeId(999), message([]))), // unknown type_id, empty message: 999: ""
      set(item(typeId(100), message([0x08, 0x05])), (w) => void w.tag(1, 0).uvarint(1)), // an item, then a plain varint field 1
      set((w) => void w.tag(100, 2).lengthDelimited(Uint8Array.from([0x08, 0x05]))), // ext1 written as a plain field 100
    ];
    for (const b of cases) expect(toText(decodeMessage(b, Holder)), hex(b)).toBe(protoc.decode('ms.Holder', b));
  });

  it('prints in JSON as extensions and reads back to the same bytes', () => {
    const Set = fromSource.findMessage('ms.Set')!;
    const json = toJson(decodeMessage(bytes, Set), { registry: fromSource });
    expect(json).toEqual({ '[ms.Ext1.ext1]': { a: 5, s: 'x' }, '[ms.Ext2.message_set_extension]': { b: 7 }, '[ms.other]': { c: 1 } });
    expect(hex(encodeMessage(fromJson(JSON.stringify(json), Set, { registry: fromSource }), new Uint8Array(0)))).toBe(hex(bytes));
  });
});
