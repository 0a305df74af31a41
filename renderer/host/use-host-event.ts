/** Host events (a file opened by the host, a menu command, progress, replay events...) as a React hook. */
import { useEffect, useRef } from 'react';
import type { AppEvent } from '../../core/api/contract';
import { bridge } from './bridge';

/** Calls `listener` (the one of the latest render) with each event the host pushes while mounted. */
export function useHostEvent(listener: (event: AppEvent) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => bridge.onEvent((e) => latest.current(e)), []);
}
