/** Host calls the user waits for: a busy label after 200 ms, and a failure said as a notice. */
import { useCallback, useState } from 'react';
import { isCancelled } from '../host/cancel';
import { errorText } from '../shared/util';
import type { Notify } from './use-notices';

/** Runs a host call labelled for the user; resolves to its result, or undefined when it failed (the failure was shown). */
export type Run = <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;

/** `run` and the label of what is running (shown once it takes over 200 ms). A cancelled call is information, not an error. */
export function useRunner(notify: Notify): { busy: string | null; run: Run } {
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback<Run>(
    async (label, fn) => {
      const timer = setTimeout(() => setBusy(label), 200);
      try {
        return await fn();
      } catch (e) {
        notify(`${label}: ${errorText(e)}`, isCancelled(e) ? 'info' : 'error');
        return undefined;
      } finally {
        clearTimeout(timer);
        setBusy(null);
      }
    },
    [notify],
  );
  return { busy, run };
}
