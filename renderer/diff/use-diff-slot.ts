/**
 * The diff view's state, owned by the shell: the "Compare with…" picker while it is open, and
 * the comparison shown (its request, so Refresh and Swap can ask again). The session keeps the
 * comparison; closing the view lets it go.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { DiffResult } from '../../core/api/diff-contract';
import { api } from '../host/bridge';
import { savedRequest, type CompareRequest } from './diff-format';

/** Runs a host call labelled for the user; undefined when it failed (the failure was shown). */
type Run = <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;

/** A message of an open document. */
export interface MessageAt {
  docId: string;
  message: number;
}

/** What the diff layer shows and what changes it. */
export interface DiffSlot {
  /** The message "Compare with…" compares from, while its picker is open. */
  picking: MessageAt | null;
  /** The comparison shown. */
  shown: { request: CompareRequest; result: DiffResult } | null;
  /** Starts a comparison of the active message: with another one (opens the picker) or with its saved version. */
  compare(withWhat: 'other' | 'saved', active: MessageAt): void;
  /** Compares and shows the result (replacing the one shown). */
  open(request: CompareRequest): Promise<void>;
  cancelPick(): void;
  close(): void;
}

/** The diff layer's state. */
export function useDiffSlot(run: Run): DiffSlot {
  const [picking, setPicking] = useState<MessageAt | null>(null);
  const [shown, setShown] = useState<DiffSlot['shown']>(null);
  const current = useRef<string | null>(null);

  const release = useCallback(() => {
    const id = current.current;
    current.current = null;
    if (id) void api.closeDiff({ diffId: id }).catch(() => undefined);
  }, []);

  const open = useCallback(
    async (request: CompareRequest) => {
      setPicking(null);
      const result = await run('Compare', () => api.compareMessages(request));
      if (!result) return;
      release();
      current.current = result.diffId;
      setShown({ request, result });
    },
    [run, release],
  );

  const compare = useCallback(
    (withWhat: 'other' | 'saved', active: MessageAt) => {
      if (withWhat === 'saved') void open(savedRequest(active.docId, active.message));
      else setPicking(active);
    },
    [open],
  );

  const close = useCallback(() => {
    release();
    setShown(null);
  }, [release]);

  return useMemo(
    () => ({ picking, shown, compare, open, cancelPick: () => setPicking(null), close }),
    [picking, shown, compare, open, close],
  );
}
