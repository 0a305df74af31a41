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

  return (
    <nav className="tabs" role="tablist" aria-label="Open documents" ref={bar} onKeyDown={onKeyDown}>
      {tabs.map((t) => {
        const active = t.docId === activeId;
        return (
          <div key={t.docId} className={`tab${active ? ' active' : ''}`} title={t.path ?? t.name}>
            <span
              role="tab"
              aria-selected={active}
              tabIndex={active ? 0 : -1}
              className="tab-label"
              onClick={() => onActivate(t.docId)}
              onAuxClick={(e) => e.button === 1 && onClose(t.docId)}
              data-testid="tab"
            >
              <span className="tab-name">{t.name}</span>
              {t.dirty && (
                <span className="dirty" title="unsaved changes" aria-label="unsaved changes">
                  ●
                </span>
              )}
            </span>
            <button className="tab-close" aria-label={`Close ${t.name}`} tabIndex={active ? 0 : -1} onClick={() => onClose(t.docId)}>
              ×
            </button>
          </div>
        );
      })}
    </nav>
  );
}
