/** A column whose width the user sets with a splitter beside it, remembered across reloads. */
import type { ReactNode } from 'react';
import { usePaneSize, type PaneBounds } from './pane-size';
import { Splitter } from './splitter';

/**
 * The column `name` (its remembered width's key), with its splitter on the inner side: after it
 * when the column sits at the start of its row (`side` 'start'), before it at the end.
 */
export function PaneColumn({
  name,
  label,
  bounds,
  side,
  className,
  children,
}: {
  name: string;
  label: string;
  bounds: PaneBounds;
  side: 'start' | 'end';
  className?: string;
  children: ReactNode;
}) {
  const [size, setSize] = usePaneSize(name, bounds);
  const splitter = <Splitter label={label} size={size} bounds={bounds} side={side} onSize={setSize} />;
  return (
    <>
      {side === 'end' && splitter}
      <div className={`pane-column${className ? ` ${className}` : ''}`} style={{ width: size }} data-pane={name}>
        {children}
      </div>
      {side === 'start' && splitter}
    </>
  );
}
