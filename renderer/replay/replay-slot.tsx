/** Where the replay pane (replay-pane.tsx) is mounted: loaded when first shown (its own chunk). */
import { lazy, Suspense, useSyncExternalStore } from 'react';
import type { DocumentSummary } from '../../core/api/contract';

interface PaneProps {
  onOpenDocument?: (summary: DocumentSummary) => void;
  activeDoc?: DocumentSummary;
}

const LazyPane = lazy(async () => ({ default: (await import('./replay-pane')).ReplayPane }));

/**
 * Whether the pane is shown: one switch for the window, not per tab (each tab has its own
 * DocumentView, so a tab the pane opens, or any tab switched to, shows it as the last one did).
 */
let shown = false;
const listeners = new Set<() => void>();
function subscribe(fn: () => void) {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
function setShown(on: boolean) {
  if (on === shown) return;
  shown = on;
  for (const l of [...listeners]) l();
}

/** The Replay toggle's state, shared by every document view: [on, set]. */
function useShown(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(
    subscribe,
    () => shown,
    () => shown,
  );
  return [on, setShown];
}

function Toggle({ on, onToggle }: { on: boolean; onToggle: (on: boolean) => void }) {
  return (
    <label className="toggle">
      <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} /> Replay
    </label>
  );
}

/** The pane; `onOpenDocument` shows a response the user opened as a document in its own tab; `activeDoc` is the tab's document. */
function Pane({ onOpenDocument, activeDoc }: PaneProps) {
  return (
    <div className="replay-pane">
      <Suspense fallback={<div className="muted">Loading replay…</div>}>
        <LazyPane onOpenDocument={onOpenDocument} activeDoc={activeDoc} />
      </Suspense>
    </div>
  );
}

/** The replay side pane, its toggle and the toggle's shared state. */
export const ReplaySlot = { Toggle, Pane, useShown };
