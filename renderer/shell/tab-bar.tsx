/**
 * The tabs of the open documents: the name, a dot when unsaved, close (× or a middle click).
 * The active tab is kept scrolled into view; Tab reaches it, ← → Home End move between tabs,
 * Delete closes one.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
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
  const bar = useRef<HTMLElement>(null);

  // However it became active (a click, Ctrl+Tab, a new file), the active tab is in view.
  useEffect(() => {
    bar.current?.querySelector('[role="tab"][aria-selected="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [activeId, tabs.length]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (!(e.target as HTMLElement).matches('[role="tab"]')) return;
    const at = tabs.findIndex((t) => t.docId === activeId);
    const to: Record<string, number | undefined> = {
      ArrowLeft: at - 1,
      ArrowRight: at + 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (e.key === 'Delete' && activeId) {
      e.preventDefault();
      onClose(activeId);
      return;
    }
    const next = to[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = tabs[Math.max(0, Math.min(tabs.length - 1, next))];
    if (tab) onActivate(tab.docId);
  };

  // The focus follows the active tab while it is in the tab bar.
  useEffect(() => {
    if (!bar.current?.contains(document.activeElement) || document.activeElement?.matches('.tab-close')) return;
    bar.current.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }, [activeId]);

  // The tablist holds the tabs only (its one allowed kind of child); each close button is a
  // sibling after it, put beside its tab by CSS order (the tablist itself is display: contents).
  return (
    <nav className="tabs" aria-label="Open documents" ref={bar} onKeyDown={onKeyDown}>
      <div role="tablist" aria-label="Documents" className="tab-list">
        {tabs.map((t, i) => {
          const active = t.docId === activeId;
          return (
            <span
              key={t.docId}
              role="tab"
              aria-selected={active}
              tabIndex={active ? 0 : -1}
              className={`tab${active ? ' active' : ''}`}
              style={{ order: 2 * i }}
              title={t.path ?? t.name}
              onClick={() => onActivate(t.docId)}
              onAuxClick={(e) => e.button === 1 && onClose(t.docId)}
              data-testid="tab"
            >
              <span className="tab-name">{t.name}</span>
              {t.dirty && (
                <span className="dirty" title="unsaved changes">
                  ●
                </span>
              )}
            </span>
          );
        })}
      </div>
      {tabs.map((t, i) => {
        const active = t.docId === activeId;
        return (
          <button
            key={t.docId}
            className={`tab-close${active ? ' active' : ''}`}
            style={{ order: 2 * i + 1 }}
            aria-label={`Close ${t.name}`}
            tabIndex={active ? 0 : -1}
            onClick={() => onClose(t.docId)}
          >
            ×
          </button>
        );
      })}
    </nav>
  );
}
