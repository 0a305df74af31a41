/** The toolbar: the app's actions as buttons and drop-downs, the recent files (browser mode), progress or busy, Schemas. */
import { useState, type ReactNode } from 'react';
import { ActionButton, ActionSelect } from '../actions/action-controls';
import { COMPARE_ACTIONS, EXPORT_ACTIONS, type AppActionContext } from '../actions/app-actions';
import type { Progress } from './use-progress';

/**
 * The toolbar; `listRecent` and `openPath` list and open the recent files (browser mode);
 * `fileInput` is the hidden input browser mode's Open clicks.
 */
export function Toolbar({
  context,
  progress,
  busy,
  listRecent,
  openPath,
  fileInput,
}: {
  context: AppActionContext;
  progress: Progress | null;
  busy: string | null;
  listRecent: () => Promise<string[]>;
  openPath: (path: string) => void;
  fileInput: ReactNode;
}) {
  return (
    <header className="toolbar" role="toolbar">
      <span className="brand">Protodesk</span>
      <ActionButton id="open" context={context} />
      <ActionButton id="open-path" context={context} />
      <ActionButton id="paste-bytes" context={context} />
      {context.info?.mode === 'browser' && <RecentFiles listRecent={listRecent} openPath={openPath} />}
      <span className="sep" />
      <ActionButton id="save" context={context} data-testid="save" />
      <ActionButton id="save-as" context={context} />
      <ActionSelect ids={EXPORT_ACTIONS} heading="Export…" label="Export" context={context} />
      <ActionSelect ids={COMPARE_ACTIONS} heading="Compare…" label="Compare" context={context} />
      <span className="sep" />
      <ActionButton id="undo" context={context} data-testid="undo" />
      <ActionButton id="redo" context={context} data-testid="redo" />
      <span className="grow" />
      {progress ? (
        <ProgressStatus progress={progress} context={context} />
      ) : (
        busy && (
          <span className="busy" role="status">
            <span className="spinner" /> {busy}
          </span>
        )
      )}
      <ActionButton id="toggle-schemas" context={context} />
      {fileInput}
    </header>
  );
}

/** The long operation under way: a progress bar, its label, and Cancel when it can be cancelled. */
function ProgressStatus({ progress, context }: { progress: Progress; context: AppActionContext }) {
  const percent = (100 * progress.done) / Math.max(1, progress.total);
  return (
    <span className="busy" role="status" data-testid="progress">
      <span
        className="progress"
        role="progressbar"
        aria-label={progress.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
      >
        <span className="progress-fill" style={{ width: `${percent}%` }} />
      </span>
      {progress.label}
      <ActionButton id="cancel-task" context={context} />
    </span>
  );
}

/** Browser mode's recent files: listed when the drop-down gets the focus, opened when picked. */
function RecentFiles({ listRecent, openPath }: { listRecent: () => Promise<string[]>; openPath: (path: string) => void }) {
  const [recent, setRecent] = useState<string[]>([]);
  return (
    <select
      value=""
      aria-label="Open a recent file"
      onFocus={() => void listRecent().then(setRecent)}
      onChange={(e) => {
        const path = e.target.value;
        e.target.value = '';
        if (path) openPath(path);
      }}
    >
      <option value="">Recent…</option>
      {recent.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
    </select>
  );
}
