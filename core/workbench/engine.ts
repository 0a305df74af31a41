/**
 * What the workbench session needs from the core engine and the host, as interfaces, so the
 * session stays platform-neutral and testable with fakes. `core-engine.ts` implements
 * WorkbenchEngine over core/document, core/raw, core/stream, core/detect, core/format and
 * core/validate; core-node/workbench implements the hosts over the file system.
 */
import type { Type } from 'protobufjs';
import type { FieldNode, MessageRoot } from '../document/model';
import type { EncodedBytes } from '../document/encoded-bytes';
import type {
  FieldInfo,
  Framing,
  NodePath,
  RawReading,
  SchemaSources,
  SchemaStatus,
  TextApplyWarning,
  TextChange,
  TextError,
  TreeEdit,
  TypeCandidate,
  TypeInfo,
} from '../api/contract';

/**
 * One version of a message: immutable, so a document's undo history keeps versions and undo puts
 * an earlier one back as it was (a message keeps no history of its own).
 */
export interface EditableMessage {
  readonly root: MessageRoot;
  /** The version after a tree edit (paths address `root`); throws with a readable message when it does not apply. */
  edit(edit: TreeEdit): EditableMessage;
  /** The current bytes (byte-exact for unmodified parts). */
  encode(): Uint8Array;
  /** The current bytes as parts: views of the source for unchanged runs (what a save writes, copying nothing). */
  encodeParts(): EncodedBytes;
  /**
   * This version with the nodes at these paths, and their ancestors, marked modified as an edit
   * would have ([] marks the message itself): how a message brought back from the recovery
   * journal shows its edit marks again. Paths that lead nowhere are skipped.
   */
  markModified(paths: readonly NodePath[]): EditableMessage;
}

/** Where a file's messages are. */
export interface StreamIndex {
  framing: Framing;
  /** Number of messages. */
  count: number;
  /** Offset and length of each message's bytes (without its prefix), in compact arrays. */
  offsets: ArrayLike<number>;
  lengths: ArrayLike<number>;
  /** For gRPC framing: each message's compressed flag. */
  flags?: ArrayLike<number> | null;
  /** Where the framing broke, if it did (the messages before stay indexed). */
  error?: { offset: number; reason: string } | null;
}

