/**
 * The hex editor: overwrite, insert and delete bytes by keyboard with the tree decoding them at
 * once, undecodable bytes marked with their offset, search for bytes and text, undo.
 */
import { test, expect, dropFiles, hexText, row, sample } from './app-fixture';
import type { Page } from '@playwright/test';

// samples/livekit/room.bin: [0..12) sid "RM_STANDUP"; [12..21) 12 07 "standup" (name); [21..24) 18 ac 02 (empty_timeout 300) …
const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };
const byte = (page: Page, offset: number) => page.locator(`[data-testid="hex"] .hb[data-offset="${offset}"]`);

test('overwrite, insert and delete bytes: the tree decodes them as they are typed; undo takes them back', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');

  // Overwrite 's' (byte 14) with 'S'.
  await byte(page, 14).click();
  await expect(page.getByTestId('hex-caret')).toHaveText('caret at byte 14');
  await page.keyboard.type('53');
  await expect(row(page, 'name')).toContainText('"Standup"');
  await expect(byte(page, 14)).toHaveText('53');
  await expect(page.getByTestId('hex-caret')).toHaveText('caret at byte 15');

  // Insert field 100 = 1 (a0 06 01) before empty_timeout.
  await page.getByTestId('hex-mode').click();
  await expect(page.getByTestId('hex-mode')).toHaveText('Insert');
  await byte(page, 21).click();
  await page.keyboard.type('a00601');
  await expect(page.locator('[data-testid="tree"] [role="treeitem"]', { hasText: 'field 100' })).toBeVisible();
  await expect.poll(() => hexText(page)).toContain('53 74 61 6e 64 75 70 a0 06 01 18 ac 02');

  // Backspace three times: the bytes and the tree are as before the insert.
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expect.poll(() => hexText(page)).toContain('53 74 61 6e 64 75 70 18 ac 02');
  await expect(page.locator('[data-testid="tree"] [role="treeitem"]', { hasText: 'field 100' })).toHaveCount(0);

  // Delete at the caret removes the byte under it: empty_timeout's tag goes, and what follows no longer parses as Room.
  await page.keyboard.press('Delete');
  await expect.poll(() => hexText(page)).toContain('53 74 61 6e 64 75 70 ac 02');

  // Each typed or deleted byte is one undo step.
  await page.getByTestId('undo').click();
  await expect.poll(() => hexText(page)).toContain('53 74 61 6e 64 75 70 18 ac 02');
  for (let i = 0; i < 7; i++) await page.getByTestId('undo').click();
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('bytes that do not decode are marked with their offset and what the decoder found', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await page.getByTestId('hex-mode').click(); // insert
  await byte(page, 0).click();
  await page.keyboard.type('ff'); // ff 0a: a tag of field 175 with wire type 7
  const note = page.getByTestId('hex-bad');
  await expect(note).toContainText('bytes 0–114 do not decode');
  await expect(note).toContainText('wire type 7 in the tag of field 175; wire types run from 0 to 5');
  await expect(byte(page, 5)).toHaveClass(/hx-bad/);
  await expect(page.locator('.doc-error')).toContainText('at byte 0');
  await page.keyboard.press('Backspace');
  await expect(note).toHaveCount(0);
  await expect(row(page, 'name')).toContainText('"standup"');
});

test('search the bytes for hex and text, next and previous, wrapping around', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const find = page.getByTestId('hex-find');
  await find.fill('3a 0c 0a'); // the Codec entries whose mime is 10 bytes: at 32 and 59
  await find.press('Enter');
  await expect(page.getByTestId('hex-found')).toHaveText('at byte 32');
  await expect(byte(page, 32)).toHaveClass(/hx-caret/);
  // The data inspector reads the bytes at the caret: 3a is the tag of field 7, length-delimited.
  await expect(page.getByTestId('hex-inspector')).toContainText('varint 58');
  await expect(page.getByTestId('hex-inspector')).toContainText('tag field 7, wire type 2');
  await expect(row(page, 'enabled_codecs')).toHaveAttribute('aria-selected', 'true'); // linked to the tree
  await find.press('Enter');
  await expect(page.getByTestId('hex-found')).toHaveText('at byte 59');
  await find.press('Enter');
  await expect(page.getByTestId('hex-found')).toHaveText('at byte 32'); // wrapped
  await find.press('Shift+Enter');
  await expect(page.getByTestId('hex-found')).toHaveText('at byte 59'); // previous, wrapped
  await page.getByRole('combobox', { name: 'Find as' }).selectOption('text');
  await find.fill('video/');
  await page.getByRole('button', { name: 'Find next' }).click();
  await expect(page.getByTestId('hex-found')).toHaveText('at byte 63');
  await find.fill('nowhere');
  await find.press('Enter');
  await expect(page.getByTestId('hex-found')).toHaveText('not found');
});

