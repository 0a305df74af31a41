/** The tree's row menus: add a missing field (to a message or the root), and interpret a raw field as another type. */
import type { TreeEdit, TreeRow } from '../../core/api/contract';
import { Modal } from '../dialogs/dialogs';

/** What the menu is for: the row, and adding a field to it or interpreting it. */
export interface RowMenuRequest {
  row: TreeRow;
  kind: 'add' | 'interpret';
}

/** The menu, as a modal; picking an item closes it and applies the edit; Esc closes it, and the focus goes back to the tree. */
export function RowMenu({
  menu,
  onClose,
  onEdit,
  returnFocus,
}: {
  menu: RowMenuRequest;
  onClose: () => void;
  onEdit: (e: TreeEdit) => Promise<boolean>;
  returnFocus?: () => HTMLElement | null;
}) {
  const { row } = menu;
  const title = menu.kind === 'add' ? `Add a field${row.path.length ? ` to ${row.name}` : ''}` : `Interpret field ${row.number} as…`;
  return (
    <Modal title={title} onCancel={onClose} returnFocus={returnFocus}>
      {menu.kind === 'add' ? (
        <>
          {!row.missing?.length ? (
            <p className="muted">Every field is present.</p>
          ) : (
            <div className="menu-scroll">
              {row.missing.map((f) => (
                <button
                  key={f.number}
                  className="menu-item"
                  onClick={() => {
                    onClose();
                    void onEdit({ op: 'add-field', parent: row.path, fieldNumber: f.number });
                  }}
                >
                  <span>
                    {f.name} <span className="muted">= {f.number}</span>
                  </span>
                  <span className="muted">
                    {f.repeated ? 'repeated ' : ''}
                    {f.type}
                    {f.oneof ? ` · oneof ${f.oneof}` : ''}
                  </span>
                </button>
              ))}
            </div>
          )}
        </>
      ) : (
        <>
          <div className="menu-scroll">
            {(row.readings ?? []).map((r) => (
              <button
                key={r.as}
                className={`menu-item${row.interpretedAs === r.as ? ' on' : ''}`}
                onClick={() => {
                  onClose();
                  void onEdit({ op: 'interpret', path: row.path, as: r.as });
                }}
              >
                <span>{r.as}</span>
                <span className="muted clip">{r.preview}</span>
              </button>
            ))}
            {row.interpretedAs && (
              <button
                className="menu-item"
                onClick={() => {
                  onClose();
                  void onEdit({ op: 'interpret', path: row.path, as: null });
                }}
              >
                as it is (raw)
              </button>
            )}
          </div>
        </>
      )}
      <div className="modal-actions">
        <button onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
