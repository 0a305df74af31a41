/** Where H6's ReplayPane (renderer/replay/ReplayPane.tsx) is mounted, when it exists in the build. */
import { lazy, Suspense, useSyncExternalStore, type ComponentType } from 'react';
import type { DocumentSummary } from '../core/api/contract';

interface PaneProps {
  onOpenDocument?: (summary: DocumentSummary) => void;
  activeDoc?: DocumentSummary;
}

const modules = import.meta.glob<{ ReplayPane: ComponentType<PaneProps> }>('./replay/ReplayPane.tsx');
const loader = Object.values(modules)[0];
const LazyPane = loader ? lazy(async () => ({ default: (await loader()).ReplayPane })) : null;

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
  return [on && !!LazyPane, setShown];
}

function Toggle({ on, onToggle }: { on: boolean; onToggle: (on: boolean) => void }) {
  if (!LazyPane) return null;
  return (
    <label className="toggle">
      <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} /> Replay
    </label>
  );
}

/** The pane; `onOpenDocument` shows a response the user opened as a document in its own tab; `activeDoc` is the tab's document. */
function Pane({ onOpenDocument, activeDoc }: PaneProps) {
  if (!LazyPane) return null;
  return (
    <div className="replay-pane">
      <Suspense fallback={<div className="muted">Loading replay…</div>}>
        <LazyPane onOpenDocument={onOpenDocument} activeDoc={activeDoc} />
      </Suspense>
    </div>
  );
}

/** The replay side pane, its toggle (both render nothing without the replay module) and the toggle's shared state. */
export const ReplaySlot = { Toggle, Pane, useShown };
