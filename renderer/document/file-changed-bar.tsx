/** A bar over a document whose file changed on disk while it was open: Reload or Keep mine. */
import type { DiskChange, DocumentSummary } from '../../core/api/contract';

/** Says the file changed (or was deleted) on disk and offers Reload (take the file) or Keep mine (the next save overwrites it). */
export function FileChangedBar({
  tab,
  change,
  onReload,
  onKeepMine,
}: {
  tab: DocumentSummary;
  change: DiskChange;
  onReload: () => void;
  onKeepMine: () => void;
}) {
  return (
    <div
      className="file-changed-bar"
      role="alert"
      data-testid="file-changed-bar"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '6px 12px',
        background: 'var(--bg2)',
        borderBottom: '1px solid var(--error)',
      }}
    >
      <span style={{ flex: 1 }}>
        <strong>{tab.name}</strong> {change.deleted ? 'was deleted on disk.' : 'changed on disk.'}
        {tab.dirty ? ' You have unsaved changes.' : ''}
      </span>
      {!change.deleted && (
        <button onClick={onReload} title="Read the file again (your unsaved changes are dropped)">
          Reload
        </button>
      )}
      <button onClick={onKeepMine} title="Keep this version: the next save writes it over the file">
        Keep mine
      </button>
    </div>
  );
}
