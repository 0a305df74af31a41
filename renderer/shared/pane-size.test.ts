import { describe, expect, it } from 'vitest';
import { clampPaneSize, storedPaneSize } from './pane-size';

const BOUNDS = { initial: 300, min: 200, max: 600 };

describe('pane sizes', () => {
  it('reads a stored width, clamped to the bounds', () => {
    expect(storedPaneSize('420', BOUNDS)).toBe(420);
    expect(storedPaneSize('50', BOUNDS)).toBe(200);
    expect(storedPaneSize('9000', BOUNDS)).toBe(600);
    expect(storedPaneSize('333.6', BOUNDS)).toBe(334);
  });

  it('falls back to the initial width when nothing or garbage is stored', () => {
    expect(storedPaneSize(null, BOUNDS)).toBe(300);
    expect(storedPaneSize('wide', BOUNDS)).toBe(300);
    expect(storedPaneSize('Infinity', BOUNDS)).toBe(300);
  });

  it('clamps a dragged width', () => {
    expect(clampPaneSize(-40, BOUNDS)).toBe(200);
    expect(clampPaneSize(450.2, BOUNDS)).toBe(450);
  });
});
