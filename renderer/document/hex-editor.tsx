/**
 * Editing in the hex view: a caret, overwrite or insert mode (Insert switches), two hex digits
 * make a byte, Backspace and Delete remove one; each byte is one host edit (one undo step) and the
 * tree decodes the new bytes at once. Bytes that no longer decode are marked with their offset.
 * A search bar finds a hex pattern or text, next and previous, wrapping around.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Anomaly, DocumentSummary } from '../../core/api/contract';
import { api } from '../host/bridge';
import { errorText, fromHex } from '../shared/util';
import { AnomalyList } from './anomaly-list';
import { inspectBytes } from './hex-inspector';

/** Nothing unusual found (or not asked yet). */
const NO_ANOMALIES = { list: [], truncated: false };

/** Bytes per hex line (as the hex view lays them out). */
const LINE = 16;

/** What the hex editor needs from the view. */
interface HexEditorOptions {
  docId: string;
  message: number;
  version: number;
  total: number;
  onSummary?: (s: DocumentSummary) => void;
  notify?: (text: string, kind?: 'error' | 'info') => void;
  /** Shows (scrolls to) an offset and selects its node in the tree. */
  reveal: (offset: number) => void;
}

/** The hex editor's state and key handling. */
export interface HexEditor {
  caret: number | null;
  setCaret: (offset: number) => void;
  mode: 'overwrite' | 'insert';
  toggleMode: () => void;
  /** The first hex digit of a byte being typed. */
  nibble: string | null;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Undecodable regions of the current bytes, with what the decoder said. */
  bad: readonly Anomaly[];
  /** Every unusual or invalid encoding in the message (undecodable regions included), and whether the list was cut. */
  anomalies: { list: readonly Anomaly[]; truncated: boolean };
}

/** The hex editor over a message's bytes. */
export function useHexEditor({ docId, message, version, total, onSummary, notify, reveal }: HexEditorOptions): HexEditor {
  const [caret, setCaretState] = useState<number | null>(null);
  const [mode, setMode] = useState<'overwrite' | 'insert'>('overwrite');
  const [nibble, setNibble] = useState<string | null>(null);
  const [anomalies, setAnomalies] = useState<{ list: readonly Anomaly[]; truncated: boolean }>(NO_ANOMALIES);
  // Edits go to the host one after another, in the order they were typed.
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    api
      .getAnomalies({ docId, message, limit: 200 })
      .then((r) => live && setAnomalies({ list: r.anomalies, truncated: r.truncated }))
      .catch(() => live && setAnomalies(NO_ANOMALIES));
    return () => {
      live = false;
    };
  }, [docId, message, version]);

  const setCaret = useCallback((o: number) => {
    setCaretState(o);
    setNibble(null);
  }, []);

  const edit = (at: number, remove: number, insert: Uint8Array) => {
    queue.current = queue.current.then(async () => {
      try {
        const s = await api.editBytes({ docId, message, at, remove, insert });
        onSummary?.(s);
      } catch (e) {
        notify?.(`Hex edit: ${errorText(e)}`);
      }
    });
  };

  const move = (to: number) => {
    const o = Math.max(0, Math.min(total, to));
    setCaret(o);
    if (o < total) reveal(o);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || caret === null) return;
    const k = e.key;
    if (/^[0-9a-fA-F]$/.test(k)) {
      if (nibble === null) setNibble(k);
      else {
        const byte = new Uint8Array([parseInt(nibble + k, 16)]);
        edit(caret, mode === 'overwrite' && caret < total ? 1 : 0, byte);
        setCaret(caret + 1);
      }
    } else if (k === 'Insert') setMode((m) => (m === 'overwrite' ? 'insert' : 'overwrite'));
    else if (k === 'Backspace' && caret > 0) {
      edit(caret - 1, 1, new Uint8Array());
      setCaret(caret - 1);
    } else if (k === 'Delete' && caret < total) {
      edit(caret, 1, new Uint8Array());
      setNibble(null);
    } else if (k === 'Escape' && nibble !== null) setNibble(null);
    else if (k === 'ArrowLeft') move(caret - 1);
    else if (k === 'ArrowRight') move(caret + 1);
    else if (k === 'ArrowUp') move(caret - LINE);
    else if (k === 'ArrowDown') move(caret + LINE);
    else if (k === 'Home') move(caret - (caret % LINE));
    else if (k === 'End') move(Math.min(total, caret - (caret % LINE) + LINE - 1));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const bad = anomalies.list.filter((a) => a.kind === 'undecodable');
  const toggleMode = () => setMode((m) => (m === 'overwrite' ? 'insert' : 'overwrite'));
  return { caret, setCaret, mode, toggleMode, nibble, onKeyDown, bad, anomalies };
}

