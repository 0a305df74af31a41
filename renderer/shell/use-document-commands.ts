/**
 * What the shell does with documents: open (files, the host's dialog, a path, pasted bytes;
 * a schema file is added to the schemas), save (asking first over a file changed on disk or
 * read-only), save as (asking before replacing a file), reload or keep after a change on disk,
 * close (asking first when unsaved), export, undo and redo.
 */
import { useCallback, useMemo } from 'react';
import { errorCodeOf } from '../../core/api/api-error';
import type { AppInfo, DocumentSummary } from '../../core/api/contract';
import type { ExportFormat } from '../actions/app-actions';
import { isCaptureName } from '../capture/capture-format';
import { api, openFile } from '../host/bridge';
import { download } from '../shared/util';
import { dropDrafts, hasDrafts } from '../document/text-drafts';
import type { AppModal } from './app-modal';
import type { Notify } from './use-notices';
import type { Run } from './use-runner';
import type { Tabs } from './use-tabs';

/** What the commands need from the shell. */
export interface DocumentCommandDeps {
  info: AppInfo | null;
  tabs: Tabs;
  run: Run;
  notify: Notify;
  showModal: (modal: AppModal) => void;
  /** A document's change on disk was dealt with (reloaded, kept, saved over, closed). */
  clearDiskChange: (docId: string) => void;
  /** Clicks the hidden file input (browser mode's Open). */
  pickFiles: () => void;
  /** The message of the active document view (streams: the one shown). */
  currentMessage: () => number;
  /** Opens HAR files as captures (their names end in .har). */
  captures: { openFile(file: File): Promise<void>; openPath(path: string): Promise<void> };
}

/** A save's refusal that the user's agreement can get past: the dialog asks, then the save runs again. */
type Refusal = 'read-only' | 'exists' | 'conflict';

/** A host call that answers a refusal instead of failing with it (any other failure is thrown, for useRunner to show). */
async function refusalOr<T>(fn: () => Promise<T>): Promise<T | { refusal: Refusal }> {
  try {
    return await fn();
  } catch (e) {
    const code = errorCodeOf(e);
    if (code === 'read-only' || code === 'exists' || code === 'conflict') return { refusal: code };
    throw e;
  }
}

/** Whether a call's answer is a refusal. */
function refused(r: unknown): r is { refusal: Refusal } {
  return !!r && typeof r === 'object' && 'refusal' in r;
}

