/**
 * The one contract for the process boundary (Electron IPC and the browser-served HTTP API),
 * in the style of GitHub Desktop's `ipc-shared.ts`: a map from method name to its request and
 * response. Both sides are typed from it; `window.protodesk` has one function per method.
 *
 * Values that cross: plain data, BigInt and Uint8Array (Electron's structured clone carries
 * them; over HTTP the tagged JSON codec in `tagged-json.ts` does). Views are small: the
 * visible rows of a tree, byte ranges, pages of a stream — never a whole tree.
 */
import type { CaptureMethods, CaptureSummary } from './capture-contract';
import type { DiffMethods } from './diff-contract';
import type { ApiOf, WireApiOf } from './method-map';
import type { ReplayEvent, ReplayHostMethods, ReplayMethods } from './replay-contract';
import type { DocId, Framing } from './vocabulary';
import type { NodePath, RowSpan, MissingField, TreeRow, ValueChunk } from './tree-rows';
import type { TreeEdit, EncodingEdit, Anomaly, StreamQuery, StreamMatch, TextError, TextChange, TextApplyWarning } from './edit-types';

export type { ApiOf } from './method-map';
export type { DocId } from './vocabulary';
export type { NodePath, RowSpan, ApiScalar, ValueEditor, RawReading, MissingField, TreeRow, ValueChunk } from './tree-rows';
export type { TreeEdit, EncodingEdit, Anomaly, StreamQuery, StreamMatch, TextError, TextChange, TextApplyWarning } from './edit-types';

/** How a file is cut into messages: core/stream's names ('single', 'delimited', 'grpc'), shown by FRAMING_LABELS. */
export type { Framing } from './vocabulary';

/** What the renderer knows about an open document. */
export interface DocumentSummary {
  docId: DocId;
  /** File name shown on the tab. */
  name: string;
  /** Absolute path when opened from disk (then Save writes in place). */
  path: string | null;
  size: number;
  framing: Framing;
  /** Number of messages (1 for a single message). */
  messageCount: number;
  /** The chosen type, or null for raw (no schema). */
  typeName: string | null;
  /** How the type was chosen: remembered for this file (its path and content), detected, recovered, or chosen by the user. */
  typeSource?: 'remembered' | 'detected' | 'recovered' | 'chosen';
  /** The type this document was to be read as (remembered or recovered) when no loaded schema has it: add its schema. */
  missingType?: string;
  /** Detected best guesses, best first. */
  candidates: readonly TypeCandidate[];
  /** True when there are unsaved changes. */
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** Increments on every change (edits, undo, type change): views refetch when it moves. */
  version: number;
  /** A problem decoding with the chosen type (then the tree shows what could be read). */
  error?: string;
}

/** A type suggested by detection. */
export interface TypeCandidate {
  typeName: string;
  /** 0..1, higher is better. */
  score: number;
  reason?: string;
}

/** One message type of the loaded schemas. */
export interface TypeInfo {
  name: string;
  /** Schema family or file it comes from. */
  file?: string;
}

/** A page of the visible tree. */
export interface RowsPage {
  /** Number of visible rows in total (with the current expand state and filter). */
  total: number;
  start: number;
  rows: readonly TreeRow[];
  /** Node count of the message (for the status bar). */
  nodeCount: number;
  /**
   * True while a big message's nested messages are not all decoded yet (they decode when opened):
   * nodeCount then counts the top-level fields only. Expand all or a filter reads the whole tree.
   */
  nodeCountPartial?: boolean;
  /** Fields of the message type absent at the top level (for "add field"). */
  rootMissing: readonly MissingField[];
  /** Validation warnings about the message itself (a required field missing at the top level). */
  rootWarnings: readonly string[];
}

/** One message of a stream, for the message list. */
export interface StreamItem {
  index: number;
  /** Where the message's bytes start in the file as it is now (after its length prefix or frame header). */
  offset: number;
  length: number;
  preview: string;
}

/** A page of the stream list. */
export interface StreamPage {
  total: number;
  items: readonly StreamItem[];
}

/** Result of applying JSON or text to the document. */
export interface SetTextResult {
  ok: boolean;
  errors: readonly TextError[];
  summary: DocumentSummary;
  /** What the Apply changes (with dryRun: would change), and what it changes or keeps that the text does not show. */
  changes?: readonly TextChange[];
  warnings?: readonly TextApplyWarning[];
  /** Not applied: a warning needs the user's agreement first (apply again with confirmed: true). */
  needsConfirmation?: boolean;
}

