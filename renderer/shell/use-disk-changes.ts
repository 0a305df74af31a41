/** Open documents whose file changed on disk (by docId), until reloaded or kept. */
import { useCallback, useEffect, useState } from 'react';
import type { DiskChange } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';

/** The changes the host reported, and `clear` once a document is reloaded, kept, saved or closed. */
export function useDiskChanges(): { changed: Record<string, DiskChange>; clear: (docId: string) => void } {
  const [changed, setChanged] = useState<Record<string, DiskChange>>({});
  const clear = useCallback((docId: string) => setChanged(({ [docId]: _gone, ...rest }) => rest), []);

  useHostEvent((e) => {
    if (e.kind === 'file-changed') setChanged((c) => ({ ...c, [e.docId]: { docId: e.docId, path: e.path, deleted: e.deleted } }));
  });

  // Coming back to the window: check open files for changes on disk (the host also polls).
  useEffect(() => {
    const onFocus = () => {
      api.checkDisk({}).then(
        (list) => setChanged(Object.fromEntries(list.map((c) => [c.docId, c]))),
        () => undefined,
      );
    };
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  return { changed, clear };
}
