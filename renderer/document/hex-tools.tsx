/**
 * The hex view's offset tools: "Go to byte" (Ctrl+G; decimal or 0x hex, with a clear error
 * when out of range) and "Replace the selected bytes" with typed hex (one undo step).
 */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, RowSpan } from '../../core/api/contract';
import { api } from '../host/bridge';
import { errorText, fromHex } from '../shared/util';
import { parseOffset } from './hex-offset';

/** The tools' row; `go` puts the caret on an offset and shows it, `selection` is the selected node's bytes. */
export function HexOffsetTools({
  docId,
  message,
  total,
  selection,
  go,
  onSummary,
}: {
  docId: string;
  message: number;
  total: number;
  selection: RowSpan | null;
  go: (offset: number) => void;
  onSummary?: (s: DocumentSummary) => void;
}) {
  const [offset, setOffset] = useState('');
  const [offsetError, setOffsetError] = useState('');
  const [hex, setHex] = useState('');
  const [replaceError, setReplaceError] = useState('');
  const goInput = useRef<HTMLInputElement>(null);

  // Ctrl+G (Cmd+G) anywhere in the window but the text editor: to the Go to byte field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== 'g') return;
      if ((e.target as Element | null)?.closest?.('.monaco-editor')) return; // the text editor's own Go to line
      e.preventDefault();
      goInput.current?.focus();
      goInput.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const replace = async () => {
    if (!selection) return;
    let bytes: Uint8Array;
    try {
      bytes = fromHex(hex);
    } catch (e) {
      setReplaceError(errorText(e));
      return;
    }
    try {
      const s = await api.editBytes({ docId, message, at: selection.start, remove: selection.end - selection.start, insert: bytes });
      setHex('');
      setReplaceError('');
      onSummary?.(s);
    } catch (e) {
      setReplaceError(errorText(e));
    }
  };

  return (
    <div className="hex-bar-row hex-offset-tools">
      <form
        className="hex-find"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const o = parseOffset(offset, total);
            setOffsetError('');
            go(o);
          } catch (err) {
            setOffsetError(errorText(err));
          }
        }}
      >
        <input
          ref={goInput}
          className="hex-goto"
          value={offset}
          onChange={(e) => {
            setOffset(e.target.value);
            setOffsetError('');
          }}
          placeholder="go to byte (Ctrl+G)"
          aria-label="Go to byte (decimal or 0x hex)"
          aria-invalid={!!offsetError}
          aria-describedby={offsetError ? 'hex-goto-error' : undefined}
          data-testid="hex-goto"
        />
        <button type="submit">Go</button>
      </form>
      {selection && onSummary && (
        <form
          className="hex-find"
          onSubmit={(e) => {
            e.preventDefault();
            void replace();
          }}
        >
          <input
            value={hex}
            onChange={(e) => {
              setHex(e.target.value);
              setReplaceError('');
            }}
            placeholder={`bytes for ${selection.start}–${selection.end}`}
            aria-label={`Hex to replace the selected bytes ${selection.start} to ${selection.end} with`}
            data-testid="hex-replace"
          />
          <button type="submit" title="Replace the selected node's bytes with these (one undo step)">
            Replace selected
          </button>
        </form>
      )}
      {offsetError && (
        <span className="editor-error" role="alert" id="hex-goto-error" data-testid="hex-goto-error">
          {offsetError}
        </span>
      )}
      {replaceError && (
        <span className="editor-error" role="alert" data-testid="hex-replace-error">
          {replaceError}
        </span>
      )}
    </div>
  );
}
