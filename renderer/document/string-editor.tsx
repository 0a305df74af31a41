/**
 * The editor of a string field: multi-line, and escape-aware so that no byte is lost (see
 * string-escapes.ts): newlines are line breaks, tabs, a BOM and invalid UTF-8 show as escapes,
 * and the commit sends the exact bytes. Enter commits, Shift+Enter starts a new line, Escape
 * leaves; an unchanged string is not written.
 */
import { useRef, useState } from 'react';
import type { TreeRow } from '../../core/api/contract';
import { bytesToEscaped, escapedToBytes, sameBytes } from './string-escapes';

/** The string's exact bytes: its invalid UTF-8 as kept, else its text as UTF-8. */
function bytesOf(row: TreeRow): Uint8Array {
  return row.invalidUtf8 ?? new TextEncoder().encode(typeof row.value === 'string' ? row.value : '');
}

/** The editor for one string row; onCommit gets the new bytes, onCancel is called when nothing is to be written. */
export function StringEditor({ row, onCommit, onCancel }: { row: TreeRow; onCommit: (bytes: Uint8Array) => void; onCancel: () => void }) {
  const original = useRef(bytesOf(row));
  const [text, setText] = useState(() => bytesToEscaped(original.current));
  let error: string | null = null;
  let parsed: Uint8Array | null = null;
  try {
    parsed = escapedToBytes(text);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const done = useRef(false);
  const commit = () => {
    if (done.current || !parsed || error) return;
    done.current = true;
    if (sameBytes(parsed, original.current)) onCancel();
    else onCommit(parsed);
  };
  const cancel = () => {
    if (done.current) return;
    done.current = true;
    onCancel();
  };
  const lines = text.split('\n').length;
  return (
    <span className="value-editor string-editor" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      <span className="string-editor-box">
        <textarea
          autoFocus
          className={error ? 'invalid' : ''}
          value={text}
          rows={Math.min(Math.max(lines, 1), 10)}
          spellCheck={false}
          aria-label={`New value of ${row.name || row.number}`}
          aria-invalid={!!error}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              commit();
            }
            if (e.key === 'Escape') cancel();
          }}
          onBlur={() => (error ? cancel() : commit())}
          data-testid="value-input"
        />
        <span className={error ? 'editor-error' : 'muted small'} data-testid="string-editor-hint">
          {error ?? `${parsed?.length ?? 0} bytes · Shift+Enter: new line · escapes: \\t \\r \\\\ \\xff \\u{feff}`}
        </span>
      </span>
    </span>
  );
}
