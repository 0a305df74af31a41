/**
 * Open files changed on disk by someone else: checked on request and on a timer, each change
 * reported once as a 'file-changed' event; the user then reloads the file or keeps their version.
 */
import type { AppEvent, DiskChange, DocId } from '../../api/contract';
import type { DiskStamp, FileHost, Scheduler } from '../engine';
import { checkOpenSize } from './document-open';
import type { OpenDocument } from './document-state';
import { knowDisk, knownHash, readStamp, sameStamp, stampKey, unsettled } from './file-stamps';
import type { OpenDocuments } from './open-documents';
import type { RecoveryJournal } from './recovery-journal';
import type { SessionApiPart } from './session-api';

/** What the disk watch needs. */
export interface DiskWatchOptions {
  files: FileHost;
  /** Timers for the poll (none: only checks on request). */
  scheduler?: Scheduler;
  /** Open files are checked this often (ms; 0: never by timer). */
  pollMs: number;
  /** Files larger than this are not reloaded (the open limit). */
  maxOpen: number;
  documents: OpenDocuments;
  journal: RecoveryJournal;
  emit: (event: AppEvent) => void;
}

/** The disk watch of a session. */
export interface DiskWatch extends SessionApiPart<'checkDisk' | 'reloadFromDisk' | 'keepMine'> {
  /** The document's file when it differs from what was opened or saved; undefined when it does not. */
  diskChange(d: OpenDocument): Promise<(DiskChange & { stamp: DiskStamp | null }) | undefined>;
  /** Stops the poll. */
  dispose(): void;
}

/** Creates the disk watch, polling when a scheduler is given. */
export function createDiskWatch(options: DiskWatchOptions): DiskWatch {
  const { files, scheduler, pollMs, maxOpen, documents, journal, emit } = options;

  async function diskChange(d: OpenDocument): Promise<(DiskChange & { stamp: DiskStamp | null }) | undefined> {
    if (!d.path || !d.disk || !files.stat) return undefined;
    const known = d.disk;
    const now = await readStamp(files, d.path);
    const change = { docId: d.id, path: d.path, deleted: !now, stamp: now };
    if (!now) return change;
    if (sameStamp(now, known) && !unsettled(known)) return undefined;
    if (now.size !== known.size) return change;
    // Same size, but another inode, change time or mtime, or a stamp too coarse to tell: the content decides.
    const key = stampKey(now);
    if (d.diskProbe?.key === key && !unsettled(now)) return d.diskProbe.changed ? change : undefined;
    const expected = await knownHash(d);
    const actual = expected !== null && files.hashFile ? await files.hashFile(d.path).catch(() => null) : null;
    if (actual === null) return sameStamp(now, known) ? undefined : change;
    if (d.disk !== known) return undefined; // saved or reloaded meanwhile: that stamp is the one to compare with now
    if (actual === expected) {
      // The same bytes (touched, or copied back): this stamp stands for them from now on.
      Object.assign(known, now, { hash: expected });
      d.diskProbe = null;
      return undefined;
    }
    d.diskProbe = { key, changed: true };
    return change;
  }

  async function check(only?: DocId): Promise<DiskChange[]> {
    const out: DiskChange[] = [];
    for (const d of documents.all()) {
      if ((only !== undefined && d.id !== only) || d.saving) continue;
      const c = await diskChange(d);
      if (!c || !documents.find(d.id)) continue;
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
    scheduler && files.stat && pollMs > 0
      ? scheduler.every(pollMs, () => {
          if (polling) return;
          polling = true;
          void check()
            .catch(() => undefined)
            .finally(() => {
              polling = false;
            });
        })
      : null;

  return {
    diskChange,
    async checkDisk({ docId }) {
      if (docId !== undefined) documents.get(docId);
      return check(docId);
    },
    async reloadFromDisk({ docId }) {
      const d = documents.get(docId);
      if (!d.path) throw new Error(`${d.name} was not opened from a file`);
      const disk = await readStamp(files, d.path);
      if (disk) checkOpenSize(d.name, disk.size, maxOpen);
      const bytes = await files.read(d.path);
      checkOpenSize(d.name, bytes.length, maxOpen);
      documents.reset(d, bytes);
      d.history.markSaved();
      d.error = undefined;
      knowDisk(d, disk, files.hashBytes?.(bytes));
      documents.message(d, 0);
      journal.soon(d.id);
      await journal.flush();
      return documents.summary(d);
    },
    async keepMine({ docId }) {
      const d = documents.get(docId);
      if (!d.path) return documents.summary(d);
      const change = await diskChange(d);
      if (change) {
        // The file holds someone else's bytes now: those are what later changes are measured from.
        knowDisk(d, change.stamp, change.stamp && files.hashFile ? files.hashFile(d.path) : null);
        // The file no longer holds this version: it is unsaved until saved again.
        d.history.markUnsaved();
        d.version++;
        journal.soon(d.id);
      }
      return documents.summary(d);
    },
    dispose() {
      stopPoll?.();
    },
  };
}
