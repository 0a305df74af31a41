/**
 * The diff half of the process contract: two messages of the open documents compared field by
 * field (core/diff) in the session, which keeps the comparison and answers it in small views:
 * pages of the difference tree, bytes of either side. Same style as contract.ts, part of
 * ProtodeskMethods; the session implements it (core/workbench/session/diffs.ts). This module
 * imports nothing of contract.ts.
 */
import type { ApiOf } from './method-map';
import type { RowSpan } from './tree-rows';
import type { DocId } from './vocabulary';

/** One side of a comparison: a message of an open document, as it is now or as last saved. */
export interface DocumentDiffSource {
  docId: DocId;
  /** The message (0 for a single-message file). */
  message: number;
  /** The saved version: the file on disk for a document opened from one, else the bytes as opened. */
  saved?: boolean;
}

/** One side of a comparison: a message of a capture's entry (read with the entry's type). */
export interface CaptureDiffSource {
  captureId: string;
  /** The entry's index in the capture. */
  entry: number;
  /** Which of the entry's messages (a streamed body holds several; default 0). */
  message?: number;
}

/** One side of a comparison. */
export type DiffSource = DocumentDiffSource | CaptureDiffSource;

/** What differs at a row (core/diff's kinds): `encoding` is an equal value written in other bytes. */
export type DiffRowKind = 'added' | 'removed' | 'changed' | 'moved' | 'encoding';

/** One side of a row: the value printed and where it is in that side's bytes. */
export interface DiffRowSide {
  text: string;
  span: RowSpan;
}

/** One difference, as the diff view shows it (a row of the tree, depth-first). */
export interface DiffRow {
  /** Its position in the whole tree (depth-first, from 0): what `collapsed` names. */
  id: number;
  depth: number;
  kind: DiffRowKind;
  /** The path from the root ("participant.tracks[2].sid"). */
  path: string;
  fieldNumber: number;
  /** A field the schema does not have (or there is none): shown by number with its raw value. */
  unknown?: boolean;
  /** A scalar name, a message type, or a wire type for unknown fields. */
  type?: string;
  a?: DiffRowSide;
  b?: DiffRowSide;
  /** For a moved value: where it was in A and where it is in B. */
  from?: string;
  to?: string;
  /** Encoding differences in words (for encoding rows, and beside value changes). */
  encoding?: string[];
  /** The encoding differences in short ("overlong varint", "field order", "packed vs unpacked"...). */
  labels: string[];
  /** Rows below it (0: none). */
  descendants: number;
}

/** One compared side, for the view's headings. */
export interface DiffSideInfo {
  /** The document's name, the message number in a stream, "(saved)" for the saved version. */
  label: string;
  size: number;
}

/** A comparison the session keeps (closeDiff lets it go). */
export interface DiffResult {
  diffId: string;
  /** The type compared by (null: without a schema). */
  typeName: string | null;
  /** Byte for byte the same. */
  identical: boolean;
  /** No value differs (encoding differences at most). */
  sameValues: boolean;
  counts: Record<DiffRowKind, number>;
  /** Stopped at the node limit: what is listed is right, but more may differ. */
  truncated: boolean;
  /** One line: "2 changed, 1 added", "identical"... */
  summary: string;
  a: DiffSideInfo;
  b: DiffSideInfo;
  /** Rows of the whole tree. */
  nodeCount: number;
  /** Why the type compared by is not the documents' (their types differ), if it is not. */
  note?: string;
}

/** The diff methods: name → [request, response]. */
export interface DiffMethods {
  /**
   * Compares two messages (typeName: the type to compare by; null without a schema; absent: the
   * documents' or entries' type). Refused with invalid-input, naming the side, where a side does not parse.
   */
  compareMessages: [{ a: DiffSource; b: DiffSource; typeName?: string | null }, DiffResult];
  /** Visible rows [start, start+count) of a comparison's tree, the rows below those in `collapsed` (ids) hidden. */
  getDiffRows: [{ diffId: string; start: number; count: number; collapsed?: readonly number[] }, { total: number; rows: DiffRow[] }];
  /** Bytes [start, end) of one side (clamped), and its whole length. */
  getDiffBytes: [{ diffId: string; side: 'a' | 'b'; start: number; end: number }, { total: number; bytes: Uint8Array }];
  closeDiff: [{ diffId: string }, { closed: boolean }];
}

/** The diff half of the API as functions. */
export type DiffApi = ApiOf<DiffMethods>;
