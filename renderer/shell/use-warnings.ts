/**
 * Warnings the host pushes that the user must see until they are over or dismissed: unsaved
 * work not protected (the recovery journal could not be written), a save that could not keep
 * the file's owner. A warning with a null message is over; a dismissed one comes back when
 * the host says something new under its key.
 */
import { useCallback, useState } from 'react';
import { useHostEvent } from '../host/use-host-event';

/** One warning shown in the bar. */
export interface Warning {
  key: string;
  docId: string | null;
  message: string;
}

/** The warnings standing, and `dismiss` to hide one. */
export function useWarnings(): { warnings: Warning[]; dismiss: (key: string) => void } {
  const [warnings, setWarnings] = useState<Warning[]>([]);
  useHostEvent((e) => {
    if (e.kind !== 'warning') return;
    setWarnings((ws) => {
      const rest = ws.filter((w) => w.key !== e.key);
      return e.message === null ? rest : [...rest, { key: e.key, docId: e.docId, message: e.message }];
    });
  });
  const dismiss = useCallback((key: string) => setWarnings((ws) => ws.filter((w) => w.key !== key)), []);
  return { warnings, dismiss };
}
