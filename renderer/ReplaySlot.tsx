/** Where H6's ReplayPane (renderer/replay/ReplayPane.tsx) is mounted, when it exists in the build. */
import { lazy, Suspense, type ComponentType } from 'react';

const modules = import.meta.glob<{ ReplayPane: ComponentType }>('./replay/ReplayPane.tsx');
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

function Pane() {
  if (!LazyPane) return null;
  return (
    <div className="replay-pane">
      <Suspense fallback={<div className="muted">Loading replay…</div>}>
        <LazyPane />
      </Suspense>
    </div>
  );
}

/** The replay side pane and its toggle (both render nothing without the replay module). */
export const ReplaySlot = { Toggle, Pane };
