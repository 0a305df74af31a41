/**
 * Paths typed by the user where the host has no native dialogs (browser mode): open a file by
 * its path, save to a path; and the question before saving over a file changed on disk.
 */
import { ConfirmDialog, PromptDialog } from './dialogs';

/** Asks for the path of a file to open. */
export function OpenPathDialog({ onOpen, onCancel }: { onOpen: (path: string) => void; onCancel: () => void }) {
  return (
    <PromptDialog
      title="Open a file by path"
      label="Path on this machine"
      placeholder="/path/to/message.bin"
      confirm="Open"
      onCancel={onCancel}
      onConfirm={onOpen}
    />
  );
}

/** Asks for the path to save to, starting from the document's own path. */
export function SaveAsDialog({ initial, onSave, onCancel }: { initial: string; onSave: (path: string) => void; onCancel: () => void }) {
  return (
    <PromptDialog
      title="Save As"
      label="Path to save to (on this machine)"
      placeholder="/path/to/edited.bin"
      initial={initial}
      confirm="Save"
      onCancel={onCancel}
      onConfirm={onSave}
    />
  );
}

/** The file changed on disk since it was opened: Overwrite it, Reload from disk, or Cancel. */
export function SaveConflictDialog({
  name,
  onOverwrite,
  onReload,
  onCancel,
}: {
  /** The tab's name (undefined: it is gone meanwhile). */
  name: string | undefined;
  onOverwrite: () => void;
  onReload: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title="Changed on disk"
      message={`${name ?? 'The file'} changed on disk since you opened it. Overwrite it with your version?`}
      actions={[
        { label: 'Overwrite', primary: true, onClick: onOverwrite },
        { label: 'Reload from disk', onClick: onReload },
        { label: 'Cancel', onClick: onCancel },
      ]}
    />
  );
}
