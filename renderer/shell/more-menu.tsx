/**
 * "More ▾": the toolbar items that do not fit, in a drop-down. Enter or a click opens it with
 * the focus on its first item; ↑ ↓ move, Esc or a click outside closes it and the focus goes
 * back to More; running an item closes it too.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** The drop-down; `children` are the items (buttons and drop-downs). */
export function MoreMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('button:not(:disabled), select:not(:disabled)') ?? []);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    if ((e.target as HTMLElement).tagName === 'SELECT') return; // a drop-down's own arrows
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const next = list[(at + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length];
    e.preventDefault();
    next?.focus();
  };

  return (
    <span className="more" data-more>
      <button
        ref={button}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? 'toolbar-more' : undefined}
        onClick={() => setOpen((o) => !o)}
        data-testid="toolbar-more"
      >
        More ▾
      </button>
      {open && (
        <div
          ref={menu}
          id="toolbar-more"
          className="more-menu"
          role="group"
          aria-label="More actions"
          onKeyDown={onKeyDown}
          // Back to More first, so a dialog an item opens keeps the focus it takes.
          onClickCapture={(e) => (e.target as HTMLElement).closest('button') && button.current?.focus()}
          onClick={(e) => (e.target as HTMLElement).closest('button') && setOpen(false)}
          onChange={() => close(true)}
        >
          {children}
        </div>
      )}
    </span>
  );
}
