/** Where H6's ReplayPane (renderer/replay/ReplayPane.tsx) is mounted, when it exists in the build. */
import { lazy, Suspense, type ComponentType } from 'react';
import type { DocumentSummary } from '../core/api/contract';

const modules = import.meta.glob<{ ReplayPane: ComponentType<{ onOpenDocument?: (summary: DocumentSummary) => void }> }>('./replay/ReplayPane.tsx');
const loader = Object.values(modules)[0];
const LazyPane = loader ? lazy(async () => ({ default: (await loader()).ReplayPane })) : null;

function Toggle({ on, onToggle }: { on: boolean; onToggle: (on: boolean) => void }) {
  if (!LazyPane) return null;
  return (
    <label className="toggle">
      <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} /> Replay
    </label>
  );
}

/** The pane; `onOpenDocument` shows a response the user opened as a document in its own tab. */
function Pane({ onOpenDocument }: { onOpenDocument?: (summary: DocumentSummary) => void }) {
  if (!LazyPane) return null;
  return (
    <div className="replay-pane">
      <Suspense fallback={<div className="muted">Loading replay…</div>}>
        <LazyPane onOpenDocument={onOpenDocument} />
      </Suspense>
    </div>
  );
}

/** The replay side pane and its toggle (both render nothing without the replay module). */
export const ReplaySlot = { Toggle, Pane };
