/** The notices in the corner; a click takes one away. */
import type { Notice } from './use-notices';

/** The notice list (errors as alerts, information as status). */
export function NoticeList({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} onClick={() => onDismiss(n.id)}>
          {n.text}
        </div>
      ))}
    </div>
  );
}
