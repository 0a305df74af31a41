/** Window size and place, remembered between launches (kept only when it is still on a screen). */
import { screen, type BrowserWindow, type Rectangle } from 'electron';

/** Saved bounds and whether the window was maximized. */
export interface WindowState {
  bounds?: Rectangle;
  maximized?: boolean;
}

/** Bounds to open with: the saved ones when they overlap a display, else a default size. */
export function initialBounds(saved: WindowState | undefined): Partial<Rectangle> {
  const b = saved?.bounds;
  if (
    b &&
    screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y;
    })
  )
    return b;
  return { width: 1400, height: 900 };
}

/** The state to save for a window. */
export function captureState(win: BrowserWindow): WindowState {
  return { bounds: win.isMaximized() ? win.getNormalBounds() : win.getBounds(), maximized: win.isMaximized() };
}
