/** The replay pane as the app mounts it: the view wired to the host API (window.protodesk or the HTTP bridge). */
import { api as hostApi } from '../bridge';
import type { DocumentSummary } from '../../core/api/contract';
import { ReplayPaneView, type ReplayPaneApi } from './replay-pane-view';

/** The replay side pane; `api` defaults to the host API; `onOpenDocument` lets the shell show a response opened as a document. */
export function ReplayPane({ api, onOpenDocument }: { api?: ReplayPaneApi; onOpenDocument?: (summary: DocumentSummary) => void }) {
  return <ReplayPaneView api={api ?? hostApi} onOpenDocument={onOpenDocument} />;
}