test('Go to byte (Ctrl+G) takes decimal and 0x hex and says clearly when the offset is out of range', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'sid').click();
  await page.keyboard.press('Control+g');
  const goto = page.getByTestId('hex-goto');
  await expect(goto).toBeFocused();
  await goto.fill('0x0e');
  await goto.press('Enter');
  await expect(page.getByTestId('hex-caret')).toHaveText('caret at byte 14');
  await expect(row(page, 'name')).toHaveAttribute('aria-selected', 'true'); // the byte's node, in the tree
  await expect(page.getByTestId('hex')).toBeFocused(); // typing goes on in the bytes
  await page.keyboard.type('53');
  await expect(row(page, 'name')).toContainText('"Standup"');

  await page.keyboard.press('Control+g');
  await goto.fill('21');
  await goto.press('Enter');
  await expect(page.getByTestId('hex-caret')).toHaveText('caret at byte 21');
  await page.keyboard.press('Control+g');
  await goto.fill(String(ROOM.bytes.length));
  await goto.press('Enter');
  await expect(page.getByTestId('hex-goto-error')).toHaveText(
    `byte ${ROOM.bytes.length} is past the end: this message has ${ROOM.bytes.length} bytes, 0 to ${ROOM.bytes.length - 1} (0x0 to 0x${(ROOM.bytes.length - 1).toString(16)}); type one of those`,
  );
  await expect(page.getByTestId('hex-caret')).toHaveText('caret at byte 21');
  await goto.fill('twelve');
  await goto.press('Enter');
  await expect(page.getByTestId('hex-goto-error')).toContainText('“twelve” is not an offset');
});

test("typed hex replaces the selected node's bytes in one undo step", async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'name').click(); // bytes 12..21: 12 07 "standup"
  await page.getByTestId('hex-replace').fill('12 02 68 69');
  await page.getByTestId('hex-replace').press('Enter');
  await expect(row(page, 'name')).toContainText('"hi"');
  await expect(page.locator('.hex-pane .pane-title')).toContainText(`${ROOM.bytes.length - 5} bytes`);
  await expect.poll(() => hexText(page)).toContain('12 02 68 69 18 ac 02');

  // Not hex: said so, nothing changes.
  await row(page, 'name').click();
  await page.getByTestId('hex-replace').fill('12 0');
  await page.getByTestId('hex-replace').press('Enter');
  await expect(page.getByTestId('hex-replace-error')).toHaveText('hex needs an even number of digits (got 3)');

  await page.getByTestId('undo').click();
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(page.locator('.hex-pane .pane-title')).toContainText(`${ROOM.bytes.length} bytes`);
});

test("a stream message's bytes show where they start in the file, in the list and over the hex", async ({ app }) => {
  const { page } = app;
  const bytes = sample('edge/signal-responses-1000.delimited');
  // Walk the varint length prefixes to message 2's start.
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < 3; i++) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    starts.push(at);
    at += len;
  }
  await dropFiles(page, [{ name: 'signal-responses-1000.delimited', bytes }]);
  await expect(page.getByTestId('stream-list')).toBeVisible();
  const item = page.locator('.stream-item[data-index="2"]');
  await expect(item.getByTestId('stream-offset')).toHaveText(`@${starts[2].toString(16)}`);
  await item.click();
  await expect(page.getByTestId('hex-file-offset')).toHaveText(`· message #2 at file byte ${starts[2]} (0x${starts[2].toString(16)})`);
  await page.locator('.stream-item[data-index="0"]').click();
  await expect(page.getByTestId('hex-file-offset')).toHaveText(`· message #0 at file byte ${starts[0]} (0x${starts[0].toString(16)})`);
});
