import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { messageFromJson, messageToJson, jsonTextToBinary, ProtoJsonError } from './proto-json';

const root = protobuf.parse(`
syntax = "proto3";
package t;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
enum Color { RED = 0; BLUE = 2; }
message Inner { string name = 1; }
message M {
  int64 big = 1;
  uint64 ubig = 2;
  Color color = 3;
  bytes data = 4;
  google.protobuf.Timestamp at = 5;
  google.protobuf.Duration took = 6;
  oneof kind { Inner inner = 7; string text = 8; }
  map<string, int32> counts = 9;
  repeated Inner items = 10;
  google.protobuf.Int64Value maybe = 11;
  optional int32 opt = 12;
  double ratio = 13;
}
`, { keepCase: true }).root;
for (const f of ['google/protobuf/timestamp.proto', 'google/protobuf/duration.proto', 'google/protobuf/wrappers.proto']) root.addJSON(protobuf.common.get(f)!.nested!);
root.resolveAll();
const M = root.lookupType('t.M');

describe('proto3 JSON', () => {
  it('round-trips every kind of field, 64-bit values exactly', () => {
    const json = {
      big: '-9223372036854775808', ubig: '18446744073709551615', color: 'BLUE', data: 'AAEC/w==',
      at: '2024-01-02T03:04:05.123456Z', took: '-1.500s', inner: { name: 'x' }, counts: { a: 1 },
      items: [{ name: 'i' }], maybe: '42', opt: 0, ratio: 'NaN',
    };
    const msg = messageFromJson(M, json);
    const back = messageToJson(M, M.decode(M.encode(msg).finish()));
    expect(back).toEqual({ ...json, took: '-1.500s' });
  });

  it('accepts .proto names and JSON names, omits defaults, can emit them with .proto names', () => {
    const msg = messageFromJson(M, { ubig: 5, text: 'hi' });
    expect(messageToJson(M, msg)).toEqual({ ubig: '5', text: 'hi' });
    const full = messageToJson(M, messageFromJson(M, {}), { emitDefaults: true, protoNames: true }) as Record<string, unknown>;
    expect(full).toMatchObject({ big: '0', color: 'RED', data: '', at: null, counts: {}, items: [], ratio: 0 });
    expect('inner' in full || 'text' in full || 'opt' in full).toBe(false);
  });

  it('names the path of bad input', () => {
    expect(() => messageFromJson(M, { items: [{ nme: 1 }] })).toThrow(/items\[0\]\.nme/);
    expect(() => messageFromJson(M, { big: '1.5' })).toThrow(ProtoJsonError);
    expect(() => messageFromJson(M, { ubig: '-1' })).toThrow(/out of range/);
    expect(() => messageFromJson(M, { color: 'GREEN' })).toThrow(/unknown value 'GREEN'/);
    expect(() => messageFromJson(M, { inner: {}, text: 'x' })).toThrow(/oneof kind/);
    expect(() => jsonTextToBinary(M, '{')).toThrow(/not JSON/);
    expect(messageFromJson(M, { nope: 1 }, { ignoreUnknownFields: true })).toBeDefined();
  });
});
