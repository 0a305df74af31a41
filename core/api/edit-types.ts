/** Edits as the renderer asks for them (tree, encoding, JSON/text) and what a stream search or an Apply reports. */
import type { ApiScalar, NodePath } from './tree-rows';

/**
 * An edit requested from the tree. `set` on a string field given bytes (a Uint8Array) writes
 * exactly those bytes: valid UTF-8 becomes the string, anything else is kept as invalid UTF-8.
 */
export type TreeEdit =
  | { op: 'set'; path: NodePath; value: ApiScalar }
  | { op: 'remove'; path: NodePath }
  | { op: 'add-field'; parent: NodePath; fieldNumber: number }
  | { op: 'add-element'; path: NodePath }
  | { op: 'move'; path: NodePath; delta: -1 | 1 }
  | { op: 'interpret'; path: NodePath; as: string | null };

/**
 * An unusual or invalid encoding made on purpose from the tree (see core/document/encoding-edits.ts):
 * the message's bytes are rewritten and decoded again, so the tree shows what is saved.
 */
export type EncodingEdit =
  | { kind: 'varint-width'; part: 'tag' | 'length' | 'value'; width: number }
  | { kind: 'set-length'; length: number }
  | { kind: 'set-wire-type'; wireType: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'duplicate' }
  | { kind: 'move'; delta: -1 | 1 }
  | { kind: 'insert-bytes'; bytes: Uint8Array }
  | { kind: 'set-field-number'; fieldNumber: number }
  | { kind: 'unterminate-group' }
  | { kind: 'split'; at: number };

/** One unusual or invalid encoding found in a message. */
export interface Anomaly {
  kind: string;
  /** Byte offset in the message. */
  offset: number;
  /** Just past the node's bytes (the region an undecodable anomaly covers). */
  end: number;
  /** The node's path in the tree (select it to see it). */
  path: NodePath;
  message: string;
}

/** What a stream-wide search looks for: a field by its dotted path (names or numbers), optionally with a value; or bytes (hex) or text. */
export type StreamQuery = { kind: 'field'; path: string; value?: string } | { kind: 'bytes'; hex: string } | { kind: 'text'; text: string };

/** One match of a stream-wide search. */
export interface StreamMatch {
  message: number;
  /** The matching node's path in that message's tree (field searches). */
  path?: NodePath;
  /** Byte offset in the message, and in the file. */
  offset: number;
  fileOffset: number;
  preview: string;
}

/** A problem in JSON or text input, placed where it is. */
export interface TextError {
  message: string;
  line: number;
  column: number;
}

/** One change an Apply of JSON or text makes, in the text's terms (`items[1].label`, `attrs["k"]`). */
export interface TextChange {
  path: string;
  kind: 'set' | 'add' | 'remove';
  before?: string;
  after?: string;
}

/** What an Apply changes, or keeps, that the text does not show; one with `confirm` is applied only with `confirmed: true`. */
export interface TextApplyWarning {
  kind: 'unknown-kept' | 'invalid-utf8-replaced' | 'reencoded' | 'occurrences-merged' | 'hidden-removed' | 'rewritten';
  path: string;
  message: string;
  confirm: boolean;
}