/** A parse error in JSON or text format input. */
export class TextInputError extends Error {
  override readonly name = 'TextInputError';
  constructor(readonly errors: readonly TextError[]) {
    super(errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  }
}

/** How a message is decoded. */
export interface OpenOptions {
  /** Keep what parsed (the rest as raw bytes, `root.error` says where it stopped) instead of throwing. */
  partial?: boolean;
  /** Decode nested messages when first read (their errors then surface on that read, see core/document/decode.ts). */
  lazy?: boolean;
  /** At most this many nodes in the whole tree, lazily decoded parts included (default: the decoder's). */
  maxNodes?: number;
}

/** The core engine operations the session uses. */
export interface WorkbenchEngine {
  /**
   * An editable message from bytes (type null: raw, no schema). Throws where the bytes do not
   * decode, unless `options.partial`.
   */
  open(bytes: Uint8Array, type: Type | null, options?: OpenOptions): EditableMessage;
  /** `open` in steps, yielding the bytes read so far between them (a big top level stays responsive). */
  openSteps(bytes: Uint8Array, type: Type | null, options?: OpenOptions): Generator<number, EditableMessage, void>;
  /** A tolerant decode for display: never throws; `root.error` says where it stopped. */
  decodeView(bytes: Uint8Array, type: Type | null, options?: Omit<OpenOptions, 'partial'>): MessageRoot;
  /** Best-guess types for the bytes, best first (at most `limit`, default 12). */
  detect(bytes: Uint8Array, types: Schemas, limit?: number): TypeCandidate[];
  /** How the file is framed and where its messages are. */
  index(bytes: Uint8Array): StreamIndex;
  /** Writes messages (each as parts) back with a framing: the file's bytes as parts (prefixes between the messages' own parts). */
  frame(index: StreamIndex, messages: readonly (readonly Uint8Array[])[]): Uint8Array[];
  /** Candidate readings of an unknown field, best first, and the fields of its 'message' reading if it has one. */
  readings(node: FieldNode): { readings: RawReading[]; message?: readonly FieldNode[] };
  /** The message as proto3 JSON or text format. */
  toText(bytes: Uint8Array, type: Type | null, format: 'json' | 'text', schemas: Schemas): string;
  /**
   * Plans applying JSON or text format to a message version as a diff: the version after it
   * (null when the text changes nothing), only the fields the text changes edited, and what it
   * changes in the text's terms and beyond what the text shows. Throws TextInputError with positions.
   */
  applyText(current: EditableMessage, text: string, type: Type, format: 'json' | 'text', schemas: Schemas): TextApply;
  /** Whether messages of this type can have validation warnings at all (else validate finds none, without walking). */
  hasRules(type: Type | null): boolean;
  /** Validation warnings by node; `root` holds those about the top-level message itself (a missing field). */
  validate(root: MessageRoot): ValidationResult;
}

/** What applying JSON or text to a message version does (see WorkbenchEngine.applyText). */
export interface TextApply {
  after: EditableMessage | null;
  changes: TextChange[];
  warnings: TextApplyWarning[];
}

/** Validation warnings placed on nodes. */
export interface ValidationResult {
  byNode: Map<FieldNode, string[]>;
  root: string[];
}

/** The loaded schemas as the session sees them. */
export interface Schemas {
  types(): TypeInfo[];
  /** Every message type, as reflection objects. */
  messageTypes(): readonly Type[];
  find(name: string): Type | null;
  describe(name: string): FieldInfo[];
  /** The underlying registry, for engine parts that need it. */
  readonly registry: unknown;
}

/** Loads and reloads schemas (Node reads files; tests pass fakes). */
export interface SchemaHost {
  current(): Schemas;
  status(): SchemaStatus;
  add(sources: SchemaSources): Promise<SchemaStatus>;
  /** Removes an added source (a path or an upload's name, as the status lists it); throws saying so when it is not one. */
  remove(source: string): Promise<SchemaStatus>;
  reload(): Promise<SchemaStatus>;
}

/** What a save may do beyond writing: the user's agreement to overwrite. */
export interface WriteOptions {
  /** The user agreed to overwrite the file although it is read-only (else an error named ReadOnlyFileError). */
  overwriteReadOnly?: boolean;
  /** Refuse to replace an existing file (an error named FileExistsError): a Save As the user has not agreed to. */
  refuseExisting?: boolean;
}

/** What a write tells besides success. */
export interface WriteResult {
  /** A hash of the bytes written (the content hash change detection compares). */
  hash?: string;
  /** What the user should know (the file's owner could not be kept, say). */
  warnings?: readonly string[];
}

/** File access and small persistent state, injected by the host. */
export interface FileHost {
  read(path: string): Promise<Uint8Array>;
  /**
   * Saves a file without losing what it is: atomically (a temp file beside it, fsync, rename),
   * through symbolic links, keeping hard links, owner, group and mode. Parts are written in
   * order, never joined in memory. Errors are sentences; refusals are named (see WriteOptions).
   */
  writeAtomic(path: string, bytes: Uint8Array | readonly Uint8Array[], options?: WriteOptions): Promise<WriteResult | void>;
  /** Resolves a path given by the user (relative paths against `from`, default the working directory). */
  resolve(path: string, from?: string): string;
  /** Whether a path is absolute. */
  isAbsolute(path: string): boolean;
  /** The file name part of a path. */
  basename(path: string): string;
  /** The folder part of a path. */
  dirname(path: string): string;
  /** Size and modification time of a file (null when it does not exist); hosts without it get no change detection. */
  stat?(path: string): Promise<DiskStamp | null>;
  /** Whether a path is a folder (dropping one adds its .proto files as schemas). */
  isFolder?(path: string): Promise<boolean>;
  /** Whether a folder holds a .proto file at any depth (looked for within a bounded number of entries). */
  holdsProtoFiles?(path: string): Promise<boolean>;
  /**
   * A hash of bytes (the same hash as hashFile and WriteResult.hash); worked in chunks, so a big
   * file does not hold the host up. Rejects between chunks once `stopped()` says so.
   */
  hashBytes?(bytes: Uint8Array | readonly Uint8Array[], options?: { stopped?(): boolean }): Promise<string>;
  /** A hash of a file's content (null when it cannot be read). */
  hashFile?(path: string): Promise<string | null>;
  /** Remembered type per file key, and recent files. */
  getState<T>(key: string): T | undefined;
  setState(key: string, value: unknown): void;
}

/**
 * What identifies a version of a file on disk, cheaply: size and modification time, and where
 * the host has them, change time, device and inode (a file replaced by another with the same size
 * and mtime, as `cp -p` or `rsync -t` leave it, differs in those) and when the stamp was taken.
 */
export interface DiskStamp {
  size: number;
  mtimeMs: number;
  ctimeMs?: number;
  dev?: number;
  ino?: number;
  /** When the host took the stamp (ms since the epoch): a coarse mtime this recent may yet hide a change. */
  checkedAtMs?: number;
  /** A hash of the content, once known (see FileHost.hashBytes). */
  hash?: string;
}

/** What the recovery journal keeps about an unsaved document besides its bytes. */
export interface RecoveryMeta {
  name: string;
  path: string | null;
  typeName: string | null;
  /** The file's stamp when it was opened or last saved (a change on disk since is reported after recovery). */
  disk: DiskStamp | null;
  /** When this journal entry was written (ms since the epoch). */
  savedAt: number;
}

/**
 * One step of a document's undo history as the journal keeps it: a tree edit, a JSON/text Apply
 * (replayed as the same diff), or the bytes an older JSON/text edit gave (journals of earlier versions).
 */
export type JournalStep =
  | { message: number; edit: TreeEdit }
  | { message: number; apply: { format: 'json' | 'text'; text: string } }
  | { message: number; text: Uint8Array };

/** What a journal entry keeps besides the document's bytes, to bring back its edit marks and undo history. */
export interface RecoveryHistory {
  /** Per edited message: paths of its deepest modified nodes (their ancestors are modified too). */
  modified: { message: number; paths: NodePath[] }[];
  /**
   * A short history in full: the bytes it starts from and its steps, the last `undone` of them
   * undone (redo-able); `savedAt` is the number of steps done when the file was last saved (-1:
   * never reachable). Replaying them gives the document's bytes again, and its undo history.
   */
  replay?: { base: Uint8Array; steps: JournalStep[]; undone: number; savedAt: number };
}

/** A journal entry another session left. */
export interface RecoveryEntry {
  id: string;
  meta: RecoveryMeta;
  /** Size of the document bytes. */
  size: number;
}

/**
 * The crash-recovery journal, injected by the host (Node: one file per dirty document in the
 * recovery directory, written atomically). Keys are this session's document ids.
 */
export interface RecoveryStore {
  /** Writes (replaces) this session's journal entry of a document: its bytes (possibly as parts) and what brings back its marks and history. */
  write(docId: string, meta: RecoveryMeta, bytes: Uint8Array | readonly Uint8Array[], history?: RecoveryHistory): Promise<void>;
  /** Removes this session's entry of a document (saved, closed or clean again). */
  remove(docId: string): Promise<void>;
  /** Entries of sessions that are no longer running, newest first. */
  list(): Promise<RecoveryEntry[]>;
  /** Reads an entry listed by list(). */
  read(id: string): Promise<{ meta: RecoveryMeta; bytes: Uint8Array; history?: RecoveryHistory }>;
  /** Deletes an entry listed by list(). */
  discard(id: string): Promise<void>;
}

/** Timers, injected (core has no timer globals): a one-shot and a repeating one, each returning its cancel. */
export interface Scheduler {
  after(ms: number, fn: () => void): () => void;
  every(ms: number, fn: () => void): () => void;
  /** Milliseconds from any fixed origin (default Date.now); long operations report progress after 200 ms of it. */
  now?(): number;
  /**
   * Resolves after pending I/O and timers had a turn (Node: setImmediate), so a long operation
   * worked in chunks keeps the host answering other requests (a cancel, say). Default: a resolved promise.
   */
  yieldToEvents?(): Promise<void>;
}
