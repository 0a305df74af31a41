/** The widths the shell's side columns start at and may take (the user drags them within these). */
import type { PaneBounds } from '../shared/pane-size';

/** The capture view, left of the document. */
export const CAPTURE_BOUNDS: PaneBounds = { initial: 520, min: 240, max: 1200 };
/** The replay pane, right of the document. */
export const REPLAY_BOUNDS: PaneBounds = { initial: 440, min: 260, max: 1000 };
/** The schemas panel, at the right edge. */
export const SCHEMAS_BOUNDS: PaneBounds = { initial: 340, min: 220, max: 800 };
