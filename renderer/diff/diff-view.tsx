/**
 * The diff view: two messages' differences field by field, as a tree (added, removed, changed,
 * moved, and encoding-only differences labelled as such), each row with both sides' values,
 * beside both sides' hex. Selecting a difference lights up its bytes on both sides; clicking a
 * byte selects the difference there. The tree is windowed (row-window) and fetched in pages,
 * so a diff of a million rows costs what is on screen. Esc closes it.
 */
import { useEffect, useRef, useState } from 'react';
import type { DiffResult, DiffRow } from '../../core/api/diff-contract';
import { api } from '../host/bridge';
import { useRowWindow } from '../shared/use-row-window';
import { DiffHex } from './diff-hex';
import {
  KIND_MARK,
  KIND_TEXT,
  pagesFor,
  rowAtByte,
  rowName,
  rowNotes,
  rowTitle,
  sideText,
  swapped,
  toggled,
  type CompareRequest,
} from './diff-format';

const PAGE = 200;
const ROW = 24;
const OVERSCAN = 10;

/** The rows fetched for one comparison and one set of collapsed rows (by visible index). */
interface Loaded {
  key: string;
  total: number;
  rows: ReadonlyMap<number, DiffRow>;
}

/** The diff view of a comparison; `onOpen` asks again (Refresh, Swap), `onClose` closes it. */
export function DiffView({
  request,
  result,
  onOpen,
  onClose,
}: {
  request: CompareRequest;
  result: DiffResult;
  onOpen: (request: CompareRequest) => void;
  onClose: () => void;
}) {
  const { diffId } = result;
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const key = `${diffId}:${[...collapsed].join(',')}`;
  const [loaded, setLoaded] = useState<Loaded>({ key, total: result.nodeCount, rows: new Map() });
  const [selected, setSelected] = useState<DiffRow | null>(null);
  const [index, setIndex] = useState(0);
  const asked = useRef({ key, pages: new Set<number>() });
  const scroller = useRef<HTMLDivElement>(null);
  const current = loaded.key === key ? loaded : null;
  const total = current?.total ?? loaded.total;
  const win = useRowWindow(scroller, ROW, total, OVERSCAN);
  const first = win.rows[0]?.index ?? 0;
  const last = win.rows[win.rows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (asked.current.key !== key) asked.current = { key, pages: new Set() };
    const pages = asked.current.pages;
    for (const p of pagesFor(first, last, PAGE)) {
      if (pages.has(p)) continue;
      pages.add(p);
      api.getDiffRows({ diffId, start: p, count: PAGE, collapsed: [...collapsed] }).then(
        (page) =>
          setLoaded((cur) => {
            const rows = new Map(cur.key === key ? cur.rows : undefined);
            page.rows.forEach((r, i) => rows.set(p + i, r));
            return { key, total: page.total, rows };
          }),
        () => pages.delete(p),
      );
    }
  }, [first, last, key, diffId, collapsed]);

  // Esc closes the view (a dialog over it takes the key first).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('.modal-backdrop')) {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => scroller.current?.focus(), [diffId]);

  const rowAt = (i: number) => current?.rows.get(i) ?? null;
  const select = (i: number) => {
    if (i < 0 || i >= total) return;
    setIndex(i);
    setSelected(rowAt(i));
    win.scrollToIndex(i, 'nearest');
  };
  const toggle = (r: DiffRow) => r.descendants > 0 && setCollapsed((c) => toggled(c, r.id));
  const onByte = (side: 'a' | 'b', offset: number) => {
    const r = rowAtByte(current?.rows.values() ?? [], side, offset);
    if (!r) return;
    setSelected(r);
    for (const [i, x] of current!.rows) if (x.id === r.id) setIndex(i);
  };
  // The selection follows its row when rows fold or unfold above it (its visible index moves).
  useEffect(() => {
    if (!selected || !current || current.rows.get(index)?.id === selected.id) return;
    for (const [i, r] of current.rows) if (r.id === selected.id) return setIndex(i);
  }, [current, selected, index]);
  const shown = selected ?? rowAt(index);

  return (
    <section className="diff-view" role="dialog" aria-label="Differences" data-testid="diff-view">
      <div className="pane-title diff-title">
        <span className="diff-sides">
          <b>A</b> <span className="clip">{result.a.label}</span> <span className="muted">→</span> <b>B</b>{' '}
          <span className="clip">{result.b.label}</span>
        </span>
        <span className="muted">{result.typeName ?? 'without a schema'}</span>
        <span className="spacer" />
        <button onClick={() => onOpen(swapped(request))} title="Compare the other way round (B with A)">
          Swap
        </button>
        <button onClick={() => onOpen(request)} title="Compare again (after edits)">
          Refresh
        </button>
        <button onClick={onClose} aria-label="Close differences" title="Close (Esc)">
          ×
        </button>
      </div>
      <div className="diff-summary" data-testid="diff-summary">
        <b>{result.summary}</b>
        {result.note && <div className="diff-note">{result.note}</div>}
      </div>
      <div className="diff-row diff-head" aria-hidden>
        <span />
        <span>field</span>
        <span>A</span>
        <span>B</span>
        <span>encoding</span>
      </div>
      <div
        className="diff-scroll"
        ref={scroller}
        tabIndex={0}
        role="tree"
        aria-label="Differences field by field"
        data-testid="diff-tree"
        onKeyDown={(e) => {
          const r = rowAt(index);
          if (e.key === 'ArrowDown') select(index + 1);
          else if (e.key === 'ArrowUp') select(index - 1);
          else if (e.key === 'ArrowLeft' && r && r.descendants && !collapsed.has(r.id)) toggle(r);
          else if (e.key === 'ArrowRight' && r && collapsed.has(r.id)) toggle(r);
          else if ((e.key === 'Enter' || e.key === ' ') && r) toggle(r);
          else return;
          e.preventDefault();
        }}
      >
        {result.identical && <div className="diff-empty">The two messages are byte for byte the same.</div>}
        <div style={{ height: win.content, position: 'relative' }}>
          {win.rows.map(({ index: i, top }) => {
            const r = rowAt(i);
            const isSel = !!r && !!shown && r.id === shown.id;
            return (
              <div
                key={i}
                className={`diff-row ${r ? `k-${r.kind}` : ''}${isSel ? ' selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${top}px)` }}
                role="treeitem"
                aria-selected={isSel}
                aria-level={r ? r.depth + 1 : undefined}
                aria-expanded={r && r.descendants ? !collapsed.has(r.id) : undefined}
                data-testid="diff-row"
                data-kind={r?.kind}
                title={r ? rowTitle(r) : undefined}
                onClick={() => {
                  setIndex(i);
                  setSelected(r);
                }}
              >
                {r && (
                  <>
                    <span className="diff-mark" aria-label={KIND_TEXT[r.kind]}>
                      {KIND_MARK[r.kind]}
                    </span>
                    <span className="diff-name clip" style={{ paddingLeft: r.depth * 14 }}>
                      {r.descendants > 0 ? (
                        <button
                          className="diff-twisty"
                          aria-label={collapsed.has(r.id) ? 'Expand' : 'Collapse'}
                          onClick={(e) => {
                            e.stopPropagation();
                            toggle(r);
                          }}
                        >
                          {collapsed.has(r.id) ? '▸' : '▾'}
                        </button>
                      ) : (
                        <span className="diff-twisty" />
                      )}
                      <span className="mono">{rowName(r.path)}</span>
                      {rowNotes(r).map((n) => (
                        <span key={n} className="diff-tag">
                          {n}
                        </span>
                      ))}
                    </span>
                    <span className="diff-value a clip mono" data-testid="diff-a">
                      {sideText(r, 'a')}
                    </span>
                    <span className="diff-value b clip mono" data-testid="diff-b">
                      {sideText(r, 'b')}
                    </span>
                    <span className="diff-labels clip">
                      {r.labels.map((l) => (
                        <span key={l} className="diff-tag enc">
                          {l}
                        </span>
                      ))}
                    </span>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {shown?.encoding?.length ? (
        <div className="diff-detail" data-testid="diff-detail">
          {shown.path || '(message)'}: {shown.encoding.join('; ')}
        </div>
      ) : null}
      <div className="diff-hexes">
        <DiffHex
          diffId={diffId}
          side="a"
          label={result.a.label}
          total={result.a.size}
          highlight={shown?.a?.span ?? null}
          onByte={(o) => onByte('a', o)}
        />
        <DiffHex
          diffId={diffId}
          side="b"
          label={result.b.label}
          total={result.b.size}
          highlight={shown?.b?.span ?? null}
          onByte={(o) => onByte('b', o)}
        />
      </div>
    </section>
  );
}
