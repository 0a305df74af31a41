/**
 * Encoding actions from the tree: each invalid or unusual encoding is made through the row's
 * Encoding dialog, saved, and the saved bytes are decoded by protoc --decode_raw (the reference
 * reader), so what the tree shows is what the file holds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { runProtoc } from '../testing/protoc';
import { test, expect, dropFiles, row, sample, saveAs, type AppUnderTest } from './app-fixture';

// samples/livekit/room.bin, as protoc --decode_raw reads it (113 bytes):
//   1: "RM_STANDUP"  2: "standup"  3: 300  4: 50  5: 1747000000  7 {…} ×3  8: "{…}"  9: 3  10: 1  11: 2  14: 20  15: …
const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };
const raw = (b: Uint8Array) => runProtoc(['--decode_raw'], b).toString('latin1');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Opens the room sample as livekit.Room. */
async function openRoom(page: Page) {
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
}

/** Runs an encoding action on a top-level row through its context menu (the Encoding dialog). */
async function craft(page: Page, name: string, action: string, value?: string) {
  await row(page, name).click({ button: 'right' });
  const dlg = page.getByRole('dialog', { name: /^Encoding of / });
  await expect(dlg).toBeVisible();
  await dlg.getByTestId('encoding-action').selectOption(action);
  if (value !== undefined) await dlg.getByTestId('encoding-value').fill(value);
  await dlg.getByRole('button', { name: 'Apply' }).click();
  await expect(dlg).toBeHidden();
}

/** Saves the tab to a new file and returns the saved bytes. */
async function saved(app: AppUnderTest, file: string): Promise<Buffer> {
  const out = join(mkdtempSync(join(tmpdir(), 'protodesk-encoding-')), file);
  await saveAs(app, out);
  await expect(app.page.getByTestId('tab')).toHaveText(new RegExp(file.replace('.', '\\.')));
  return readFileSync(out);
}

test('set the varint width of a value, then change its wire type: protoc reads 300, then a fixed32', async ({ app }) => {
  const { page } = app;
  await openRoom(page);
  await craft(page, 'empty_timeout', 'varint-width-value', '4');
  await expect(row(page, 'empty_timeout')).toContainText('overlong value varint: 4 bytes where 2 hold 300');
  let bytes = await saved(app, 'overlong.bin');
  expect(hex(bytes)).toContain('18ac828000'); // field 3 varint: 300 in 4 bytes
  expect(raw(bytes)).toBe(raw(ROOM.bytes)); // the same values

  await craft(page, 'empty_timeout', 'set-wire-type', '5');
  bytes = await saved(app, 'wire-type.bin');
  expect(hex(bytes)).toContain('1dac828000'); // field 3 as i32: the same 4 bytes
  expect(raw(bytes)).toContain('3: 0x008082ac\n');
  // The tree shows the field as unknown (i32 does not fit uint32 empty_timeout) and says so.
  await expect(page.locator('[data-testid="tree"] [role="treeitem"][data-path="2"]')).toContainText(
    'field empty_timeout (3) has wire type i32',
  );
});

test('duplicate a field, move it before the previous one, insert raw bytes after it', async ({ app }) => {
  const { page } = app;
  await openRoom(page);
  await craft(page, 'name', 'duplicate');
  await expect(page.locator('[data-testid="tree"] [role="treeitem"][data-name="name"]')).toHaveCount(2);
  let text = raw(await saved(app, 'duplicate.bin'));
  expect(text.startsWith('1: "RM_STANDUP"\n2: "standup"\n2: "standup"\n3: 300\n')).toBe(true);

  await page.getByTestId('undo').click();
  await craft(page, 'name', 'move-before');
  text = raw(await saved(app, 'moved.bin'));
  expect(text.startsWith('2: "standup"\n1: "RM_STANDUP"\n3: 300\n')).toBe(true);
  await expect(row(page, 'sid')).toContainText('fields are usually written in number order');

  await craft(page, 'name', 'insert-bytes', 'a0 06 01'); // field 100, varint 1
  text = raw(await saved(app, 'inserted.bin'));
  expect(text.startsWith('2: "standup"\n100: 1\n1: "RM_STANDUP"\n')).toBe(true);
});

test('set a field number, a lying length prefix, and truncate: protoc reads or refuses as the tree says', async ({ app }) => {
  const { page } = app;
  await openRoom(page);
  await craft(page, 'sid', 'set-field-number', '99');
  let bytes = await saved(app, 'renumbered.bin');
  expect(raw(bytes).startsWith('99: "RM_STANDUP"\n2: "standup"\n')).toBe(true);

  await page.getByTestId('undo').click();
  await craft(page, 'metadata', 'truncate', '0'); // the message ends where metadata started
  bytes = await saved(app, 'truncated.bin');
  expect(bytes.length).toBe(ROOM.bytes.indexOf(Buffer.from('42177b', 'hex')));
  expect(raw(bytes).trimEnd().split('\n').at(-1)).toBe('}'); // the last codec, then nothing: 8 and later are gone
  expect(raw(bytes)).not.toContain('8: ');

  await page.getByTestId('undo').click();
  await craft(page, 'name', 'set-length', '30'); // "standup" is 7 bytes; the prefix says 30
  bytes = await saved(app, 'lying-prefix.bin');
  expect(hex(bytes.subarray(12, 14))).toBe('121e'); // field 2 LEN, length 30
  expect(() => raw(bytes)).toThrow(/Failed to parse/);
  await expect(page.locator('.doc-error')).toContainText('at byte');
  await expect(page.locator('[data-testid="tree"] [data-testid="anomaly"]', { hasText: 'do not decode' }).first()).toContainText(
    /bytes \d+ to \d+ do not decode: at byte \d+/,
  );
});

test('the anomalies list names every crafted encoding with its offset; choosing one selects its field', async ({ app }) => {
  const { page } = app;
  await openRoom(page);
  await expect(page.getByTestId('anomaly-list')).toHaveCount(0); // a clean sample lists nothing
  await craft(page, 'empty_timeout', 'varint-width-value', '4');
  await craft(page, 'name', 'duplicate');
  const list = page.getByTestId('anomaly-list');
  await expect(list.locator('summary')).toContainText('encoding anomalies in this message');
  await list.locator('summary').click();
  const items = list.getByRole('button');
  await expect(items.filter({ hasText: 'overlong value varint: 4 bytes where 2 hold 300' })).toHaveCount(1);
  expect(await items.count()).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: test.info().outputPath('anomaly-list.png') });
  // Choosing the overlong varint selects empty_timeout in the tree.
  await items.filter({ hasText: 'overlong value varint' }).click();
  await expect(page.locator('[data-testid="tree"] [role="treeitem"][aria-selected="true"]')).toHaveAttribute('data-name', 'empty_timeout');
  // Undo both: nothing left to list.
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('anomaly-list')).toHaveCount(0);
});
