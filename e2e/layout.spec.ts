/**
 * Layout at 800, 1024 and 1440 px: no horizontal page scroll and no pane past the window's
 * right edge with a document, a stream, the schemas panel, the replay pane and the capture
 * view open; the toolbar collapses into "More ▾" instead of clipping; splitters resize panes
 * (mouse and keyboard) and the sizes survive a reload; the active tab is scrolled into view.
 * Screenshots of each state go to test-results/layout-<state>-<width>.png.
 */
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { test, expect, dropFiles, row, sample } from './app-fixture';

const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };
const STREAM = { name: 'signal-responses-1000.delimited', bytes: sample('edge/signal-responses-1000.delimited') };
const HAR = { name: 'livekit-session.har', bytes: sample('captures/livekit-session.har') };
const WIDTHS = [800, 1024, 1440] as const;
const HEIGHT = 800;

/** What sticks out: the page's scroll width past the window, and every visible pane or control past its right edge. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const w = window.innerWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw > w) {
      out.push(`page scrollWidth ${sw} > innerWidth ${w}`);
      // Name the outermost elements that stick out, to say what to fix.
      const culprits = Array.from(document.querySelectorAll('body *')).filter((el) => {
        const parent = el.parentElement?.getBoundingClientRect();
        return el.getBoundingClientRect().right > w + 0.5 && !!parent && parent.right <= w + 0.5;
      });
      for (const el of culprits.slice(0, 5))
        out.push(`  sticks out: ${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
    }
    const selectors = [
      '.toolbar > *',
      '.typebar > *',
      '.tree-pane',
      '.hex-pane',
      '.text-pane',
      '.stream-pane',
      '.stream-tools',
      '.replay-pane',
      '.schemas-panel',
      '.capture-panel',
      '.status',
    ];
    for (const sel of selectors)
      for (const el of Array.from(document.querySelectorAll(sel))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > w + 0.5)
          out.push(`${sel} (${(el.textContent ?? '').slice(0, 30)}) ends at ${Math.round(r.right)} > ${w}`);
      }
    // The replay pane's fields stay inside it.
    const pane = document.querySelector('.replay-pane');
    if (pane) {
      const right = pane.getBoundingClientRect().right;
      for (const el of Array.from(pane.querySelectorAll('input, select, textarea, button'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 0.5)
          out.push(
            `replay ${el.tagName} ${el.getAttribute('aria-label') ?? ''} ends at ${Math.round(r.right)} > pane ${Math.round(right)}`,
          );
      }
    }
    return out;
  });
}

/** Checks every width for `state`, saving a screenshot of each. */
async function checkWidths(page: Page, state: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(test.info().project.outputDir, `layout-${state}-${width}.png`) });
    expect(await overflow(page), `${state} at ${width} px`).toEqual([]);
  }
}

test('a document fits at 800, 1024 and 1440 px, alone and with schemas, replay and capture open', async ({ app }) => {
  const { page } = app;
  await checkWidths(page, 'empty');
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(row(page, 'name')).toBeVisible();
  await checkWidths(page, 'document');

  await page.getByRole('checkbox', { name: 'Replay' }).check();
  await expect(page.locator('.replay-pane select').first()).toBeVisible();
  await checkWidths(page, 'replay');

  await page.getByRole('button', { name: 'Schemas', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Schemas' })).toBeVisible();
  await checkWidths(page, 'replay-schemas');
  await page.getByRole('checkbox', { name: 'Replay' }).uncheck();
  await checkWidths(page, 'schemas');
});

test('a stream and the capture view beside a document fit at every width', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [STREAM]);
  await expect(page.getByTestId('stream-list')).toBeVisible();
  await checkWidths(page, 'stream');

  await dropFiles(page, [HAR]);
  await expect(page.getByTestId('capture-row')).toHaveCount(21);
  await page.locator('[data-testid="capture-row"][data-index="7"]').dblclick();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  await checkWidths(page, 'capture');
});

test('at 800 px the toolbar keeps Undo, Redo and Schemas and puts the rest in More ▾ (keyboard too)', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 800, height: HEIGHT });
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  for (const name of ['Undo', 'Redo', 'Schemas', 'Save'])
    await expect(page.getByRole('toolbar').getByRole('button', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Paste bytes…' })).toHaveCount(0);

  // Keyboard: Tab reaches More, Enter opens it on its first item, ↓ moves, Esc closes it back on More.
  const more = page.getByTestId('toolbar-more');
  await more.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('group', { name: 'More actions' });
  await expect(menu).toBeVisible();
  await expect(menu.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await expect(menu.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();

  // An item runs its action: Paste bytes opens its dialog, which keeps the focus.
  await more.click();
  await menu.getByRole('button', { name: 'Paste bytes…' }).click();
  await expect(menu).toHaveCount(0);
  const paste = page.getByRole('dialog', { name: /paste/i });
  await expect(paste).toBeVisible();
  await expect(paste.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');

  // Wide again: everything is back in the toolbar and More is gone.
  await page.setViewportSize({ width: 1440, height: HEIGHT });
  await expect(page.getByRole('button', { name: 'Paste bytes…' })).toBeVisible();
  await expect(more).toHaveCount(0);
});

test('splitters resize panes by mouse and keyboard, and the sizes survive a reload', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1440, height: HEIGHT });
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const side = page.locator('.pane-column[data-pane="side"]');
  const splitter = page.getByRole('separator', { name: 'Resize the hex and text panes' });
  const width = async () => Math.round((await side.boundingBox())!.width);
  const before = await width();

  // Dragging the splitter left widens the column on its right.
  const box = (await splitter.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(width).toBe(before + 100);

  // The keyboard: ← widens by 16 px, → narrows.
  await splitter.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect.poll(width).toBe(before + 116);
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 116));

  await page.reload();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect.poll(width).toBe(before + 116);
});

test('the active tab is scrolled into view, however it became active', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 800, height: HEIGHT });
  const files = Array.from({ length: 24 }, (_, i) => ({ name: `room-copy-${String(i).padStart(2, '0')}.bin`, bytes: ROOM.bytes }));
  await dropFiles(page, files);
  await expect(page.getByTestId('tab')).toHaveCount(24);
  const active = page.locator('[data-testid="tab"][aria-selected="true"]');
  const inView = async () => {
    const bar = (await page.getByRole('navigation', { name: 'Open documents' }).boundingBox())!;
    const tab = (await active.boundingBox())!;
    return tab.x >= bar.x - 0.5 && tab.x + tab.width <= bar.x + bar.width + 0.5;
  };
  await page.keyboard.press('Control+1');
  await expect(active).toContainText('room-copy-00.bin');
  await expect.poll(inView).toBe(true);
  await page.keyboard.press('Control+9'); // the last tab
  await expect(active).toContainText('room-copy-23.bin');
  await expect.poll(inView).toBe(true);
  // And by keyboard in the tab bar: Home, then → moves on.
  await active.focus();
  await page.keyboard.press('Home');
  await expect(active).toContainText('room-copy-00.bin');
  await expect(active).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(active).toContainText('room-copy-01.bin');
  await expect.poll(inView).toBe(true);
});
