import { describe, expect, it } from 'vitest';
import { nextHidden, type ToolbarFit } from './toolbar-overflow';

const ORDER = ['recent', 'paste', 'undo'];
const widths = new Map([
  ['recent', 100],
  ['paste', 90],
  ['undo', 60],
]);
const fit = (over: Partial<ToolbarFit>): ToolbarFit => ({ overflow: 0, slack: 0, widths, gap: 6, moreWidth: 70, ...over });

describe('nextHidden', () => {
  it('hides the next item in order while the toolbar overflows, and nothing more when all are hidden', () => {
    expect(nextHidden([], ORDER, fit({ overflow: 20 }))).toEqual(['recent']);
    expect(nextHidden(['recent'], ORDER, fit({ overflow: 1 }))).toEqual(['recent', 'paste']);
    const all = ['recent', 'paste', 'undo'];
    expect(nextHidden(all, ORDER, fit({ overflow: 50 }))).toBe(all);
  });

  it('brings back the last hidden item only when the free space holds it', () => {
    const hidden = ['recent', 'paste'];
    expect(nextHidden(hidden, ORDER, fit({ slack: 95 }))).toBe(hidden); // 90 + 6 gap does not fit in 95
    expect(nextHidden(hidden, ORDER, fit({ slack: 96 }))).toEqual(['recent']);
  });

  it('counts the More button it frees when the last hidden item comes back', () => {
    // 100 + 6 needed; 30 free plus More (70 + 6) is 106.
    expect(nextHidden(['recent'], ORDER, fit({ slack: 30 }))).toEqual([]);
    expect(nextHidden(['recent'], ORDER, fit({ slack: 29 }))).toEqual(['recent']);
  });

  it('keeps an item hidden whose width was never measured, and changes nothing when it fits', () => {
    const hidden = ['recent'];
    expect(nextHidden(hidden, ORDER, fit({ slack: 500, widths: new Map() }))).toBe(hidden);
    const none: string[] = [];
    expect(nextHidden(none, ORDER, fit({ slack: 500 }))).toBe(none);
  });
});
