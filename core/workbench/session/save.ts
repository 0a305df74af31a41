/**
 * Saving a document: in place (refused while the file changed on disk since it was opened, until
 * the user keeps their version) or to a new path, written atomically from parts that copy no
 * unchanged byte; and the file's bytes for a download.
 *
 * A save writes the version the document had when it started. Edits made while it runs stay
 * unsaved (dirty, and in the recovery journal): the document is marked saved only where its
 * bytes are the ones written. Saves of one document run one after another, in order.
 */
import type { FileHost } from '../engine';
import type { DiskWatch } from './disk-watch';
import { typeName, type OpenDocument } from './document-state';
import { addRecent, rememberedTypeKey } from './file-memory';
import { readStamp } from './file-stamps';
import { partsLength, type OpenDocuments } from './open-documents';
import type { RecoveryJournal } from './recovery-journal';
import type { SessionApiPart } from './session-api';

/** The save methods. */
export type DocumentSave = SessionApiPart<'save' | 'saveAs' | 'getFileBytes'>;

/** Whether two lists of parts hold the same bytes. */
export function sameParts(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (partsLength(a) !== partsLength(b)) return false;
  let i = 0;
  let j = 0;
  let ai = 0;
  let bj = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    const n = Math.min(x.length - ai, y.length - bj);
    if (!(x === y && ai === bj)) {
      for (let k = 0; k < n; k++) if (x[ai + k] !== y[bj + k]) return false;
    }
    ai += n;
    bj += n;
    if (ai === x.length) {
      i++;
      ai = 0;
    }
    if (bj === y.length) {
      j++;
      bj = 0;
    }
  }
  return true;
}

/** Creates the save methods. */
export function createDocumentSave(files: FileHost, documents: OpenDocuments, disk: DiskWatch, journal: RecoveryJournal): DocumentSave {
  /** The save under way of each document (the next one waits for it). */
  const running = new Map<OpenDocument, Promise<unknown>>();

  /** Runs a save of `d` once the saves before it ended. */
  function inTurn<T>(d: OpenDocument, save: () => Promise<T>): Promise<T> {
    const before = running.get(d) ?? Promise.resolve();
    const mine = before.then(save, save);
    const settled = mine.catch(() => undefined);
    running.set(d, settled);
    void settled.then(() => {
      if (running.get(d) === settled) running.delete(d);
    });
    return mine;
  }

  async function writeTo(d: OpenDocument, path: string): Promise<void> {
    // The version saved is the one the document has now, whatever happens while it is written.
    const at = d.history.position();
    const version = d.version;
    const parts = documents.fileParts(d);
    d.saving++;
    try {
      await files.writeAtomic(path, parts);
      d.disk = await readStamp(files, path);
    } finally {
      d.saving--;
    }
    const unchanged = d.version === version;
    d.diskReported = null;
    if (d.path !== path) {
      d.path = path;
      d.name = files.basename(path);
      d.version++;
    }
    if (unchanged || sameParts(documents.fileParts(d), parts)) d.history.markSaved();
    else d.history.markSavedAt(at);
    d.version++;
    addRecent(files, path);
    if (d.type) files.setState(rememberedTypeKey(d.path, d.name), typeName(d.type));
    // The journal entry goes only when the document is the bytes just written; else it is rewritten.
    journal.soon(d.id);
    await journal.flush();
  }

  return {
    async save({ docId }) {
      const d = documents.get(docId);
      return inTurn(d, async () => {
        if (!d.path) throw new Error(`${d.name} was not opened from a file: use Save As and give a path`);
        const change = await disk.diskChange(d);
        if (change && !change.deleted) {
          throw Object.assign(
            new Error(`${d.name} changed on disk since it was opened: reload it, or keep your version (Keep mine) and save again`),
            { name: 'SaveConflictError' },
          );
        }
        await writeTo(d, d.path);
        return documents.summary(d);
      });
    },
    async saveAs({ docId, path }) {
      const d = documents.get(docId);
      if (!path) return null;
      return inTurn(d, async () => {
        await writeTo(d, files.resolve(path));
        return documents.summary(d);
      });
    },
    async getFileBytes({ docId }) {
      const d = documents.get(docId);
      return { name: d.name, bytes: documents.fileBytes(d) };
    },
  };
}
