/**
 * The window of a list of fixed-height rows over its scroll position: which rows to render and
 * where. All arithmetic, so nothing is kept per row (a general virtualizer keeps a measurement
 * object per row: a million of them for a stream of a million messages, built before the first
 * row shows). Lists taller than browsers lay out are scaled: the scroll position maps onto the
 * rows proportionally.
 */

/** Tallest scroll content laid out (Firefox stops at about 17.9 M px, Chromium at 33.5 M px). */
export const MAX_CONTENT = 8_000_000;

/** A list's geometry: row height and count, and the height of its viewport. */
export interface RowGeometry {
  rowHeight: number;
  total: number;
  viewport: number;
}

/** The rows to render for a scroll position: index and top (in content pixels), with `overscan` rows either side. */
export function rowWindow(
  g: RowGeometry,
  scrollTop: number,
  overscan: number,
): { content: number; rows: { index: number; top: number }[] } {
  const { content, maxScroll, maxRowScroll } = extent(g);
  /** The scroll position in row pixels (scrollTop itself unless the content is scaled down). */
  const pos = maxScroll > 0 ? (Math.min(Math.max(0, scrollTop), maxScroll) / maxScroll) * maxRowScroll : 0;
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

function extent(g: RowGeometry): { content: number; maxScroll: number; maxRowScroll: number } {
  const content = Math.min(g.total * g.rowHeight, MAX_CONTENT);
  return { content, maxScroll: Math.max(0, content - g.viewport), maxRowScroll: Math.max(0, g.total * g.rowHeight - g.viewport) };
}
