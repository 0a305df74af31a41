import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { fromJson, JsonPrintError, toJson, toText } from '../core/format';
import { loadSchemaSources } from '../core/schema/registry';
import { WireWriter } from '../core/wire/wire-writer';
import { protocSchema } from '../testing/protoc';
import { guard, hex } from './compare';
import { esReferee } from './referees/protobuf-es';
import { CONFORMANCE_SCHEMAS } from './schemas';

/** Differences the conformance suite found, each kept as a minimal case beside the referees. */
const schema = CONFORMANCE_SCHEMAS.find((s) => s.syntax === 'proto3')!;
const protoc = protocSchema(schema.files);
const es = esReferee(protoc.descriptorSet());
const registry = loadSchemaSources(Object.entries(schema.files).map(([name, contents]) => ({ name, contents })));
const utf8 = new TextEncoder();

describe('found by the conformance suite', () => {
  it('an Any merged from two occurrences of its parent is read as its final type: a value that does not decode is refused, not printed as {}', () => {
    const any = (url: string, value?: Uint8Array) => {
      const w = new WireWriter().tag(1, 2).lengthDelimited(utf8.encode(`type.googleapis.com/${url}`));
      if (value) w.tag(2, 2).lengthDelimited(value);
      return w.finish().slice();
    };
    const wkt = (anyBytes: Uint8Array) => new WireWriter().tag(1, 2).lengthDelimited(anyBytes).finish().slice();
    // All.wkt twice: its Any first holds a StringValue {value: "\n"}, then names a Struct without a value.
    // Merged, the Any is a Struct whose value is "\n\x01\n", which does not decode as a Struct.
    const bytes = new WireWriter()
      .tag(6, 2)
      .lengthDelimited(wkt(any('google.protobuf.StringValue', Uint8Array.of(0x0a, 0x01, 0x0a))))
      .tag(6, 2)
      .lengthDelimited(wkt(any('google.protobuf.Struct')))
      .finish()
      .slice();
    expect(protoc.decode('c3.All', bytes)).toContain('type_url: "type.googleapis.com/google.protobuf.Struct"\n    value: "\\n\\001\\n"');
    expect(() => es.toJson('c3.All', bytes)).toThrow(/premature EOF/);
    const root = decodeMessage(bytes, registry.findMessage('c3.All')!, { resolveType: (n) => registry.findMessage(n) });
    expect(() => toJson(root, { registry })).toThrowError(JsonPrintError);
    expect(() => toJson(root, { registry })).toThrowError(/\$\.wkt\.any\.value: .*does not decode as google\.protobuf\.Struct/);
  });

  describe('binary nesting around the limit of 100: the product counts as protoc, where protobuf-es counts otherwise', () => {
    const R = registry.findMessage('c3.Recursive')!;
    const ok = (f: () => unknown) => !(guard(f) instanceof Error);
    /** c3.Recursive holding `child` n - 1 times: n messages in all. */
    const chain = (n: number) => {
      let b = new WireWriter().tag(1, 0).uvarint(1).finish().slice();
      for (let i = 1; i < n; i++) b = new WireWriter().tag(2, 2).lengthDelimited(b).finish().slice();
      return b;
    };
    /** c3.Recursive holding by_key {"k": ...} `levels` times: each level an entry and a value, 2 * levels + 1 messages. */
    const mapChain = (levels: number) => {
      let b = new Uint8Array(0);
      for (let i = 0; i < levels; i++) {
        const entry = new WireWriter().tag(1, 2).lengthDelimited(utf8.encode('k')).tag(2, 2).lengthDelimited(b).finish();
        b = new WireWriter().tag(4, 2).lengthDelimited(entry).finish().slice();
      }
      return b;
    };
    const outcomes = (bytes: Uint8Array) => ({
      protoc: ok(() => protoc.decode('c3.Recursive', bytes)),
      ours: ok(() => toText(decodeMessage(bytes, R), { registry })),
      protobufEs: ok(() => es.toJson('c3.Recursive', bytes)),
    });

    it('101 messages decode (100 below the top one, as protoc); protobuf-es counts the top one and refuses', () => {
      expect(outcomes(chain(100))).toEqual({ protoc: true, ours: true, protobufEs: true });
      expect(outcomes(chain(101))).toEqual({ protoc: true, ours: true, protobufEs: false });
      expect(outcomes(chain(102))).toEqual({ protoc: false, ours: false, protobufEs: false });
    });

    it('a map entry counts as a message, as for protoc; protobuf-es does not count it', () => {
      expect(outcomes(mapChain(50))).toEqual({ protoc: true, ours: true, protobufEs: true });
      expect(outcomes(mapChain(51))).toEqual({ protoc: false, ours: false, protobufEs: true });
    });

    it('JSON of 101 messages prints, and reads back neither here nor in protobuf-es: JSON readers stop at 100 with the top one', () => {
      const json = JSON.stringify(toJson(decodeMessage(chain(101), R), { registry }));
      expect(() => es.fromJson('c3.Recursive', json)).toThrow(/maximum recursion depth of 100/);
      expect(() => fromJson(json, R, { registry })).toThrowError(/^at \$(\.child){100}: messages nest deeper than 100 levels/);
      const shallower = JSON.stringify(toJson(decodeMessage(chain(100), R), { registry }));
      expect(hex(encodeMessage(fromJson(shallower, R, { registry }), new Uint8Array(0)))).toBe(hex(es.fromJson('c3.Recursive', shallower)));
    });
  });
});
