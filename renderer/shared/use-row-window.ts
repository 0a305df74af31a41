/**
 * The one virtualizer of the renderer's long lists (the tree, the hex lines, the message list):
 * fixed-height rows windowed over the scroll position of their scroller (row-window.ts does the
 * arithmetic). Render `rows` absolutely at `top` inside a box of height `content`.
 */
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { isScaled, MAX_CONTENT, rowWindow, scrollTopFor, scrollTopToReveal, topRow, type RowGeometry } from './row-window';

/** The tallest content this browser lays out, measured once (a constant of the engine). */
let engineLimit: number | null = null;

/**
 * The tallest list content to lay out here: four fifths of what the engine lays out (Chromium
 * and Electron: 33.5 M px, so a million 26 px rows scroll one to one), never under MAX_CONTENT.
 */
export function layoutLimit(): number {
  if (engineLimit === null) {
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;top:0;left:0;width:1px;height:1000000000px';
    document.body.append(probe);
    engineLimit = probe.offsetHeight;
    probe.remove();
  }
  return Math.max(MAX_CONTENT, Math.floor(engineLimit * 0.8));
}

/** How scrollToIndex places the row: in the middle, or with the least scrolling (none when it is in view). */
export type RevealAlign = 'center' | 'nearest';

/** The rows to render and how to bring a row into view. */
export interface RowWindow {
  /** Height of the scroll content, in px. */
  content: number;
  /** The rows to render: index, and top in content px. */
  rows: { index: number; top: number }[];
  /** Scrolls row `index` into view (once the list has that many rows and is laid out). */
  scrollToIndex(index: number, align?: RevealAlign): void;
}

/**
 * The window of `total` rows of `rowHeight` px in the element `scroller`, with `overscan` rows
 * either side. A scroll re-renders only when the top row changes (or, in a list scaled past what
 * the browser lays out, on every move, since every row moves then).
 */
export function useRowWindow(scroller: RefObject<HTMLElement | null>, rowHeight: number, total: number, overscan: number): RowWindow {
  const [viewport, setViewport] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const geometry: RowGeometry = { rowHeight, total, viewport, maxContent: layoutLimit() };
  const latest = useRef(geometry);
  latest.current = geometry;
  /** The scroll position the rows are rendered for. */
  const shown = useRef(0);
  /**
   * A row asked for before the list was laid out, or before it had that many rows (a row the
   * host just expanded its way to): revealed once it can be; dropped if the next count still
   * lacks it (so it never jumps the list later).
   */
  const [pending, setPending] = useState<{ index: number; align: RevealAlign; total: number } | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    const onScroll = () => {
      const now = el.scrollTop;
      const g = latest.current;
      if (!isScaled(g) && topRow(g, shown.current) === topRow(g, now)) return;
      shown.current = now;
      // Rendered before the frame is painted, so the rows (and the pages they ask for) come with the scroll.
      flushSync(() => setScrollTop(now));
    };
    measure();
    shown.current = el.scrollTop;
    setScrollTop(el.scrollTop);
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [scroller]);

  /** Scrolls now when the row exists and the list is laid out; says whether it could. */
  const reveal = useCallback(
    (index: number, align: RevealAlign) => {
      const el = scroller.current;
      const g = latest.current;
      if (!el || g.viewport <= 0 || index >= g.total) return false;
      el.scrollTop = align === 'center' ? scrollTopFor(g, index) : scrollTopToReveal(g, index, el.scrollTop);
      return true;
    },
    [scroller],
  );

  useLayoutEffect(() => {
    if (pending && (reveal(pending.index, pending.align) || (total !== pending.total && viewport > 0))) setPending(null);
  }, [pending, total, viewport, reveal]);

  const scrollToIndex = useCallback(
    (index: number, align: RevealAlign = 'center') => {
      if (index < 0) return;
      setPending(reveal(index, align) ? null : { index, align, total: latest.current.total });
    },
    [reveal],
  );

  return { ...rowWindow(geometry, scrollTop, overscan), scrollToIndex };
}
