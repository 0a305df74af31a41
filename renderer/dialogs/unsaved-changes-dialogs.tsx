/** The questions asked before unsaved changes would be lost: closing a tab, quitting. */
import { ConfirmDialog } from './dialogs';

/**
 * Closing a tab with unsaved changes: Save (then close), Don't save (close), or Cancel; with
 * text typed in the JSON/text pane and not applied, it says so too (closing drops that text).
 */
export function CloseTabDialog({
  name,
  dirty = true,
  unapplied = false,
  onSave,
  onDiscard,
  onCancel,
}: {
  /** The tab's name (undefined: it is gone meanwhile). */
  name: string | undefined;
  /** The document has unsaved changes. */
  dirty?: boolean;
  /** The JSON/text pane holds text not applied to the document. */
  unapplied?: boolean;
  onSave: () => void;
  onDiscard: () => void;
  onCancel: () => void;
}) {
  const what = [dirty ? 'unsaved changes' : '', unapplied ? 'JSON/text you typed and did not apply (closing drops it)' : '']
    .filter(Boolean)
    .join(', and ');
  return (
    <ConfirmDialog
      title="Unsaved changes"
      message={`${name ?? 'This file'} has ${what}. ${dirty ? 'Save the changes before closing?' : 'Close anyway?'}`}
      actions={
        dirty
          ? [
              { label: 'Save', primary: true, onClick: onSave },
              { label: "Don't save", onClick: onDiscard },
              { label: 'Cancel', onClick: onCancel },
            ]
          : [
              { label: 'Close anyway', onClick: onDiscard },
              { label: 'Cancel', primary: true, onClick: onCancel },
            ]
      }
    />
  );
}

/** Quitting with unsaved changes (the host asked to close the window): Quit without saving, or Cancel. */
export function QuitDialog({ dirtyNames, onQuit, onCancel }: { dirtyNames: string[]; onQuit: () => void; onCancel: () => void }) {
  return (
    <ConfirmDialog
      title="Unsaved changes"
      message={`${dirtyNames.join(', ')} ${dirtyNames.length === 1 ? 'has' : 'have'} unsaved changes (or JSON/text not applied). Quit anyway?`}
      actions={[
        { label: 'Quit without saving', onClick: onQuit },
        { label: 'Cancel', primary: true, onClick: onCancel },
      ]}
    />
  );
}
