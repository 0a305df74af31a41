/**
 * Saving a document: in place (refused while the file changed on disk since it was opened, until
 * the user keeps their version) or to a new path, written atomically from parts that copy no
 * unchanged byte; and the file's bytes for a download.
 *
 * A save writes the version the document had when it started. Edits made while it runs stay
 * unsaved (dirty, and in the recovery journal): the document is marked saved only where its
 * bytes are the ones written. Saves of one document run one after another, in order.
 */
import type { AppEvent } from '../../api/contract';
import type { FileHost, WriteOptions } from '../engine';
import type { DiskWatch } from './disk-watch';
import type { OpenDocument } from './document-state';
import { addRecent, rememberType } from './file-memory';
import { knowDisk, readStamp } from './file-stamps';
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

/** An error a user's agreement can get past, named so the UI can ask (FileExistsError, ReadOnlyFileError). */
function refusal(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** What the save methods need. */
export interface DocumentSaveOptions {
  files: FileHost;
  documents: OpenDocuments;
  disk: DiskWatch;
  journal: RecoveryJournal;
  /** Sends the warnings a save leaves (the owner could not be kept). */
  emit: (event: AppEvent) => void;
}

/** Creates the save methods. */
export function createDocumentSave({ files, documents, disk, journal, emit }: DocumentSaveOptions): DocumentSave {
  /** Documents whose last save left a warning (cleared by the next save without one). */
  const warned = new Set<string>();
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

  /** Refuses to save over a file changed on disk since it was opened or saved (until Keep mine). */
  async function checkConflict(d: OpenDocument): Promise<void> {
    const change = await disk.diskChange(d);
    if (change && !change.deleted) {
      throw refusal(
        'SaveConflictError',
        `${d.name} changed on disk since it was opened: reload it, or keep your version (Keep mine) and save again`,
      );
    }
  }

  async function writeTo(d: OpenDocument, path: string, options: WriteOptions): Promise<void> {
    // The version saved is the one the document has now, whatever happens while it is written.
    const at = d.history.position();
    const version = d.version;
    const parts = documents.fileParts(d);
    d.saving++;
    let result: Awaited<ReturnType<FileHost['writeAtomic']>>;
    try {
      result = await files.writeAtomic(path, parts, options);
      knowDisk(d, await readStamp(files, path), result?.hash ?? files.hashBytes?.(parts));
    } finally {
      d.saving--;
    }
    const key = `save:${d.id}`;
    const warnings = result?.warnings ?? [];
    if (warnings.length) {
      warned.add(key);
      emit({ kind: 'warning', key, docId: d.id, message: `Saved ${path}, but: ${warnings.join(' ')}` });
    } else if (warned.delete(key)) emit({ kind: 'warning', key, docId: d.id, message: null });
    const unchanged = d.version === version;
    if (d.path !== path) {
      d.path = path;
      d.name = files.basename(path);
      d.version++;
    }
    if (unchanged || sameParts(documents.fileParts(d), parts)) d.history.markSaved();
    else d.history.markSavedAt(at);
    d.version++;
    addRecent(files, path);
    if (d.type) await rememberType(files, d);
    // The journal entry goes only when the document is the bytes just written; else it is rewritten.
    journal.soon(d.id);
    await journal.flush();
  }

  return {
    async save({ docId, overwriteReadOnly }) {
      const d = documents.get(docId);
      return inTurn(d, async () => {
        if (!d.path) throw new Error(`${d.name} was not opened from a file: use Save As and give a path`);
        await checkConflict(d);
        await writeTo(d, d.path, { overwriteReadOnly: overwriteReadOnly === true });
        return documents.summary(d);
      });
    },
    async saveAs({ docId, path, overwrite, overwriteReadOnly }) {
      const d = documents.get(docId);
      if (!path) return null;
      // A relative name goes in the document's folder; without one there is no folder to put it in.
      let target: string;
      if (files.isAbsolute(path)) target = files.resolve(path);
      else if (d.path) target = files.resolve(path, files.dirname(d.path));
      else {
        throw new Error(
          `Save As needs a full path for ${d.name}: it was not opened from a file, so there is no folder to put "${path}" in. ` +
            `Give a path from the root, such as /home/you/${files.basename(path)}.`,
        );
      }
      return inTurn(d, async () => {
        const own = target === d.path;
        if (own) await checkConflict(d);
        else if (!overwrite && (await readStamp(files, target))) {
          throw refusal('FileExistsError', `${target} already exists: it was not replaced. Choose another name, or confirm to replace it.`);
        }
        await writeTo(d, target, { refuseExisting: !own && !overwrite, overwriteReadOnly: overwriteReadOnly === true });
        return documents.summary(d);
      });
    },
    async getFileBytes({ docId }) {
      const d = documents.get(docId);
      return { name: d.name, bytes: documents.fileBytes(d) };
    },
  };
}
