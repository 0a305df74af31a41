/** Nothing unsaved is lost by closing: the desktop window asks (close-requested), the browser page asks (beforeunload). */
import { useEffect } from 'react';
import type { DocumentSummary } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';
import { hasDrafts } from '../document/text-drafts';

/** A tab with unsaved changes, or JSON/text typed and not applied. */
const unsaved = (t: DocumentSummary) => t.dirty || hasDrafts(t.docId);

/** Guards closing while a tab is dirty or holds unapplied JSON/text; `askToQuit` shows the question (the host closes on confirmClose). */
export function useUnsavedGuard(currentTabs: () => DocumentSummary[], askToQuit: () => void): void {
  useHostEvent((e) => {
    if (e.kind !== 'close-requested') return;
    if (currentTabs().some(unsaved)) askToQuit();
    else void api.confirmClose({});
  });

  // Browser mode: closing the page with unsaved changes asks first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (currentTabs().some(unsaved)) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [currentTabs]);
}
