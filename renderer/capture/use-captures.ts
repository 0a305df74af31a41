/** The open captures (HAR files) and which one the capture panel shows; the shell calls it once. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaptureSummary, CaptureUrlRule } from '../../core/api/capture-contract';
import { api, openCaptureFile } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';

/** Runs a host call labelled for the user; undefined when it failed (the failure was shown). */
type Run = <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;

/** The captures and what changes them. */
export interface Captures {
  list: CaptureSummary[];
  /** The capture shown (null: the panel is hidden). */
  active: CaptureSummary | null;
  activate(captureId: string | null): void;
  /** Opens a dropped or picked HAR file. */
  openFile(file: File): Promise<void>;
  /** Opens a HAR file by its path. */
  openPath(path: string): Promise<void>;
  close(captureId: string): Promise<void>;
  /** Replaces a capture's URL rules (types by URL pattern). */
  setUrlRules(captureId: string, rules: CaptureUrlRule[]): Promise<void>;
  /** Asks the host for the captures again (the schemas changed: their types may have too). */
  refresh(): void;
}

/** The captures: the host's open ones at start (after a reload of the page), then those opened here. */
export function useCaptures(run: Run): Captures {
  const [list, setList] = useState<CaptureSummary[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);

  useEffect(() => {
    void api.listCaptures({}).then((all) => {
      setList(all);
      if (all.length) setActiveId(all[all.length - 1].captureId);
    });
  }, []);

  const replaced = useCallback((c: CaptureSummary | undefined) => {
    if (c) setList((l) => l.map((x) => (x.captureId === c.captureId ? c : x)));
  }, []);

  const refresh = useCallback(() => void api.listCaptures({}).then((all) => setList(all)), []);

  const added = useCallback((c: CaptureSummary | undefined) => {
    if (!c) return;
    setList((l) => (l.some((x) => x.captureId === c.captureId) ? l : [...l, c]));
    setActiveId(c.captureId);
  }, []);

  // A HAR file the host opened (the desktop's open dialog, the command line); new schemas (the
  // host types the captures again: their rows change).
  useHostEvent((e) => {
    if (e.kind === 'capture-opened') added(e.capture);
    if (e.kind === 'schemas-changed') refresh();
  });

  const openFile = useCallback(async (file: File) => added(await run(`Opening ${file.name}`, () => openCaptureFile(file))), [run, added]);
  const openPath = useCallback(async (path: string) => added(await run('Open', () => api.openCapturePath({ path }))), [run, added]);

  const close = useCallback(
    async (captureId: string) => {
      await run('Close capture', () => api.closeCapture({ captureId }));
      setList((l) => {
        const next = l.filter((c) => c.captureId !== captureId);
        setActiveId((a) => (a === captureId ? (next[next.length - 1]?.captureId ?? null) : a));
        return next;
      });
    },
    [run],
  );

  const setUrlRules = useCallback(
    async (captureId: string, rules: CaptureUrlRule[]) =>
      replaced(await run('Types by URL', () => api.setCaptureUrlRules({ captureId, rules }))),
    [run, replaced],
  );

  return useMemo(
    () => ({
      list,
      active: list.find((c) => c.captureId === activeId) ?? null,
      activate: setActiveId,
      openFile,
      openPath,
      close,
      setUrlRules,
      refresh,
    }),
    [list, activeId, openFile, openPath, close, setUrlRules, refresh],
  );
}
