/**
 * The result of comparing two messages: a tree of differences. Value differences (added,
 * removed, changed, moved) are kept apart from encoding-only differences (overlong varints,
 * field order, packed vs unpacked, length-prefix width...), which change bytes, not values.
 */

/**
 * What differs at a node.
 * - added / removed: present on one side only;
 * - changed: a value differs (for a message: something inside it, see children);
 * - moved: the same value at another position (a repeated element, or a subtree elsewhere);
 * - encoding: equal values written differently.
 */
export type DiffKind = 'added' | 'removed' | 'changed' | 'moved' | 'encoding';

/** Where a value sits in one input (absolute byte offsets). */
export interface DiffSpan {
  /** First byte of its tag (for packed elements: of the element). */
  start: number;
  /** First byte of its value. */
  valueStart: number;
  /** Just past it. */
  end: number;
}

/** One side of a difference. */
export interface DiffSide {
  /** The value, printed (strings quoted, bytes in hex, enums by name, messages as {…}). */
  text: string;
  span: DiffSpan;
}

/** One node of the difference tree. */
export interface DiffNode {
  kind: DiffKind;
  /** Path from the root: field names (numbers for unknown fields), [i] for repeated elements, [key] for map entries. */
  path: string;
  /** Field number (0 for a message-level encoding note). */
  fieldNumber: number;
  /** The field is not in the schema (or there is none): shown by number with its raw wire value. */
  unknown?: boolean;
  /** The field's type: a scalar name, a message type's full name, or a wire type for unknown fields. */
  type?: string;
  /** The value in A (absent when added). */
  a?: DiffSide;
  /** The value in B (absent when removed). */
  b?: DiffSide;
  /** For moved nodes: the path in A it came from / in B it went to. */
  from?: string;
  to?: string;
  /** Encoding differences at this node, in words (for kind 'encoding', and beside value changes). */
  encoding?: string[];
  /** Differences inside a message (or inside a repeated field's elements). */
  children?: DiffNode[];
}

/** The comparison of two messages. */
export interface MessageDiff {
  /** The message type compared by, or undefined for a schema-less (raw) comparison. */
  typeName?: string;
  /** The inputs are byte for byte the same. */
  identical: boolean;
  /** No value differs (only encoding differences, if any). */
  sameValues: boolean;
  /** The top-level differences. */
  nodes: DiffNode[];
  /** Node counts by kind (every level). */
  counts: Record<DiffKind, number>;
  /** The comparison stopped at the node limit; what is listed is correct but not complete. */
  truncated?: boolean;
}
