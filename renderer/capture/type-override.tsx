/** The type of one capture entry as the user chooses it: a type name (completed from the loaded types), or back to automatic. */
import { useEffect, useState } from 'react';
import type { CaptureRow } from '../../core/api/capture-contract';
import type { TypeInfo } from '../../core/api/contract';
import { api } from '../host/bridge';

/** The type field of the selected entry; `onSet(null)` goes back to the automatic type. */
export function TypeOverride({ row, onSet }: { row: CaptureRow; onSet: (typeName: string | null) => void }) {
  const [text, setText] = useState(row.type ?? '');
  const [types, setTypes] = useState<TypeInfo[]>([]);

  useEffect(() => {
    let live = true;
    void api.listTypes({ query: text, limit: 50 }).then((t) => live && setTypes(t));
    return () => {
      live = false;
    };
  }, [text]);

  const chosen = row.typeSource === 'entry-override';
  const listId = `capture-types-${row.index}`;
  return (
    <form
      className="type-override"
      onSubmit={(e) => {
        e.preventDefault();
        const t = text.trim();
        if (t && t !== row.type) onSet(t);
      }}
    >
      <input
        value={text}
        onChange={(e) => setText(e.target.value)}
        list={listId}
        placeholder="message type"
        aria-label="Type of this entry"
        data-testid="capture-type-input"
        spellCheck={false}
      />
      <datalist id={listId}>
        {types.map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <button type="submit" disabled={!text.trim() || text.trim() === row.type}>
        Set type
      </button>
      {chosen && (
        <button type="button" onClick={() => onSet(null)} title="Go back to the type the capture gives">
          Automatic
        </button>
      )}
    </form>
  );
}
