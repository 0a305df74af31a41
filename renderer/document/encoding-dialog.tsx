/** The "Encoding" dialog of a tree row: pick an encoding action, give its one value, apply (one undo step). */
import { useMemo, useState } from 'react';
import type { EncodingEdit, TreeRow } from '../../core/api/contract';
import { Modal } from '../dialogs/dialogs';
import { encodingActionsFor } from '../actions/encoding-actions';
import { errorText, fromHex } from '../shared/util';

/** The dialog; `onApply` resolves true when the host made the edit (then the dialog closes). */
export function EncodingDialog({
  row,
  onApply,
  onClose,
  returnFocus,
}: {
  row: TreeRow;
  onApply: (edit: EncodingEdit) => Promise<boolean>;
  onClose: () => void;
  /** Where the focus goes when the dialog closes (the tree, on the row), rather than to its opener. */
  returnFocus?: () => HTMLElement | null;
}) {
  const actions = useMemo(() => encodingActionsFor(row), [row]);
  const [id, setId] = useState(actions[0]?.id ?? '');
  const action = actions.find((a) => a.id === id);
  const param = action?.param(row);
  const [value, setValue] = useState(param && param.kind !== 'none' ? String(param.initial) : '');
  const [error, setError] = useState('');
  const name = row.name || (row.kind === 'element' ? `element ${row.number}` : `field ${row.number}`);

  const pick = (next: string) => {
    setId(next);
    setError('');
    const p = actions.find((a) => a.id === next)?.param(row);
    setValue(p && p.kind !== 'none' ? String(p.initial) : '');
  };

  const apply = async () => {
    if (!action || !param) return;
    let edit: EncodingEdit;
    try {
      const v = param.kind === 'none' ? null : param.kind === 'hex' ? fromHex(value) : value.trim() === '' ? NaN : Number(value);
      edit = action.edit(row, v);
    } catch (e) {
      setError(errorText(e));
      return;
    }
    if (await onApply(edit)) onClose();
  };

  return (
    <Modal title={`Encoding of ${name}`} onCancel={onClose} returnFocus={returnFocus}>
      {actions.length === 0 ? (
        <p className="muted">This row has no encoding of its own to change: choose a field.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void apply();
          }}
        >
          <p className="muted small">
            Makes an unusual or invalid encoding on purpose. The tree then shows the bytes as they will be saved; Undo takes it back.
          </p>
          <label className="field">
            <span>Action</span>
            <select autoFocus value={id} onChange={(e) => pick(e.target.value)} data-testid="encoding-action">
              {actions.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
          {param && param.kind !== 'none' && (
            <label className="field">
              <span>{param.label}</span>
              <input
                value={value}
                inputMode={param.kind === 'int' ? 'numeric' : 'text'}
                onChange={(e) => {
                  setValue(e.target.value);
                  setError('');
                }}
                data-testid="encoding-value"
              />
            </label>
          )}
          {error && (
            <p className="editor-error" role="alert">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button type="submit" className="primary">
              Apply
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
