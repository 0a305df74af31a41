/** Which tab a keyboard tab switch goes to (Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+1..9). */
import type { DocumentSummary } from '../../core/api/contract';

/** The tab a switch goes to: the next or previous one (wrapping around), or the n-th (1-based; 9 is the last); null when none. */
export function tabToSwitchTo(tabs: readonly DocumentSummary[], active: string | null, to: 'next' | 'previous' | number): string | null {
  if (!tabs.length) return null;
  if (typeof to === 'number') return (to >= 9 ? tabs[tabs.length - 1] : tabs[to - 1])?.docId ?? null;
  const i = tabs.findIndex((t) => t.docId === active);
  const step = to === 'next' ? 1 : -1;
  return tabs[(Math.max(0, i) + step + tabs.length) % tabs.length].docId;
}
