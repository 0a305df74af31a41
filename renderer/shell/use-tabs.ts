/** The open documents as tabs, and which one is active. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';

/** The tabs and what changes them. */
export interface Tabs {
  tabs: DocumentSummary[];
  /** The active tab's document (null: no tab). */
  activeTab: DocumentSummary | null;
  /** The tabs as they are now (for callbacks that run after an await). */
  current(): DocumentSummary[];
  activate(docId: string): void;
  /** Puts a summary into the tabs (adds it, or replaces the one with the same id), and makes it active if asked. */
  upsert(summary: DocumentSummary, activate?: boolean): void;
  /** Takes a tab away; the one beside it becomes active when it was. */
  remove(docId: string): void;
}

/** The tabs: the host's open documents at start (the last one active), then documents opened here or by the host. */
export function useTabs(): Tabs {
  const [tabs, setTabs] = useState<DocumentSummary[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const latest = useRef(tabs);
  latest.current = tabs;

  useEffect(() => {
    void api.listDocuments({}).then((docs) => {
      setTabs(docs);
      if (docs.length) setActive(docs[docs.length - 1].docId);
    });
  }, []);

  const upsert = useCallback((s: DocumentSummary, activate = false) => {
    setTabs((ts) => (ts.some((t) => t.docId === s.docId) ? ts.map((t) => (t.docId === s.docId ? s : t)) : [...ts, s]));
    if (activate) setActive(s.docId);
  }, []);

  const remove = useCallback((docId: string) => {
    setTabs((ts) => {
      const i = ts.findIndex((t) => t.docId === docId);
      const next = ts.filter((t) => t.docId !== docId);
      setActive((a) => (a === docId ? (next[Math.min(i, next.length - 1)]?.docId ?? null) : a));
      return next;
    });
  }, []);

  // A file the host opened (command line, a second launch, the dock).
  useHostEvent((e) => {
    if (e.kind === 'opened') upsert(e.summary, true);
  });

  const current = useCallback(() => latest.current, []);
  return { tabs, activeTab: tabs.find((t) => t.docId === active) ?? null, current, activate: setActive, upsert, remove };
}
