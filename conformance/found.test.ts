import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../core/document/decode';
import { JsonPrintError, toJson } from '../core/format';
import { loadSchemaSources } from '../core/schema/registry';
import { WireWriter } from '../core/wire/wire-writer';
import { protocSchema } from '../testing/protoc';
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
});
