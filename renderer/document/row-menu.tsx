/** The tree's row menus: add a missing field (to a message or the root), and interpret a raw field as another type. */
import type { TreeEdit, TreeRow } from '../../core/api/contract';

/** What the menu is for: the row, and adding a field to it or interpreting it. */
export interface RowMenuRequest {
  row: TreeRow;
  kind: 'add' | 'interpret';
}

/** The menu, as a modal; picking an item closes it and applies the edit. */
export function RowMenu({
  menu,
  onClose,
  onEdit,
}: {
  menu: RowMenuRequest;
  onClose: () => void;
  onEdit: (e: TreeEdit) => Promise<boolean>;
}) {
  const { row } = menu;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-label={menu.kind === 'add' ? 'Add field' : 'Interpret as'}>
        {menu.kind === 'add' ? (
          <>
            <h2>Add a field{row.path.length ? ` to ${row.name}` : ''}</h2>
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
            <h2>Interpret field {row.number} as…</h2>
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
      </div>
    </div>
  );
}
