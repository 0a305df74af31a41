/**
 * Differences in the app: two open samples compared field by field ("Compare with…", by its
 * key), and an edited document compared with its saved version (from the toolbar). Each shows
 * the changed field with its value on both sides, selecting it lights up its bytes in both
 * hex panes, and Esc closes the view.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, openPath, sample, setName, ROOT } from './app-fixture';

const JOIN = 'mobile.video.v1.JoinConvoConferenceResponse';

/** The diff row whose field name (the last part of its path) is `name`. */
function diffRow(page: Page, name: string) {
  return page
    .getByTestId('diff-row')
    .filter({ has: page.locator('.diff-name .mono', { hasText: new RegExp(`^${name.replace(/[[\]]/g, '\\$&')}$`) }) })
    .first();
}

/** The hex of a pane's highlighted bytes, in order. */
async function highlighted(page: Page, side: 'a' | 'b'): Promise<string> {
  return (await page.getByTestId(`diff-hex-${side}`).locator('.dh-b.dh-tag, .dh-b.dh-value').allInnerTexts()).join(' ');
}

test('two open samples compared with Compare with… (Mod+D): the changed field with both values, linked hex, Esc closes', async ({
  app,
}) => {
  const { page } = app;
  await dropFiles(page, [
    { name: 'ok.bin', bytes: sample('kik-video/join-convo-conference-response-ok.bin') },
    { name: 'full.bin', bytes: sample('kik-video/join-convo-conference-response-full.bin') },
  ]);
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(page.getByTestId('current-type')).toHaveText(JOIN);
  await page.getByTestId('tab').filter({ hasText: 'ok.bin' }).click();
  await expect(page.getByTestId('current-type')).toHaveText(JOIN);

  await page.keyboard.press('ControlOrMeta+d');
  const picker = page.getByRole('dialog', { name: 'Compare with' });
  await expect(picker.getByRole('radio', { name: /full\.bin/ })).toBeChecked();
  await picker.getByRole('button', { name: 'Compare' }).click();

  const view = page.getByTestId('diff-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('diff-summary')).toContainText('changed');
  await expect(view.locator('.diff-sides')).toContainText('ok.bin');
  await expect(view.locator('.diff-sides')).toContainText('full.bin');
  const state = diffRow(page, 'state');
  await expect(state).toHaveAttribute('data-kind', 'changed');
  await expect(state.getByTestId('diff-a')).toHaveText('CONNECTING');
  await expect(state.getByTestId('diff-b')).toHaveText('CONNECTED');
  await expect(diffRow(page, 'result')).toHaveAttribute('data-kind', 'added');
  await expect(diffRow(page, 'result').getByTestId('diff-b')).toHaveText('FULL');

  // Selecting the difference lights up its bytes on both sides: the same tag, another enum value.
  await state.click();
  await expect(state).toHaveAttribute('aria-selected', 'true');
  const a = await highlighted(page, 'a');
  const b = await highlighted(page, 'b');
  expect(a.split(' ')).toHaveLength(2);
  expect(b.split(' ')[0]).toBe(a.split(' ')[0]);
  expect(b).not.toBe(a);
  await page.screenshot({ path: join(ROOT, 'test-results/diff-two-samples.png') });
  // And the other way: a click on one of those bytes in B selects the difference again.
  const offset = await page.getByTestId('diff-hex-b').locator('.dh-b.dh-value').first().getAttribute('data-offset');
  await diffRow(page, 'result').click();
  await expect(state).toHaveAttribute('aria-selected', 'false');
  await page.getByTestId('diff-hex-b').locator(`.dh-b[data-offset="${offset}"]`).click();
  await expect(state).toHaveAttribute('aria-selected', 'true');

  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  // The documents are as they were.
  await expect(page.getByTestId('tab').filter({ hasText: '●' })).toHaveCount(0);
});

test('an edited document compared with its saved version (toolbar Compare…): the field as saved and as edited', async ({ app }) => {
  test.skip(app.mode !== 'browser', 'browser mode opens by a typed path; Electron uses native dialogs');
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-diff-'));
  const file = join(dir, 'room.bin');
  copyFileSync(join(ROOT, 'samples/livekit/room.bin'), file);
  await openPath(page, file);
  await setName(page, 'retro');

  await page.getByRole('combobox', { name: 'Compare' }).selectOption('compare-with-saved');
  const view = page.getByTestId('diff-view');
  await expect(view).toBeVisible();
  await expect(view.locator('.diff-sides')).toContainText('room.bin (saved)');
  await expect(page.getByTestId('diff-summary')).toContainText('1 changed');
  const name = diffRow(page, 'name');
  await expect(name.getByTestId('diff-a')).toHaveText('"standup"');
  await expect(name.getByTestId('diff-b')).toHaveText('"retro"');
  await name.click();
  // The value bytes: "standup" in A, "retro" in B, each after its tag and length.
  const hex = (s: string) => Array.from(Buffer.from(s), (x) => x.toString(16).padStart(2, '0')).join(' ');
  expect(await highlighted(page, 'a')).toBe(`12 07 ${hex('standup')}`);
  expect(await highlighted(page, 'b')).toBe(`12 05 ${hex('retro')}`);
  await page.screenshot({ path: join(ROOT, 'test-results/diff-with-saved.png') });

  await view.getByRole('button', { name: 'Close differences' }).click();
  await expect(view).toHaveCount(0);
  await expect(page.getByTestId('tab')).toContainText('●');
});

test('two messages of one stream: the picker offers its next message, the diff names both', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'responses.delimited', bytes: sample('edge/signal-responses-1000.delimited') }]);
  await expect(page.getByTestId('tab')).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Compare' }).selectOption('compare-with');
  const picker = page.getByRole('dialog', { name: 'Compare with' });
  await expect(picker.getByRole('radio', { name: /responses\.delimited \(another message\)/ })).toBeChecked();
  await expect(picker.getByRole('spinbutton', { name: 'Message of responses.delimited' })).toHaveValue('1');
  await picker.getByRole('spinbutton', { name: 'Message of responses.delimited' }).fill('999');
  await picker.getByRole('button', { name: 'Compare' }).click();
  const view = page.getByTestId('diff-view');
  await expect(view.locator('.diff-sides')).toContainText('responses.delimited #0');
  await expect(view.locator('.diff-sides')).toContainText('responses.delimited #999');
  await expect(page.getByTestId('diff-row').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
});
