/**
 * The message's encoding anomalies in one list, so a crafted or captured file can be reviewed
 * before it is saved or sent: every overlong varint, lying length, wrong wire type, duplicate,
 * out-of-order field, bad field number or undecodable region, with its offset; choosing one
 * shows its bytes and selects its node in the tree.
 */
import type { Anomaly } from '../../core/api/contract';

/** A closed summary ("3 encoding anomalies") that opens into the list; nothing when there are none. */
export function AnomalyList({
  anomalies,
  reveal,
}: {
  anomalies: { list: readonly Anomaly[]; truncated: boolean };
  reveal: (offset: number) => void;
}) {
  const { list, truncated } = anomalies;
  if (!list.length) return null;
  const count = `${list.length}${truncated ? '+' : ''} encoding ${list.length === 1 ? 'anomaly' : 'anomalies'} in this message`;
  return (
    <details className="anomaly-list small" data-testid="anomaly-list">
      <summary>◆ {count}</summary>
      <ol>
        {list.map((a, i) => (
          <li key={`${a.offset}:${a.kind}:${i}`}>
            <button type="button" onClick={() => reveal(a.offset)} title={`Show bytes ${a.offset}–${a.end} and select the field`}>
              <span className="anomaly-at">byte {a.offset}</span> {a.message}
            </button>
          </li>
        ))}
      </ol>
      {truncated && <p className="muted">Only the first {list.length} are listed.</p>}
    </details>
  );
}
