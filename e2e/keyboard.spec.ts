/**
 * Keyboard use: moving through the tree (arrows, Home/End, Page Up/Down, * expands all below),
 * editing a value and going on with the arrows after Enter or Esc, switching tabs.
 */
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, row, sample } from './app-fixture';

const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };
const PARTICIPANT = { name: 'participant-info.bin', bytes: sample('livekit/participant-info.bin') };
const selected = (page: Page) => page.locator('[data-testid="tree"] [role="treeitem"][aria-selected="true"]');
const items = (page: Page) => page.locator('[data-testid="tree"] [role="treeitem"]');

test('the tree answers arrows, Home/End, Page Up/Down and * (expand all below)', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'sid').click();
  await page.keyboard.press('ArrowDown');
  await expect(selected(page)).toHaveAttribute('data-name', 'name');
  await page.keyboard.press('End');
  await expect(selected(page)).toHaveAttribute('data-name', 'creation_time_ms');
  await page.keyboard.press('Home');
  await expect(selected(page)).toHaveAttribute('data-name', 'sid');
  await page.keyboard.press('PageDown');
  await expect(selected(page)).not.toHaveAttribute('data-name', 'sid');
  await page.keyboard.press('PageUp');
  await expect(selected(page)).toHaveAttribute('data-name', 'sid');

  // Collapse the first codec with ←, then * on it expands it (and all below) again.
  await row(page, 'enabled_codecs').click();
  await expect(row(page, 'enabled_codecs')).toHaveAttribute('aria-expanded', 'true');
  const before = await items(page).count();
  await page.keyboard.press('ArrowLeft');
  await expect(row(page, 'enabled_codecs')).toHaveAttribute('aria-expanded', 'false');
  await expect(items(page)).toHaveCount(before - 1);
  await page.keyboard.press('*');
  await expect(row(page, 'enabled_codecs')).toHaveAttribute('aria-expanded', 'true');
  await expect(items(page)).toHaveCount(before);
});

test('after Enter or Esc in a value editor the arrows go on in the tree', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'sid').click();
  await page.keyboard.press('ArrowDown'); // name
  await page.keyboard.press('Enter');
  const input = page.getByTestId('value-input');
  await expect(input).toBeFocused();
  await input.fill('by-keyboard');
  await page.keyboard.press('Enter');
  await expect(row(page, 'name')).toContainText('"by-keyboard"');
  await expect(page.getByTestId('tree')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(selected(page)).toHaveAttribute('data-name', 'empty_timeout');

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('value-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('value-input')).toHaveCount(0);
  await expect(page.getByTestId('tree')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(selected(page)).toHaveAttribute('data-name', 'name');
  await expect(row(page, 'empty_timeout')).toContainText('300'); // Esc left it as it was
});

test('Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+1..9 switch tabs', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await dropFiles(page, [PARTICIPANT]);
  const active = page.locator('[data-testid="tab"][aria-selected="true"]');
  await expect(active).toContainText('participant-info.bin');
  await page.keyboard.press('Control+1');
  await expect(active).toContainText('room.bin');
  await page.keyboard.press('Control+Tab');
  await expect(active).toContainText('participant-info.bin');
  await page.keyboard.press('Control+Tab'); // around the end
  await expect(active).toContainText('room.bin');
  await page.keyboard.press('Control+Shift+Tab');
  await expect(active).toContainText('participant-info.bin');
  await page.keyboard.press('Control+9'); // the last
  await expect(active).toContainText('participant-info.bin');
});

test("the type picker's Enter takes the exact name typed, not the first match", async ({ app }) => {
  const { page } = app;
  // Under a name of its own: the served session remembers the type chosen here for this name and
  // content, and other specs open participant-info.bin expecting it detected.
  await dropFiles(page, [{ ...PARTICIPANT, name: 'picker-exact-name.bin' }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.ParticipantInfo');
  await page.getByTestId('type-picker').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('type-search')).toBeFocused();
  // "livekit.Room" is also the start of livekit.RoomConfiguration, RoomEgress, …
  await page.keyboard.type('livekit.Room');
  await expect(page.getByRole('option', { name: 'livekit.RoomConfiguration' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(page.getByTestId('type-picker')).toBeFocused();
});

test('a search result far down the stream scrolls the message list to it', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'signal-responses-1000.delimited', bytes: sample('edge/signal-responses-1000.delimited') }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  await page.getByRole('combobox', { name: 'Search the stream by' }).selectOption('text');
  await page.getByTestId('stream-search').fill('PA_CAROL499');
  await page.getByRole('button', { name: 'Search all messages' }).click();
  await page.getByTestId('stream-match').click();
  const item = page.locator('.stream-item[data-index="499"]');
  await expect(item).toHaveAttribute('aria-selected', 'true');
  await expect(item).toBeInViewport();
});
