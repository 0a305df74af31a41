/** The proto3 and proto2 sources of the conformance suite (see schemas.ts). */

/** proto3: every scalar, repeated, maps of every key type, optional, oneofs, well-known types, recursion. */
export const PROTO3 = `syntax = "proto3";
package c3;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

enum Color {
  option allow_alias = true;
  COLOR_UNSPECIFIED = 0;
  RED = 1;
  CRIMSON = 1;
  GREEN = 2;
  BLUE = -1;
}

message Scalars {
  double d = 1;
  float f = 2;
  int32 i32 = 3;
  int64 i64 = 4;
  uint32 u32 = 5;
  uint64 u64 = 6;
  sint32 s32 = 7;
  sint64 s64 = 8;
  fixed32 fx32 = 9;
  fixed64 fx64 = 10;
  sfixed32 sfx32 = 11;
  sfixed64 sfx64 = 12;
  bool b = 13;
  string s = 14;
  bytes by = 15;
  Color color = 16;
}

message Repeats {
  repeated double d = 1;
  repeated float f = 2;
  repeated int32 i32 = 3;
  repeated int64 i64 = 4;
  repeated uint32 u32 = 5;
  repeated uint64 u64 = 6;
  repeated sint32 s32 = 7;
  repeated sint64 s64 = 8;
  repeated fixed32 fx32 = 9;
  repeated fixed64 fx64 = 10;
  repeated sfixed32 sfx32 = 11;
  repeated sfixed64 sfx64 = 12;
  repeated bool b = 13;
  repeated string s = 14;
  repeated bytes by = 15;
  repeated Color color = 16;
  repeated int32 unpacked_i32 = 17 [packed = false];
  repeated double unpacked_d = 18 [packed = false];
  repeated Scalars msgs = 19;
}

message Maps {
  map<int32, string> m_i32 = 1;
  map<int64, int32> m_i64 = 2;
  map<uint32, uint64> m_u32 = 3;
  map<uint64, bool> m_u64 = 4;
  map<sint32, double> m_s32 = 5;
  map<sint64, float> m_s64 = 6;
  map<fixed32, bytes> m_fx32 = 7;
  map<fixed64, Color> m_fx64 = 8;
  map<sfixed32, sint64> m_sfx32 = 9;
  map<sfixed64, fixed32> m_sfx64 = 10;
  map<bool, string> m_b = 11;
  map<string, Scalars> m_s = 12;
  map<string, Color> m_color = 13;
  map<string, google.protobuf.Value> m_value = 14;
}

message Optionals {
  optional int32 oi32 = 1;
  optional string os = 2;
  optional Color oc = 3;
  optional bytes ob = 4;
  optional double od = 5;
  optional Scalars omsg = 6;
}

message Oneofs {
  oneof choice {
    int32 oi = 1;
    string os = 2;
    Scalars om = 3;
    Color oc = 4;
    bytes ob = 5;
    google.protobuf.NullValue onull = 6;
  }
  int32 after = 7;
}

message WellKnown {
  google.protobuf.Any any = 1;
  google.protobuf.Duration dur = 2;
  google.protobuf.Empty empty = 3;
  google.protobuf.FieldMask mask = 4;
  google.protobuf.Struct st = 5;
  google.protobuf.Value val = 6;
  google.protobuf.ListValue list = 7;
  google.protobuf.Timestamp ts = 8;
  google.protobuf.DoubleValue dv = 9;
  google.protobuf.FloatValue fv = 10;
  google.protobuf.Int64Value i64v = 11;
  google.protobuf.UInt64Value u64v = 12;
  google.protobuf.Int32Value i32v = 13;
  google.protobuf.UInt32Value u32v = 14;
  google.protobuf.BoolValue bv = 15;
  google.protobuf.StringValue sv = 16;
  google.protobuf.BytesValue byv = 17;
  google.protobuf.NullValue nul = 18;
  repeated google.protobuf.Any anys = 19;
  repeated google.protobuf.Timestamp tss = 20;
  repeated google.protobuf.Value vals = 21;
  repeated google.protobuf.Duration durs = 22;
}

message Recursive {
  int32 depth = 1;
  Recursive child = 2;
  repeated Recursive children = 3;
  map<string, Recursive> by_key = 4;
}

message All {
  Scalars scalars = 1;
  Repeats repeats = 2;
  Maps maps = 3;
  Optionals optionals = 4;
  Oneofs oneofs = 5;
  WellKnown wkt = 6;
  Recursive rec = 7;
  Color top_color = 8;
  string json_named = 9 [json_name = "customName"];
  int32 snake_case_field_1 = 10;
}

message Batch {
  repeated All items = 1;
}
`;

