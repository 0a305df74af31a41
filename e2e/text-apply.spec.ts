/**
 * The JSON/text pane applies only on Apply: typing, leaving the pane, switching tabs or formats
 * never applies (the text stays, marked unapplied); an Apply that changes more than the edited
 * fields asks first; afterwards the pane lists what changed; unknown fields keep their bytes.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, editorText, hexOf, hexText, row, sample, setEditorText, ROOT } from './app-fixture';

const ROOM = sample('livekit/room.bin');
/** room.bin with an unknown field appended: field 999, varint 42 (tag b8 3e, value 2a). */
const WITH_UNKNOWN = Buffer.concat([ROOM, Buffer.from([0xb8, 0x3e, 0x2a])]);
/** room.bin whose name (field 2, at offset 12: 12 07 "standup") is "a" and the invalid byte ff. */
const BAD_NAME = Buffer.concat([ROOM.subarray(0, 12), Buffer.from([0x12, 0x02, 0x61, 0xff]), ROOM.subarray(21)]);

/** The JSON pane's text as JSON. */
async function shownJson(page: Page): Promise<Record<string, unknown>> {
  await expect.poll(() => editorText(page)).toContain('"name"');
  return JSON.parse((await editorText(page)).trim()) as Record<string, unknown>;
}

test('typing in the JSON pane never applies by itself: not on a pause, a blur or a tab switch', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'room.bin', bytes: ROOM }]);
  const json = await shownJson(page);
  await setEditorText(page, JSON.stringify({ ...json, name: 'typed' }, null, 2));
  await expect(page.getByTestId('text-dirty')).toContainText('unapplied');
  // Leave the pane: click the tree, wait well past any pause.
  await row(page, 'sid').click();
  await page.waitForTimeout(1500);
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(page.getByTestId('tab')).not.toContainText('●');
  // Another tab, and back: the text is still there, still unapplied.
  await dropFiles(page, [{ name: 'other.bin', bytes: ROOM }]);
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect.poll(() => editorText(page)).toContain('"name": "standup"');
  await page.getByTestId('tab').first().click();
  await expect.poll(() => editorText(page)).toContain('"name": "typed"');
  await expect(page.getByTestId('text-dirty')).toBeVisible();
  await expect(row(page, 'name')).toContainText('"standup"');
  // The other format and back keeps it too; the JSON button says it holds unapplied text.
  await page.getByRole('button', { name: 'Text format' }).click();
  await expect.poll(() => editorText(page)).toContain('name: "standup"');
  await expect(page.getByRole('button', { name: 'JSON ●' })).toBeVisible();
  await page.getByRole('button', { name: 'JSON ●' }).click();
  await expect.poll(() => editorText(page)).toContain('"name": "typed"');
  // Apply: now it changes, and the pane says what changed.
  await page.getByTestId('apply-text').click();
  await expect(row(page, 'name')).toContainText('"typed"');
  await expect(page.getByTestId('apply-report')).toContainText('name: "standup" → "typed"');
  await expect(page.getByTestId('text-status')).toContainText('Applied: 1 change');
  await expect(page.getByTestId('text-dirty')).toHaveCount(0);
  await page.screenshot({ path: join(ROOT, 'test-results/text-apply-report.png') });
});

test('an Apply keeps unknown fields byte for byte and edits only the changed field', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'unknown.bin', bytes: WITH_UNKNOWN }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const json = await shownJson(page);
  await setEditorText(page, JSON.stringify({ ...json, name: 'renamed' }, null, 2));
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(row(page, 'name')).toContainText('"renamed"');
  await expect(page.getByTestId('apply-report')).toContainText('unknown field');
  await expect(page.locator('.hex-pane .pane-title')).toContainText(`${WITH_UNKNOWN.length + 'renamed'.length - 'standup'.length} bytes`);
  await expect.poll(() => hexText(page)).toContain(`${hexOf('renamed')} 18`);
  await expect.poll(() => hexText(page)).toMatch(/b8 3e 2a$/);
});

test('an Apply that would replace bytes the text cannot show asks first; Cancel keeps the text unapplied', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'bad-name.bin', bytes: BAD_NAME }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const json = await shownJson(page);
  await setEditorText(page, JSON.stringify({ ...json, name: 'fixed' }, null, 2));
  await page.getByTestId('apply-text').click();
  const dlg = page.getByRole('dialog', { name: 'Apply these changes?' });
  await expect(dlg.getByTestId('apply-warnings')).toContainText('not valid UTF-8');
  await expect(dlg.getByTestId('change-list')).toContainText('name:');
  await page.screenshot({ path: join(ROOT, 'test-results/text-apply-confirm.png') });
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await expect(dlg).toHaveCount(0);
  await expect(page.getByTestId('text-dirty')).toBeVisible();
  await expect.poll(() => hexText(page)).toContain('12 02 61 ff');
  await page.getByTestId('apply-text').click();
  await page.getByRole('dialog', { name: 'Apply these changes?' }).getByRole('button', { name: 'Apply anyway' }).click();
  await expect(row(page, 'name')).toContainText('"fixed"');
  await expect.poll(() => hexText(page)).toContain(`12 05 ${hexOf('fixed')}`);
});

test('text read before a tree edit is not applied over it: the pane says so, Discard shows the new text', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'room.bin', bytes: ROOM }]);
  const json = await shownJson(page);
  await setEditorText(page, JSON.stringify({ ...json, sid: 'RM_TYPED' }, null, 2));
  await row(page, 'name').dblclick();
  await page.getByTestId('value-input').fill('from-tree');
  await page.getByTestId('value-input').press('Enter');
  await expect(row(page, 'name')).toContainText('"from-tree"');
  await expect(page.getByTestId('text-dirty')).toContainText('changed since');
  await expect.poll(() => editorText(page)).toContain('"sid": "RM_TYPED"');
  await page.getByTestId('apply-text').click();
  await expect(page.getByTestId('text-status')).toContainText('nothing was applied');
  await expect(row(page, 'name')).toContainText('"from-tree"');
  await expect(row(page, 'sid')).toContainText('"RM_STANDUP"');
  await page.getByTestId('discard-text').click();
  await expect.poll(() => editorText(page)).toContain('"name": "from-tree"');
  await expect(page.getByTestId('text-dirty')).toHaveCount(0);
});

test('closing a tab whose JSON pane holds unapplied text asks first', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'room.bin', bytes: ROOM }]);
  const json = await shownJson(page);
  await setEditorText(page, JSON.stringify({ ...json, name: 'typed' }, null, 2));
  await expect(page.getByTestId('text-dirty')).toBeVisible();
  await page.getByRole('button', { name: 'Close room.bin' }).click();
  const dlg = page.getByRole('dialog', { name: 'Unsaved changes' });
  await expect(dlg).toContainText('did not apply');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => editorText(page)).toContain('"name": "typed"');
  await page.getByRole('button', { name: 'Close room.bin' }).click();
  await page.getByRole('dialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Close anyway' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(0);
});
