/** The long host operation under way (from 'progress' events), and cancelling it. */
import { useCallback, useState } from 'react';
import { api } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';
import { errorText } from '../shared/util';
import type { Notify } from './use-notices';

/** A long host operation under way; with a taskId it can be cancelled. */
export interface Progress {
  taskId?: string;
  label: string;
  done: number;
  total: number;
}

/** The operation under way (null: none), and `cancelTask`. */
export function useProgress(notify: Notify): { progress: Progress | null; cancelTask: (taskId: string) => void } {
  const [progress, setProgress] = useState<Progress | null>(null);
  useHostEvent((e) => {
    if (e.kind !== 'progress') return;
    setProgress(e.done >= e.total ? null : { label: e.label, done: e.done, total: e.total, ...(e.taskId ? { taskId: e.taskId } : {}) });
  });
  const cancelTask = useCallback(
    (taskId: string) => {
      api.cancelTask({ taskId }).catch((e: unknown) => notify(`Cancel: ${errorText(e)}`));
    },
    [notify],
  );
  return { progress, cancelTask };
}
