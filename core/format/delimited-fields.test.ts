import { describe, expect, it } from 'vitest';
import { esReferee } from '../../conformance/referees/protobuf-es';
import { protocSchema } from '../../testing/protoc';
import { decodeMessage } from '../document/decode';
import { encodeMessage } from '../document/encode';
import { loadSchemaSources, SchemaRegistry } from '../schema/registry';
import { fromJson } from './json-parse';
import { toJson } from './json-print';
import { fromText } from './text-parse';
import { toText } from './text-print';

/** Groups (proto2) and editions DELIMITED fields: their names in text format and JSON, as protoc 36 and protobuf-es v2 give them. */
const FILES = {
  'g.proto': `syntax = "proto2";
package g;
message M {
  repeated group RepeatedData = 7 { optional int32 x = 1; }
  optional group Single = 8 { optional string s = 1; }
  extensions 100 to 200;
}
extend M { optional group ExtG = 100 { optional int32 q = 1; } }
`,
  'e.proto': `edition = "2023";
package e;
message Child { int32 a = 1; }
message M {
  Child delimited = 1 [features.message_encoding = DELIMITED];
  message Grp { int32 x = 1; }
  Grp grp = 2 [features.message_encoding = DELIMITED];
  repeated Grp grps = 3 [features.message_encoding = DELIMITED];
  Child plain = 4;
}
`,
};
const protoc = protocSchema(FILES);
const fromSource = loadSchemaSources(Object.entries(FILES).map(([name, contents]) => ({ name, contents })));
const fromSet = new SchemaRegistry();
fromSet.addDescriptorSet(protoc.descriptorSet());
const es = esReferee(protoc.descriptorSet());

const encodeText = (registry: SchemaRegistry, type: string, text: string) =>
  Buffer.from(encodeMessage(fromText(text, registry.findMessage(type)!, { registry }), new Uint8Array(0))).toString('hex');

describe('group field names', () => {
  it('are the lowercase type name, from .proto sources as from descriptor sets (protoc names the field "repeateddata")', () => {
    for (const registry of [fromSource, fromSet]) {
      const M = registry.findMessage('g.M')!;
      expect(M.fieldsById[7].name).toBe('repeateddata');
      expect(M.fieldsById[7].jsonName).toBe('repeateddata');
      expect(M.fieldsById[8].name).toBe('single');
      expect(registry.findExtension('g.extg')).toBeDefined();
    }
  });

  it('print in text under the type name and in JSON under the field name, as protoc and protobuf-es do', () => {
    const text = 'RepeatedData { x: 1 } RepeatedData { x: 2 } Single { s: "a" } [g.extg] { q: 3 }';
    const bytes = protoc.encode('g.M', text);
    for (const registry of [fromSource, fromSet]) {
      const root = decodeMessage(bytes, registry.findMessage('g.M')!);
      expect(toText(root)).toBe(protoc.decode('g.M', bytes));
      expect(toJson(root, { registry })).toEqual(es.toJson('g.M', bytes));
      expect(toJson(root, { registry })).toMatchObject({ repeateddata: [{ x: 1 }, { x: 2 }], single: { s: 'a' } });
    }
  });

  it('read in text under the type name or the field name, never a mixed-case name (as protoc --encode)', () => {
    for (const text of ['RepeatedData { x: 1 }', 'repeateddata { x: 1 }', 'Single { s: "a" }', 'single { s: "a" }']) {
      expect(encodeText(fromSource, 'g.M', text), text).toBe(Buffer.from(protoc.encode('g.M', text)).toString('hex'));
    }
    for (const text of ['repeatedData { x: 1 }', 'SINGLE { s: "a" }']) {
      expect(() => protoc.encode('g.M', text)).toThrow(/has no field named/);
      expect(() => encodeText(fromSource, 'g.M', text)).toThrow(/has no field named/);
    }
  });

  it('read in JSON under the field name, as protobuf-es does', () => {
    const json = '{"repeateddata":[{"x":1}],"single":{"s":"a"}}';
    const ours = encodeMessage(fromJson(json, fromSource.findMessage('g.M')!), new Uint8Array(0));
    expect(Buffer.from(es.reserialize('g.M', ours))).toEqual(Buffer.from(es.fromJson('g.M', json)));
  });
});

describe('editions DELIMITED fields', () => {
  it('print under their own name unless group-like (named as their type, declared beside it), as protoc 36', () => {
    const text = 'delimited { a: 1 } Grp { x: 2 } grps { x: 3 } plain { a: 4 }';
    const bytes = protoc.encode('e.M', text);
    // delimited and Grp are written as groups (start/end tags), plain as a length-delimited message.
    expect(Buffer.from(bytes).toString('hex')).toBe('0b08010c130802141b08031c22020804');
    for (const registry of [fromSource, fromSet]) {
      const root = decodeMessage(bytes, registry.findMessage('e.M')!);
      expect(toText(root)).toBe(protoc.decode('e.M', bytes));
      expect(toText(root)).toContain('delimited {');
      expect(toJson(root, { registry })).toEqual(es.toJson('e.M', bytes));
    }
  });

  it('read under their own name, a group-like one also under its type name', () => {
    for (const text of ['delimited { a: 1 }', 'grp { x: 1 }', 'Grp { x: 1 }', 'grps { x: 1 }']) {
      expect(encodeText(fromSource, 'e.M', text), text).toBe(Buffer.from(protoc.encode('e.M', text)).toString('hex'));
    }
    for (const text of ['Child { a: 1 }', 'Delimited { a: 1 }', 'Grps { x: 1 }']) {
      expect(() => protoc.encode('e.M', text), text).toThrow(/has no field named/);
      expect(() => encodeText(fromSource, 'e.M', text), text).toThrow(/has no field named/);
    }
  });
});