/** The document commands (each shows its own failure; see useRunner). */
export function useDocumentCommands({
  info,
  tabs,
  run,
  notify,
  showModal,
  clearDiskChange,
  pickFiles,
  currentMessage,
  captures,
}: DocumentCommandDeps) {
  const { upsert, current, remove } = tabs;
  const nativeDialogs = !!info?.nativeDialogs;

  const openFiles = useCallback(
    async (files: readonly File[]) => {
      for (const f of files) {
        if (isCaptureName(f.name)) {
          await captures.openFile(f);
          continue;
        }
        // From disk where the host knows the path (Save then writes in place); else the File is sent as it is.
        // A .proto file or a descriptor set is added to the schemas instead: the host says so.
        const s = await run(`Opening ${f.name}`, async () => {
          try {
            return await openFile(f);
          } catch (e) {
            if (errorCodeOf(e) !== 'schema-added') throw e;
            notify((e as Error).message, 'info');
            return undefined;
          }
        });
        if (s) upsert(s, true);
      }
    },
    [run, upsert, notify, captures],
  );

  const openDialog = useCallback(async () => {
    if (nativeDialogs) {
      const docs = await run('Open', () => api.openDialog({}));
      docs?.forEach((d) => upsert(d, true));
    } else pickFiles();
  }, [nativeDialogs, run, upsert, pickFiles]);

  const openPath = useCallback(
    async (path: string) => {
      if (isCaptureName(path)) return captures.openPath(path);
      const s = await run('Open', () => api.openPath({ path }));
      if (s) upsert(s, true);
    },
    [run, upsert, captures],
  );

  const openBytes = useCallback(
    async (name: string, bytes: Uint8Array) => {
      const s = await run('Open pasted bytes', () => api.openBytes({ name, bytes }));
      if (s) upsert(s, true);
    },
    [run, upsert],
  );

  /** A save that went through: the tab, the disk change dealt with, the notice, then what was waiting for it. */
  const saved = useCallback(
    (s: DocumentSummary, then?: () => void) => {
      upsert(s);
      clearDiskChange(s.docId);
      notify(`Saved ${s.path}`, 'info');
      then?.();
    },
    [upsert, clearDiskChange, notify],
  );

  const save = useCallback(
    async (docId: string, then?: () => void, overwriteReadOnly = false) => {
      const tab = current().find((t) => t.docId === docId);
      if (!tab) return;
      if (!tab.path) {
        if (nativeDialogs) {
          const s = await run('Save As', () => api.saveAs({ docId }));
          if (s) {
            upsert(s);
            then?.();
          }
        } else showModal({ kind: 'save-as', docId, ...(then ? { then } : {}) });
        return;
      }
      // Saving over a file that changed on disk since it was opened asks first.
      const changes = await run('Save', () => api.checkDisk({ docId }));
      if (!changes) return;
      if (changes.some((c) => !c.deleted)) {
        showModal({ kind: 'save-conflict', docId, ...(then ? { then } : {}) });
        return;
      }
      const s = await run('Save', () => refusalOr(() => api.save({ docId, ...(overwriteReadOnly ? { overwriteReadOnly } : {}) })));
      if (refused(s)) {
        if (s.refusal === 'conflict') showModal({ kind: 'save-conflict', docId, ...(then ? { then } : {}) });
        else showModal({ kind: 'replace-file', reason: s.refusal, docId, path: tab.path, ...(then ? { then } : {}) });
      } else if (s) saved(s, then);
    },
    [current, nativeDialogs, run, upsert, showModal, saved],
  );

  const saveAs = useCallback(
    async (docId: string) => {
      if (nativeDialogs) {
        const s = await run('Save As', () => api.saveAs({ docId }));
        if (s) upsert(s);
      } else showModal({ kind: 'save-as', docId });
    },
    [nativeDialogs, run, upsert, showModal],
  );

  /**
   * Save As to a path typed in the browser's prompt (a bare name goes beside the document's file).
   * Replacing an existing or a read-only file asks first; `agreed` says what the user agreed to.
   */
  const saveAsPath = useCallback(
    async (docId: string, path: string, then?: () => void, agreed: { overwrite?: boolean; overwriteReadOnly?: boolean } = {}) => {
      const s = await run('Save As', () => refusalOr(() => api.saveAs({ docId, path, ...agreed })));
      if (refused(s)) {
        if (s.refusal !== 'conflict')
          showModal({ kind: 'replace-file', reason: s.refusal, docId, path, saveAs: agreed, ...(then ? { then } : {}) });
        return;
      }
      if (s) {
        upsert(s);
        clearDiskChange(docId);
        notify(`Saved ${s.path}`, 'info');
        then?.();
      }
    },
    [run, upsert, notify, showModal, clearDiskChange],
  );

  const reloadFromDisk = useCallback(
    async (docId: string) => {
      const s = await run('Reload', () => api.reloadFromDisk({ docId }));
      if (s) {
        upsert(s);
        clearDiskChange(docId);
      }
    },
    [run, upsert, clearDiskChange],
  );

  const keepMine = useCallback(
    async (docId: string) => {
      const s = await run('Keep mine', () => api.keepMine({ docId }));
      if (s) {
        upsert(s);
        clearDiskChange(docId);
      }
      return s;
    },
    [run, upsert, clearDiskChange],
  );

  /** Overwrites a file that changed on disk with this version, then saves it. */
  const overwrite = useCallback(
    async (docId: string, then?: () => void) => {
      if (await keepMine(docId)) await save(docId, then);
    },
    [keepMine, save],
  );

  /** Closes without asking. */
  const closeNow = useCallback(
    async (docId: string) => {
      await run('Close', () => api.closeDocument({ docId }));
      remove(docId);
      dropDrafts(docId);
      clearDiskChange(docId);
    },
    [run, remove, clearDiskChange],
  );

  /** Closes a tab, asking first when it has unsaved changes or unapplied JSON/text. */
  const closeTab = useCallback(
    (docId: string) => {
      if (current().find((t) => t.docId === docId)?.dirty || hasDrafts(docId)) showModal({ kind: 'close-tab', docId });
      else void closeNow(docId);
    },
    [current, showModal, closeNow],
  );

  const exportAs = useCallback(
    async (docId: string, format: ExportFormat) => {
      if (format === 'binary') {
        const f = await run('Export', () => api.getFileBytes({ docId }));
        if (f) download(f.name, f.bytes);
        return;
      }
      const r = await run(`Export ${format}`, () => api.exportMessage({ docId, message: currentMessage(), format }));
      if (!r) return;
      if (r.path) notify(`Exported to ${r.path}`, 'info');
      else if (r.text !== undefined) download(r.name, r.text, 'text/plain');
    },
    [run, notify, currentMessage],
  );

  const undo = useCallback(
    async (docId: string) => {
      const s = await run('Undo', () => api.undo({ docId }));
      if (s) upsert(s);
    },
    [run, upsert],
  );

  const redo = useCallback(
    async (docId: string) => {
      const s = await run('Redo', () => api.redo({ docId }));
      if (s) upsert(s);
    },
    [run, upsert],
  );

  /** Every tab's summary again (the schemas changed: types and errors may have). */
  const refreshSummaries = useCallback(() => void api.listDocuments({}).then((ds) => ds.forEach((d) => upsert(d))), [upsert]);

  return useMemo(
    () => ({
      openFiles,
      openDialog,
      openPath,
      openBytes,
      save,
      saveAs,
      saveAsPath,
      reloadFromDisk,
      keepMine,
      overwrite,
      closeNow,
      closeTab,
      exportAs,
      undo,
      redo,
      refreshSummaries,
    }),
    [
      openFiles,
      openDialog,
      openPath,
      openBytes,
      save,
      saveAs,
      saveAsPath,
      reloadFromDisk,
      keepMine,
      overwrite,
      closeNow,
      closeTab,
      exportAs,
      undo,
      redo,
      refreshSummaries,
    ],
  );
}

/** The document commands. */
export type DocumentCommands = ReturnType<typeof useDocumentCommands>;
