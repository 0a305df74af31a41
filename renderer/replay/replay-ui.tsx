/** The replay pane's small building blocks: a collapsible section, header pairs, and the shared styles. */
import type { CSSProperties, ReactNode } from 'react';
import { useReplayField } from './replay-state';

/** A bordered section box. */
export const box: CSSProperties = { border: '1px solid var(--border, #8884)', borderRadius: 4, padding: 8, margin: '6px 0' };
/** A two-column form: labels, then fields. */
export const grid: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'max-content minmax(0, 1fr)',
  gap: '4px 8px',
  alignItems: 'center',
};
/** Preformatted text (JSON, claims) that scrolls. */
export const pre: CSSProperties = {
  maxHeight: 260,
  overflow: 'auto',
  margin: 0,
  fontSize: 12,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-all',
};

/** A collapsible section; whether it is open is kept in the store under `id` (a remounted pane keeps it). */
export function Section({ id, title, children, open = true }: { id: string; title: string; children: ReactNode; open?: boolean }) {
  const [sections, setSections] = useReplayField('sections');
  return (
    <details
      open={sections[id] ?? open}
      style={box}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        if (now !== (sections[id] ?? open)) setSections((s) => ({ ...s, [id]: now }));
      }}
    >
      <summary style={{ cursor: 'pointer', fontWeight: 600 }}>{title}</summary>
      <div style={{ marginTop: 6 }}>{children}</div>
    </details>
  );
}

/** Name / value pairs (headers, trailers) as a table. */
export function Pairs({ pairs }: { pairs: [string, string][] }) {
  if (!pairs.length) return <span className="muted">none</span>;
  return (
    <table className="mono small">
      <tbody>
        {pairs.map(([k, v], i) => (
          <tr key={i}>
            <td style={{ paddingRight: 8 }}>{k}</td>
            <td style={{ wordBreak: 'break-all' }}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
