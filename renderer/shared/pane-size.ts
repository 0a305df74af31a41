/** A pane's width as the user left it: clamped to its bounds and kept in localStorage across reloads. */
import { useCallback, useState } from 'react';

/** The localStorage key of a pane's width. */
export const paneSizeKey = (name: string) => `protodesk.pane.${name}`;

/** The bounds of a pane's width, in CSS pixels. */
export interface PaneBounds {
  initial: number;
  min: number;
  max: number;
}

/** A stored width clamped to the bounds; the initial width when none is stored or it is not a number. */
export function storedPaneSize(stored: string | null, bounds: PaneBounds): number {
  const n = stored === null ? NaN : Number(stored);
  return clampPaneSize(Number.isFinite(n) ? n : bounds.initial, bounds);
}

/** A width within the bounds, in whole pixels. */
export function clampPaneSize(size: number, bounds: PaneBounds): number {
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, size)));
}

function readStored(name: string): string | null {
  try {
    return localStorage.getItem(paneSizeKey(name));
  } catch {
    return null; // storage disabled: sizes last for the session only
  }
}

/** The width of the pane `name` and a setter that clamps and remembers it. */
export function usePaneSize(name: string, bounds: PaneBounds): [number, (size: number) => void] {
  const [size, setSize] = useState(() => storedPaneSize(readStored(name), bounds));
  const set = useCallback(
    (next: number) => {
      const clamped = clampPaneSize(next, bounds);
      setSize(clamped);
      try {
        localStorage.setItem(paneSizeKey(name), String(clamped));
      } catch {
        // storage disabled or full: the width still applies now
      }
    },
    // The bounds are constants of each pane.
    [name],
  );
  return [size, set];
}
