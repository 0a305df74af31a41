/** The replay pane as the app mounts it: the view wired to the host API (window.protodesk or the HTTP bridge). */
import { api as hostApi } from '../bridge';
import type { DocumentSummary } from '../../core/api/contract';
import { ReplayPaneView, type ReplayPaneApi } from './replay-pane-view';

/**
 * The replay side pane; `api` defaults to the host API; `onOpenDocument` lets the shell show a
 * response opened as a document; `activeDoc` is the active tab's document (the request source follows it).
 */
export function ReplayPane({
  api,
  onOpenDocument,
  activeDoc,
}: {
  api?: ReplayPaneApi;
  onOpenDocument?: (summary: DocumentSummary) => void;
  activeDoc?: DocumentSummary;
}) {
  return <ReplayPaneView api={api ?? hostApi} onOpenDocument={onOpenDocument} activeDoc={activeDoc} />;
}
