/** The shell's modal dialogs: which one is open, and what its buttons do. */
import type { DocumentSummary } from '../../core/api/contract';
import { api } from '../host/bridge';
import { PasteDialog } from '../dialogs/paste-dialog';
import { OpenPathDialog, ReplaceFileDialog, SaveAsDialog, SaveConflictDialog } from '../dialogs/path-dialogs';
import { CloseTabDialog, QuitDialog } from '../dialogs/unsaved-changes-dialogs';
import { hasDrafts } from '../document/text-drafts';
import type { DocumentCommands } from './use-document-commands';
import type { AppModal } from './app-modal';

/** The open modal, if any; each closes itself before its command runs. */
export function AppModals({
  modal,
  tabs,
  commands,
  close,
}: {
  modal: AppModal;
  tabs: DocumentSummary[];
  commands: DocumentCommands;
  close: () => void;
}) {
  if (!modal) return null;
  const nameOf = (docId: string) => tabs.find((t) => t.docId === docId)?.name;
  /** Closes the dialog, then runs its command. */
  const then = (fn: () => unknown) => () => {
    close();
    void fn();
  };
  switch (modal.kind) {
    case 'paste':
      return <PasteDialog onCancel={close} onOpen={(name, bytes) => then(() => commands.openBytes(name, bytes))()} />;
    case 'open-path':
      return <OpenPathDialog onCancel={close} onOpen={(path) => then(() => commands.openPath(path))()} />;
    case 'save-as':
      return (
        <SaveAsDialog
          initial={tabs.find((t) => t.docId === modal.docId)?.path ?? ''}
          onCancel={close}
          onSave={(path) => then(() => commands.saveAsPath(modal.docId, path, modal.then))()}
        />
      );
    case 'close-tab':
      return (
        <CloseTabDialog
          name={nameOf(modal.docId)}
          dirty={tabs.find((t) => t.docId === modal.docId)?.dirty ?? false}
          unapplied={hasDrafts(modal.docId)}
          onSave={then(() => commands.save(modal.docId, () => void commands.closeNow(modal.docId)))}
          onDiscard={then(() => commands.closeNow(modal.docId))}
          onCancel={close}
        />
      );
    case 'save-conflict':
      return (
        <SaveConflictDialog
          name={nameOf(modal.docId)}
          onOverwrite={then(() => commands.overwrite(modal.docId, modal.then))}
          onReload={then(() => commands.reloadFromDisk(modal.docId))}
          onCancel={close}
        />
      );
    case 'replace-file': {
      const { docId, path, saveAs } = modal;
      const agreed = modal.reason === 'read-only' ? { overwriteReadOnly: true } : { overwrite: true };
      return (
        <ReplaceFileDialog
          reason={modal.reason}
          path={path}
          onCancel={close}
          onReplace={then(() =>
            saveAs ? commands.saveAsPath(docId, path, modal.then, { ...saveAs, ...agreed }) : commands.save(docId, modal.then, true),
          )}
        />
      );
    }
    case 'close-window':
      return (
        <QuitDialog
          dirtyNames={tabs.filter((t) => t.dirty || hasDrafts(t.docId)).map((t) => t.name)}
          onQuit={then(() => api.confirmClose({}))}
          onCancel={close}
        />
      );
  }
}
