/**
 * The crash-recovery journal as this session writes it: a dirty document's bytes, its edit marks
 * and (while short) its undo steps reach the journal at most `delayMs` after a change, and its
 * entry goes once it is saved, closed or clean again.
 */
import type { AppEvent, DocId } from '../../api/contract';
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
  /** Sends the warning that unsaved work is not protected (a journal write failed), and its clearing. */
  emit?: (event: AppEvent) => void;
  /** Logs a failed journal write. */
  log?: (message: string) => void;
}

/** The key of the warning that journal writes fail. */
export const JOURNAL_WARNING = 'recovery-journal';

/** Why a journal write failed, in a few words (a host's error code, else its message). */
function why(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'permission to write the recovery folder was denied';
    case 'EROFS':
      return 'the recovery folder is on a read-only file system';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'the recovery folder is not a folder';
    default:
      return e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
  }
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
  /** Documents whose last journal write failed, with why (the warning stands while there are any). */
  const failing = new Map<DocId, string>();
  let timer: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();

  /** The warning last sent (null: none stands). */
  let warned: string | null = null;

  /** Says that unsaved work is not protected (once per change of what fails), or that it is again. */
  function warn(): void {
    let message: string | null = null;
    if (failing.size) {
      const names = [...failing.keys()].map((id) => documents.find(id)?.name ?? id);
      const reasons = [...new Set(failing.values())].join('; ');
      message =
        `Unsaved changes to ${names.join(', ')} could not be written to the recovery journal (${reasons}): ` +
        `your unsaved work is not protected against a crash. Save it, and free disk space or fix the recovery folder.`;
    }
    if (message === warned) return;
    warned = message;
    options.emit?.({ kind: 'warning', key: JOURNAL_WARNING, docId: null, message });
  }

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
              failing.delete(id);
              continue;
            }
          }
          if (journaled.delete(id)) await recovery.remove(id);
          failing.delete(id);
        } catch (e) {
          // A full or read-only disk must not break editing, but it must not be silent either:
          // the user is told their work is unprotected, it is logged, and the write is tried again.
          const reason = why(e);
          if (failing.get(id) !== reason) options.log?.(`recovery journal: ${d?.name ?? id}: ${reason}`);
          failing.set(id, reason);
        }
      }
      warn();
      // What failed is written again on the next timer (or the next flush), until it succeeds.
      for (const id of failing.keys()) soon(id);
    });
    return chain;
  }

  function soon(docId: DocId): void {
    if (!recovery) return;
    pending.add(docId);
    if (scheduler && !timer) {
      timer = scheduler.after(delayMs, () => {
        timer = null;
        void flush();
      });
    }
  }

  return {
    soon,
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
