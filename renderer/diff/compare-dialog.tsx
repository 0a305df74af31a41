/**
 * "Compare with…": picks the message to compare the active one with: another open document, or
 * another message of the same stream (a message number for streams, on either side).
 */
import { useState } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import { Modal } from '../dialogs/dialogs';
import { otherRequest, type CompareRequest } from './diff-format';
import type { MessageAt } from './use-diff-slot';

/** The documents to pick from, the active one first only when it is a stream (its other messages). */
export function compareCandidates(tabs: readonly DocumentSummary[], activeId: string): DocumentSummary[] {
  return tabs.filter((t) => t.docId !== activeId || t.messageCount > 1);
}

/** The first choice: another document if there is one, else the next message of the active stream. */
function firstChoice(candidates: readonly DocumentSummary[], from: MessageAt): MessageAt | null {
  const other = candidates.find((t) => t.docId !== from.docId);
  if (other) return { docId: other.docId, message: 0 };
  const self = candidates.find((t) => t.docId === from.docId);
  return self ? { docId: self.docId, message: from.message + 1 < self.messageCount ? from.message + 1 : 0 } : null;
}

/** The picker; `onCompare` gets the request (A: the active message, B: the one picked). */
export function CompareDialog({
  from,
  tabs,
  onCompare,
  onCancel,
}: {
  from: MessageAt;
  tabs: readonly DocumentSummary[];
  onCompare: (request: CompareRequest) => void;
  onCancel: () => void;
}) {
  const candidates = compareCandidates(tabs, from.docId);
  const active = tabs.find((t) => t.docId === from.docId);
  const [fromMessage, setFromMessage] = useState(from.message);
  const [pick, setPick] = useState<MessageAt | null>(() => firstChoice(candidates, from));
  const picked = candidates.find((t) => t.docId === pick?.docId);
  const inRange = (n: number, doc: DocumentSummary | undefined) => Number.isInteger(n) && n >= 0 && n < (doc?.messageCount ?? 1);
  const ok = !!pick && inRange(pick.message, picked) && inRange(fromMessage, active);

  return (
    <Modal title="Compare with" onCancel={onCancel}>
      <form
        className="compare-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok && pick) onCompare(otherRequest({ docId: from.docId, message: fromMessage }, pick));
        }}
      >
        <p className="muted">
          Compare <b>{active?.name ?? from.docId}</b>
          {active && active.messageCount > 1 && (
            <>
              {' '}
              message{' '}
              <input
                type="number"
                className="compare-number"
                aria-label="Message of this document"
                min={0}
                max={active.messageCount - 1}
                value={fromMessage}
                onChange={(e) => setFromMessage(Number(e.target.value))}
              />
            </>
          )}{' '}
          (A) field by field with (B):
        </p>
        {candidates.length === 0 ? (
          <p>Open another message first: there is nothing to compare with.</p>
        ) : (
          <div className="compare-choices" role="radiogroup" aria-label="Compare with">
            {candidates.map((t) => (
              <label key={t.docId} className="compare-choice">
                <input
                  type="radio"
                  name="compare-with"
                  checked={pick?.docId === t.docId}
                  onChange={() => setPick({ docId: t.docId, message: t.docId === from.docId ? (fromMessage + 1) % t.messageCount : 0 })}
                />
                <span className="clip">{t.docId === from.docId ? `${t.name} (another message)` : t.name}</span>
                <span className="muted">{t.typeName ?? 'raw'}</span>
                {t.messageCount > 1 && pick?.docId === t.docId && (
                  <input
                    type="number"
                    className="compare-number"
                    aria-label={`Message of ${t.name}`}
                    min={0}
                    max={t.messageCount - 1}
                    value={pick.message}
                    onChange={(e) => setPick({ docId: t.docId, message: Number(e.target.value) })}
                  />
                )}
              </label>
            ))}
          </div>
        )}
        <div className="modal-actions">
          <button type="submit" className="primary" disabled={!ok}>
            Compare
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