/** A field of a message type, for completion in the JSON/text editor. */
export interface FieldInfo {
  name: string;
  jsonName: string;
  number: number;
  type: string;
  repeated: boolean;
  map: boolean;
  /** For message fields: the type name; for enums: the enum value names. */
  messageType?: string;
  enumValues?: readonly string[];
}

/** The loaded schemas and their problems. */
export interface SchemaStatus {
  families: readonly { name: string; typeCount: number }[];
  protoFiles: readonly string[];
  importPaths: readonly string[];
  descriptorSets: readonly string[];
  uploads: readonly string[];
  typeCount: number;
  errors: readonly { file: string; line?: number; column?: number; message: string }[];
}

/** Sources to add to the schemas. Paths are on the machine running the session; uploads carry their contents. */
export interface SchemaSources {
  protoFiles?: readonly string[];
  importPaths?: readonly string[];
  descriptorSets?: readonly string[];
  uploads?: readonly { name: string; contents: Uint8Array }[];
}

/** Something exported: text or bytes, with a suggested file name. */
export interface ExportResult {
  name: string;
  text?: string;
  bytes?: Uint8Array;
  /** Where it was written, when the host wrote it (Electron save dialog). */
  path?: string;
}

/** Facts about the host. */
export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  /** True when the host can show native file dialogs. */
  nativeDialogs: boolean;
  /** Files over this many bytes are not opened (core/api/limits.ts says why in words); the page checks a drop before sending it. */
  maxOpenBytes: number;
}

/** Events pushed from the host to the renderer. */
export type AppEvent =
  | { kind: 'opened'; summary: DocumentSummary }
  /** A HAR file the host opened as a capture (the desktop's open dialog, the command line). */
  | { kind: 'capture-opened'; capture: CaptureSummary }
  | { kind: 'menu'; command: MenuCommand }
  | { kind: 'schemas-changed'; status: SchemaStatus }
  /**
   * A long operation (over 200 ms: opening a big file, expand all, a filter) is under way; the last
   * event of a task has done === total. With a taskId it can be cancelled (cancelTask).
   */
  | { kind: 'progress'; docId: DocId | null; label: string; done: number; total: number; taskId?: string }
  | { kind: 'close-requested' }
  /** A document opened from disk changed there (or was deleted) since it was opened or saved. */
  | { kind: 'file-changed'; docId: DocId; path: string; deleted: boolean }
  /** Something happened in replay: a send, a request the mock served, a Kik notification, a LiveKit change. */
  | { kind: 'replay'; event: ReplayEvent }
  /** Something the user must know (unsaved work not protected, a save that changed the owner); message null clears the warning `key`. */
  | { kind: 'warning'; key: string; docId: DocId | null; message: string | null };

/** Menu commands the host forwards to the renderer. */
export type MenuCommand =
  | 'open'
  | 'paste-bytes'
  | 'save'
  | 'save-as'
  | 'close-tab'
  | 'export-json'
  | 'export-text'
  | 'export-hex'
  | 'undo'
  | 'redo'
  | 'find'
  | 'toggle-json'
  | 'toggle-hex'
  | 'toggle-schemas'
  | 'compare-with'
  | 'compare-with-saved'
  | 'about';

/** One message of a document: index 0 for single-message files. */
interface MessageRef {
  docId: DocId;
  message: number;
}

/**
 * The document methods: name → [request, response]. Every method takes one request object
 * and returns a promise of its response.
 */
