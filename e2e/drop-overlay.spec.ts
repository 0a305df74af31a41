/** The "Drop to open" overlay goes away when a drag leaves the window or is cancelled, wherever the pointer is. */
import type { Page } from '@playwright/test';
import { test, expect } from './app-fixture';

/** Starts a drag of one file over the window (dragenter + dragover at the zone), as a file manager's drag does. */
async function dragOver(page: Page): Promise<void> {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([8, 1])], 'x.bin'));
    (window as unknown as { __dt: DataTransfer }).__dt = dt;
    const zone = document.querySelector('[data-testid="drop-zone"]')!;
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
}

/** A dragleave at the element `selector` matches, going to `to` (null: out of the window, or the drag cancelled). */
async function dragLeave(page: Page, selector: string, to: string | null): Promise<void> {
  await page.evaluate(
    ({ selector, to }) => {
      const dt = (window as unknown as { __dt: DataTransfer }).__dt;
      const from = document.querySelector(selector)!;
      const relatedTarget = to === null ? null : document.querySelector(to);
      from.dispatchEvent(new DragEvent('dragleave', { dataTransfer: dt, bubbles: true, cancelable: true, relatedTarget }));
    },
    { selector, to },
  );
}

test('a drag cancelled over the overlay takes the overlay away', async ({ app }) => {
  const { page } = app;
  const overlay = page.getByText('Drop to open');
  await dragOver(page);
  await expect(overlay).toBeVisible();
  // Esc during a drag ends it with a dragleave at the element under the pointer: the overlay.
  await dragLeave(page, '.drop-overlay', null);
  await expect(overlay).toBeHidden();
});

test('moving between panes during a drag keeps the overlay; leaving the window takes it away', async ({ app }) => {
  const { page } = app;
  const overlay = page.getByText('Drop to open');
  await dragOver(page);
  await expect(overlay).toBeVisible();
  await dragLeave(page, '.drop-overlay', '[data-testid="drop-zone"] footer');
  await expect(overlay).toBeVisible();
  await dragLeave(page, '[data-testid="drop-zone"] footer', null);
  await expect(overlay).toBeHidden();
});
