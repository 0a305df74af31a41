/**
 * Schemas and messages (as protoc text) shared by the text format tests (core/format/text-print.test.ts,
 * text-parse.test.ts): proto2 with every field shape, extensions, groups and maps; proto3 with Any and Timestamp.
 */

/** proto2: every scalar type, enums with aliases, groups, maps, oneofs, extensions (package t2). */
export const TEXT_P2 = `syntax = "proto2";
package t2;
enum Color { RED = 0; GREEN = 1; BLUE = 2; }
enum Aliased { option allow_alias = true; FIRST = 1; ALSO_FIRST = 1; SECOND = 2; }
message Sub { optional int32 a = 1; optional string s = 2; repeated int32 r = 3; optional Sub child = 4; }
message All {
  optional double d = 1;
  optional float f = 2;
  optional int64 i64 = 3;
  optional uint64 u64 = 4;
  optional int32 i32 = 5;
  optional uint32 u32 = 6;
  optional sint32 s32 = 7;
  optional sint64 s64 = 8;
  optional fixed32 fx32 = 9;
  optional fixed64 fx64 = 10;
  optional sfixed32 sfx32 = 11;
  optional sfixed64 sfx64 = 12;
  optional bool b = 13;
  optional string s = 14;
  optional bytes by = 15;
  optional Color c = 16;
  optional Sub sub = 17;
  repeated int32 ri = 18;
  repeated int32 pi = 19 [packed = true];
  optional group G = 20 { optional int32 ga = 1; optional string gs = 2; }
  map<string, int32> msi = 21;
  map<int32, Sub> mis = 22;
  repeated double rd = 23;
  repeated float rf = 24;
  repeated Sub rsub = 25;
  repeated Color rc = 26;
  oneof o { int32 oi = 27; string os = 28; Sub osub = 29; }
  optional Aliased al = 30;
  map<bool, string> mbs = 31;
  map<uint64, Color> muc = 32;
  repeated string rs = 33;
  repeated group RG = 34 { optional int32 x = 1; }
  optional int32 with_default = 35 [default = 42];
  extensions 100 to 200;
}
extend All {
  optional int32 ext_i = 100;
  repeated string ext_rs = 101;
  optional Sub ext_sub = 102;
}
message Holder { extend All { optional bool nested_ext = 103; } }
`;

/** proto3: maps, oneofs, `optional`, Any, Timestamp (package t3). */
export const TEXT_P3 = `syntax = "proto3";
package t3;
import "google/protobuf/any.proto";
import "google/protobuf/timestamp.proto";
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; SAD = 2; }
message Inner { int32 v = 1; repeated string tags = 2; }
message Msg {
  int32 i = 1;
  string s = 2;
  bytes b = 3;
  double d = 4;
  float f = 5;
  bool ok = 6;
  Mood mood = 7;
  Inner inner = 8;
  repeated int32 nums = 9;
  repeated Inner inners = 10;
  map<string, Inner> by_name = 11;
  map<sint64, string> by_num = 12;
  optional int32 opt = 13;
  oneof choice { string text = 14; Inner nested = 15; int64 big = 16; }
  google.protobuf.Any any = 17;
  google.protobuf.Timestamp ts = 18;
  repeated Mood moods = 19;
  uint64 u64 = 20;
  repeated double ds = 21;
}
`;

/** The two files, by name, as protocSchema and loadSchemaSources take them. */
export const TEXT_FORMAT_FILES = { 'p2.proto': TEXT_P2, 'p3.proto': TEXT_P3 };

/** Messages of t2.All in protoc's text format, covering every field shape. */
export const P2_CASES = [
  'd: 0.1 f: 0.1 i64: -5 u64: 18446744073709551615 i32: -1 u32: 4294967295 s32: -2147483648 s64: -9223372036854775808',
  'fx32: 4294967295 fx64: 18446744073709551615 sfx32: -1 sfx64: -9223372036854775808 b: true',
  's: "h\\351llo\\n\\t\\"q\\x27\\\\ \\001 \\x7f é 😀" by: "\\000\\377abc"',
  'c: BLUE sub { a: 1 s: "x" child { a: 2 } } ri: 3 ri: 1 pi: 1 pi: 2 pi: -1',
  'G { ga: 5 gs: "g" } msi { key: "b" value: 2 } msi { key: "a" value: 1 } msi { key: "" value: 0 } msi { key: "é" value: 3 } msi { key: "B" value: 4 }',
  'mis { key: 2 value { a: 2 } } mis { key: -1 value { } } mis { key: 0 }',
  'rd: 0.3333333333333333 rd: 1e21 rd: 1e-5 rd: 123456789012345678 rd: -0 rd: inf rd: -inf rd: nan rd: 100 rd: 1.5 rd: 2.5e-308 rd: 4.9e-324 rd: 1.7976931348623157e308 rd: 0.000123456789 rd: 1234567.0 rd: 1e15 rd: 1e16 rd: 1e17',
  'rf: 0.1 rf: 3.4028235e38 rf: 1e-45 rf: 16777217 rf: 1.1754944e-38 rf: 0.333333343 rf: 100000 rf: 1e6 rf: 1e7 rf: 1234567 rf: -inf rf: nan',
  'rsub { a: 1 } rsub { } rsub { r: [1, 2, 3] } rc: RED rc: BLUE rc: GREEN',
  'oi: 5',
  'os: ""',
  'osub { }',
  'al: FIRST',
  'al: SECOND',
  'mbs { key: true value: "t" } mbs { key: false value: "f" } muc { key: 18446744073709551615 value: BLUE } muc { key: 1 value: RED }',
  'rs: "a" rs: "" rs: "\\r\\n" RG { x: 1 } RG { } RG { x: -1 } with_default: 42',
  '[t2.ext_i]: 7 [t2.ext_rs]: "x" [t2.ext_rs]: "y" [t2.ext_sub] { a: 1 } [t2.Holder.nested_ext]: true i32: 1',
  '',
];

/** Messages of t3.Msg in protoc's text format. */
export const P3_CASES = [
  'i: 1 s: "x" b: "\\001" d: 1.5 f: -2.25 ok: true mood: SAD',
  'i: 0 s: "" d: 0 ok: false mood: MOOD_UNSPECIFIED opt: 0',
  'd: -0 f: -0',
  'inner { } nums: [1, 2, 300] inners { v: 1 } inners { tags: ["a", "b"] }',
  'by_name { key: "z" value { v: 26 } } by_name { key: "a" value { } } by_num { key: -5 value: "neg" } by_num { key: 3 value: "" }',
  'text: "chosen"',
  'nested { v: 3 }',
  'big: -1',
  'any { type_url: "type.googleapis.com/t3.Inner" value: "\\010\\007" } ts { seconds: 1700000000 nanos: 5 }',
  'moods: [HAPPY, SAD, MOOD_UNSPECIFIED] u64: 18446744073709551615 ds: [0.1, 0.2, 0.30000000000000004]',
];