export interface DocumentMethods {
  appInfo: [Record<string, never>, AppInfo];
  /** Opens bytes (a dropped or pasted file). */
  openBytes: [{ name: string; bytes: Uint8Array }, DocumentSummary];
  /** Opens a file from disk by path. */
  openPath: [{ path: string }, DocumentSummary];
  /** Shows the native open dialog (Electron); returns what was opened (none where there is no dialog). */
  openDialog: [Record<string, never>, DocumentSummary[]];
  /** Open documents (after a reload of the renderer). */
  listDocuments: [Record<string, never>, DocumentSummary[]];
  closeDocument: [{ docId: DocId }, { closed: boolean }];
  getSummary: [{ docId: DocId }, DocumentSummary];
  /** All loaded message types, optionally filtered by a search string. */
  listTypes: [{ query?: string; limit?: number }, TypeInfo[]];
  /** Chooses the type (null: raw, no schema). Remembered per file path and content. */
  setType: [{ docId: DocId; typeName: string | null }, DocumentSummary];
  /** Visible rows [start, start+count) of a message's tree; filter matches name, path or value. */
  getRows: [MessageRef & { start: number; count: number; filter?: string }, RowsPage];
  /** Expands or collapses a node (with all: every node below it too; the whole tree for the empty path). */
  setExpanded: [MessageRef & { path: NodePath; expanded: boolean; all?: boolean }, { total: number }];
  /** The row index of the deepest node covering a byte offset (expanding its ancestors). */
  rowAtOffset: [MessageRef & { offset: number; filter?: string }, { row: number; path: NodePath; span: RowSpan | null } | null];
  /** Bytes [start, end) of a message as currently encoded (an end past the message is clamped), and its total length. */
  getBytes: [MessageRef & { start: number; end: number }, { total: number; bytes: Uint8Array }];
  /**
   * A part [start, end) of the string or bytes value at a row's path (for a row with valueLength):
   * clamped to the value and to MAX_VALUE_CHUNK; `bytes` for bytes, `text` (UTF-16 code units)
   * for strings, and the value's whole length.
   */
  getValueChunk: [MessageRef & { path: NodePath; start: number; end: number }, ValueChunk];
  /** A page of the stream's message list. */
  getStream: [{ docId: DocId; start: number; count: number }, StreamPage];
  edit: [MessageRef & { edit: TreeEdit }, DocumentSummary];
  /** Replaces `remove` bytes at `at` of a message's bytes with `insert` (the hex editor: overwrite, insert, delete), one undo step; the tree decodes the new bytes. */
  editBytes: [MessageRef & { at: number; remove: number; insert: Uint8Array }, DocumentSummary];
  /** Makes an unusual or invalid encoding of the node at `path` on purpose, one undo step. */
  encodingEdit: [MessageRef & { path: NodePath; edit: EncodingEdit }, DocumentSummary];
  /** The unusual and invalid encodings of a message, in byte order (at most `limit`, default 1000). */
  getAnomalies: [MessageRef & { limit?: number }, { anomalies: readonly Anomaly[]; truncated: boolean }];
  /** The next (or, backwards, previous) offset of a byte pattern in a message's bytes, from `from` on (wrapping around); null when absent. */
  findBytes: [MessageRef & { pattern: Uint8Array; from: number; backwards?: boolean }, { offset: number } | null];
  /** Shows every length-delimited unknown field whose best reading is a message as one, at every depth (off: as they were); a view choice, not an edit. */
  decodeNested: [MessageRef & { on: boolean }, { count: number; summary: DocumentSummary }];
  /** Searches every message of a document (at most `limit` matches, default 1000). */
  searchStream: [{ docId: DocId; query: StreamQuery; limit?: number }, { matches: readonly StreamMatch[]; truncated: boolean }];
  /** Exports a stream's messages (all, or those listed) as varint-delimited bytes, JSON lines or text format. */
  exportStream: [{ docId: DocId; messages?: readonly number[]; format: 'delimited' | 'jsonl' | 'text' }, ExportResult];
  undo: [{ docId: DocId }, DocumentSummary];
  redo: [{ docId: DocId }, DocumentSummary];
  /** The message as proto3 JSON or text format. */
  getText: [MessageRef & { format: 'json' | 'text' }, { text: string; error?: string }];
  /** Where a node is in the message's JSON text (1-based), to reveal the selection there. */
  jsonPosition: [MessageRef & { path: NodePath }, { line: number; column: number } | null];
  /**
   * Applies JSON or text as a diff: only the fields it changes are edited (one undo step). dryRun: only report.
   * baseVersion: the document version the text was read at; when the document changed since, nothing is
   * applied (error code conflict), so a text read before another edit never silently undoes it.
   */
  setText: [
    MessageRef & { format: 'json' | 'text'; text: string; dryRun?: boolean; confirmed?: boolean; baseVersion?: number },
    SetTextResult,
  ];
  /** Fields of a message type, for completion. */
  describeType: [{ typeName: string }, FieldInfo[]];
  /** Saves in place (atomic). Fails for documents without a path (use saveAs), when the file changed on disk since it was opened or saved (see keepMine), and for a read-only file unless overwriteReadOnly (error code read-only). */
  save: [{ docId: DocId; overwriteReadOnly?: boolean }, DocumentSummary];
  /** Saves to a path (Electron: a dialog when path is absent; a relative path is in the document's folder). Returns null when cancelled. An existing file is replaced only with overwrite (error code exists). */
  saveAs: [{ docId: DocId; path?: string; overwrite?: boolean; overwriteReadOnly?: boolean }, DocumentSummary | null];
  /** The whole document's bytes (download in browser mode). */
  getFileBytes: [{ docId: DocId }, { name: string; bytes: Uint8Array }];
  /** Exports a message as JSON, text or hex (Electron: asks where to save). */
  exportMessage: [MessageRef & { format: 'json' | 'text' | 'hex' }, ExportResult];
  schemaStatus: [Record<string, never>, SchemaStatus];
  /** Adds schemas; they are remembered for the next start (per user). */
  addSchemas: [SchemaSources, SchemaStatus];
  /** Removes an added schema source: a path or an upload's name, as SchemaStatus lists it. */
  removeSchema: [{ source: string }, SchemaStatus];
  /** Electron: a dialog to pick .proto files, a folder or descriptor sets. */
  addSchemasDialog: [{ kind: 'proto' | 'folder' | 'descriptor-set' }, SchemaStatus];
  reloadSchemas: [Record<string, never>, SchemaStatus];
  recentFiles: [Record<string, never>, string[]];
  /** Tells the host the renderer agreed to close the window (after the unsaved-changes guard). */
  confirmClose: [Record<string, never>, { ok: boolean }];
}

