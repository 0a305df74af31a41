/** Which modal dialog the shell shows: a type of its own, so the commands that ask for one need not import the dialogs. */

/** The modal dialog open (null: none); `then` runs after the save it asks for went through. */
export type AppModal =
  | { kind: 'paste' }
  | { kind: 'open-path' }
  | { kind: 'save-as'; docId: string; then?: () => void }
  | { kind: 'close-tab'; docId: string }
  | { kind: 'close-window' }
  | { kind: 'save-conflict'; docId: string; then?: () => void }
  /** A save would replace a read-only file, or Save As an existing one; saveAs: the Save As to repeat, with what was agreed so far. */
  | {
      kind: 'replace-file';
      reason: 'read-only' | 'exists';
      docId: string;
      path: string;
      saveAs?: { overwrite?: boolean; overwriteReadOnly?: boolean };
      then?: () => void;
    }
  | null;
