/** The questions asked before unsaved changes would be lost: closing a tab, quitting. */
import { ConfirmDialog } from './dialogs';

/** Closing a tab with unsaved changes: Save (then close), Don't save (close), or Cancel. */
export function CloseTabDialog({
  name,
  onSave,
  onDiscard,
  onCancel,
}: {
  /** The tab's name (undefined: it is gone meanwhile). */
  name: string | undefined;
  onSave: () => void;
  onDiscard: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title="Unsaved changes"
      message={`${name ?? 'This file'} has unsaved changes. Save them before closing?`}
      actions={[
        { label: 'Save', primary: true, onClick: onSave },
        { label: "Don't save", onClick: onDiscard },
        { label: 'Cancel', onClick: onCancel },
      ]}
    />
  );
}

/** Quitting with unsaved changes (the host asked to close the window): Quit without saving, or Cancel. */
export function QuitDialog({ dirtyNames, onQuit, onCancel }: { dirtyNames: string[]; onQuit: () => void; onCancel: () => void }) {
  return (
    <ConfirmDialog
      title="Unsaved changes"
      message={`${dirtyNames.join(', ')} ${dirtyNames.length === 1 ? 'has' : 'have'} unsaved changes. Quit anyway?`}
      actions={[
        { label: 'Quit without saving', onClick: onQuit },
        { label: 'Cancel', primary: true, onClick: onCancel },
      ]}
    />
  );
}
