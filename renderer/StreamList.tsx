/** The message list of a stream file: virtualized, pages fetched as they scroll into view. */
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StreamItem } from '../core/api/contract';
import { api } from './bridge';

const PAGE = 500;

/** The stream list. */
export function StreamList({ docId, total, version, selected, onSelect }: { docId: string; total: number; version: number; selected: number; onSelect: (i: number) => void }) {
  const [items, setItems] = useState<Map<number, StreamItem>>(new Map());
  const [jump, setJump] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => 24, overscan: 20 });
  const vis = virtualizer.getVirtualItems();
  const first = vis[0]?.index ?? 0;
  const last = vis[vis.length - 1]?.index ?? 0;

  useEffect(() => setItems(new Map()), [version, docId]);
  useEffect(() => {
    for (let p = Math.floor(first / PAGE) * PAGE; p <= last; p += PAGE) {
      if (items.has(p)) continue;
      void api.getStream({ docId, start: p, count: PAGE }).then((page) => {
        setItems((m) => {
          const next = new Map(m);
          page.items.forEach((it) => next.set(it.index, it));
          return next;
        });
      });
    }
  }, [first, last, items, docId]);

  const go = (i: number) => {
    if (i >= 0 && i < total) {
      onSelect(i);
      virtualizer.scrollToIndex(i, { align: 'center' });
    }
  };

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
          <input className="jump" value={jump} onChange={(e) => setJump(e.target.value)} placeholder="Go to #" aria-label="Go to message number" data-testid="stream-jump" />
        </form>
      </div>
      <div
        className="stream-scroll"
        ref={scroller}
        tabIndex={0}
        data-testid="stream-list"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') go(selected + 1);
          else if (e.key === 'ArrowUp') go(selected - 1);
          else return;
          e.preventDefault();
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {vis.map((v) => {
            const it = items.get(v.index);
            return (
              <div
                key={v.key}
                className={`stream-item${v.index === selected ? ' selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: 24, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(v.index)}
                data-index={v.index}
                role="option"
                aria-selected={v.index === selected}
              >
                <span className="idx">#{v.index}</span>
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
