/**
 * The workbench session: the open documents (one per tab) and everything the renderer asks
 * about them, implementing the document half of the ProtodeskApi contract over the core
 * engine. Platform-neutral: file access and schema loading are injected (see engine.ts).
 *
 * Each document keeps its source bytes, its framing and stream index, the chosen type, an
 * editable message per opened message (created when first shown), the expand state of each
 * tree, and one undo history across its messages. Views are small: rows for a range, bytes
 * for a range, a page of the stream list.
 */
import type { Type } from 'protobufjs';
import type { FieldNode, MessageRoot } from '../document/model';
import type {
  AppEvent,
  DiskChange,
  DocId,
  DocumentMethods,
  DocumentSummary,
  FileSafetyMethods,
  NodePath,
  RecoverableDocument,
  RowsPage,
  SetTextResult,
  StreamPage,
  TaskMethods,
  TreeEdit,
  TreeRow,
  TypeCandidate,
} from '../api/contract';
import {
  TextInputError,
  type DiskStamp,
  type EditableMessage,
  type FileHost,
  type RecoveryHistory,
  type RecoveryStore,
  type Scheduler,
  type SchemaHost,
  type Schemas,
  type StreamIndex,
  type ValidationResult,
  type WorkbenchEngine,
} from './engine';
import { modifiedPaths, stepSize } from './recovery-history';
import { childrenOf, countNodes, entryPath, Flattener, pathKey, type FlatEntry, type FlatRows } from './flat-rows';
import { filterText, hexPreview, missingFields, toRow } from './tree-row';
import { nodeAtPath } from '../document/tree';
import { DocumentHistory, type HistoryStep } from './session/document-history';
import { positionOf } from '../schema/proto-source';
import { MAX_OPEN_BYTES, tooBigToOpen } from '../api/limits';
import { jsonPathOf, locateJsonPath } from './text-adapter';

/** Messages with at most this many nodes open fully expanded. */
const AUTO_EXPAND_NODES = 400;

/** How many messages of a stream are sampled for type detection. */
const STREAM_DETECT_SAMPLES = 16;

/** A long operation reports progress once it has run this long. */
const PROGRESS_AFTER_MS = 200;

/** A long operation yields to the host's other work (requests, a cancel) at least this often. */
const YIELD_EVERY_MS = 40;

/** Tree nodes walked between checks of the clock. */
const WALK_CHUNK = 20_000;

/**
 * The journal keeps a document's undo history (its steps, replayed on recovery) while it has at
 * most this many steps; past that only the modified nodes' paths, so a long editing session
 * does not make every journal write longer.
 */
const JOURNAL_MAX_STEPS = 64;

/** At most this many modified paths are journaled per message (past that the marks are not kept, the bytes are). */
const JOURNAL_MAX_MARKS = 100_000;

/**
 * A replayable history takes the bytes it starts from besides the current ones, rewritten with
 * each journal write: only up to this size (larger documents keep their marks, not their undo).
 */
const JOURNAL_MAX_REPLAY_BYTES = 16 * 1024 * 1024;

/** Defaults of the size limits (see SessionOptions). */
const MiB = 1024 * 1024;
const DEFAULT_LAZY_ABOVE = 1 * MiB;
const DEFAULT_MAX_OPEN = MAX_OPEN_BYTES;
const DEFAULT_MAX_NODES = 4_000_000;

/** A request failed because the user cancelled it (the message says what was cancelled). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/**
 * Which nodes show their children: with `all` false the paths (keys) in `except` are expanded;
 * with `all` true every node is, except those. Expand all is then O(1), and a walk of a fully
 * expanded tree builds no path keys.
 */
interface ExpandState {
  all: boolean;
  except: Set<string>;
}

interface MessageState {
  doc: EditableMessage;
  /** Whether nested messages decode when first read (big messages, see SessionOptions.lazyAboveBytes). */
  lazy: boolean;
  expand: ExpandState;
  /** "Interpret as" choices of unknown fields, by path key. */
  interpret: Map<string, string>;
  /** Bumped when the expand state or an interpretation changes (the flat rows are then rebuilt). */
  layout: number;
  cache?: ViewCache;
}

interface ViewCache {
  root: MessageRoot;
  bytes: Uint8Array;
  view: MessageRoot;
  /** True once every nested message of `view` has been decoded (always, when not lazy). */
  complete: boolean;
  /** The visible rows for a layout and filter (a promise while a long walk builds them). */
  flat?: { key: string; rows: Promise<FlatRows> };
  warnings?: ValidationResult;
  nodeCount?: number;
  /** The JSON and text format of these bytes, once asked for. */
  text?: Partial<Record<'json' | 'text', string>>;
}

interface DocState {
  id: DocId;
  name: string;
  path: string | null;
  source: Uint8Array;
  index: StreamIndex;
  type: Type | null;
  candidates: TypeCandidate[];
  messages: Map<number, MessageState>;
  /** The one undo history across the document's messages. */
  history: DocumentHistory;
  version: number;
  error?: string;
  /** The file's stamp when opened, saved or reloaded (null: not from disk, or unknown). */
  disk: DiskStamp | null;
  /** The changed stamp last reported in a 'file-changed' event (so each change is reported once). */
  diskReported: string | null;
}

/** The document methods the session implements (the host adds dialogs and window ones). */
export type SessionMethods = Omit<DocumentMethods, 'appInfo' | 'openDialog' | 'addSchemasDialog' | 'confirmClose'> & FileSafetyMethods;

/** The session as functions, one per method. */
export type SessionApi = {
  [K in keyof (SessionMethods & TaskMethods)]: (
    request: (SessionMethods & TaskMethods)[K][0],
  ) => Promise<(SessionMethods & TaskMethods)[K][1]>;
};

