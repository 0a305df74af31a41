/** The message list of a stream file: fixed-height rows windowed over the scroll position (shared/use-row-window.ts), pages fetched as they scroll into view. */
import { useEffect, useRef, useState } from 'react';
import type { StreamItem } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useRowWindow } from '../shared/use-row-window';

const PAGE = 500;
const ROW = 24;
const OVERSCAN = 10;

/** The stream list. */
export function StreamList({
  docId,
  total,
  version,
  selected,
  onSelect,
}: {
  docId: string;
  total: number;
  version: number;
  selected: number;
  onSelect: (i: number) => void;
}) {
  const key = `${docId}@${version}`;
  const [loaded, setLoaded] = useState<{ key: string; items: ReadonlyMap<number, StreamItem> }>({ key, items: new Map() });
  /** Pages asked for (for the current document version), so none is asked twice. */
  const requested = useRef({ key, pages: new Set<number>() });
  const [jump, setJump] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const { rows, content, scrollToIndex } = useRowWindow(scroller, ROW, total, OVERSCAN);
  const items = loaded.key === key ? loaded.items : null;
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (requested.current.key !== key) requested.current = { key, pages: new Set() };
    const asked = requested.current.pages;
    for (let p = Math.floor(firstRow / PAGE) * PAGE; p <= lastRow; p += PAGE) {
      if (asked.has(p)) continue;
      asked.add(p);
      api.getStream({ docId, start: p, count: PAGE }).then(
        (page) =>
          setLoaded((cur) => {
            if (requested.current.key !== key) return cur; // the document changed meanwhile
            const next = new Map(cur.key === key ? cur.items : undefined);
            for (const it of page.items) next.set(it.index, it);
            return { key, items: next };
          }),
        () => asked.delete(p), // asked again when the rows are next shown
      );
    }
  }, [firstRow, lastRow, docId, key]);

  const go = (i: number) => {
    if (i >= 0 && i < total) onSelect(i);
  };

  // However the selection moved (arrows, Go to #, a search result, a restored view), the selected message stays in view.
  useEffect(() => {
    if (selected >= 0 && selected < total) scrollToIndex(selected, 'nearest');
    // scrollToIndex is stable for the list's lifetime.
  }, [selected, total]);

  return (
    <div className="stream-pane">
      <div className="pane-title">
        Messages <span className="muted">{total.toLocaleString()}</span>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            go(Number(jump));
          }}
        >
          <input
            className="jump"
            value={jump}
            onChange={(e) => setJump(e.target.value)}
            placeholder="Go to #"
            aria-label="Go to message number"
            data-testid="stream-jump"
          />
        </form>
      </div>
      <div
        className="stream-scroll"
        ref={scroller}
        tabIndex={0}
        role="listbox"
        aria-label="Messages"
        aria-activedescendant={rows.some((r) => r.index === selected) ? `${docId}-message-${selected}` : undefined}
        data-testid="stream-list"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') go(selected + 1);
          else if (e.key === 'ArrowUp') go(selected - 1);
          else return;
          e.preventDefault();
        }}
      >
        <div style={{ height: content, position: 'relative' }}>
          {rows.map(({ index, top }) => {
            const it = items?.get(index);
            return (
              <div
                key={index}
                className={`stream-item${index === selected ? ' selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${top}px)` }}
                onClick={() => onSelect(index)}
                data-index={index}
                id={`${docId}-message-${index}`}
                role="option"
                aria-selected={index === selected}
              >
                <span className="idx">#{index}</span>
                <span className="muted mono" title={it ? `starts at file byte ${it.offset}` : undefined} data-testid="stream-offset">
                  {it ? `@${it.offset.toString(16)}` : ''}
                </span>
                <span className="muted">{it ? `${it.length} B` : ''}</span>
                <span className="clip mono">{it?.preview ?? ''}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