/** proto2: defaults, closed enums, required fields, groups, extensions, MessageSet, maps, recursion. */
export const PROTO2 = `syntax = "proto2";
package c2;

enum Closed {
  ZERO = 0;
  ONE = 1;
  TWO = 2;
  NEG = -3;
}

enum StartsAtOne {
  FIRST = 1;
  SECOND = 2;
}

message Scalars {
  optional double d = 1 [default = 1.5];
  optional float f = 2 [default = inf];
  optional int32 i32 = 3 [default = -7];
  optional int64 i64 = 4;
  optional uint32 u32 = 5;
  optional uint64 u64 = 6 [default = 18446744073709551615];
  optional sint32 s32 = 7;
  optional sint64 s64 = 8;
  optional fixed32 fx32 = 9;
  optional fixed64 fx64 = 10;
  optional sfixed32 sfx32 = 11;
  optional sfixed64 sfx64 = 12;
  optional bool b = 13 [default = true];
  optional string s = 14 [default = "hi\\n"];
  optional bytes by = 15 [default = "\\001\\377"];
  optional Closed closed = 16 [default = TWO];
  optional StartsAtOne one = 17;
}

message Repeats {
  repeated int32 i32 = 1;
  repeated int64 i64 = 2;
  repeated uint64 u64 = 3;
  repeated sint32 s32 = 4;
  repeated fixed64 fx64 = 5;
  repeated float f = 6;
  repeated double d = 7;
  repeated bool b = 8;
  repeated string s = 9;
  repeated bytes by = 10;
  repeated Closed closed = 11;
  repeated int32 packed_i32 = 12 [packed = true];
  repeated Closed packed_closed = 13 [packed = true];
  repeated sfixed32 packed_sfx32 = 14 [packed = true];
  repeated Scalars msgs = 15;
}

message Req {
  required int32 a = 1;
  optional int32 b = 2;
  required string c = 3;
}

message Groups {
  optional group OptGroup = 1 {
    optional int32 a = 2;
    optional string b = 3;
  }
  repeated group RepGroup = 4 {
    optional int32 c = 5;
    repeated Closed e = 6;
  }
  optional int32 after = 7;
}

message Ext {
  optional int32 x = 1;
  extensions 100 to 199;
}

extend Ext {
  optional int32 ext_i32 = 100;
  optional string ext_s = 101;
  repeated int64 ext_rep = 102;
  optional Scalars ext_msg = 103;
  optional Closed ext_closed = 104;
  optional group ExtGroup = 105 {
    optional int32 g = 106;
  }
}

message Container {
  extend Ext {
    optional uint32 nested_ext = 110;
  }
}

message MSet {
  option message_set_wire_format = true;
  extensions 4 to max;
}

message MSetItem {
  extend MSet {
    optional MSetItem item = 1000;
  }
  optional int32 v = 1;
  optional string s = 2;
}

message Maps {
  map<string, Closed> m_closed = 1;
  map<int32, Scalars> m_msg = 2;
  map<bool, bytes> m_bytes = 3;
  map<sint64, string> m_str = 4;
}

message Oneofs {
  oneof o {
    int32 a = 1;
    string b = 2;
    Closed c = 3;
    Scalars m = 4;
  }
}

message Recursive {
  optional int32 depth = 1;
  optional Recursive child = 2;
  repeated Recursive children = 3;
}

message All {
  optional Scalars scalars = 1;
  optional Repeats repeats = 2;
  optional Req req = 3;
  optional Groups groups = 4;
  optional Ext ext = 5;
  optional MSet mset = 6;
  optional Maps maps = 7;
  optional Oneofs oneofs = 8;
  optional Recursive rec = 9;
  optional Closed top = 10;
  optional StartsAtOne one = 11;
}

message Batch {
  repeated All items = 1;
}
`;
