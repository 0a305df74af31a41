/** A vertical splitter between two panes: drag it, or focus it and use the arrow keys (Home/End for the bounds). */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { PaneBounds } from './pane-size';

/** How far one arrow key press moves a splitter (Shift: five times as far). */
export const SPLITTER_STEP = 16;

/**
 * The splitter of a pane of width `size`; `side` says where the pane is: 'start' (left of the
 * splitter: dragging right widens it) or 'end' (right of it: dragging left widens it).
 */
export function Splitter({
  label,
  size,
  bounds,
  side,
  onSize,
}: {
  label: string;
  size: number;
  bounds: PaneBounds;
  side: 'start' | 'end';
  onSize: (size: number) => void;
}) {
  const drag = useRef<{ x: number; size: number } | null>(null);
  const sign = side === 'start' ? 1 : -1;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { x: e.clientX, size };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onSize(drag.current.size + sign * (e.clientX - drag.current.x));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 5 * SPLITTER_STEP : SPLITTER_STEP;
    const moves: Record<string, number | undefined> = {
      ArrowLeft: size - sign * step,
      ArrowRight: size + sign * step,
      Home: bounds.min,
      End: bounds.max,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    onSize(next);
  };

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={bounds.min}
      aria-valuemax={bounds.max}
      tabIndex={0}
      title={`${label}: drag, or focus and use ← →`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
