// The replay / mock side's JSON adapters: binary bytes ⇄ canonical proto3 JSON through
// core/document and core/format (whose own tests check the format against protobuf-es).
import { describe, expect, it } from 'vitest';
import { loadSchemaSources } from '../../core/schema/registry';
import { JsonFormatError } from '../../core/format';
import { DecodeError } from '../../core/wire/decode-error';
import { bytesToJson, fieldsThatFit, jsonToBytes } from './proto-json';

const registry = loadSchemaSources([
  {
    name: 't.proto',
    contents: `
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
  string room_name = 14;
}
message Other { string text = 1; int32 room_name = 2; Inner items = 3; }
`,
  },
]);
const M = registry.findMessage('t.M')!;
const Other = registry.findMessage('t.Other')!;

describe('proto3 JSON of binary messages', () => {
  it('round-trips every kind of field through bytes, 64-bit values exactly', () => {
    const json = {
      big: '-9223372036854775808',
      ubig: '18446744073709551615',
      color: 'BLUE',
      data: 'AAEC/w==',
      at: '2024-01-02T03:04:05.123456Z',
      took: '-1.500s',
      inner: { name: 'x' },
      counts: { a: 1 },
      items: [{ name: 'i' }],
      maybe: '42',
      opt: 0,
      ratio: 'NaN',
      roomName: 'r',
    };
    expect(bytesToJson(M, jsonToBytes(M, json))).toEqual(json);
    // JSON text and .proto names are read too; Twirp's style prints .proto names and unpopulated fields.
    const bytes = jsonToBytes(M, '{"room_name": "r", "ubig": 5}');
    expect(bytesToJson(M, bytes)).toEqual({ ubig: '5', roomName: 'r' });
    expect(bytesToJson(M, bytes, { protoNames: true, emitUnpopulated: true })).toMatchObject({
      big: '0',
      room_name: 'r',
      at: null,
      items: [],
      counts: {},
    });
  });

  it('names where and what is wrong in bad JSON and in malformed bytes', () => {
    const bad = (json: unknown): unknown => {
      try {
        return jsonToBytes(M, json);
      } catch (e) {
        return e;
      }
    };
    expect(bad({ items: [{ nme: 1 }] })).toMatchObject({
      path: '$.items[0].nme',
      message: 'at $.items[0].nme: t.Inner has no field named "nme"',
    });
    expect(bad({ big: '1.5' })).toBeInstanceOf(JsonFormatError);
    expect(bad({ ubig: '-1' })).toMatchObject({ path: '$.ubig', message: expect.stringMatching(/out of range for uint64/) });
    expect(bad({ color: 'GREEN' })).toMatchObject({
      path: '$.color',
      message: expect.stringMatching(/"GREEN" is not a value of enum t\.Color/),
    });
    expect(bad({ inner: {}, text: 'x' })).toMatchObject({
      path: '$.text',
      message: expect.stringMatching(/oneof "kind" already has "inner"/),
    });
    expect(bad('{')).toMatchObject({ message: expect.stringMatching(/invalid JSON at line 1, column 2/) });
    expect(jsonToBytes(M, { nope: 1, roomName: 'r' }, { ignoreUnknownFields: true })).toEqual(jsonToBytes(M, { roomName: 'r' }));
    // string room_name = 14, length 5, only 1 byte there
    expect(() => bytesToJson(M, Uint8Array.of(0x72, 5, 0x61))).toThrow(DecodeError);
  });

  it('keeps the fields another type holds under the same name and type, and names the rest', () => {
    const json = bytesToJson(M, jsonToBytes(M, { text: 'hi', roomName: 'r', items: [{ name: 'i' }], big: '1' })) as Record<string, unknown>;
    expect(fieldsThatFit(Other, json)).toEqual({ kept: { text: 'hi' }, dropped: ['big', 'items', 'roomName'] });
  });
});
