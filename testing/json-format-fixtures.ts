/** Schemas and messages (as protoc text) shared by the JSON format tests (core/format/json-print.test.ts, json-parse.test.ts). */

/** proto3: every scalar type, maps, oneofs, `optional`, and every well-known type JSON treats specially (package j). */
export const JSON_P3 = `syntax = "proto3";
package j;
import "google/protobuf/any.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/empty.proto";
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; SAD = 2; }
message Participant { string identity = 1; int64 joined_at = 2; repeated string tags = 3; }
message Room {
  int32 i32 = 1;
  int64 i64 = 2;
  uint64 u64 = 3;
  sint64 s64 = 4;
  fixed64 fx64 = 5;
  sfixed64 sfx64 = 6;
  uint32 u32 = 7;
  float f = 8;
  double d = 9;
  bool ok = 10;
  string name = 11;
  bytes data = 12;
  Mood mood = 13;
  Participant host = 14;
  repeated Participant participants = 15;
  repeated int32 nums = 16;
  map<string, int64> counts = 17;
  map<int32, Participant> by_id = 18;
  map<bool, Mood> flags = 19;
  optional int32 opt = 20;
  oneof choice { string text = 21; Participant who = 22; }
  google.protobuf.Timestamp created_at = 23;
  google.protobuf.Duration ttl = 24;
  google.protobuf.Any extra = 25;
  google.protobuf.Struct meta = 26;
  google.protobuf.Value val = 27;
  google.protobuf.ListValue list = 28;
  google.protobuf.Int64Value wi64 = 29;
  google.protobuf.StringValue wstr = 30;
  google.protobuf.BoolValue wbool = 31;
  google.protobuf.FieldMask mask = 32;
  google.protobuf.Empty empty = 33;
  google.protobuf.NullValue nul = 34;
  repeated double ds = 35;
  string custom_named = 36 [json_name = "renamed"];
  repeated Mood moods = 37;
  google.protobuf.DoubleValue wdouble = 38;
  google.protobuf.BytesValue wbytes = 39;
  google.protobuf.UInt32Value wu32 = 40;
}
`;

/** proto2: presence, a group, an extension (package j2). */
export const JSON_P2 = `syntax = "proto2";
package j2;
message Old {
  optional int32 a = 1;
  optional string s = 2 [default = "x"];
  required int64 r = 3;
  optional group G = 4 { optional int32 x = 1; }
  extensions 100 to 200;
}
extend Old { optional int32 ext = 100; }
`;

/** The two files, by name, as protocSchema and loadSchemaSources take them. */
export const JSON_FORMAT_FILES = { 'j.proto': JSON_P3, 'j2.proto': JSON_P2 };

/** Messages of j.Room in protoc's text format, covering every JSON rule. */
export const JSON_CASES = [
  'i32: -5 i64: -9223372036854775808 u64: 18446744073709551615 s64: -2 fx64: 7 sfx64: -7 u32: 4294967295',
  'f: 1.5 d: 0.1 ok: true name: "héllo \\"q\\"" data: "\\000\\377ab" mood: SAD',
  'ds: [0, -0, 1e300, 5e-324]',
  'host { identity: "a" joined_at: 1700000000000 tags: ["x", "y"] } participants { identity: "b" } participants { }',
  'nums: [1, -1, 2147483647] counts { key: "a" value: 1 } counts { key: "" value: -1 } by_id { key: -3 value { identity: "neg" } } flags { key: true value: HAPPY } flags { key: false value: MOOD_UNSPECIFIED }',
  'opt: 0',
  'text: ""',
  'who { }',
  'created_at { seconds: 1700000000 nanos: 123000000 } ttl { seconds: -1 nanos: -500000000 }',
  'created_at { } ttl { seconds: 3 nanos: 1 }',
  'created_at { seconds: -62135596800 } ttl { nanos: 1000 }',
  'extra { [type.googleapis.com/j.Participant] { identity: "p" tags: "t" } }',
  'extra { [type.googleapis.com/google.protobuf.Duration] { seconds: 2 } }',
  'meta { fields { key: "a" value { number_value: 1.5 } } fields { key: "b" value { list_value { values { string_value: "s" } values { null_value: NULL_VALUE } values { bool_value: true } } } } fields { key: "c" value { struct_value { } } } }',
  'val { null_value: NULL_VALUE } list { values { number_value: 2 } }',
  'wi64 { value: 5 } wstr { } wbool { value: true } wdouble { value: -2.5 } wbytes { value: "\\001" } wu32 { value: 7 }',
  'mask { paths: "a.b_c" paths: "d" } empty { } nul: NULL_VALUE',
  'custom_named: "r" moods: [HAPPY, SAD]',
  '',
];
