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
  AppEvent, DiskChange, DocId, DocumentMethods, DocumentSummary, FileSafetyMethods, NodePath, RecoverableDocument, RowsPage, SetTextResult, StreamPage, TreeEdit, TreeRow, TypeCandidate,
} from '../api/contract';
import {
  TextInputError, type DiskStamp, type EditableMessage, type FileHost, type RecoveryStore, type Scheduler, type SchemaHost, type Schemas, type StreamIndex,
  type ValidationResult, type WorkbenchEngine,
} from './engine';
import { childrenOf, filterText, flatten, hexPreview, missingFields, pathKey, toRow, type FlatEntry } from './tree-view';
import { nodeAtPath } from '../document/tree';
import { positionOf } from '../schema/proto-source';
import { jsonPathOf, locateJsonPath } from './text-adapter';

/** Messages with at most this many nodes open fully expanded. */
const AUTO_EXPAND_NODES = 400;

/** How many messages of a stream are sampled for type detection. */
const STREAM_DETECT_SAMPLES = 16;

interface MessageState {
  doc: EditableMessage;
  /** Expanded node paths (keys). */
  expanded: Set<string>;
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
  flat?: { key: string; entries: FlatEntry[] };
  warnings?: ValidationResult;
  nodeCount?: number;
  /** The JSON and text format of these bytes, once asked for. */
  text?: Partial<Record<'json' | 'text', string>>;
}

type HistoryEntry =
  | { kind: 'edit'; message: number }
  | { kind: 'replace'; message: number; before: EditableMessage; after: EditableMessage };

