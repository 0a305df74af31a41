/** Gives the focus back to what had it when a dialog or popover opened, once it closes. */
import { useEffect, useRef, useState } from 'react';

/**
 * Call in the dialog: when it unmounts and the focus was left nowhere (on the page body, or on
 * an element that is gone), the focus goes to `to()` if given, else to the element focused when
 * the dialog rendered first (its opener), if it is still on the page.
 */
export function useReturnFocus(to?: () => HTMLElement | null): void {
  // Read while rendering: before the dialog's own autofocus moves the focus.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  const target = useRef(to);
  target.current = to;
  useEffect(
    () => () => {
      // After the dialog's nodes are gone and whatever its closing did (a new dialog may take the focus).
      setTimeout(() => {
        const active = document.activeElement;
        if (active && active !== document.body && active.isConnected) return;
        const el = target.current?.() ?? (opener?.isConnected ? opener : null);
        el?.focus();
      }, 0);
    },
    [opener],
  );
}
