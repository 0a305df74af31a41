/**
 * Accessibility: an axe-core check of the main states (empty, a document open, a stream open,
 * dialogs and popovers open) with no serious or critical findings; Esc closes every dialog and
 * popover and the focus goes back to what opened it; Tab reaches the controls with a visible
 * focus ring.
 */
import type { Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, dropFiles, editorText, row, sample, setEditorText } from './app-fixture';

const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };
/** room.bin whose name (field 2, at offset 12: 12 07 "standup") is "a" and the invalid byte ff. */
const BAD_NAME = Buffer.concat([ROOM.bytes.subarray(0, 12), Buffer.from([0x12, 0x02, 0x61, 0xff]), ROOM.bytes.subarray(21)]);
const STREAM = { name: 'signal-responses-1000.delimited', bytes: sample('edge/signal-responses-1000.delimited') };

/** The serious and critical axe findings on the page, one line each (rule, what, where). */
async function seriousFindings(page: Page, within?: string): Promise<string[]> {
  // @axe-core/playwright types its page with the top-level playwright-core, @playwright/test with its own copy: the same API.
  const axe = new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] });
  const results = await (within ? axe.include(within) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')} ${n.failureSummary ?? ''}`));
}

test('axe: the empty window, a document and a stream have no serious findings', async ({ app }) => {
  test.slow(); // axe reads the whole page three times
  const { page } = app;
  const found: string[] = [];
  found.push(...(await seriousFindings(page)).map((f) => `empty: ${f}`));
  await dropFiles(page, [ROOM]);
  await expect(row(page, 'name')).toBeVisible();
  await row(page, 'name').click();
  found.push(...(await seriousFindings(page)).map((f) => `document: ${f}`));
  await dropFiles(page, [STREAM]);
  await expect(page.getByTestId('stream-list')).toBeVisible();
  found.push(...(await seriousFindings(page)).map((f) => `stream: ${f}`));
  expect(found).toEqual([]);
});

/**
 * Checks the open popover (`selector`, the whole page being checked elsewhere) with axe, presses
 * Esc, and checks it closed and the focus went to `back`.
 */
async function checkAndEscape(page: Page, what: string, selector: string, back: Locator, found: string[]): Promise<void> {
  const open = page.locator(selector);
  await expect(open, what).toBeVisible();
  found.push(...(await seriousFindings(page, selector)).map((f) => `${what}: ${f}`));
  await page.keyboard.press('Escape');
  await expect(open, `${what} closes on Esc`).toHaveCount(0);
  await expect(back, `${what} gives the focus back`).toBeFocused();
}

test('axe on every dialog and popover; Esc closes each and the focus goes back to its opener', async ({ app }) => {
  test.slow(); // axe runs six times
  const { page } = app;
  const found: string[] = [];
  await dropFiles(page, [{ name: 'bad-name.bin', bytes: BAD_NAME }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const tree = page.getByTestId('tree');

  // The type picker.
  const picker = page.getByTestId('type-picker');
  await picker.click();
  await checkAndEscape(page, 'type picker', '.type-menu', picker, found);

  // The encoding dialog, by keyboard from the tree: the focus goes back to the tree.
  await row(page, 'sid').click();
  await page.keyboard.press('Shift+F10');
  await checkAndEscape(page, 'encoding dialog', '.modal', tree, found);

  // Add a field (the tree head's + field): back to the tree.
  await page.getByRole('button', { name: '+ field' }).click();
  await checkAndEscape(page, 'add-field', '.modal[aria-label^="Add a field"]', tree, found);

  // The schemas panel: Esc inside it closes it, back on the Schemas button.
  const schemas = page.getByRole('button', { name: 'Schemas', exact: true });
  await schemas.click();
  await page.getByRole('complementary', { name: 'Schemas' }).getByRole('button', { name: '.proto files…' }).focus();
  await checkAndEscape(page, 'schemas panel', '.schemas-panel', schemas, found);

  // The paste dialog.
  const paste = page.getByRole('button', { name: 'Paste bytes…' });
  await paste.click();
  await checkAndEscape(page, 'paste dialog', '.modal[aria-label="Paste bytes"]', paste, found);

  // The text-apply question (the name's invalid UTF-8 would be replaced).
  await expect.poll(() => editorText(page)).toContain('"name"');
  const json = JSON.parse((await editorText(page)).trim()) as Record<string, unknown>;
  await setEditorText(page, JSON.stringify({ ...json, name: 'fixed' }, null, 2));
  const applyButton = page.getByTestId('apply-text');
  await applyButton.click();
  await checkAndEscape(page, 'text-apply dialog', '.modal[aria-label="Apply these changes?"]', applyButton, found);

  expect(found).toEqual([]);
});

test('Tab reaches the toolbar, the tabs, the type bar, the tree and the splitters, each with a focus ring', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(row(page, 'name')).toBeVisible();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const seen = new Set<string>();
  const unringed: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
      return {
        key: `${el.getAttribute('role') ?? el.tagName.toLowerCase()}:${name}`,
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      };
    });
    if (!info) continue;
    seen.add(info.key);
    if (!info.ring) unringed.push(info.key);
  }
  for (const key of [
    'tab:room.bin',
    'tree:Message tree',
    'separator:Resize the hex and text panes',
    'button:Type: livekit.Room ▾',
    'button:Save',
    'button:Schemas',
  ])
    expect([...seen], key).toContain(key);
  expect(unringed).toEqual([]);
  expect(seen.size, [...seen].join('\n')).toBeGreaterThan(15);
});