/** Unsaved work a previous session left behind (it crashed or was killed), offered back at start. */
export interface RecoverableDocument {
  /** Identifies the recovery journal entry. */
  id: string;
  name: string;
  /** Where the document was opened from (Save writes there after recovery); null for pasted bytes. */
  path: string | null;
  typeName: string | null;
  /** Size of the edited file bytes. */
  size: number;
  /** When the journal was written (ms since the epoch). */
  savedAt: number;
}

/** A document whose file changed on disk since it was opened or saved. */
export interface DiskChange {
  docId: DocId;
  path: string;
  /** True when the file is gone. */
  deleted: boolean;
}

/**
 * No lost work: crash recovery of unsaved documents and files changed on disk while open.
 * Requests are checked at the host boundary (core/api/request-check.ts) like every document method.
 */
export interface FileSafetyMethods {
  /** Unsaved documents a previous session left in the recovery journal (not this session's own). */
  listRecoverable: [Record<string, never>, RecoverableDocument[]];
  /** Opens a recoverable document as a new tab, dirty, with its edited content; its journal entry moves to this session. */
  recover: [{ id: string }, DocumentSummary];
  /** Deletes recoverable documents (all of them when id is absent). */
  discardRecoverable: [{ id?: string }, { discarded: number }];
  /** Checks now whether open documents' files changed on disk (also sends 'file-changed' events). */
  checkDisk: [{ docId?: DocId }, DiskChange[]];
  /** Reads the document again from its file, dropping unsaved changes and the undo history. */
  reloadFromDisk: [{ docId: DocId }, DocumentSummary];
  /** Keeps this version over the one changed on disk: the document stays (or becomes) dirty and the next save overwrites the file. */
  keepMine: [{ docId: DocId }, DocumentSummary];
}

/** Long operations that report 'progress' events (checked at the host boundary like the others). */
export interface TaskMethods {
  /** Cancels the task a progress event named; its request then fails with the code cancelled ("… was cancelled"). False when it already ended. */
  cancelTask: [{ taskId: string }, { cancelled: boolean }];
}

/** The document half of the API as functions. */
export type DocumentApi = ApiOf<DocumentMethods & FileSafetyMethods & TaskMethods>;

/**
 * The whole contract: every method the renderer may call, name → [request, response]. Hosts
 * register one handler per method (core/api/register.ts), each request checked against its spec
 * (core/api/request-specs.ts, which must name every method here).
 */
export interface ProtodeskMethods
  extends DocumentMethods, FileSafetyMethods, TaskMethods, ReplayMethods, ReplayHostMethods, CaptureMethods, DiffMethods {}

/** The name of a contract method. */
export type MethodName = keyof ProtodeskMethods;

/** The whole API the renderer calls: one function per contract method. */
export type ProtodeskApi = ApiOf<ProtodeskMethods>;

/** The API as it crosses Electron's bridge: each function answers an Outcome, so an error keeps its code. */
export type WireApi = WireApiOf<ProtodeskMethods>;

/** What the Electron preload exposes as `window.protodesk`. */
export interface HostBridge {
  api: WireApi;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** The disk path of a dropped File (so Save writes in place). */
  pathForFile(file: object): string;
}

/** The renderer's way to the host: the API plus a subscription to host events. */
export interface ProtodeskBridge {
  api: ProtodeskApi;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Electron: the disk path of a dropped File (so Save writes in place); absent in the browser. */
  pathForFile?(file: object): string;
}

/** Channel name of the IPC handler for a method. */
export function ipcChannel(method: string): string {
  return `protodesk:${method}`;
}

/** IPC channel of pushed events. */
export const EVENT_CHANNEL = 'protodesk:event';

/** IPC channel on which the preload tells main the path of a file the user dropped (main then grants it). */
export const DROPPED_FILE_CHANNEL = 'protodesk:dropped-file';
