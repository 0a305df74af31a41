/** The tree as the renderer sees it: node paths, visible rows, their value editors and long values in parts. */

/** Path of a node from the message root: indices into `fields` (and, for a packed run, into its elements). */
export type NodePath = readonly number[];

/** A byte range [start, end) in the current bytes of the shown message; valueStart is after the tag and length. */
export interface RowSpan {
  start: number;
  valueStart: number;
  end: number;
}

/** A scalar value as it crosses the boundary: 64-bit integers stay BigInt, bytes stay Uint8Array. */
export type ApiScalar = number | bigint | boolean | string | Uint8Array;

/** How a value may be edited in the tree. */
export type ValueEditor =
  | { kind: 'int'; min: bigint; max: bigint }
  | { kind: 'float'; single: boolean }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly { name: string; number: number }[] }
  | { kind: 'string' }
  | { kind: 'bytes' }
  | { kind: 'none' };

/** One reading of an unknown field's raw value ("interpret as"). */
export interface RawReading {
  /** Short name of the reading: 'uint64', 'sint64', 'double', 'string', 'message', 'bytes', ... */
  as: string;
  /** The value shown for that reading. */
  preview: string;
}

/** A field of the message type that is not present, offered as "add field". */
export interface MissingField {
  name: string;
  number: number;
  type: string;
  repeated: boolean;
  oneof?: string;
}

/** One visible row of the flattened tree. */
export interface TreeRow {
  /** The node's path (stable as long as its earlier siblings are not removed). */
  path: NodePath;
  depth: number;
  /** 'field' for a field occurrence, 'element' for an element of a packed run. */
  kind: 'message' | 'scalar' | 'packed' | 'element' | 'unknown' | 'raw-bytes';
  /** Field name ('' for unknown fields and elements). */
  name: string;
  /** Field number (for an element: its index). */
  number: number;
  /** Wire type name: varint, i64, len, sgroup, i32. */
  wire: string;
  /** Type as shown: 'int64', 'string', 'livekit.Room', 'enum livekit.TrackType', 'unknown'. */
  type: string;
  /** Short value preview (message: field count; strings quoted; bytes in hex). */
  preview: string;
  /** The value itself, for scalars: what editors start from (a long string or bytes: only its start, see valueLength). */
  value?: ApiScalar;
  /**
   * Set when `value` holds only the first MAX_ROW_VALUE of a longer string or bytes value: the
   * whole length (bytes for bytes, UTF-16 code units for strings). getValueChunk fetches the
   * rest; until an editor does, such a row's editor is 'none' (editing the start would cut the value).
   */
  valueLength?: number;
  /** How the value is edited (none for messages and unknown fields). */
  editor: ValueEditor;
  expandable: boolean;
  expanded: boolean;
  /** Bytes of this node in the current message bytes; null when not known. */
  span: RowSpan | null;
  modified: boolean;
  /** For repeated fields: position among the occurrences of the same field, and how many there are. */
  repeated?: { index: number; count: number };
  /** Oneof this field belongs to. */
  oneof?: string;
  /** Strings whose bytes are not valid UTF-8: the exact bytes. */
  invalidUtf8?: Uint8Array;
  /** Unknown fields: candidate readings, and the one chosen. */
  readings?: readonly RawReading[];
  interpretedAs?: string;
  /** Validation warnings for this node. */
  warnings?: readonly string[];
  /** Unusual or invalid encodings of this node (overlong varints, a wrong wire type, bytes that do not decode …), in words. */
  anomalies?: readonly string[];
  /** Message rows: fields of its type that are absent (for "add field"). */
  missing?: readonly MissingField[];
}

/** A part of a long string or bytes value (getValueChunk). */
export interface ValueChunk {
  /** The whole value's length: bytes, or UTF-16 code units. */
  total: number;
  /** Where this part starts. */
  start: number;
  bytes?: Uint8Array;
  text?: string;
}
