/**
 * The crash-recovery journal as this session writes it: a dirty document's bytes, its edit marks
 * and (while short) its undo steps reach the journal at most `delayMs` after a change, and its
 * entry goes once it is saved, closed or clean again.
 */
import type { DocId } from '../../api/contract';
import type { RecoveryHistory, RecoveryStore, Scheduler } from '../engine';
import { typeName, type OpenDocument } from './document-state';
import { partsLength, type OpenDocuments } from './open-documents';
import { modifiedPaths, stepSize } from './recovery-history';

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

/** What the journal writer needs. */
export interface RecoveryJournalOptions {
  /** Where entries go (none: recovery is off and every method does nothing). */
  recovery?: RecoveryStore;
  /** Timers for the delay (none: entries are written only by flush). */
  scheduler?: Scheduler;
  /** Unsaved changes reach the journal at most this long after a change (ms). */
  delayMs: number;
  /** Documents whose file bytes are larger are not journaled. */
  maxBytes: number;
  documents: OpenDocuments;
}

/** This session's journal writer. */
export interface RecoveryJournal {
  /** Journals a document soon: its entry is written if it is dirty, removed if it is clean, closed or too big. */
  soon(docId: DocId): void;
  /** Writes pending entries now (and removes those of saved or closed documents). */
  flush(): Promise<void>;
  /** Removes this session's entries: the user chose to quit without saving. */
  discardOwn(): Promise<void>;
  /** Stops the delay timer. */
  dispose(): void;
}

/** The marks and, while short and within `room` bytes with its base, the steps of a document's history (see RecoveryHistory). */
export function journalHistory(d: OpenDocument, room: number): RecoveryHistory {
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

/** Creates the journal writer. */
export function createRecoveryJournal(options: RecoveryJournalOptions): RecoveryJournal {
  const { recovery, scheduler, delayMs, maxBytes, documents } = options;
  const pending = new Set<DocId>();
  const journaled = new Set<DocId>();
  let timer: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (!recovery) return Promise.resolve();
    const ids = [...pending];
    pending.clear();
    chain = chain.then(async () => {
      for (const id of ids) {
        const d = documents.find(id);
        try {
          if (d && d.history.dirty) {
            const parts = documents.fileParts(d);
            const size = partsLength(parts);
            if (size <= maxBytes) {
              // A type whose schema is missing stays named, so a later session with the schema reads it so.
              const type = d.type ? typeName(d.type) : d.missingType;
              const meta = { name: d.name, path: d.path, typeName: type, disk: d.disk, savedAt: Date.now() };
              await recovery.write(id, meta, parts, journalHistory(d, Math.min(maxBytes - size, JOURNAL_MAX_REPLAY_BYTES)));
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
    return chain;
  }

  return {
    soon(docId) {
      if (!recovery) return;
      pending.add(docId);
      if (scheduler && !timer) {
        timer = scheduler.after(delayMs, () => {
          timer = null;
          void flush();
        });
      }
    },
    flush,
    async discardOwn() {
      if (!recovery) return;
      pending.clear();
      await chain;
      for (const id of [...journaled]) {
        journaled.delete(id);
        await recovery.remove(id).catch(() => undefined);
      }
    },
    dispose() {
      timer?.();
      timer = null;
    },
  };
}
