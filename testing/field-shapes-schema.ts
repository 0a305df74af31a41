/** Test fixtures: a proto2 and a proto3 schema covering every field shape (used by the core/document tests). */
import protobuf from 'protobufjs';
import type { Type } from 'protobufjs';

/** A proto2 schema with scalars, repeated (packed and not), maps, a group, oneofs, Any, an extension, recursion. */
export const TEST_PROTO2 = `
syntax = "proto2";
package test;
enum Color { RED = 0; GREEN = 1; BLUE = 2; }
message Scalars {
  optional double d = 1;     optional float f = 2;      optional int32 i32 = 3;    optional int64 i64 = 4;
  optional uint32 u32 = 5;   optional uint64 u64 = 6;   optional sint32 s32 = 7;   optional sint64 s64 = 8;
  optional fixed32 fx32 = 9; optional fixed64 fx64 = 10; optional sfixed32 sf32 = 11; optional sfixed64 sf64 = 12;
  optional bool b = 13;      optional string s = 14;    optional bytes by = 15;    optional Color color = 16;
}
message Person { optional string name = 1; optional int32 id = 2; repeated string emails = 3; }
message Outer {
  optional string name = 1;
  repeated Person participants = 2;
  repeated int32 nums = 3 [packed = true];
  repeated int32 unpacked = 4;
  map<string, int32> counts = 5;
  map<int32, Person> people = 6;
  optional group Grp = 7 { optional int32 a = 8; optional string b = 9; }
  oneof choice { string text = 10; int64 number = 11; Person who = 12; }
  optional Color color = 13;
  optional Outer child = 14;
  optional google.protobuf.Any any = 15;
  repeated Color colors = 16;
  optional Scalars scalars = 17;
  repeated sint64 big = 18 [packed = true];
  extensions 100 to 199;
}
extend Outer { optional int32 ext_num = 100; }
message Deep { optional Deep next = 1; optional int32 v = 2; }
message Batch { repeated Scalars items = 1; }
`;

/** A proto3 schema: implicit packing, proto3 optional, a oneof. */
export const TEST_PROTO3 = `
syntax = "proto3";
package test3;
message P3 {
  optional int32 maybe = 1;
  repeated int32 packed_default = 2;
  repeated string tags = 3;
  repeated double ds = 4;
  oneof o { string s = 5; int32 i = 6; }
  repeated uint64 u64s = 7;
  repeated int32 not_packed = 8 [packed = false];
}
`;

const ANY_PROTO = `syntax = "proto3"; package google.protobuf; message Any { string type_url = 1; bytes value = 2; }`;

/** A resolved root holding both test schemas and google.protobuf.Any. */
export function testRoot(): protobuf.Root {
  const root = new protobuf.Root();
  protobuf.parse(ANY_PROTO, root, { keepCase: true });
  protobuf.parse(TEST_PROTO2, root, { keepCase: true });
  protobuf.parse(TEST_PROTO3, root, { keepCase: true });
  root.resolveAll();
  return root;
}

/** Looks up a message type of the test root. */
export function testType(name: string, root = testRoot()): Type {
  return root.lookupType(name);
}