/** What createSession needs. */
export interface SessionOptions {
  engine: WorkbenchEngine;
  schemas: SchemaHost;
  files: FileHost;
  /** The crash-recovery journal of unsaved documents (none: recovery is off). */
  recovery?: RecoveryStore;
  /** Timers for the journal's debounce and the disk-change poll (none: only explicit flushes and checks). */
  scheduler?: Scheduler;
  /** Unsaved changes reach the journal at most this long after an edit (default 1000 ms). */
  journalDelayMs?: number;
  /** Open files are checked for changes on disk this often (default 2000 ms; 0: never by timer). */
  diskPollMs?: number;
  /** Documents whose file bytes are larger are not journaled (default 256 MiB). */
  maxJournalBytes?: number;
  /** Messages larger than this decode lazily: the top level at once, nested messages when first read (default 1 MiB). */
  lazyAboveBytes?: number;
  /** Files larger than this are refused with a message naming both sizes (default 1 GiB). */
  maxOpenBytes?: number;
  /** A message decodes at most this many nodes, the rest kept as raw bytes with an error saying so (default 4,000,000: about 1 GB of memory). */
  maxNodes?: number;
}

/** A workbench session and its API. */
export interface WorkbenchSession {
  api: SessionApi;
  /** Documents with unsaved changes. */
  dirtyDocuments(): DocumentSummary[];
  /** Subscribes to events the session raises ('file-changed'); returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Writes pending journal entries now (and removes those of saved or closed documents). */
  flushRecovery(): Promise<void>;
  /** Removes this session's journal entries: the user chose to quit without saving. */
  discardOwnRecovery(): Promise<void>;
  /** Stops the timers (the journal stays as it is, as after a crash). */
  dispose(): void;
}

/** How often each field number occurs among siblings, and each sibling's place among its field's occurrences. */
interface Occurrences {
  index: Int32Array;
  count: Map<number, number>;
}

/** Sibling lists are immutable (an edit makes new ones), so their occurrences are computed once per list. */
const occurrences = new WeakMap<readonly FieldNode[], Occurrences>();