/** The hex editor's bar: caret and mode, search (hex or text, next and previous), and what does not decode. */
export function HexEditorBar({
  docId,
  message,
  editor,
  reveal,
  peek,
}: {
  docId: string;
  message: number;
  editor: HexEditor;
  reveal: (offset: number) => void;
  /** The loaded bytes from an offset on (up to n; fewer near the end or where not loaded). */
  peek: (offset: number, n: number) => Uint8Array;
}) {
  const atCaret = editor.caret === null ? null : peek(editor.caret, 10);
  const [query, setQuery] = useState('');
  const [as, setAs] = useState<'hex' | 'text'>('hex');
  const [found, setFound] = useState('');

  const find = async (backwards: boolean) => {
    let pattern: Uint8Array;
    try {
      pattern = as === 'hex' ? fromHex(query) : new TextEncoder().encode(query);
      if (!pattern.length) throw new Error('type what to find');
    } catch (e) {
      setFound(errorText(e));
      return;
    }
    const here = editor.caret ?? (backwards ? 0 : -1);
    try {
      const r = await api.findBytes({
        docId,
        message,
        pattern,
        from: backwards ? here - 1 : here + 1,
        ...(backwards ? { backwards } : {}),
      });
      if (!r) return setFound('not found');
      setFound(`at byte ${r.offset}`);
      editor.setCaret(r.offset);
      reveal(r.offset);
    } catch (e) {
      setFound(errorText(e));
    }
  };

  return (
    <div className="hex-bar">
      <div className="hex-bar-row">
        <button onClick={editor.toggleMode} title="Overwrite or insert typed bytes (Insert)" data-testid="hex-mode">
          {editor.mode === 'overwrite' ? 'Overwrite' : 'Insert'}
        </button>
        <span className="muted small" data-testid="hex-caret">
          {editor.caret === null
            ? 'click a byte to edit'
            : `caret at byte ${editor.caret}${editor.nibble ? ` · typed ${editor.nibble}_` : ''}`}
        </span>
        <span className="grow" />
        <form
          className="hex-find"
          onSubmit={(e) => {
            e.preventDefault();
            void find(false);
          }}
        >
          <input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                void find(true);
              }
            }}
            placeholder={as === 'hex' ? 'find bytes: 0a 05' : 'find text'}
            aria-label="Find in the bytes"
            data-testid="hex-find"
          />
          <select value={as} onChange={(e) => setAs(e.target.value as 'hex' | 'text')} aria-label="Find as">
            <option value="hex">hex</option>
            <option value="text">text</option>
          </select>
          <button type="button" onClick={() => void find(true)} title="Previous (Shift+Enter)" aria-label="Find previous">
            ↑
          </button>
          <button type="submit" title="Next (Enter)" aria-label="Find next">
            ↓
          </button>
          <span className="muted small" role="status" data-testid="hex-found">
            {found}
          </span>
        </form>
      </div>
      {atCaret && atCaret.length > 0 && (
        <div className="hex-inspector muted small" data-testid="hex-inspector" aria-label="The bytes at the caret read as">
          {inspectBytes(atCaret).map((i) => (
            <span key={i.as} title={i.bytes ? `${i.bytes} bytes` : ''}>
              {i.as} <b>{i.value}</b>
            </span>
          ))}
        </div>
      )}
      <AnomalyList anomalies={editor.anomalies} reveal={reveal} />
      {editor.bad.map((a) => (
        <button key={a.offset} className="hex-bad-note" onClick={() => reveal(a.offset)} data-testid="hex-bad" title={a.message}>
          ◆ bytes {a.offset}–{a.end} do not decode: {a.message.replace(/^bytes \d+ to \d+ do not decode: /, '')}
        </button>
      ))}
    </div>
  );
}

/** Whether an offset lies in one of the undecodable regions. */
export function inBad(bad: readonly Anomaly[], offset: number): boolean {
  return bad.some((a) => offset >= a.offset && offset < a.end);
}
