/**
 * The workbench session: the open documents (one per tab) and everything the renderer asks about
 * them, implementing the document half of the ProtodeskApi contract over the core engine.
 * Platform-neutral: file access and schema loading are injected (see engine.ts).
 *
 * The session is only the API: each method is one of the modules beside it (the open documents,
 * opening, message views, edits over each document's one history, types, save, the recovery
 * journal, crash recovery, the disk watch, tasks), composed here.
 */
import type { AppEvent, DocumentSummary } from '../../api/contract';
import type { Decompress } from '../../capture';
import type { FileHost, RecoveryStore, Scheduler, SchemaHost, WorkbenchEngine } from '../engine';
import { createCaptures, refusingCaptures } from './captures';
import { createCrashRecovery } from './crash-recovery';
import { createByteEdits } from './byte-edits';
import { createDiffs } from './diffs';
import { createDiskWatch } from './disk-watch';
import { createDocumentOpener, DEFAULT_MAX_OPEN } from './document-open';
import type { MessageState, OpenDocument } from './document-state';
import { createDocumentEdits } from './edits';
import { createRecentFiles } from './file-memory';
import { createMessageRows } from './message-rows';
import { createMessageTypes } from './message-types';
import { createMessageViews } from './message-views';
import { createOpenDocuments } from './open-documents';
import { createRecoveryJournal } from './recovery-journal';
import { createSchemaDrops } from './schema-drops';
import { createDocumentSave } from './save';
import type { SessionApi } from './session-api';
import { createStreamTools } from './stream-tools';
import { createTasks } from './tasks';

export type { SessionApi, SessionMethods } from './session-api';
export { CancelledError } from './tasks';

/** Defaults of the size limits (see SessionOptions). */
const MiB = 1024 * 1024;
const DEFAULT_LAZY_ABOVE = 1 * MiB;
const DEFAULT_MAX_NODES = 4_000_000;
const DEFAULT_MAX_JOURNAL = 256 * MiB;

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
  /** Logs what the user is warned of too (a recovery journal write that failed). */
  log?: (message: string) => void;
  /** Messages larger than this decode lazily: the top level at once, nested messages when first read (default 1 MiB). */
  lazyAboveBytes?: number;
  /** Files larger than this are refused with a message naming both sizes (default 1 GiB). */
  maxOpenBytes?: number;
  /** A message decodes at most this many nodes, the rest kept as raw bytes with an error saying so (default 4,000,000: about 1 GB of memory). */
  maxNodes?: number;
  /** Undoes gzip, deflate and brotli in captured bodies (none: compressed bodies are reported, not read). */
  decompress?: Decompress;
}

/** A workbench session and its API. */
export interface WorkbenchSession {
  api: SessionApi;
  /** Documents with unsaved changes. */
  dirtyDocuments(): DocumentSummary[];
  /** Subscribes to events the session raises ('file-changed', 'warning', …); returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Writes pending journal entries now (and removes those of saved or closed documents). */
  flushRecovery(): Promise<void>;
  /** Removes this session's journal entries: the user chose to quit without saving. */
  discardOwnRecovery(): Promise<void>;
  /** Stops the timers (the journal stays as it is, as after a crash). */
  dispose(): void;
}

/** Creates a session. */
export function createSession(options: SessionOptions): WorkbenchSession {
  const { engine, schemas, files, recovery, scheduler } = options;
  const maxOpen = options.maxOpenBytes ?? DEFAULT_MAX_OPEN;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;

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

  const tasks = createTasks(scheduler, emit);
  const documents = createOpenDocuments(engine, { lazyAboveBytes: options.lazyAboveBytes ?? DEFAULT_LAZY_ABOVE, maxNodes });
  const journal = createRecoveryJournal({
    recovery,
    scheduler,
    delayMs: options.journalDelayMs ?? 1000,
    maxBytes: options.maxJournalBytes ?? DEFAULT_MAX_JOURNAL,
    documents,
    emit,
    ...(options.log ? { log: options.log } : {}),
  });
  /** A document changed: the renderer fetches it again, its rows are rebuilt, the journal hears of it. */
  const changed = (d: OpenDocument, m?: MessageState) => {
    d.version++;
    if (m) m.layout++;
    journal.soon(d.id);
  };
  const edits = createDocumentEdits(engine, schemas, documents, changed);
  const opener = createDocumentOpener(engine, schemas, files, tasks, documents, maxOpen, scheduler);
  const rows = createMessageRows(engine, tasks, maxNodes);
  const views = createMessageViews(engine, schemas, documents, rows, changed);
  const byteEdits = createByteEdits(engine, documents, rows, edits);
  const streamTools = createStreamTools(engine, schemas, documents, rows);
  const types = createMessageTypes(engine, schemas, files, documents, edits);
  const disk = createDiskWatch({ files, scheduler, pollMs: options.diskPollMs ?? 2000, maxOpen, documents, journal, emit });
  const save = createDocumentSave({ files, documents, disk, journal, emit });
  const recent = createRecentFiles(files);
  const crash = createCrashRecovery(recovery, opener, documents, edits, journal);
  const drops = refusingCaptures(createSchemaDrops(files, types, opener, emit));
  const captures = createCaptures(schemas, files, opener, types, maxOpen, options.decompress);
  const diffs = createDiffs(engine, schemas, files, documents, captures.entryMessage);

  const api: SessionApi = {
    openBytes: drops.openBytes,
    openPath: drops.openPath,
    async listDocuments() {
      return documents.all().map(documents.summary);
    },
    async closeDocument({ docId }) {
      documents.find(docId)?.stopHash?.(); // nobody needs the hash of what it was opened from any more
      const closed = documents.remove(docId);
      if (closed) {
        journal.soon(docId);
        await journal.flush();
      }
      return { closed };
    },
    async getSummary({ docId }) {
      return documents.summary(documents.get(docId));
    },
    listTypes: types.listTypes,
    setType: types.setType,
    getRows: views.getRows,
    setExpanded: views.setExpanded,
    rowAtOffset: views.rowAtOffset,
    getBytes: views.getBytes,
    getValueChunk: views.getValueChunk,
    getStream: views.getStream,
    decodeNested: views.decodeNested,
    async edit({ docId, message, edit }) {
      if (edit.op === 'interpret') views.interpret(docId, message, edit.path, edit.as);
      else edits.edit(docId, message, edit);
      return documents.summary(documents.get(docId));
    },
    ...byteEdits,
    ...streamTools,
    undo: edits.undo,
    redo: edits.redo,
    getText: views.getText,
    jsonPosition: views.jsonPosition,
    setText: edits.setText,
    describeType: types.describeType,
    save: save.save,
    saveAs: save.saveAs,
    getFileBytes: save.getFileBytes,
    exportMessage: views.exportMessage,
    schemaStatus: types.schemaStatus,
    addSchemas: types.addSchemas,
    removeSchema: types.removeSchema,
    reloadSchemas: types.reloadSchemas,
    recentFiles: recent.recentFiles,
    listRecoverable: crash.listRecoverable,
    cancelTask: tasks.cancelTask,
    recover: crash.recover,
    discardRecoverable: crash.discardRecoverable,
    checkDisk: disk.checkDisk,
    reloadFromDisk: disk.reloadFromDisk,
    keepMine: disk.keepMine,
    ...captures.methods,
    ...diffs,
  };

  return {
    api,
    dirtyDocuments: () =>
      documents
        .all()
        .filter((d) => d.history.dirty)
        .map(documents.summary),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flushRecovery: journal.flush,
    discardOwnRecovery: journal.discardOwn,
    dispose() {
      journal.dispose();
      disk.dispose();
    },
  };
}
