/** The tabs of the open documents: the name, a dot when unsaved, close (× or a middle click). */
import type { DocumentSummary } from '../../core/api/contract';

/** The tab bar. */
export function TabBar({
  tabs,
  activeId,
  onActivate,
  onClose,
}: {
  tabs: DocumentSummary[];
  activeId: string | null;
  onActivate: (docId: string) => void;
  onClose: (docId: string) => void;
}) {
  return (
    <nav className="tabs" role="tablist">
      {tabs.map((t) => (
        <div
          key={t.docId}
          role="tab"
          aria-selected={t.docId === activeId}
          className={`tab${t.docId === activeId ? ' active' : ''}`}
          onClick={() => onActivate(t.docId)}
          onAuxClick={(e) => e.button === 1 && onClose(t.docId)}
          title={t.path ?? t.name}
          data-testid="tab"
        >
          <span className="tab-name">{t.name}</span>
          {t.dirty && (
            <span className="dirty" title="unsaved changes">
              ●
            </span>
          )}
          <button
            className="tab-close"
            aria-label={`Close ${t.name}`}
            onClick={(e) => {
              e.stopPropagation();
              onClose(t.docId);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </nav>
  );
}
