/** A searchable type picker: detected best guesses first (with scores), "raw (no schema)", then every loaded type. */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, TypeInfo } from '../../core/api/contract';
import { api } from '../host/bridge';

/** The type picker. */
export function TypePicker({ summary, onPick }: { summary: DocumentSummary; onPick: (typeName: string | null) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [types, setTypes] = useState<TypeInfo[]>([]);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void api.listTypes({ query, limit: 300 }).then((t) => live && setTypes(t));
    return () => {
      live = false;
    };
  }, [open, query]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const pick = (t: string | null) => {
    setOpen(false);
    setQuery('');
    onPick(t);
  };
  const q = query.trim().toLowerCase();
  const candidates = summary.candidates.filter((c) => !q || c.typeName.toLowerCase().includes(q)).slice(0, 6);

  return (
    <div className="type-picker" ref={box}>
      <button
        className="type-button"
        onClick={() => setOpen((o) => !o)}
        data-testid="type-picker"
        aria-haspopup="listbox"
        aria-expanded={open}
        title="Message type"
      >
        <span className="muted">Type:</span> <strong data-testid="current-type">{summary.typeName ?? 'raw (no schema)'}</strong> ▾
      </button>
      <TypeSourceNote summary={summary} />
      {open && (
        <div className="type-menu" role="listbox">
          <input
            autoFocus
            type="search"
            placeholder="Search types…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
              if (e.key === 'Enter') {
                const first = candidates[0]?.typeName ?? types[0]?.name;
                if (first) pick(first);
              }
            }}
            data-testid="type-search"
          />
          {candidates.length > 0 && <div className="menu-head">Detected</div>}
          {candidates.map((c) => (
            <button
              key={`c-${c.typeName}`}
              role="option"
              aria-selected={c.typeName === summary.typeName}
              className="menu-item"
              onClick={() => pick(c.typeName)}
              title={c.reason}
            >
              <span>{c.typeName}</span>
              <span className="score" style={{ ['--score' as string]: c.score }}>
                {Math.round(c.score * 100)}%
              </span>
            </button>
          ))}
          <button
            role="option"
            aria-selected={summary.typeName === null}
            className="menu-item raw"
            onClick={() => pick(null)}
            data-testid="type-raw"
          >
            <span>raw (no schema)</span>
          </button>
          <div className="menu-head">
            All types{q ? ` matching “${query}”` : ''} ({types.length}
            {types.length >= 300 ? '+' : ''})
          </div>
          <div className="menu-scroll">
            {types.map((t) => (
              <button
                key={t.name}
                role="option"
                aria-selected={t.name === summary.typeName}
                className="menu-item"
                onClick={() => pick(t.name)}
                title={t.file}
              >
                <span>{t.name}</span>
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** Says where the type came from when it was not chosen now: remembered for this file, or recovered; and a remembered type no schema has. */
function TypeSourceNote({ summary }: { summary: DocumentSummary }) {
  if (summary.missingType) {
    return (
      <span className="type-source missing" data-testid="type-source" title="Add the schema that defines it (Schemas panel)">
        {summary.missingType} was remembered for this file, but no loaded schema has it
      </span>
    );
  }
  if (summary.typeSource === 'remembered')
    return (
      <span
        className="type-source"
        data-testid="type-source"
        title="This file (the same path and content) was read as this type last time; pick another type to change it"
      >
        remembered
      </span>
    );
  if (summary.typeSource === 'recovered')
    return (
      <span className="type-source" data-testid="type-source" title="The type of the recovered unsaved work">
        recovered
      </span>
    );
  return null;
}
