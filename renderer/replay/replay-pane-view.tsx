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
import { followSourceMethod, loadPane, type ReplayPaneApi } from './replay-actions';
import { followSource, mergeEvents } from './replay-logic';
import { useReplayAccess, useReplayField, type ReplayStateAccess } from './replay-state';
import { AuthSection } from './auth-section';
import { MessageSection } from './message-section';
import { MockSection } from './mock-section';
import { ResponseSection, StreamSection } from './result-sections';
import { EventsSection, HistorySection } from './activity-sections';
import { TargetSection } from './target-section';
import { EnvironmentSection } from './environment-section';

/** Props of the pane. */
export interface ReplayPaneProps {
  /** The host API (window.protodesk or the HTTP bridge). */
  api: ReplayPaneApi;
  /** Subscribes to host events (the bridge's onEvent): replay events arrive there as they happen. */
  onHostEvent?: (listener: (event: AppEvent) => void) => () => void;
  /** Called with a document the pane opened (the response): the shell shows it as a tab. */
  onOpenDocument?: (summary: DocumentSummary) => void;
  /** The active tab's document: the request source follows it (unless the user pinned another one). */
  activeDocId?: string;
  /** The open documents as they are now (types, messages): the Send list. */
  documents?: DocumentSummary[];
}

/** Adds events (oldest first) to the list, and remembers the last one seen. */
function addEvents(pane: ReplayStateAccess, events: ReplayEvent[], last: number): void {
  pane.set((s) => ({ events: mergeEvents(s.events, events), eventsSince: Math.max(s.eventsSince, last) }));
}

/** The pane itself; its state comes from the ReplayStateContext around it (the shell's replay slot owns it). */
export function ReplayPaneView({ api, onHostEvent, onOpenDocument, activeDocId, documents }: ReplayPaneProps) {
  const pane = useReplayAccess();
  const [docs] = useReplayField('docs');
  const [source] = useReplayField('source');
  const [sourceFollows] = useReplayField('sourceFollows');
  const [openedResponses] = useReplayField('openedResponses');
  const [notice] = useReplayField('notice');
  const [methods] = useReplayField('methods');

  // Each time the pane is shown: methods, presets, history, secrets, mock status as the host has them now.
  useEffect(() => {
    void loadPane(pane, api);
  }, [api, pane]);

  // Events as the host pushes them; on showing, the ones that happened while the pane was hidden.
  useEffect(() => {
    const unsubscribe = onHostEvent?.((e) => {
      if (e.kind === 'replay') addEvents(pane, [e.event], e.event.seq);
    });
    api.replayEvents({ since: pane.get().eventsSince }).then(
      (r) => addEvents(pane, r.events, r.last),
      () => undefined, // the pushed events still arrive
    );
    return unsubscribe;
  }, [api, onHostEvent, pane]);

  // The open documents as they are now (a type may have just changed) in the Send list.
  useEffect(() => {
    if (documents) pane.set({ docs: documents });
  }, [documents, pane]);

  // The source follows the active tab (never onto a response the pane opened), and leaves a closed document.
  useEffect(() => {
    const cur = { source, sourceFollows, openedResponses };
    const next = followSource(
      cur,
      activeDocId,
      docs.map((d) => d.docId),
    );
    if (next !== cur) pane.set(next);
  }, [activeDocId, docs, source, sourceFollows, openedResponses, pane]);

  // The method follows the source document's type (once per document and type; the user's pick stays until then).
  useEffect(() => followSourceMethod(pane), [source, docs, methods, pane]);
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
      <EnvironmentSection api={api} />
    </div>
  );
}
