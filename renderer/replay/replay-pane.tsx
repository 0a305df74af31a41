/** The replay pane as the app mounts it: the view wired to the host API and its events (window.protodesk or the HTTP bridge). */
import { api as hostApi, bridge } from '../host/bridge';
import type { AppEvent, DocumentSummary } from '../../core/api/contract';
import { ReplayPaneView } from './replay-pane-view';
import type { ReplayPaneApi } from './replay-actions';

/** The host's events (the pane takes its replay events from them). */
const onHostEvent = (listener: (event: AppEvent) => void) => bridge.onEvent(listener);

/**
 * The replay side pane; `api` defaults to the host API; `onOpenDocument` lets the shell show a
 * response opened as a document; `activeDocId` is the active tab's document (the request source
 * follows it) and `documents` the open ones.
 */
export function ReplayPane({
  api,
  onOpenDocument,
  activeDocId,
  documents,
}: {
  api?: ReplayPaneApi;
  onOpenDocument?: (summary: DocumentSummary) => void;
  activeDocId?: string;
  documents?: DocumentSummary[];
}) {
  return (
    <ReplayPaneView
      api={api ?? hostApi}
      onHostEvent={onHostEvent}
      onOpenDocument={onOpenDocument}
      activeDocId={activeDocId}
      documents={documents}
    />
  );
}
