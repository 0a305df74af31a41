/**
 * Paths typed by the user where the host has no native dialogs (browser mode): open a file by
 * its path, save to a path; and the questions a save asks before it replaces something: a file
 * changed on disk, a read-only file, an existing file (Save As).
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
      label="Path to save to (on this machine; a bare name goes beside the file opened)"
      placeholder="/path/to/edited.bin"
      initial={initial}
      confirm="Save"
      onCancel={onCancel}
      onConfirm={onSave}
    />
  );
}

/** The file changed on disk since it was opened: Keep mine (overwrite it), Reload from disk (drop the changes), or Cancel. */
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
      message={
        `${name ?? 'The file'} changed on disk since you opened it. Keep your version and overwrite the file, ` +
        `or reload the file from disk (your unsaved changes are dropped)?`
      }
      actions={[
        { label: 'Keep mine (overwrite)', primary: true, onClick: onOverwrite },
        { label: 'Reload from disk', onClick: onReload },
        { label: 'Cancel', onClick: onCancel },
      ]}
    />
  );
}

/** Saving would replace a file: a read-only one, or (Save As) one that exists. Replace it, or Cancel. */
export function ReplaceFileDialog({
  reason,
  path,
  onReplace,
  onCancel,
}: {
  reason: 'read-only' | 'exists';
  path: string;
  onReplace: () => void;
  onCancel: () => void;
}) {
  const readOnly = reason === 'read-only';
  return (
    <ConfirmDialog
      title={readOnly ? 'Overwrite read-only file?' : 'Replace existing file?'}
      message={
        readOnly
          ? `${path} is read-only. Overwrite it anyway? (It stays read-only.)`
          : `${path} already exists. Replace it with this document?`
      }
      actions={[
        { label: readOnly ? 'Overwrite' : 'Replace', onClick: onReplace },
        { label: 'Cancel', primary: true, onClick: onCancel },
      ]}
    />
  );
}
