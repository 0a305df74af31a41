/** The editions 2023 and 2024 sources of the conformance suite (see schemas.ts). */

/** Editions 2023 with features set per field. */
export const EDITIONS = `edition = "2023";
package ce;

enum Open {
  option features.enum_type = OPEN;
  OPEN_ZERO = 0;
  OPEN_ONE = 1;
  OPEN_TWO = 2;
}

enum Closed {
  option features.enum_type = CLOSED;
  CLOSED_ONE = 1;
  CLOSED_TWO = 2;
}

message Child {
  int32 v = 1;
  string s = 2;
}

message Legacy {
  option features.json_format = LEGACY_BEST_EFFORT;
  int32 a = 1;
  Closed c = 2;
}

message M {
  int32 explicit_i32 = 1;
  int32 implicit_i32 = 2 [features.field_presence = IMPLICIT];
  int32 required_i32 = 3 [features.field_presence = LEGACY_REQUIRED];
  repeated int32 packed_i32 = 4;
  repeated int32 expanded_i32 = 5 [features.repeated_field_encoding = EXPANDED];
  Open open_enum = 6;
  Closed closed_enum = 7;
  repeated Closed closed_list = 8;
  repeated Open open_list = 9 [features.repeated_field_encoding = EXPANDED];
  string checked = 10;
  string unchecked = 11 [features.utf8_validation = NONE];
  Child delimited = 12 [features.message_encoding = DELIMITED];
  repeated Child delimited_list = 13 [features.message_encoding = DELIMITED];
  Child child = 14;
  map<string, Open> open_map = 15;
  string implicit_s = 16 [features.field_presence = IMPLICIT];
  Open implicit_enum = 17 [features.field_presence = IMPLICIT];
  Legacy legacy = 18;
  M recursive = 19;
  oneof pick {
    double pick_d = 20;
    Child pick_child = 21;
  }
}

message Batch {
  repeated M items = 1;
}
`;

/** Editions 2023 with features set at file and enum level, inherited by the fields, and overridden per field. */
export const EDITIONS_INHERITED = `edition = "2023";
package ci;
option features.field_presence = IMPLICIT;
option features.repeated_field_encoding = EXPANDED;
option features.utf8_validation = NONE;
option features.enum_type = CLOSED;
option features.message_encoding = DELIMITED;

enum Level {
  LEVEL_ONE = 1;
  LEVEL_TWO = 2;
}

enum Open {
  option features.enum_type = OPEN;
  OPEN_ZERO = 0;
  OPEN_ONE = 1;
}

message Leaf {
  int32 v = 1;
  string s = 2;
}

message Packed {
  option features.json_format = LEGACY_BEST_EFFORT;
  repeated int32 ints = 1 [features.repeated_field_encoding = PACKED];
  repeated Open opens = 2 [features.repeated_field_encoding = PACKED];
  repeated double ds = 3;
}

message Root {
  int32 i = 1;
  string s = 2;
  Open open = 3;
  Level level = 4 [features.field_presence = EXPLICIT];
  repeated int32 ints = 5;
  repeated Level levels = 6;
  Leaf leaf = 7;
  repeated Leaf leaves = 8;
  Leaf prefixed = 9 [features.message_encoding = LENGTH_PREFIXED];
  Packed packed = 10;
  map<string, Leaf> by_name = 11;
  int64 explicit_i64 = 12 [features.field_presence = EXPLICIT];
  Root next = 13;
}

message Batch {
  repeated Root items = 1 [features.message_encoding = LENGTH_PREFIXED];
}
`;

/** Editions 2024: `export`/`local`, `import option`, features per field, recursion as a message and as a group. */
export const EDITION_2024 = `edition = "2024";
package c24;
import option "google/protobuf/cpp_features.proto";
option features.(pb.cpp).string_type = VIEW;

export enum Open {
  OPEN_UNSPECIFIED = 0;
  OPEN_ONE = 1;
  OPEN_TWO = 2;
}

enum Closed {
  option features.enum_type = CLOSED;
  CLOSED_ONE = 1;
  CLOSED_TWO = 2;
}

local message Leaf {
  int32 v = 1;
  string s = 2;
}

message Node {
  int32 i32 = 1;
  int32 implicit_i32 = 2 [features.field_presence = IMPLICIT];
  int64 required_i64 = 3 [features.field_presence = LEGACY_REQUIRED];
  repeated sint32 packed = 4;
  repeated fixed64 expanded = 5 [features.repeated_field_encoding = EXPANDED];
  Open open = 6;
  Closed closed = 7;
  repeated Closed closed_list = 8;
  string checked = 9;
  string unchecked = 10 [features.utf8_validation = NONE];
  Leaf delimited = 11 [features.message_encoding = DELIMITED];
  repeated Leaf leaves = 12;
  map<string, Open> open_map = 13;
  map<int64, Leaf> leaf_map = 14;
  Node next = 15;
  Node grouped_next = 16 [features.message_encoding = DELIMITED];
  oneof pick {
    bytes pick_bytes = 18;
    Leaf pick_leaf = 19;
  }
  double d = 20;
  float f = 21;
  bool b = 22;
  uint64 u64 = 23;
}

message Batch {
  repeated Node items = 1;
}
`;
