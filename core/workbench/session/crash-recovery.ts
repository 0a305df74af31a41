/**
 * Bringing back unsaved documents another session left in the recovery journal: listing them,
 * opening one with its edit marks and (when it was short) its undo history, discarding them.
 */
import type { RecoverableDocument } from '../../api/contract';
import type { RecoveryHistory, RecoveryStore } from '../engine';
import type { DocumentOpener } from './document-open';
import type { OpenDocument } from './document-state';
import type { DocumentEdits } from './edits';
import type { OpenDocuments } from './open-documents';
import type { RecoveryJournal } from './recovery-journal';
import type { SessionApiPart } from './session-api';

/** The recovery methods. */
export type CrashRecovery = SessionApiPart<'listRecoverable' | 'recover' | 'discardRecoverable'>;

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Creates the recovery methods (with no store, recovery is off: nothing to list, recover fails saying so). */
export function createCrashRecovery(
  recovery: RecoveryStore | undefined,
  opener: DocumentOpener,
  documents: OpenDocuments,
  edits: DocumentEdits,
  journal: RecoveryJournal,
): CrashRecovery {
  /**
   * Brings back a recovered document's undo history (by replaying its steps) or else its edit
   * marks. Either way the document's bytes must come out as journaled: when they do not (a
   * schema changed since, say), the document stays as opened from those bytes, unmarked.
   */
  function restoreHistory(d: OpenDocument, history: RecoveryHistory, bytes: Uint8Array): void {
    const same = () => equalBytes(documents.fileBytes(d), bytes);
    const { replay } = history;
    if (replay) {
      try {
        documents.reset(d, replay.base);
        edits.replay(d, replay);
        if (same()) return;
      } catch {
        // Not replayable here: the marks below, from the journaled bytes.
      }
    }
    documents.reset(d, bytes);
    try {
      for (const { message: i, paths } of history.modified) {
        const m = documents.message(d, i);
        m.doc = m.doc.markModified(paths);
      }
      if (same()) return;
    } catch {
      // A message that is not there (the file's framing reads differently now, say): no marks.
    }
    documents.reset(d, bytes);
  }

  return {
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
    async recover({ id }) {
      if (!recovery) throw new Error('crash recovery is off in this session');
      if (typeof id !== 'string') throw new TypeError('recover: field "id" must be string');
      const { meta, bytes, history } = await recovery.read(id);
      let s = await opener.open(meta.name, bytes, meta.path, meta.disk, { typeName: meta.typeName });
      if (history) {
        const d = documents.get(s.docId);
        restoreHistory(d, history, bytes);
        documents.message(d, 0);
        s = documents.summary(d);
      }
      // This session's journal has it before the old entry goes, so there is always a copy.
      journal.soon(s.docId);
      await journal.flush();
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
  };
}
