/** A searchable type picker: detected best guesses first (with scores), "raw (no schema)", then every loaded type. */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, TypeInfo } from '../../core/api/contract';
import { api } from '../host/bridge';
import { exactType } from './type-search';

/** The type picker. */
export function TypePicker({ summary, onPick }: { summary: DocumentSummary; onPick: (typeName: string | null) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [types, setTypes] = useState<TypeInfo[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

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
    button.current?.focus();
    onPick(t);
  };
  const close = () => {
    setOpen(false);
    setQuery('');
    button.current?.focus();
  };
  const q = query.trim().toLowerCase();
  const candidates = summary.candidates.filter((c) => !q || c.typeName.toLowerCase().includes(q)).slice(0, 6);

  return (
    <div className="type-picker" ref={box}>
      <button
        ref={button}
        className="type-button"
        onClick={() => setOpen((o) => !o)}
        data-testid="type-picker"
        aria-haspopup="dialog"
        aria-expanded={open}
        title="Message type"
      >
        <span className="muted">Type:</span> <strong data-testid="current-type">{summary.typeName ?? 'raw (no schema)'}</strong> ▾
      </button>
      <TypeSourceNote summary={summary} />
      {open && (
        <div
          className="type-menu"
          role="dialog"
          aria-label="Pick a message type"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            close();
          }}
        >
          <input
            autoFocus
            type="search"
            placeholder="Search types…"
            aria-label="Search types"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault(); // or the Enter would press the type button, which takes the focus now
              const names = [...candidates.map((c) => c.typeName), ...types.map((t) => t.name)];
              const pickName = exactType(names, q) ?? names[0];
              if (pickName) pick(pickName);
            }}
            data-testid="type-search"
          />
          <div role="listbox" aria-label="Types" className="type-options">
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
