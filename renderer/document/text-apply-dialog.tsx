/**
 * Before an Apply of JSON/text that changes or drops more than the fields the user edited: the
 * list of what it changes and what it does beyond that, and the question whether to go on.
 */
import type { TextApplyWarning, TextChange } from '../../core/api/contract';
import { Modal } from '../dialogs/dialogs';
import { countChanges, describeChange } from './text-changes';

/** Changes listed at most (the rest are counted). */
const MAX_LISTED = 40;

/** The list of changes an Apply makes, the first MAX_LISTED of them. */
export function ChangeList({ changes, max = MAX_LISTED }: { changes: readonly TextChange[]; max?: number }) {
  return (
    <ul className="change-list mono small" data-testid="change-list">
      {changes.slice(0, max).map((c, i) => (
        <li key={i}>{describeChange(c)}</li>
      ))}
      {changes.length > max && <li className="muted">… and {changes.length - max} more</li>}
    </ul>
  );
}

/** Asks before an Apply whose warnings need the user's agreement; Cancel keeps the text unapplied. */
export function TextApplyDialog({
  changes,
  warnings,
  onApply,
  onCancel,
}: {
  changes: readonly TextChange[];
  warnings: readonly TextApplyWarning[];
  onApply: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title="Apply these changes?" onCancel={onCancel}>
      <p>This Apply changes more than the fields you edited. Your text stays unapplied unless you go on.</p>
      <ul className="apply-warnings" data-testid="apply-warnings">
        {warnings.map((w, i) => (
          <li key={i} className={w.confirm ? 'error-text' : 'muted'}>
            {w.message}
          </li>
        ))}
      </ul>
      <h3 className="small">What changes ({countChanges(changes)})</h3>
      <ChangeList changes={changes} />
      <div className="modal-actions">
        <button onClick={onApply}>Apply anyway</button>
        <button className="primary" autoFocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
