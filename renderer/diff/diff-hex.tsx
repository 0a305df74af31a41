/**
 * One side's bytes in the diff view: offset, 16 bytes and ASCII per line, virtualized, fetched
 * in chunks from the comparison the session keeps. The selected difference's bytes light up
 * (tag and length prefix in one shade, value in another) and scroll into view; clicking a byte
 * selects the difference there.
 */
import { useEffect, useRef, useState } from 'react';
import type { RowSpan } from '../../core/api/tree-rows';
import { api } from '../host/bridge';
import { useRowWindow } from '../shared/use-row-window';

const LINE = 16;
const LINE_HEIGHT = 20;
const CHUNK = 64 * 1024;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The hex of one side. */
export function DiffHex({
  diffId,
  side,
  label,
  total,
  highlight,
  onByte,
}: {
  diffId: string;
  side: 'a' | 'b';
  label: string;
  total: number;
  highlight: RowSpan | null;
  onByte: (offset: number) => void;
}) {
  const [chunks, setChunks] = useState<{ id: string; map: ReadonlyMap<number, Uint8Array> }>({ id: diffId, map: new Map() });
  const asked = useRef({ id: diffId, set: new Set<number>() });
  const scroller = useRef<HTMLDivElement>(null);
  const lines = Math.ceil(total / LINE);
  const { rows, content, scrollToIndex } = useRowWindow(scroller, LINE_HEIGHT, lines, 10);
  const map = chunks.id === diffId ? chunks.map : null;
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (asked.current.id !== diffId) asked.current = { id: diffId, set: new Set() };
    const set = asked.current.set;
    for (let c = Math.floor((first * LINE) / CHUNK); c <= Math.floor((last * LINE) / CHUNK); c++) {
      if (set.has(c) || c * CHUNK >= total) continue;
      set.add(c);
      api.getDiffBytes({ diffId, side, start: c * CHUNK, end: (c + 1) * CHUNK }).then(
        (r) => setChunks((cur) => ({ id: diffId, map: new Map(cur.id === diffId ? cur.map : undefined).set(c, r.bytes) })),
        () => set.delete(c),
      );
    }
  }, [first, last, diffId, side, total]);

  useEffect(() => {
    if (highlight) scrollToIndex(Math.floor(highlight.start / LINE), 'nearest');
  }, [highlight?.start, highlight?.end, scrollToIndex]);

  const byteAt = (o: number) => map?.get(Math.floor(o / CHUNK))?.[o % CHUNK];
  const cls = (o: number) =>
    !highlight || o < highlight.start || o >= highlight.end ? '' : o < highlight.valueStart ? ' dh-tag' : ' dh-value';

  return (
    <div className="diff-hex" data-testid={`diff-hex-${side}`}>
      <div className="pane-title">
        {side.toUpperCase()} <span className="clip">{label}</span>{' '}
        <span className="muted">
          {total.toLocaleString()} bytes
          {highlight ? ` · ${highlight.start}–${highlight.end}` : ''}
        </span>
      </div>
      <div className="dh-scroll" ref={scroller} role="group" aria-label={`Bytes of ${side.toUpperCase()}`}>
        <div style={{ height: content, position: 'relative' }}>
          {rows.map(({ index, top }) => {
            const base = index * LINE;
            const n = Math.min(LINE, total - base);
            const cells = [];
            const ascii = [];
            for (let i = 0; i < n; i++) {
              const o = base + i;
              const b = byteAt(o);
              const c = cls(o);
              cells.push(
                <span key={i} className={`dh-b${c}`} data-offset={o} onClick={() => onByte(o)}>
                  {b === undefined ? '··' : HEX[b]}
                </span>,
              );
              ascii.push(
                <span key={i} className={c.trim()} onClick={() => onByte(o)}>
                  {b === undefined ? ' ' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                </span>,
              );
            }
            return (
              <div key={index} className="dh-line" style={{ transform: `translateY(${top}px)` }}>
                <span className="dh-off">{base.toString(16).padStart(8, '0')}</span>
                <span className="dh-bytes">{cells}</span>
                <span className="dh-ascii">{ascii}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