/** The place of siblings[i] among the occurrences of its field, and how many there are: O(1) after one pass per list. */
function occurrenceOf(siblings: readonly FieldNode[], i: number): { index: number; count: number } {
  let o = occurrences.get(siblings);
  if (!o) {
    o = { index: new Int32Array(siblings.length), count: new Map() };
    for (let k = 0; k < siblings.length; k++) {
      const n = siblings[k].fieldNumber;
      const c = o.count.get(n) ?? 0;
      o.index[k] = c;
      o.count.set(n, c + 1);
    }
    occurrences.set(siblings, o);
  }
  return { index: o.index[i], count: o.count.get(siblings[i].fieldNumber)! };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function partsLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Creates a session. */
export function createSession(options: SessionOptions): WorkbenchSession {
  const { engine, schemas, files, recovery, scheduler } = options;
  const lazyAbove = options.lazyAboveBytes ?? DEFAULT_LAZY_ABOVE;
  const maxOpen = options.maxOpenBytes ?? DEFAULT_MAX_OPEN;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const docs = new Map<DocId, DocState>();
  let nextId = 1;
  const listeners = new Set<(event: AppEvent) => void>();
  const emit = (event: AppEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  };

  // ---- Long operations: worked in chunks that yield to the host, with progress and cancel.
  const now = () => scheduler?.now?.() ?? Date.now();
  const yieldToEvents = () => scheduler?.yieldToEvents?.() ?? Promise.resolve();
  const tasks = new Map<string, { cancelled: boolean }>();
  let nextTask = 1;

  /**
   * Runs `work`, which calls `step(done, total)` between chunks. A step yields to the host's
   * events every YIELD_EVERY_MS, sends a 'progress' event once the task has run PROGRESS_AFTER_MS
   * (and a last one with done === total when it ends), and throws CancelledError once cancelled.
   */
  async function runTask<T>(
    docId: DocId | null,
    label: string,
    work: (step: (done: number, total: number) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const taskId = `t${nextTask++}`;
    const task = { cancelled: false };
    const start = now();
    let lastYield = start;
    let shown = false;
    tasks.set(taskId, task);
    const step = async (done: number, total: number) => {
      const t = now();
      if (t - lastYield < YIELD_EVERY_MS) return;
      if (t - start >= PROGRESS_AFTER_MS) {
        shown = true;
        emit({ kind: 'progress', taskId, docId, label, done: Math.min(done, total - 1), total });
      }
      await yieldToEvents();
      lastYield = now();
      if (task.cancelled) throw new CancelledError(`${label} was cancelled`);
    };
    try {
      return await work(step);
    } finally {
      tasks.delete(taskId);
      if (shown) emit({ kind: 'progress', taskId, docId, label, done: 1, total: 1 });
    }
  }

  // ---- The recovery journal: dirty documents are written at most journalDelayMs after an edit.
  const journalDelay = options.journalDelayMs ?? 1000;
  const maxJournal = options.maxJournalBytes ?? 256 * 1024 * 1024;
  const pendingJournal = new Set<DocId>();
  const journaled = new Set<DocId>();
  let journalTimer: (() => void) | null = null;
  let journalChain: Promise<void> = Promise.resolve();

  const isDirty = (d: DocState) => d.history.dirty;

  function journalSoon(d: DocState | DocId): void {
    if (!recovery) return;
    pendingJournal.add(typeof d === 'string' ? d : d.id);
    if (scheduler && !journalTimer) {
      journalTimer = scheduler.after(journalDelay, () => {
        journalTimer = null;
        void flushRecovery();
      });
    }
  }

  function flushRecovery(): Promise<void> {
    if (!recovery) return Promise.resolve();
    const ids = [...pendingJournal];
    pendingJournal.clear();
    journalChain = journalChain.then(async () => {
      for (const id of ids) {
        const d = docs.get(id);
        try {
          if (d && isDirty(d)) {
            const parts = fileParts(d);
            const size = partsLength(parts);
            if (size <= maxJournal) {
              const meta = { name: d.name, path: d.path, typeName: d.type ? typeName(d.type) : null, disk: d.disk, savedAt: Date.now() };
              await recovery.write(id, meta, parts, journalHistory(d, Math.min(maxJournal - size, JOURNAL_MAX_REPLAY_BYTES)));
              journaled.add(id);
              continue;
            }
          }
          if (journaled.delete(id)) await recovery.remove(id);
        } catch {
          // The journal is a safety net: a full or read-only disk must not break editing.
        }
      }
    });
    return journalChain;
  }

  /** The marks and, while short and within `room` bytes with its base, the steps of a document's history (see RecoveryHistory). */
  function journalHistory(d: DocState, room: number): RecoveryHistory {
    const modified: RecoveryHistory['modified'] = [];
    for (const [message, m] of d.messages) {
      const paths = m.doc.root.modified ? modifiedPaths(m.doc.root, JOURNAL_MAX_MARKS) : null;
      if (paths?.length) modified.push({ message, paths });
    }
    const { undo, redo } = d.history.depth;
    if (undo + redo > JOURNAL_MAX_STEPS) return { modified };
    const { steps, undone, savedAt } = d.history.journalSteps();
    if (steps.reduce((n, st) => n + stepSize(st), d.source.length) > room) return { modified };
    return { modified, replay: { base: d.source, steps, undone, savedAt } };
  }

  /**
   * Brings back a recovered document's undo history (by replaying its steps) or else its edit
   * marks. Either way the document's bytes must come out as journaled: when they do not (a
   * schema changed since, say), the document stays as opened from those bytes, unmarked.
   */
  function restoreHistory(d: DocState, history: RecoveryHistory, bytes: Uint8Array): void {
    const same = () => equalBytes(fileBytes(d), bytes);
    const { replay } = history;
    if (replay) {
      try {
        reset(d, replay.base);
        for (const step of replay.steps) {
          const m = message(d, step.message);
          const after = 'edit' in step ? m.doc.edit(step.edit) : engine.open(step.text, d.type);
          d.history.record({ message: step.message, before: m.doc, after, journal: step });
          m.doc = after;
        }
        for (let i = 0; i < replay.undone; i++) undoStep(d);
        d.history.restoreSavedAt(replay.savedAt);
        if (same()) return;
      } catch {
        // Not replayable here: the marks below, from the journaled bytes.
      }
    }
    reset(d, bytes);
    try {
      for (const { message: i, paths } of history.modified) {
        const m = message(d, i);
        m.doc = m.doc.markModified(paths);
      }
      if (same()) return;
    } catch {
      // A message that is not there (the file's framing reads differently now, say): no marks.
    }
    reset(d, bytes);
  }

  /** Makes `bytes` the document's source with no history (and unsaved: savedAt -1). */
  function reset(d: DocState, bytes: Uint8Array): void {
    d.source = bytes;
    d.index = engine.index(bytes);
    d.messages.clear();
    d.history = new DocumentHistory(false);
    d.version++;
  }

  // ---- Files changed on disk.
  async function stampOf(path: string): Promise<DiskStamp | null> {
    if (!files.stat) return null;
    try {
      return await files.stat(path);
    } catch {
      return null;
    }
  }

  const stampKey = (s: DiskStamp | null) => (s ? `${s.size}:${s.mtimeMs}` : 'gone');

  /** The document's file when it differs from what was opened or saved; undefined when it does not. */
  async function diskChange(d: DocState): Promise<(DiskChange & { stamp: DiskStamp | null }) | undefined> {
    if (!d.path || !d.disk || !files.stat) return undefined;
    const now = await stampOf(d.path);
    if (now && now.size === d.disk.size && now.mtimeMs === d.disk.mtimeMs) return undefined;
    return { docId: d.id, path: d.path, deleted: !now, stamp: now };
  }

  async function checkDisk(only?: DocId): Promise<DiskChange[]> {
    const out: DiskChange[] = [];
    for (const d of [...docs.values()]) {
      if (only !== undefined && d.id !== only) continue;
      const c = await diskChange(d);
      if (!c || !docs.has(d.id)) continue;
      const { stamp, ...change } = c;
      out.push(change);
      const key = stampKey(stamp);
      if (d.diskReported !== key) {
        d.diskReported = key;
        emit({ kind: 'file-changed', ...change });
      }
    }
    return out;
  }

  let polling = false;
  const stopPoll =
    scheduler && files.stat && (options.diskPollMs ?? 2000) > 0
      ? scheduler.every(options.diskPollMs ?? 2000, () => {
          if (polling) return;
          polling = true;
          void checkDisk()
            .catch(() => undefined)
            .finally(() => {
              polling = false;
            });
        })
      : null;

  const rememberKey = (d: DocState) => `type:${d.path ?? d.name}`;

  function get(docId: DocId): DocState {
    const d = docs.get(docId);
    if (!d) throw new Error(`no open document ${docId}`);
    return d;
  }

  function messageBytes(d: DocState, i: number): Uint8Array {
    if (!(i >= 0 && i < d.index.count)) throw new Error(`message ${i} is out of range (0..${d.index.count - 1})`);
    const off = d.index.offsets[i];
    return d.source.subarray(off, off + d.index.lengths[i]);
  }

  // A big message decodes its top level now and nested messages when they are opened; their
  // errors then show on those rows (a lazy decode is always tolerant).
  const openOptions = (bytes: Uint8Array) => {
    const lazy = bytes.length > lazyAbove;
    return { lazy, partial: lazy, maxNodes };
  };

  function message(d: DocState, i: number): MessageState {
    let m = d.messages.get(i);
    if (!m) {
      const bytes = messageBytes(d, i);
      let doc: EditableMessage | Error;
      try {
        doc = engine.open(bytes, d.type, openOptions(bytes));
      } catch (e) {
        doc = e as Error;
      }
      m = settle(d, i, bytes, doc);
    }
    return m;
  }

  /**
   * Message i opened the way `message` does, with its top level decoded in steps that yield and
   * report progress (a 1 GB message has millions of top-level fields); cancellable.
   */
  async function messageInSteps(d: DocState, i: number, step: (done: number, total: number) => Promise<void>): Promise<void> {
    if (d.messages.has(i)) return;
    const bytes = messageBytes(d, i);
    let doc: EditableMessage | Error;
    try {
      const steps = engine.openSteps(bytes, d.type, openOptions(bytes));
      let next = steps.next();
      while (!next.done) {
        await step(next.value, bytes.length);
        next = steps.next();
      }
      doc = next.value;
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      doc = e as Error;
    }
    settle(d, i, bytes, doc);
  }

  /** Keeps message i's opened document, or where it did not decode, a tolerant decode and the error. */
  function settle(d: DocState, i: number, bytes: Uint8Array, opened: EditableMessage | Error): MessageState {
    let doc: EditableMessage;
    if (opened instanceof Error) {
      // Malformed or truncated: show what parses (the rest as raw bytes), and say where it stopped.
      d.error = opened.message;
      doc = engine.open(bytes, d.type, { partial: true, maxNodes });
    } else {
      doc = opened;
      d.error = doc.root.error?.message;
    }
    const m: MessageState = {
      doc,
      lazy: openOptions(bytes).lazy,
      expand: { all: false, except: new Set() },
      interpret: new Map(),
      layout: 0,
    };
    if (countNodes(doc.root.fields, AUTO_EXPAND_NODES) <= AUTO_EXPAND_NODES) m.expand.all = true;
    d.messages.set(i, m);
    return m;
  }

  function view(m: MessageState): ViewCache {
    const root = m.doc.root;
    if (m.cache && m.cache.root === root) return m.cache;
    const bytes = m.doc.encode();
    // Unmodified: the document's own spans are right. Modified: decode the new bytes for spans.
    const view = root.modified ? engine.decodeView(bytes, root.type, { lazy: m.lazy, maxNodes }) : root;
    m.cache = { root, bytes, view, complete: !m.lazy };
    return m.cache;
  }

  function isExpanded(m: MessageState, key: string): boolean {
    return m.expand.all !== m.expand.except.has(key);
  }

  function setExpandedKey(m: MessageState, key: string, expanded: boolean): void {
    if (expanded === m.expand.all) m.expand.except.delete(key);
    else m.expand.except.add(key);
  }

  function summary(d: DocState): DocumentSummary {
    const first = d.messages.get(0);
    return {
      docId: d.id,
      name: d.name,
      path: d.path,
      size: d.source.length,
      framing: d.index.framing,
      messageCount: d.index.count,
      typeName: d.type ? typeName(d.type) : null,
      candidates: d.candidates,
      dirty: d.history.dirty,
      canUndo: d.history.canUndo,
      canRedo: d.history.canRedo,
      version: d.version,
      ...(d.error ? { error: d.error } : first?.doc.root.error ? { error: String(first.doc.root.error.message) } : {}),
    };
  }

  /** Field names from the root to an entry, dotted (what a filter matches paths against). */
  function namePath(e: FlatEntry): string {
    const names: string[] = [];
    for (let x: FlatEntry | null = e; x; x = x.parent) if (!x.element) names.push(x.node.field?.name ?? String(x.node.fieldNumber));
    return names.reverse().join('.');
  }

  /** Validation warnings, when the type has rules and the whole tree is decoded (a lazy tree is not read just for them). */
  function warningsOf(v: ViewCache): ValidationResult | null {
    if (!v.complete || !engine.hasRules(v.view.type)) return null;
    return (v.warnings ??= engine.validate(v.view));
  }

  function rowOf(m: MessageState, v: ViewCache, e: FlatEntry): TreeRow {
    const path = entryPath(e);
    const key = m.expand.except.size || m.interpret.size ? pathKey(path) : '';
    const docNode = v.view === v.root ? e.node : nodeAtPath(v.root, path);
    let repeated: { index: number; count: number } | undefined;
    if (!e.element && e.node.field?.repeated) {
      const siblings = e.parent ? childrenOf(e.parent.node, e.parent.interpreted) : v.view.fields;
      if (siblings && e.parent?.node.value.kind !== 'packed') repeated = occurrenceOf(siblings as readonly FieldNode[], e.index);
    }
    let readings: TreeRow['readings'];
    if (e.node.value.kind === 'unknown' && !e.element) {
      readings = engine.readings(e.node).readings;
    }
    let warnings = e.element ? undefined : warningsOf(v)?.byNode.get(e.node);
    // A lazily decoded message that turned out malformed (its unread rest shows as raw bytes).
    const broken = !e.element && e.node.value.kind === 'message' ? e.node.value.error : undefined;
    if (broken) warnings = [...(warnings ?? []), `cannot decode: ${broken.message}`];
    const interpretedAs = key ? m.interpret.get(key) : undefined;
    return toRow(e, {
      expanded: (key ? isExpanded(m, key) : m.expand.all) && childrenOf(e.node, e.interpreted) !== null,
      modified: !!docNode?.modified && !e.element,
      ...(repeated ? { repeated } : {}),
      ...(readings ? { readings } : {}),
      ...(interpretedAs ? { interpretedAs } : {}),
      ...(warnings ? { warnings } : {}),
    });
  }

  /**
   * The visible rows of a message for its layout and a filter. A walk over many nodes (expand all
   * of a big message, any filter of one) runs as a task; it decodes lazy messages as it reads them.
   */
  function flatOf(d: DocState, m: MessageState, v: ViewCache, filter?: string): Promise<FlatRows> {
    const f = filter?.trim().toLowerCase() ?? '';
    const key = `${m.layout}\u0000${f}`;
    if (v.flat && v.flat.key === key) return v.flat.rows;
    const keyOf = (rows: FlatRows, row: number) => pathKey(rows.path(row));
    const walker = new Flattener(v.view, {
      isExpanded: (rows, row) => (m.expand.except.size ? isExpanded(m, keyOf(rows, row)) : m.expand.all),
      interpretedChildren: (rows, row) =>
        m.interpret.size && m.interpret.get(keyOf(rows, row)) === 'message' ? engine.readings(rows.node(row)).message : undefined,
      ...(f
        ? {
            filter: (rows: FlatRows, row: number) => {
              const e = rows.entry(row);
              return filterText(e, rowOf(m, v, e), namePath(e)).includes(f);
            },
          }
        : {}),
    });
    // Everything is read by a filter, and by a walk with every node expanded.
    const readsAll = f !== '' || (m.expand.all && m.expand.except.size === 0);
    const rows = (async () => {
      if (!walker.run(WALK_CHUNK)) {
        await runTask(d.id, f ? 'Filtering' : 'Expanding', async (step) => {
          do await step(walker.offset, v.bytes.length);
          while (!walker.run(WALK_CHUNK));
        });
      }
      if (readsAll) {
        v.complete = true;
        // Every node was walked once: that is the node count (saves a second walk of the whole tree).
        if (!f && !m.interpret.size) v.nodeCount ??= walker.visited;
      }
      return walker.rows;
    })();
    v.flat = { key, rows };
    // A cancelled or failed walk is not kept: the next request starts again.
    rows.catch(() => {
      if (v.flat?.rows === rows) v.flat = undefined;
    });
    return rows;
  }

  function touch(d: DocState, m?: MessageState): void {
    d.version++;
    if (m) m.layout++;
    journalSoon(d);
  }

  /** Makes `step.after` the message's version, as one undo step. */
  function record(d: DocState, m: MessageState, step: HistoryStep): void {
    m.doc = step.after;
    d.history.record(step);
    touch(d, m);
  }

  /** Refuses a file over the size limit, naming its size and the limit. */
  function checkSize(name: string, size: number): void {
    const tooBig = tooBigToOpen(name, size, maxOpen);
    if (tooBig) throw new Error(tooBig);
  }

  async function open(
    name: string,
    bytes: Uint8Array,
    path: string | null,
    disk: DiskStamp | null = null,
    recovered?: { typeName: string | null },
  ): Promise<DocumentSummary> {
    checkSize(name, bytes.length);
    return runTask(null, `Opening ${name}`, async (step) => {
      const s = schemas.current();
      // Progress in percent: framing and type detection, then the first message's top level.
      const index = engine.index(bytes);
      await step(10, 100);
      const candidates = detectStream(bytes, index, s);
      await step(20, 100);
      const d: DocState = {
        id: `d${nextId++}`,
        name,
        path,
        source: bytes,
        index,
        type: null,
        candidates,
        messages: new Map(),
        history: new DocumentHistory(!recovered),
        version: 1,
        disk,
        diskReported: null,
      };
      const remembered = recovered ? recovered.typeName : files.getState<string | null>(`type:${path ?? name}`);
      if (remembered !== undefined) d.type = remembered === null ? null : s.find(remembered);
      else if (candidates.length && candidates[0].score >= 0.5) d.type = s.find(candidates[0].typeName);
      await messageInSteps(d, 0, (done, total) => step(20 + Math.floor((79 * done) / Math.max(1, total)), 100));
      await step(100, 100);
      docs.set(d.id, d);
      if (path && !recovered) addRecent(path);
      return summary(d);
    });
  }

  /** The message as JSON or text format (cached per version of its bytes). */
  function textOf(d: DocState, v: ViewCache, format: 'json' | 'text'): string {
    v.text ??= {};
    return (v.text[format] ??= engine.toText(v.bytes, d.type, format, schemas.current()));
  }

  /** A one-line summary of a stream message: its top-level field names (or hex when that says nothing). */
  function streamPreview(bytes: Uint8Array, type: Type | null): string {
    if (!type || bytes.length > 64 * 1024) return hexPreview(bytes, 12);
    const root = engine.decodeView(bytes, type);
    const names = [...new Set(root.fields.map((f) => f.field?.name ?? `#${f.fieldNumber}`))];
    return names.length ? names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '') : '(empty)';
  }

  /** Detected types: for a stream, the mean score over a sample of its messages (a type must fit them all). */
  function detectStream(bytes: Uint8Array, index: StreamIndex, s: Schemas): TypeCandidate[] {
    const at = (i: number) => bytes.subarray(index.offsets[i], index.offsets[i] + index.lengths[i]);
    if (index.count <= 1) return engine.detect(index.count ? at(0) : bytes, s, 12);
    const n = Math.min(index.count, STREAM_DETECT_SAMPLES);
    const picks = [...new Set(Array.from({ length: n }, (_, k) => Math.floor((k * (index.count - 1)) / Math.max(1, n - 1))))];
    const sums = new Map<string, { score: number; reason?: string }>();
    for (const i of picks) {
      for (const c of engine.detect(at(i), s, 80)) {
        const e = sums.get(c.typeName) ?? { score: 0, ...(c.reason ? { reason: c.reason } : {}) };
        e.score += c.score;
        sums.set(c.typeName, e);
      }
    }
    return [...sums.entries()]
      .map(([typeName, e]) => ({ typeName, score: e.score / picks.length, reason: `mean over ${picks.length} of ${index.count} messages` }))
      .sort((a, b) => b.score - a.score || a.typeName.localeCompare(b.typeName))
      .slice(0, 12);
  }

  function addRecent(path: string): void {
    const list = (files.getState<string[]>('recent') ?? []).filter((p) => p !== path);
    list.unshift(path);
    files.setState('recent', list.slice(0, 12));
  }

  /** The document's file bytes as parts: views of the source for everything unchanged. */
  function fileParts(d: DocState): readonly Uint8Array[] {
    if (d.index.framing === 'single' && d.index.count === 1) {
      const m = d.messages.get(0);
      return m ? m.doc.encodeParts().parts : [d.source];
    }
    const messages: (readonly Uint8Array[])[] = [];
    for (let i = 0; i < d.index.count; i++) {
      const m = d.messages.get(i);
      messages.push(m ? m.doc.encodeParts().parts : [messageBytes(d, i)]);
    }
    return engine.frame(d.index, messages);
  }

  /** The document's file bytes in one buffer (the source itself while unchanged). */
  function fileBytes(d: DocState): Uint8Array {
    const parts = fileParts(d);
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(partsLength(parts));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async function writeTo(d: DocState, path: string): Promise<void> {
    await files.writeAtomic(path, fileParts(d));
    d.disk = await stampOf(path);
    d.diskReported = null;
    d.path = path;
    d.name = files.basename(path);
    d.history.markSaved();
    d.version++;
    addRecent(path);
    if (d.type) files.setState(rememberKey(d), typeName(d.type));
    journalSoon(d);
    await flushRecovery();
  }

  function rowAt(v: ViewCache, offset: number): NodePath | null {
    let best: NodePath | null = null;
    const walk = (fields: readonly FieldNode[], prefix: number[]) => {
      for (let i = 0; i < fields.length; i++) {
        const n = fields[i];
        const s = n.span;
        if (!s || offset < s.tagStart || offset >= s.end) continue;
        const path = [...prefix, i];
        best = path;
        const v2 = n.value;
        if (v2.kind === 'packed') {
          const j = v2.elements.findIndex((el) => el.span && offset >= el.span.tagStart && offset < el.span.end);
          if (j >= 0) best = [...path, j];
        } else {
          const ch = childrenOf(n);
          if (ch) walk(ch as readonly FieldNode[], path);
        }
        return;
      }
    };
    walk(v.view.fields, []);
    return best;
  }

  const api: SessionApi = {
    async openBytes({ name, bytes }) {
      return open(String(name), bytes, null);
    },
    async openPath({ path }) {
      const abs = files.resolve(path);
      // The stamp before the read: a change between the two is then reported, never missed.
      const disk = await stampOf(abs);
      // A file over the limit is refused before it is read into memory.
      if (disk) checkSize(files.basename(abs), disk.size);
      return open(files.basename(abs), await files.read(abs), abs, disk);
    },
    async listDocuments() {
      return [...docs.values()].map(summary);
    },
    async closeDocument({ docId }) {
      const closed = docs.delete(docId);
      if (closed) {
        journalSoon(docId);
        await flushRecovery();
      }
      return { closed };
    },
    async getSummary({ docId }) {
      return summary(get(docId));
    },
    async listTypes({ query, limit }) {
      const all = schemas.current().types();
      const q = query?.trim().toLowerCase();
      const hits = q ? all.filter((t) => t.name.toLowerCase().includes(q)) : all;
      if (q) hits.sort((a, b) => rank(a.name, q) - rank(b.name, q) || a.name.localeCompare(b.name));
      return hits.slice(0, limit ?? 5000);
    },
    async setType({ docId, typeName: name }) {
      const d = get(docId);
      const type = name === null ? null : schemas.current().find(name);
      if (name !== null && !type) throw new Error(`unknown message type: ${name}`);
      // Changing the type re-reads the current bytes (edits so far are kept as bytes).
      const current = fileBytes(d);
      if (current !== d.source) {
        d.source = current;
        d.index = engine.index(current);
      }
      d.type = type;
      resetHistory(d);
      files.setState(rememberKey(d), name);
      message(d, 0);
      return summary(d);
    },
    async getRows({ docId, message: mi, start, count, filter }) {
      const d = get(docId);
      const m = message(d, mi);
      const v = view(m);
      const flat = await flatOf(d, m, v, filter);
      const rows: TreeRow[] = [];
      for (let r = Math.max(0, start); r < Math.min(flat.length, start + Math.min(count, 2000)); r++) rows.push(rowOf(m, v, flat.entry(r)));
      // A lazy tree not read in full yet is not walked for a count: the top level is what is known.
      if (v.complete) v.nodeCount ??= countNodes(v.view.fields, Number.MAX_SAFE_INTEGER);
      return {
        total: flat.length,
        start,
        rows,
        nodeCount: v.complete ? v.nodeCount! : v.view.fields.length,
        ...(v.complete ? {} : { nodeCountPartial: true }),
        rootMissing: missingFields(v.view.type, v.view.fields),
        rootWarnings: warningsOf(v)?.root ?? [],
      } satisfies RowsPage;
    },
    async setExpanded({ docId, message: mi, path, expanded, all }) {
      const d = get(docId);
      const m = message(d, mi);
      const before = m.expand;
      if (all) m.expand = { all: expanded, except: new Set() };
      else setExpandedKey(m, pathKey(path), expanded);
      m.layout++;
      try {
        return { total: (await flatOf(d, m, view(m))).length };
      } catch (e) {
        // Expand all was cancelled (or failed): the tree stays as it was.
        if (all) {
          m.expand = before;
          m.layout++;
        }
        throw e;
      }
    },
    async rowAtOffset({ docId, message: mi, offset, filter }) {
      const d = get(docId);
      const m = message(d, mi);
      const v = view(m);
      const path = rowAt(v, offset);
      if (!path) return null;
      for (let i = 1; i < path.length; i++) setExpandedKey(m, pathKey(path.slice(0, i)), true);
      m.layout++;
      const flat = await flatOf(d, m, v, filter);
      const row = flat.find(path);
      if (row < 0) return null;
      const e = flat.entry(row);
      const s = e.element ? e.element.value.span : e.node.span;
      return { row, path, span: s ? { start: s.tagStart, valueStart: s.valueStart, end: s.end } : null };
    },
    async getBytes({ docId, message: mi, start, end }) {
      const d = get(docId);
      const bytes = view(message(d, mi)).bytes;
      return { total: bytes.length, bytes: bytes.slice(Math.max(0, start), Math.min(bytes.length, end)) };
    },
    async getStream({ docId, start, count }) {
      const d = get(docId);
      const items = [];
      for (let i = Math.max(0, start); i < Math.min(d.index.count, start + Math.min(count, 5000)); i++) {
        const st = d.messages.get(i);
        const b = st ? view(st).bytes : messageBytes(d, i);
        items.push({
          index: i,
          offset: d.index.offsets[i],
          length: b.length,
          preview: `${streamPreview(b, d.type)}${st?.doc.root.modified ? ' (edited)' : ''}`,
        });
      }
      return { total: d.index.count, items } satisfies StreamPage;
    },
    async edit({ docId, message: mi, edit }) {
      const d = get(docId);
      const m = message(d, mi);
      if (edit.op === 'interpret') {
        const k = pathKey(edit.path);
        if (edit.as === null) m.interpret.delete(k);
        else m.interpret.set(k, edit.as);
        if (edit.as === 'message') setExpandedKey(m, k, true);
        touch(d, m);
        return summary(d);
      }
      const after = m.doc.edit(edit as TreeEdit);
      record(d, m, { message: mi, before: m.doc, after, journal: { message: mi, edit: edit as TreeEdit } });
      return summary(d);
    },
    async undo({ docId }) {
      const d = get(docId);
      const m = undoStep(d);
      if (m) touch(d, m);
      return summary(d);
    },
    async redo({ docId }) {
      const d = get(docId);
      const step = d.history.redo();
      if (!step) return summary(d);
      const m = message(d, step.message);
      m.doc = step.after;
      touch(d, m);
      return summary(d);
    },
    async getText({ docId, message: mi, format }) {
      const d = get(docId);
      const m = message(d, mi);
      try {
        return { text: textOf(d, view(m), format) };
      } catch (e) {
        return { text: '', error: (e as Error).message };
      }
    },
    async jsonPosition({ docId, message: mi, path }) {
      const d = get(docId);
      const v = view(message(d, mi));
      if (!d.type) return null;
      const jsonPath = jsonPathOf(v.view, path);
      if (!jsonPath || jsonPath === '$') return null;
      const text = textOf(d, v, 'json');
      const at = locateJsonPath(text, jsonPath);
      return at > 0 ? positionOf(text, at) : null;
    },
    async setText({ docId, message: mi, format, text }) {
      const d = get(docId);
      const m = message(d, mi);
      if (!d.type) {
        return {
          ok: false,
          errors: [{ message: 'choose a message type first: JSON and text need a schema', line: 1, column: 1 }],
          summary: summary(d),
        } satisfies SetTextResult;
      }
      let bytes: Uint8Array;
      try {
        bytes = engine.fromText(text, d.type, format, schemas.current());
      } catch (e) {
        const errors = e instanceof TextInputError ? e.errors : [{ message: (e as Error).message, line: 1, column: 1 }];
        return { ok: false, errors, summary: summary(d) };
      }
      const after = engine.open(bytes, d.type);
      record(d, m, { message: mi, before: m.doc, after, journal: { message: mi, text: bytes } });
      return { ok: true, errors: [], summary: summary(d) };
    },
    async describeType({ typeName: name }) {
      return schemas.current().describe(name);
    },
    async save({ docId }) {
      const d = get(docId);
      if (!d.path) throw new Error(`${d.name} was not opened from a file: use Save As and give a path`);
      const change = await diskChange(d);
      if (change && !change.deleted) {
        throw Object.assign(
          new Error(`${d.name} changed on disk since it was opened: reload it, or keep your version (Keep mine) and save again`),
          { name: 'SaveConflictError' },
        );
      }
      await writeTo(d, d.path);
      return summary(d);
    },
    async saveAs({ docId, path }) {
      const d = get(docId);
      if (!path) return null;
      await writeTo(d, files.resolve(path));
      return summary(d);
    },
    async getFileBytes({ docId }) {
      const d = get(docId);
      return { name: d.name, bytes: fileBytes(d) };
    },
    async exportMessage({ docId, message: mi, format }) {
      const d = get(docId);
      const m = message(d, mi);
      const bytes = view(m).bytes;
      const base = d.name.replace(/\.[^.]*$/, '') + (d.index.count > 1 ? `-${mi}` : '');
      if (format === 'hex') {
        const lines: string[] = [];
        for (let i = 0; i < bytes.length; i += 16) lines.push(hexPreview(bytes.subarray(i, i + 16), 16));
        return { name: `${base}.hex`, text: lines.join('\n') + '\n' };
      }
      const text = textOf(d, view(m), format);
      return { name: `${base}.${format === 'json' ? 'json' : 'txtpb'}`, text };
    },
    async schemaStatus() {
      return schemas.status();
    },
    async addSchemas(sources) {
      const st = await schemas.add(sources);
      rebind();
      return st;
    },
    async reloadSchemas() {
      const st = await schemas.reload();
      rebind();
      return st;
    },
    async recentFiles() {
      return files.getState<string[]>('recent') ?? [];
    },
    async listRecoverable() {
      if (!recovery) return [];
      const entries = await recovery.list();
      return entries.map((e): RecoverableDocument => ({
        id: e.id,
        name: e.meta.name,
        path: e.meta.path,
        typeName: e.meta.typeName,
        size: e.size,
        savedAt: e.meta.savedAt,
      }));
    },
    async cancelTask({ taskId }) {
      if (typeof taskId !== 'string') throw new TypeError('cancelTask: field "taskId" must be string');
      const task = tasks.get(taskId);
      if (task) task.cancelled = true;
      return { cancelled: !!task };
    },
    async recover({ id }) {
      if (!recovery) throw new Error('crash recovery is off in this session');
      if (typeof id !== 'string') throw new TypeError('recover: field "id" must be string');
      const { meta, bytes, history } = await recovery.read(id);
      let s = await open(meta.name, bytes, meta.path, meta.disk, { typeName: meta.typeName });
      if (history) {
        const d = get(s.docId);
        restoreHistory(d, history, bytes);
        message(d, 0);
        s = summary(d);
      }
      // This session's journal has it before the old entry goes, so there is always a copy.
      journalSoon(s.docId);
      await flushRecovery();
      await recovery.discard(id);
      return s;
    },
    async discardRecoverable({ id }) {
      if (!recovery) return { discarded: 0 };
      if (id !== undefined && typeof id !== 'string') throw new TypeError('discardRecoverable: field "id" must be string');
      const ids = id === undefined ? (await recovery.list()).map((e) => e.id) : [id];
      for (const x of ids) await recovery.discard(x);
      return { discarded: ids.length };
    },
    async checkDisk({ docId }) {
      if (docId !== undefined) get(docId);
      return checkDisk(docId);
    },
    async reloadFromDisk({ docId }) {
      const d = get(docId);
      if (!d.path) throw new Error(`${d.name} was not opened from a file`);
      const disk = await stampOf(d.path);
      if (disk) checkSize(d.name, disk.size);
      const bytes = await files.read(d.path);
      checkSize(d.name, bytes.length);
      reset(d, bytes);
      d.history.markSaved();
      d.error = undefined;
      d.disk = disk;
      d.diskReported = null;
      message(d, 0);
      journalSoon(d);
      await flushRecovery();
      return summary(d);
    },
    async keepMine({ docId }) {
      const d = get(docId);
      if (!d.path) return summary(d);
      const change = await diskChange(d);
      if (change) {
        d.disk = change.stamp;
        d.diskReported = null;
        // The file no longer holds this version: it is unsaved until saved again.
        d.history.markUnsaved();
        d.version++;
        journalSoon(d);
      }
      return summary(d);
    },
  };

  /** Undoes the last step (without the bookkeeping of a user's undo); returns its message, or null when there is none. */
  function undoStep(d: DocState): MessageState | null {
    const step = d.history.undo();
    if (!step) return null;
    const m = message(d, step.message);
    m.doc = step.before;
    return m;
  }

  /** Starts a fresh history over the current bytes; unsaved changes stay unsaved. */
  function resetHistory(d: DocState): void {
    d.messages.clear();
    d.history = new DocumentHistory(!d.history.dirty);
    d.version++;
    journalSoon(d);
  }

  /** After schemas change: re-find each document's type by name in the new registry. */
  function rebind(): void {
    const s = schemas.current();
    for (const d of docs.values()) {
      if (!d.type) continue;
      const t = s.find(typeName(d.type));
      if (t && t !== d.type) {
        d.type = t;
        d.source = fileBytes(d);
        d.index = engine.index(d.source);
        resetHistory(d);
      }
    }
  }

  return {
    api,
    dirtyDocuments: () => [...docs.values()].filter(isDirty).map(summary),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flushRecovery,
    async discardOwnRecovery() {
      if (!recovery) return;
      pendingJournal.clear();
      await journalChain;
      for (const id of [...journaled]) {
        journaled.delete(id);
        await recovery.remove(id).catch(() => undefined);
      }
    },
    dispose() {
      journalTimer?.();
      journalTimer = null;
      stopPoll?.();
    },
  };
}

function rank(name: string, q: string): number {
  const short = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (short === q) return 0;
  if (short.startsWith(q)) return 1;
  if (name.toLowerCase().startsWith(q)) return 2;
  return 3;
}

/** Fully-qualified name of a type without the leading dot. */
export function typeName(type: Type): string {
  return type.fullName.replace(/^\./, '');
}
