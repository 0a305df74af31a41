import { describe, expect, it } from 'vitest';
import { isScaled, MAX_CONTENT, rowWindow, scrollTopFor, scrollTopToReveal, topRow } from './row-window';

const ROW = 24;
const indices = (w: ReturnType<typeof rowWindow>) => w.rows.map((r) => r.index);

describe('rowWindow', () => {
  it('a short list: every row at its own place, the visible ones and the overscan only', () => {
    const g = { rowHeight: ROW, total: 1000, viewport: 240 };
    const top = rowWindow(g, 0, 2);
    expect(top.content).toBe(24_000);
    expect(indices(top)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // 10 visible + 2 below
    expect(top.rows[5].top).toBe(120);
    const mid = rowWindow(g, 24 * 500 + 12, 0); // half of row 500 scrolled off
    expect(indices(mid)).toEqual([500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510]);
    expect(mid.rows[0].top).toBe(12_000);
    expect(indices(rowWindow(g, 24_000 - 240, 2)).at(-1)).toBe(999);
  });

  it('an empty list or one not laid out yet shows nothing', () => {
    expect(rowWindow({ rowHeight: ROW, total: 0, viewport: 240 }, 0, 5).rows).toEqual([]);
    expect(indices(rowWindow({ rowHeight: ROW, total: 10, viewport: 0 }, 0, 0))).toEqual([]);
  });

  it('a list taller than browsers lay out is scaled, and its last row can still be reached', () => {
    const g = { rowHeight: ROW, total: 10_000_000, viewport: 600 };
    const maxScroll = MAX_CONTENT - 600;
    expect(rowWindow(g, 0, 0).content).toBe(MAX_CONTENT);
    const end = rowWindow(g, maxScroll, 0);
    expect(end.rows.at(-1)).toEqual({ index: 9_999_999, top: maxScroll + 600 - ROW }); // flush with the bottom
    const half = rowWindow(g, maxScroll / 2, 0);
    const shown = half.rows.find((r) => r.top >= maxScroll / 2)!;
    expect(Math.abs(shown.index - 5_000_000)).toBeLessThan(30);
  });
});

describe('scrollTopFor', () => {
  it('centres the row where it can, and stops at the ends', () => {
    const g = { rowHeight: ROW, total: 1000, viewport: 240 };
    expect(scrollTopFor(g, 499)).toBe(499 * 24 - 108);
    expect(scrollTopFor(g, 0)).toBe(0);
    expect(scrollTopFor(g, 999)).toBe(24_000 - 240);
  });

  it('brings any row of a scaled list into view', () => {
    const g = { rowHeight: ROW, total: 3_000_000, viewport: 600 };
    for (const i of [0, 1, 777_777, 1_500_000, 2_999_998, 2_999_999]) {
      const scrollTop = Math.round(scrollTopFor(g, i)); // the browser keeps whole pixels
      const row = rowWindow(g, scrollTop, 0).rows.find((r) => r.index === i);
      expect(row, `row ${i}`).toBeDefined();
      expect(row!.top - scrollTop, `row ${i}`).toBeGreaterThanOrEqual(0);
      expect(row!.top - scrollTop + ROW, `row ${i}`).toBeLessThanOrEqual(600);
    }
  });
});

describe('scrollTopToReveal', () => {
  const g = { rowHeight: ROW, total: 1000, viewport: 240 }; // 10 rows in view

  it('leaves a row in view where it is, and scrolls the least to one out of view', () => {
    expect(scrollTopToReveal(g, 5, 0)).toBe(0);
    expect(scrollTopToReveal(g, 9, 0)).toBe(0); // the last whole row
    expect(scrollTopToReveal(g, 10, 0)).toBe(24); // one row down: it is now the bottom row
    expect(scrollTopToReveal(g, 3, 240)).toBe(72); // above: it becomes the top row
    expect(scrollTopToReveal(g, 10, 12)).toBe(24); // half shown: brought in whole
    expect(scrollTopToReveal(g, 999, 0)).toBe(24_000 - 240);
    expect(scrollTopToReveal({ ...g, total: 5 }, 4, 0)).toBe(0); // everything fits
  });

  it('in a scaled list, the row is on screen afterwards', () => {
    const big = { rowHeight: ROW, total: 3_000_000, viewport: 600 };
    let scrollTop = 0;
    for (const i of [26, 1_000_000, 999_990, 2_999_999, 5]) {
      scrollTop = Math.round(scrollTopToReveal(big, i, scrollTop));
      const row = rowWindow(big, scrollTop, 0).rows.find((r) => r.index === i);
      expect(row, `row ${i}`).toBeDefined();
    }
  });
});

describe('isScaled and topRow', () => {
  it('a list is scaled past MAX_CONTENT; the top row follows the scroll position', () => {
    expect(isScaled({ rowHeight: ROW, total: MAX_CONTENT / ROW })).toBe(false);
    expect(isScaled({ rowHeight: ROW, total: MAX_CONTENT / ROW + 1 })).toBe(true);
    // With the engine's own limit (Chromium lays out 33.5 M px; four fifths of it), a million 26 px rows are one to one.
    const tree = { rowHeight: 26, total: 1_000_000, viewport: 600, maxContent: 26_843_542 };
    expect(isScaled(tree)).toBe(false);
    expect(rowWindow(tree, 26 * 700_000, 0).rows[0]).toEqual({ index: 700_000, top: 26 * 700_000 });
    expect(rowWindow(tree, 0, 0).content).toBe(26_000_000);
    const g = { rowHeight: ROW, total: 1000, viewport: 240 };
    expect(topRow(g, 0)).toBe(0);
    expect(topRow(g, 23)).toBe(0);
    expect(topRow(g, 24 * 500 + 12)).toBe(500);
  });
});
