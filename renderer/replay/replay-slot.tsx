/**
 * Where the replay pane (replay-pane.tsx) is mounted: beside the document view, by the shell,
 * so it stays as it is while tabs change. The slot owns the pane's state (React state, kept while
 * the pane is hidden) and whether it is shown; the pane itself is loaded when first shown (its
 * own chunk).
 */
import { lazy, Suspense, useState } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import { ReplayStateContext, useReplayPaneState, type ReplayStateHandle } from './replay-state';

const LazyPane = lazy(async () => ({ default: (await import('./replay-pane')).ReplayPane }));

/** The slot's state: whether the pane is shown (one switch for the window, not per tab), and the pane's state. */
export interface ReplaySlotState {
  shown: boolean;
  setShown: (on: boolean) => void;
  pane: ReplayStateHandle;
}

/** Owns the slot's state (the shell calls it once). */
export function useReplaySlot(): ReplaySlotState {
  const [shown, setShown] = useState(false);
  const pane = useReplayPaneState();
  return { shown, setShown, pane };
}

/** The Replay switch (in the document's type bar). */
export function ReplayToggle({ slot }: { slot: ReplaySlotState }) {
  return (
    <label className="toggle">
      <input type="checkbox" checked={slot.shown} onChange={(e) => slot.setShown(e.target.checked)} /> Replay
    </label>
  );
}

/**
 * The pane beside the document view; `activeDocId` is the active tab's document, `documents` the
 * open ones; `onOpenDocument` shows a response the user opened as a document in its own tab.
 */
export function ReplayColumn({
  slot,
  activeDocId,
  documents,
  onOpenDocument,
}: {
  slot: ReplaySlotState;
  activeDocId: string;
  documents: DocumentSummary[];
  onOpenDocument: (summary: DocumentSummary) => void;
}) {
  return (
    <div className="replay-pane">
      <ReplayStateContext.Provider value={slot.pane}>
        <Suspense fallback={<div className="muted">Loading replay…</div>}>
          <LazyPane onOpenDocument={onOpenDocument} activeDocId={activeDocId} documents={documents} />
        </Suspense>
      </ReplayStateContext.Provider>
    </div>
  );
}
