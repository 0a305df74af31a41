/**
 * Which toolbar items go into "More ▾" when the toolbar is too narrow: items leave in a fixed
 * order (least needed first) while the toolbar overflows, and come back, last gone first back,
 * when the free space left would hold them.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** What the toolbar measured: how far its content overflows, its free space, and the widths of the items seen inline. */
export interface ToolbarFit {
  overflow: number;
  slack: number;
  widths: ReadonlyMap<string, number>;
  /** The gap between items, and the width of the More button (freed when the last item comes back). */
  gap: number;
  moreWidth: number;
}

/** The items hidden after one step: one more when the toolbar overflows, one back when it would fit; else `hidden` itself. */
export function nextHidden(hidden: readonly string[], order: readonly string[], fit: ToolbarFit): readonly string[] {
  if (fit.overflow > 0.5) {
    const next = order.find((k) => !hidden.includes(k));
    return next ? [...hidden, next] : hidden;
  }
  const back = hidden[hidden.length - 1];
  if (back === undefined) return hidden;
  const width = fit.widths.get(back);
  if (width === undefined) return hidden;
  const freed = hidden.length === 1 ? fit.moreWidth + fit.gap : 0;
  return fit.slack + freed >= width + fit.gap ? hidden.slice(0, -1) : hidden;
}

/**
 * The hidden items of the toolbar `bar` (its items carry `data-item`, its free space is the
 * `.grow` element, More is `[data-more]`), for `order` (first to go first); re-checked on every
 * render and when the toolbar resizes, before paint, so nothing is drawn clipped.
 */
export function useToolbarOverflow(bar: RefObject<HTMLElement | null>, order: readonly string[]): readonly string[] {
  const [hidden, setHidden] = useState<readonly string[]>([]);
  const [, setTick] = useState(0);
  const widths = useRef(new Map<string, number>());

  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return;
    for (const item of el.querySelectorAll<HTMLElement>('[data-item]')) widths.current.set(item.dataset.item!, item.offsetWidth);
    const grow = el.querySelector<HTMLElement>('.grow');
    const more = el.querySelector<HTMLElement>('[data-more]');
    const fit: ToolbarFit = {
      overflow: el.scrollWidth - el.clientWidth,
      slack: grow?.offsetWidth ?? 0,
      widths: widths.current,
      gap: parseFloat(getComputedStyle(el).columnGap) || 0,
      moreWidth: more?.offsetWidth ?? 0,
    };
    const next = nextHidden(hidden, order, fit);
    if (next !== hidden) setHidden(next);
  });

  useLayoutEffect(() => {
    const el = bar.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setTick((t) => t + 1));
    ro.observe(el);
    return () => ro.disconnect();
  }, [bar]);

  return hidden;
}
