/**
 * The document model: a decoded message as an immutable tree of field nodes.
 *
 * - Every node keeps the byte span it was read from (`span`), so an unmodified node is
 *   written back by copying those bytes, and the hex view can highlight them.
 * - Nodes are immutable. An edit replaces the nodes on the path from the root to the edited
 *   node (path copying) and marks them `modified`; all other nodes are shared with the
 *   previous version. Undo restores a previous root, so byte-exactness comes back with it.
 * - Fields that match no schema field (unknown number, or a wire type the field cannot have)
 *   stay in the tree as `unknown` nodes, in wire order.
 * - 64-bit integers are BigInt everywhere.
 */
import type { Field, Type } from 'protobufjs';
import type { WireType } from '../wire/wire-types';
import type { DecodeError } from '../wire/decode-error';

/** Where a node's bytes are in the document's source buffer (absolute offsets). */
export interface ByteSpan {
  /** First byte of the tag. */
  tagStart: number;
  /** First byte of the value: after the tag, and after the length prefix for LEN fields. */
  valueStart: number;
  /** Just past the last byte of the value (for groups: past the end-group tag). */
  end: number;
}

/**
 * Identifies a node within its document; stable across edits that do not replace that node's value.
 * A decoded node's id is the offset of its first byte plus one (positive, unique within the
 * document, the same each time the node is built from the bytes); nodes created by builders and
 * edits get negative ids from a process-wide counter, so the two never collide.
 */
export type NodeId = number;

/** The scalar types of protobuf, plus `enum`. */
export type ScalarType =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'enum';

/**
 * A scalar value in its JS form: 32-bit integers, floats and enums as number; 64-bit integers
 * as bigint; bool as boolean; string as string; bytes as Uint8Array.
 */
export type ScalarValue = number | bigint | boolean | string | Uint8Array;

/** One value of a known scalar field (a single occurrence on the wire). */
export interface ScalarNodeValue {
  kind: 'scalar';
  type: ScalarType;
  value: ScalarValue;
  /** For string fields whose bytes are not valid UTF-8: the exact bytes (value holds a lossy decode). */
  invalidUtf8?: Uint8Array;
  /**
   * For the `value` bytes of a `google.protobuf.Any` whose type_url names a known type: those
   * bytes decoded as that type (spans absolute in the source). While present, `value` holds the
   * original bytes; an edit inside `embedded` marks this node modified and encode re-encodes the
   * bytes from `embedded`. Setting `value` directly drops `embedded`.
   */
  embedded?: MessageNodeValue;
}

/** One element inside a packed run. */
export interface PackedElement {
  value: number | bigint | boolean;
  /** Span of the element's bytes (tagStart === valueStart: elements have no tag). Absent once edited. */
  span?: ByteSpan;
}

/** A packed run of a repeated numeric/enum/bool field: one LEN field on the wire holding many values. */
export interface PackedNodeValue {
  kind: 'packed';
  type: ScalarType;
  elements: readonly PackedElement[];
}

/** A nested message (LEN) or group (SGROUP ... EGROUP); map entries are messages with fields key=1, value=2. */
export interface MessageNodeValue {
  kind: 'message';
  /** Fully-qualified type name without the leading dot, e.g. "livekit.Room"; undefined for map entries and raw reads. */
  typeName?: string;
  /** True for a group (wire types 3/4). */
  group?: boolean;
  /** True for a map entry. */
  mapEntry?: boolean;
  fields: readonly FieldNode[];
  /** For a decoded group: offset of its end-group tag (reused when the group is re-encoded). */
  endTagStart?: number;
  /**
   * For a group a tolerant (partial) decode stopped inside: it has no end-group tag in the source
   * (its fields end with the unread rest as raw bytes), so encode writes none for it either.
   */
  unterminated?: boolean;
  /**
   * Only with DecodeOptions.lazy + partial: set once `fields` has been read, if this message's
   * bytes were malformed (fields then ends with a raw-bytes node holding the unread rest).
   */
  error?: DecodeError;
}

/** A field that no schema field matches (or read without a schema): its raw wire value. */
export interface UnknownNodeValue {
  kind: 'unknown';
  /** varint: unsigned 64-bit value; i64: unsigned 64-bit; i32: unsigned 32-bit; len: the bytes; group: nested fields. */
  raw: bigint | number | Uint8Array | readonly FieldNode[];
  /** For a decoded group: offset of its end-group tag (reused when the group is re-encoded). */
  endTagStart?: number;
  /** For a group a tolerant (partial) decode stopped inside: no end-group tag (see MessageNodeValue.unterminated). */
  unterminated?: boolean;
}

/** Bytes inserted on purpose by a user (for example an invalid encoding); written out as they are. */
export interface RawBytesNodeValue {
  kind: 'raw-bytes';
  bytes: Uint8Array;
}

/** What a node holds. */
export type NodeValue = ScalarNodeValue | PackedNodeValue | MessageNodeValue | UnknownNodeValue | RawBytesNodeValue;

/** One field occurrence on the wire (or inserted by an edit). */
export interface FieldNode {
  readonly id: NodeId;
  /** Field number from the tag (for raw-bytes nodes: 0). */
  readonly fieldNumber: number;
  /** Wire type from the tag. */
  readonly wireType: WireType;
  /** The schema field this occurrence belongs to; null for unknown fields and raw bytes. */
  readonly field: Field | null;
  readonly value: NodeValue;
  /** Where it came from in the source; null for nodes created by an edit. */
  readonly span: ByteSpan | null;
  /** True when this node or a descendant differs from its source bytes (so it must be re-encoded). */
  readonly modified: boolean;
}

/** The root of a decoded document. */
export interface MessageRoot {
  /** The message type, or null when decoded without a schema. */
  readonly type: Type | null;
  readonly fields: readonly FieldNode[];
  /** True when any field differs from the source bytes. */
  readonly modified: boolean;
  /** Set by a tolerant decode (`partial: true`) that stopped early: the first error met. */
  readonly error?: DecodeError;
  /** Above every decoded node's id (the input's length plus one; absent for built roots). */
  readonly nextId?: number;
}

/** Limits applied while decoding; see DEFAULT_DECODE_LIMITS. */
export interface DecodeLimits {
  /** Maximum nesting of messages and groups. */
  maxDepth: number;
  /** Maximum input size in bytes. */
  maxBytes: number;
  /** Maximum number of nodes created (a bound on work and memory). */
  maxNodes: number;
}

/** Defaults: depth 100 (as protoc), 2 GiB of input, 50 million nodes. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = {
  maxDepth: 100,
  maxBytes: 2 ** 31 - 1,
  maxNodes: 50_000_000,
};
