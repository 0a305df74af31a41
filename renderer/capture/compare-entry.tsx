/** "Compare with #n": the selected entry compared field by field with another entry of the capture (the diff view shows it). */
import { useState } from 'react';
import type { CaptureRow } from '../../core/api/capture-contract';
import type { CaptureDiffSource } from '../../core/api/diff-contract';

/** The form; `partner` is the entry offered first, `onCompare` gets A (the other entry) and B (the selected one). */
export function CompareEntry({
  captureId,
  row,
  partner,
  total,
  onCompare,
}: {
  captureId: string;
  row: CaptureRow;
  partner: number;
  total: number;
  onCompare: (a: CaptureDiffSource, b: CaptureDiffSource) => void;
}) {
  const [other, setOther] = useState(partner);
  const ok = Number.isInteger(other) && other >= 0 && other < total && other !== row.index && row.available;
  return (
    <form
      className="compare-entry"
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) onCompare({ captureId, entry: other }, { captureId, entry: row.index });
      }}
    >
      <button type="submit" disabled={!ok} title="Compare this entry field by field with another entry of the capture">
        Compare with
      </button>
      <span className="muted">#</span>
      <input
        type="number"
        min={0}
        max={total - 1}
        value={other}
        onChange={(e) => setOther(Number(e.target.value))}
        aria-label="Entry to compare with"
        data-testid="compare-entry-index"
      />
    </form>
  );
}
