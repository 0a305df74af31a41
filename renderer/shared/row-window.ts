/**
 * The window of a list of fixed-height rows over its scroll position: which rows to render and
 * where. Every long list of the renderer (the tree, the hex lines, the message list) uses it,
 * through use-row-window.ts. All arithmetic, so nothing is kept per row (a general virtualizer
 * keeps a measurement object per row: a million of them for a stream of a million messages,
 * built before the first row shows). Lists taller than browsers lay out are scaled: the scroll
 * position maps onto the rows proportionally.
 */

/**
 * Tallest scroll content laid out where the browser's own limit is not known: below every
 * engine's (Firefox stops at about 17.9 M px, Chromium at 33.5 M px).
 */
export const MAX_CONTENT = 8_000_000;

/** A list's geometry: row height and count, the height of its viewport, and the tallest content to lay out (MAX_CONTENT when absent). */
export interface RowGeometry {
  rowHeight: number;
  total: number;
  viewport: number;
  maxContent?: number;
}

/** The rows to render for a scroll position: index and top (in content pixels), with `overscan` rows either side. */
export function rowWindow(
  g: RowGeometry,
  scrollTop: number,
  overscan: number,
): { content: number; rows: { index: number; top: number }[] } {
  const { content } = extent(g);
  const pos = rowPosition(g, scrollTop);
  const first = Math.max(0, Math.floor(pos / g.rowHeight) - overscan);
  const end = Math.min(g.total, Math.ceil((pos + g.viewport) / g.rowHeight) + overscan);
  const rows = [];
  for (let i = first; i < end; i++) rows.push({ index: i, top: scrollTop + i * g.rowHeight - pos });
  return { content, rows };
}

/** The scrollTop that shows row `index` in the middle of the viewport (as near as the ends allow). */
export function scrollTopFor(g: RowGeometry, index: number): number {
  const { maxScroll, maxRowScroll } = extent(g);
  const target = Math.min(maxRowScroll, Math.max(0, index * g.rowHeight - (g.viewport - g.rowHeight) / 2));
  return maxRowScroll > 0 ? (target / maxRowScroll) * maxScroll : 0;
}

/**
 * The scrollTop that brings row `index` into view with the least scrolling: `scrollTop` itself
 * when the row is already whole in view, else the row at the top (it was above) or at the bottom.
 */
export function scrollTopToReveal(g: RowGeometry, index: number, scrollTop: number): number {
  const { maxScroll, maxRowScroll } = extent(g);
  if (maxRowScroll <= 0) return 0;
  const pos = rowPosition(g, scrollTop);
  const rowTop = index * g.rowHeight;
  if (rowTop >= pos && rowTop + g.rowHeight <= pos + g.viewport) return scrollTop;
  const target = rowTop < pos ? rowTop : rowTop + g.rowHeight - g.viewport;
  return (Math.min(maxRowScroll, Math.max(0, target)) / maxRowScroll) * maxScroll;
}

/**
 * Whether the list is scaled (taller than its maxContent): then every scroll moves the rows on
 * screen, and a row moves 1:1 with the scrollbar no more (the browser's scrollIntoView misses it).
 */
export function isScaled(g: Pick<RowGeometry, 'rowHeight' | 'total' | 'maxContent'>): boolean {
  return g.total * g.rowHeight > (g.maxContent ?? MAX_CONTENT);
}

/** The first row at the top of the viewport for a scroll position. */
export function topRow(g: RowGeometry, scrollTop: number): number {
  return Math.floor(rowPosition(g, scrollTop) / g.rowHeight);
}

/** The scroll position in row pixels (scrollTop itself unless the content is scaled down). */
function rowPosition(g: RowGeometry, scrollTop: number): number {
  const { maxScroll, maxRowScroll } = extent(g);
  return maxScroll > 0 ? (Math.min(Math.max(0, scrollTop), maxScroll) / maxScroll) * maxRowScroll : 0;
}

function extent(g: RowGeometry): { content: number; maxScroll: number; maxRowScroll: number } {
  const content = Math.min(g.total * g.rowHeight, g.maxContent ?? MAX_CONTENT);
  return { content, maxScroll: Math.max(0, content - g.viewport), maxRowScroll: Math.max(0, g.total * g.rowHeight - g.viewport) };
}
