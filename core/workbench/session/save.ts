/**
 * Saving a document: in place (refused while the file changed on disk since it was opened, until
 * the user keeps their version) or to a new path, written atomically from parts that copy no
 * unchanged byte; and the file's bytes for a download.
 */
import type { FileHost } from '../engine';
import type { DiskWatch } from './disk-watch';
import { typeName, type OpenDocument } from './document-state';
import { addRecent, rememberedTypeKey } from './file-memory';
import { readStamp } from './file-stamps';
import type { OpenDocuments } from './open-documents';
import type { RecoveryJournal } from './recovery-journal';
import type { SessionApiPart } from './session-api';

/** The save methods. */
export type DocumentSave = SessionApiPart<'save' | 'saveAs' | 'getFileBytes'>;

/** Creates the save methods. */
export function createDocumentSave(files: FileHost, documents: OpenDocuments, disk: DiskWatch, journal: RecoveryJournal): DocumentSave {
  async function writeTo(d: OpenDocument, path: string): Promise<void> {
    await files.writeAtomic(path, documents.fileParts(d));
    d.disk = await readStamp(files, path);
    d.diskReported = null;
    d.path = path;
    d.name = files.basename(path);
    d.history.markSaved();
    d.version++;
    addRecent(files, path);
    if (d.type) files.setState(rememberedTypeKey(d.path, d.name), typeName(d.type));
    journal.soon(d.id);
    await journal.flush();
  }

  return {
    async save({ docId }) {
      const d = documents.get(docId);
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
    },
    async saveAs({ docId, path }) {
      const d = documents.get(docId);
      if (!path) return null;
      await writeTo(d, files.resolve(path));
      return documents.summary(d);
    },
    async getFileBytes({ docId }) {
      const d = documents.get(docId);
      return { name: d.name, bytes: documents.fileBytes(d) };
    },
  };
}
