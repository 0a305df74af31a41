/**
 * The replay pane: choose a target (preset, URL, transport, method), headers, timeout, TLS and
 * LiveKit auth; send the open message (or JSON) and see the decoded response with status,
 * headers, trailers and time; replay a whole stream; history; the mock server with its events
 * (Kik MobileVideo notifications). Talks only through the contract: requests name the source
 * document and the host reads its bytes (replay-actions.ts); events are pushed by the host.
 */
import { useEffect } from 'react';
import type { AppEvent, DocumentSummary } from '../../core/api/contract';
import type { ReplayEvent } from '../../core/api/replay-contract';
import { loadPane, type ReplayPaneApi } from './replay-actions';
import { followSource, mergeEvents, upsertDoc } from './replay-logic';
import { replayStore, setReplay, useReplayField } from './replay-store';
import { AuthSection } from './auth-section';
import { MessageSection } from './message-section';
import { MockSection } from './mock-section';
import { ResponseSection, StreamSection } from './result-sections';
import { EventsSection, HistorySection } from './activity-sections';
import { TargetSection } from './target-section';

/** Props of the pane. */
export interface ReplayPaneProps {
  /** The host API (window.protodesk or the HTTP bridge). */
  api: ReplayPaneApi;
  /** Subscribes to host events (the bridge's onEvent): replay events arrive there as they happen. */
  onHostEvent?: (listener: (event: AppEvent) => void) => () => void;
  /** Called with a document the pane opened (the response): the shell shows it as a tab. */
  onOpenDocument?: (summary: DocumentSummary) => void;
  /** The document of the active tab, as it is now (type, messages): the request source follows it (unless the user pinned another one). */
  activeDoc?: DocumentSummary;
}

/** Adds events (oldest first) to the list, and remembers the last one seen. */
function addEvents(events: ReplayEvent[], last: number): void {
  setReplay((s) => ({ events: mergeEvents(s.events, events), eventsSince: Math.max(s.eventsSince, last) }));
}

/** The pane itself; its state lives in replay-store (it survives a remount, e.g. switching tabs). */
export function ReplayPaneView({ api, onHostEvent, onOpenDocument, activeDoc }: ReplayPaneProps) {
  const activeDocId = activeDoc?.docId;
  const [docs] = useReplayField('docs');
  const [source] = useReplayField('source');
  const [sourceFollows] = useReplayField('sourceFollows');
  const [openedResponses] = useReplayField('openedResponses');
  const [notice] = useReplayField('notice');

  useEffect(() => {
    void loadPane(api);
  }, [api]);

  // Events as the host pushes them; on mounting, the ones that happened while the pane was not shown.
  useEffect(() => {
    const unsubscribe = onHostEvent?.((e) => {
      if (e.kind === 'replay') addEvents([e.event], e.event.seq);
    });
    api.replayEvents({ since: replayStore.get().eventsSince }).then(
      (r) => addEvents(r.events, r.last),
      () => undefined, // the pushed events still arrive
    );
    return unsubscribe;
  }, [api, onHostEvent]);

  // The active tab's document as it is now (its type may have just changed) in the Send list.
  useEffect(() => {
    if (activeDoc) setReplay((s) => ({ docs: upsertDoc(s.docs, activeDoc) }));
  }, [activeDoc]);

  // The source follows the active tab (never onto a response the pane opened), and leaves a closed document.
  useEffect(() => {
    const cur = { source, sourceFollows, openedResponses };
    const next = followSource(
      cur,
      activeDocId,
      docs.map((d) => d.docId),
    );
    if (next !== cur) setReplay(next);
  }, [activeDocId, docs, source, sourceFollows, openedResponses]);

  return (
    <div style={{ padding: 8, fontSize: 13 }} aria-label="Replay" data-testid="replay-pane">
      {notice && (
        <div className="error-text" role="status" data-testid="replay-notice" style={{ marginBottom: 6 }}>
          {notice}
        </div>
      )}
      <TargetSection api={api} />
      <AuthSection api={api} />
      <MessageSection api={api} activeDocId={activeDocId} />
      <ResponseSection api={api} onOpenDocument={onOpenDocument} />
      <StreamSection />
      <MockSection api={api} />
      <EventsSection />
      <HistorySection api={api} />
    </div>
  );
}
