/**
 * The toolbar: the app's actions as buttons and drop-downs, the recent files (browser mode),
 * progress or busy, Schemas; what does not fit the window goes into "More ▾".
 */
import { useRef, useState, type ReactNode } from 'react';
import { ActionButton, ActionSelect } from '../actions/action-controls';
import { COMPARE_ACTIONS, EXPORT_ACTIONS, type AppActionContext } from '../actions/app-actions';
import { MoreMenu } from './more-menu';
import { useToolbarOverflow } from './toolbar-overflow';
import type { Progress } from './use-progress';

/** The order toolbar items leave for "More ▾" when the window is narrow: the least needed first. */
export const COLLAPSE_ORDER = ['recent', 'paste', 'open-path', 'compare', 'export', 'save-as', 'redo', 'undo', 'save', 'open'] as const;
type ItemKey = (typeof COLLAPSE_ORDER)[number];

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
  const bar = useRef<HTMLElement>(null);
  const hidden = useToolbarOverflow(bar, COLLAPSE_ORDER);
  const items: Record<ItemKey, ReactNode> = {
    open: <ActionButton id="open" context={context} />,
    'open-path': <ActionButton id="open-path" context={context} />,
    paste: <ActionButton id="paste-bytes" context={context} />,
    recent: context.info?.mode === 'browser' ? <RecentFiles listRecent={listRecent} openPath={openPath} /> : null,
    save: <ActionButton id="save" context={context} data-testid="save" />,
    'save-as': <ActionButton id="save-as" context={context} />,
    export: <ActionSelect ids={EXPORT_ACTIONS} heading="Export…" label="Export" context={context} />,
    compare: <ActionSelect ids={COMPARE_ACTIONS} heading="Compare…" label="Compare" context={context} />,
    undo: <ActionButton id="undo" context={context} data-testid="undo" />,
    redo: <ActionButton id="redo" context={context} data-testid="redo" />,
  };
  const inline = (key: ItemKey) =>
    !hidden.includes(key) &&
    items[key] && (
      <span className="toolbar-item" data-item={key}>
        {items[key]}
      </span>
    );
  // In the menu in toolbar order, not in the order they left.
  const order: ItemKey[] = ['open', 'open-path', 'paste', 'recent', 'save', 'save-as', 'export', 'compare', 'undo', 'redo'];
  const collapsed = order.filter((k) => hidden.includes(k) && items[k]);
  return (
    <header className="toolbar" role="toolbar" aria-label="Actions" ref={bar}>
      <span className="brand">Protodesk</span>
      {inline('open')}
      {inline('open-path')}
      {inline('paste')}
      {inline('recent')}
      <span className="sep" />
      {inline('save')}
      {inline('save-as')}
      {inline('export')}
      {inline('compare')}
      <span className="sep" />
      {inline('undo')}
      {inline('redo')}
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
      {collapsed.length > 0 && (
        <MoreMenu>
          {collapsed.map((k) => (
            <span key={k} className="more-item">
              {items[k]}
            </span>
          ))}
        </MoreMenu>
      )}
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