interface DocState {
  id: DocId;
  name: string;
  path: string | null;
  source: Uint8Array;
  index: StreamIndex;
  type: Type | null;
  candidates: TypeCandidate[];
  messages: Map<number, MessageState>;
  undo: HistoryEntry[];
  redo: HistoryEntry[];
  /** Length of `undo` when last saved; -1 when the saved state is no longer reachable. */
  savedAt: number;
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
export type SessionApi = { [K in keyof SessionMethods]: (request: SessionMethods[K][0]) => Promise<SessionMethods[K][1]> };

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

function countNodes(fields: readonly FieldNode[], limit: number): number {
  let n = 0;
  const walk = (fs: readonly FieldNode[]) => {
    for (const f of fs) {
      if (n > limit) return;
      n++;
      const v = f.value;
      if (v.kind === 'message') walk(v.fields);
      else if (v.kind === 'packed') n += v.elements.length;
      else if (v.kind === 'unknown' && Array.isArray(v.raw)) walk(v.raw as FieldNode[]);
    }
  };
  walk(fields);
  return n;
}

/** Creates a session. */
export function createSession(options: SessionOptions): WorkbenchSession {
  const { engine, schemas, files, recovery, scheduler } = options;
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

  // ---- The recovery journal: dirty documents are written at most journalDelayMs after an edit.
  const journalDelay = options.journalDelayMs ?? 1000;
  const maxJournal = options.maxJournalBytes ?? 256 * 1024 * 1024;
  const pendingJournal = new Set<DocId>();
  const journaled = new Set<DocId>();
  let journalTimer: (() => void) | null = null;
  let journalChain: Promise<void> = Promise.resolve();

  const isDirty = (d: DocState) => d.savedAt !== d.undo.length;

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
            const bytes = fileBytes(d);
            if (bytes.length <= maxJournal) {
              await recovery.write(id, { name: d.name, path: d.path, typeName: d.type ? typeName(d.type) : null, disk: d.disk, savedAt: Date.now() }, bytes);
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
  async function diskChange(d: DocState): Promise<DiskChange & { stamp: DiskStamp | null } | undefined> {
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
  const stopPoll = scheduler && files.stat && (options.diskPollMs ?? 2000) > 0
    ? scheduler.every(options.diskPollMs ?? 2000, () => {
      if (polling) return;
      polling = true;
      void checkDisk().catch(() => undefined).finally(() => {
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

  function message(d: DocState, i: number): MessageState {
    let m = d.messages.get(i);
    if (!m) {
      const bytes = messageBytes(d, i);
      let doc: EditableMessage;
      try {
        doc = engine.open(bytes, d.type);
        d.error = undefined;
      } catch (e) {
        // Malformed or truncated: show what parses (the rest as raw bytes), and say where it stopped.
        d.error = (e as Error).message;
        doc = engine.open(bytes, d.type, true);
      }
      m = { doc, expanded: new Set(), interpret: new Map(), layout: 0 };
      if (countNodes(doc.root.fields, AUTO_EXPAND_NODES) <= AUTO_EXPAND_NODES) expandAll(m, doc.root);
      d.messages.set(i, m);
    }
    return m;
  }

  function view(m: MessageState): ViewCache {
    const root = m.doc.root;
    if (m.cache && m.cache.root === root) return m.cache;
    const bytes = m.doc.encode();
    // Unmodified: the document's own spans are right. Modified: decode the new bytes for spans.
    const view = root.modified ? engine.decodeView(bytes, root.type) : root;
    m.cache = { root, bytes, view };
    return m.cache;
  }

  function expandAll(m: MessageState, root: MessageRoot): void {
    const walk = (fields: readonly FieldNode[], prefix: number[]) => {
      fields.forEach((f, i) => {
        const path = [...prefix, i];
        const ch = childrenOf(f);
        if (!ch) return;
        m.expanded.add(pathKey(path));
        if (f.value.kind !== 'packed') walk(ch as readonly FieldNode[], path);
      });
    };
    walk(root.fields, []);
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
      dirty: d.savedAt !== d.undo.length,
      canUndo: d.undo.length > 0,
      canRedo: d.redo.length > 0,
      version: d.version,
      ...(d.error ? { error: d.error } : first?.doc.root.error ? { error: String(first.doc.root.error.message) } : {}),
    };
  }

  function interpretedChildren(m: MessageState) {
    return (key: string, node: FieldNode): readonly FieldNode[] | undefined => {
      if (m.interpret.get(key) !== 'message') return undefined;
      return engine.readings(node).message;
    };
  }

  function namePath(root: MessageRoot, path: NodePath): string {
    const names: string[] = [];
    let fields: readonly FieldNode[] | undefined = root.fields;
    for (const i of path) {
      const n: FieldNode | undefined = fields?.[i];
      if (!n) break;
      names.push(n.field?.name ?? String(n.fieldNumber));
      const ch = childrenOf(n);
      fields = ch && n.value.kind !== 'packed' ? (ch as readonly FieldNode[]) : undefined;
    }
    return names.join('.');
  }

  function rowOf(d: DocState, m: MessageState, v: ViewCache, e: FlatEntry, siblings?: readonly FieldNode[]): TreeRow {
    const key = pathKey(e.path);
    const docNode = v.view === v.root ? e.node : nodeAtPath(v.root, e.path);
    let repeated: { index: number; count: number } | undefined;
    if (!e.element && e.node.field?.repeated && siblings) {
      const same = siblings.filter((s) => s.fieldNumber === e.node.fieldNumber);
      repeated = { index: same.indexOf(e.node), count: same.length };
    }
    let readings: TreeRow['readings'];
    if (e.node.value.kind === 'unknown' && !e.element) {
      readings = engine.readings(e.node).readings;
    }
    v.warnings ??= engine.validate(v.view);
    const warnings = e.element ? undefined : v.warnings.byNode.get(e.node);
    const interpretedAs = m.interpret.get(key);
    return toRow(e, {
      expanded: m.expanded.has(key),
      modified: !!docNode?.modified && !e.element,
      ...(repeated ? { repeated } : {}),
      ...(readings ? { readings } : {}),
      ...(interpretedAs ? { interpretedAs } : {}),
      ...(warnings ? { warnings } : {}),
    });
  }

  function siblingsOf(root: MessageRoot, path: NodePath): readonly FieldNode[] | undefined {
    if (path.length === 1) return root.fields;
    const parent = nodeAtPath(root, path.slice(0, -1));
    const ch = parent && childrenOf(parent);
    return ch && parent.value.kind !== 'packed' ? (ch as readonly FieldNode[]) : undefined;
  }

  function flat(d: DocState, m: MessageState, filter?: string): FlatEntry[] {
    const v = view(m);
    const f = filter?.trim().toLowerCase() ?? '';
    const key = `${m.layout}\u0000${f}`;
    if (v.flat && v.flat.key === key) return v.flat.entries;
    const entries = flatten(
      v.view,
      (k) => m.expanded.has(k),
      interpretedChildren(m),
      f ? (e) => filterText(e, rowOf(d, m, v, e), namePath(v.view, e.path)).includes(f) : undefined,
    );
    v.flat = { key, entries };
    return entries;
  }

  function touch(d: DocState, m?: MessageState): void {
    d.version++;
    if (m) m.layout++;
    journalSoon(d);
  }

  function record(d: DocState, entry: HistoryEntry): void {
    d.undo.push(entry);
    if (d.savedAt > d.undo.length - 1) d.savedAt = -1;
    d.redo = [];
    touch(d, d.messages.get(entry.message));
  }

  async function open(
    name: string, bytes: Uint8Array, path: string | null, disk: DiskStamp | null = null,
    recovered?: { typeName: string | null },
  ): Promise<DocumentSummary> {
    const s = schemas.current();
    const index = engine.index(bytes);
    const candidates = detectStream(bytes, index, s);
    const d: DocState = {
      id: `d${nextId++}`, name, path, source: bytes, index, type: null, candidates,
      messages: new Map(), undo: [], redo: [], savedAt: recovered ? -1 : 0, version: 1, disk, diskReported: null,
    };
    const remembered = recovered ? recovered.typeName : files.getState<string | null>(`type:${path ?? name}`);
    if (remembered !== undefined) d.type = remembered === null ? null : s.find(remembered);
    else if (candidates.length && candidates[0].score >= 0.5) d.type = s.find(candidates[0].typeName);
    docs.set(d.id, d);
    message(d, 0);
    if (path && !recovered) addRecent(path);
    return summary(d);
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

  function fileBytes(d: DocState): Uint8Array {
    if (d.index.framing === 'single' && d.index.count === 1) {
      const m = d.messages.get(0);
      return m ? m.doc.encode() : d.source;
    }
    const parts: Uint8Array[] = [];
    for (let i = 0; i < d.index.count; i++) {
      const m = d.messages.get(i);
      parts.push(m ? m.doc.encode() : messageBytes(d, i));
    }
    return engine.frame(d.index, parts);
  }

  async function writeTo(d: DocState, path: string): Promise<void> {
    const bytes = fileBytes(d);
    await files.writeAtomic(path, bytes);
    d.disk = await stampOf(path);
    d.diskReported = null;
    d.path = path;
    d.name = files.basename(path);
    d.savedAt = d.undo.length;
    d.version++;
    addRecent(path);
    if (d.type) files.setState(rememberKey(d), typeName(d.type));
    journalSoon(d);
    await flushRecovery();
  }

  function rowAt(d: DocState, m: MessageState, offset: number): NodePath | null {
    const v = view(m);
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
      const entries = flat(d, m, filter);
      const v = view(m);
      const rows = entries.slice(Math.max(0, start), Math.max(0, start) + Math.min(count, 2000)).map((e) => rowOf(d, m, v, e, siblingsOf(v.view, e.path)));
      if (v.nodeCount === undefined) v.nodeCount = countNodes(v.view.fields, Number.MAX_SAFE_INTEGER);
      v.warnings ??= engine.validate(v.view);
      return { total: entries.length, start, rows, nodeCount: v.nodeCount, rootMissing: missingFields(v.view.type, v.view.fields), rootWarnings: v.warnings.root } satisfies RowsPage;
    },
    async setExpanded({ docId, message: mi, path, expanded, all }) {
      const d = get(docId);
      const m = message(d, mi);
      if (all) {
        if (expanded) expandAll(m, view(m).view);
        else m.expanded.clear();
      } else if (expanded) m.expanded.add(pathKey(path));
      else m.expanded.delete(pathKey(path));
      m.layout++;
      return { total: flat(d, m).length };
    },
    async rowAtOffset({ docId, message: mi, offset, filter }) {
      const d = get(docId);
      const m = message(d, mi);
      const path = rowAt(d, m, offset);
      if (!path) return null;
      for (let i = 1; i < path.length; i++) m.expanded.add(pathKey(path.slice(0, i)));
      m.layout++;
      const k = pathKey(path);
      const entries = flat(d, m, filter);
      const row = entries.findIndex((e) => pathKey(e.path) === k);
      if (row < 0) return null;
      const e = entries[row];
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
        items.push({ index: i, offset: d.index.offsets[i], length: b.length, preview: `${streamPreview(b, d.type)}${st?.doc.root.modified ? ' (edited)' : ''}` });
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
        if (edit.as === 'message') m.expanded.add(k);
        touch(d, m);
        return summary(d);
      }
      m.doc.edit(edit as TreeEdit);
      record(d, { kind: 'edit', message: mi });
      return summary(d);
    },
    async undo({ docId }) {
      const d = get(docId);
      const e = d.undo.pop();
      if (!e) return summary(d);
      const m = message(d, e.message);
      if (e.kind === 'edit') m.doc.undo();
      else m.doc = e.before;
      d.redo.push(e);
      touch(d, m);
      return summary(d);
    },
    async redo({ docId }) {
      const d = get(docId);
      const e = d.redo.pop();
      if (!e) return summary(d);
      const m = message(d, e.message);
      if (e.kind === 'edit') m.doc.redo();
      else m.doc = e.after;
      d.undo.push(e);
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
        return { ok: false, errors: [{ message: 'choose a message type first: JSON and text need a schema', line: 1, column: 1 }], summary: summary(d) } satisfies SetTextResult;
      }
      let bytes: Uint8Array;
      try {
        bytes = engine.fromText(text, d.type, format, schemas.current());
      } catch (e) {
        const errors = e instanceof TextInputError ? e.errors : [{ message: (e as Error).message, line: 1, column: 1 }];
        return { ok: false, errors, summary: summary(d) };
      }
      const before = m.doc;
      const after = engine.open(bytes, d.type);
      m.doc = after;
      record(d, { kind: 'replace', message: mi, before, after });
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
        throw Object.assign(new Error(`${d.name} changed on disk since it was opened: reload it, or keep your version (Keep mine) and save again`), { name: 'SaveConflictError' });
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
        id: e.id, name: e.meta.name, path: e.meta.path, typeName: e.meta.typeName, size: e.size, savedAt: e.meta.savedAt,
      }));
    },
    async recover({ id }) {
      if (!recovery) throw new Error('crash recovery is off in this session');
      if (typeof id !== 'string') throw new TypeError('recover: field "id" must be string');
      const { meta, bytes } = await recovery.read(id);
      const s = await open(meta.name, bytes, meta.path, meta.disk, { typeName: meta.typeName });
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
      const bytes = await files.read(d.path);
      d.source = bytes;
      d.index = engine.index(bytes);
      d.messages.clear();
      d.undo = [];
      d.redo = [];
      d.savedAt = 0;
      d.version++;
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
        if (!isDirty(d)) d.savedAt = -1;
        d.version++;
        journalSoon(d);
      }
      return summary(d);
    },
  };

  /** Starts a fresh history over the current bytes; unsaved changes stay unsaved. */
  function resetHistory(d: DocState): void {
    const dirty = d.savedAt !== d.undo.length;
    d.messages.clear();
    d.undo = [];
    d.redo = [];
    d.savedAt = dirty ? -1 : 0;
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
    dirtyDocuments: () => [...docs.values()].filter((d) => d.savedAt !== d.undo.length).map(summary),
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
