/**
 * The tools of a stream (a file of many messages): a search over every message (a field by its
 * dotted path and optionally a value, a byte pattern in hex, or text) with a results list that
 * opens a match, and the export of the whole stream as delimited bytes, JSON lines or text format.
 */
import { useState } from 'react';
import type { StreamMatch, StreamQuery } from '../../core/api/contract';
import { api } from '../host/bridge';
import { download } from '../shared/util';

/** The stream tools bar; `onOpen` shows a match (its message, and the node at its offset). */
export function StreamTools({
  docId,
  typed,
  run,
  onOpen,
}: {
  docId: string;
  /** Whether the document has a type (JSON lines and text need one). */
  typed: boolean;
  run: <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;
  onOpen: (m: StreamMatch) => void;
}) {
  const [kind, setKind] = useState<StreamQuery['kind']>('field');
  const [what, setWhat] = useState('');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<{ matches: readonly StreamMatch[]; truncated: boolean } | null>(null);
  const [format, setFormat] = useState<'delimited' | 'jsonl' | 'text'>('delimited');

  const search = async () => {
    if (!what.trim()) return;
    const query: StreamQuery =
      kind === 'field'
        ? { kind, path: what.trim(), ...(value.trim() ? { value: value.trim() } : {}) }
        : kind === 'bytes'
          ? { kind, hex: what }
          : { kind, text: what };
    const r = await run('Search the stream', () => api.searchStream({ docId, query, limit: 500 }));
    if (r) setResult(r);
  };

  const exportAll = async () => {
    const r = await run('Export the stream', () => api.exportStream({ docId, format }));
    if (r) download(r.name, r.bytes ?? r.text ?? '', r.bytes ? 'application/octet-stream' : 'text/plain');
  };

  return (
    <div className="stream-tools">
      <form
        className="stream-search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <select value={kind} onChange={(e) => setKind(e.target.value as StreamQuery['kind'])} aria-label="Search the stream by">
          <option value="field">field path</option>
          <option value="bytes">bytes (hex)</option>
          <option value="text">text</option>
        </select>
        <input
          value={what}
          onChange={(e) => setWhat(e.target.value)}
          placeholder={kind === 'field' ? 'items.label or 3.1' : kind === 'bytes' ? '0a 05' : 'text'}
          aria-label="Search every message for"
          data-testid="stream-search"
        />
        {kind === 'field' && (
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="value (optional)" aria-label="With the value" />
        )}
        <button type="submit">Search all messages</button>
      </form>
      <span className="grow" />
      <select
        value={format}
        onChange={(e) => setFormat(e.target.value as typeof format)}
        aria-label="Export format"
        data-testid="stream-export-format"
      >
        <option value="delimited">delimited bytes</option>
        <option value="jsonl" disabled={!typed}>
          JSON lines
        </option>
        <option value="text" disabled={!typed}>
          text format
        </option>
      </select>
      <button onClick={() => void exportAll()}>Export all messages</button>
      {result && (
        <div className="stream-results" role="region" aria-label="Search results">
          <div className="muted small">
            {result.matches.length === 0 ? 'no match' : `${result.matches.length}${result.truncated ? '+' : ''} matches`}{' '}
            <button onClick={() => setResult(null)} aria-label="Close the results">
              ✕
            </button>
          </div>
          <ul>
            {result.matches.slice(0, 200).map((m) => (
              <li key={`${m.message}:${m.offset}`}>
                <button className="menu-item" onClick={() => onOpen(m)} data-testid="stream-match">
                  <span>
                    #{m.message} · byte {m.offset} (file {m.fileOffset})
                  </span>
                  <span className="muted clip">{m.preview}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
