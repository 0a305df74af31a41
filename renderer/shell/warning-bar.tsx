/** The bar of standing warnings under the tabs (unsaved work not protected, a save's owner not kept); each can be dismissed. */
import type { Warning } from './use-warnings';

/** The warning bar (nothing when there is no warning). */
export function WarningBar({ warnings, onDismiss }: { warnings: Warning[]; onDismiss: (key: string) => void }) {
  if (!warnings.length) return null;
  return (
    <div className="warning-bar" role="alert" data-testid="warning-bar">
      {warnings.map((w) => (
        <div key={w.key} className="warning-item" data-key={w.key}>
          <span className="warning-icon" aria-hidden>
            ⚠
          </span>
          <span className="grow">{w.message}</span>
          <button onClick={() => onDismiss(w.key)} aria-label="Dismiss this warning" title="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
