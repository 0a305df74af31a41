/**
 * Stream tools: a search over every message of a stream (text, field path and value) that opens
 * a match, the export of the whole stream, and raw mode's "nested as messages" (remembered by path).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, dropFiles, openPath, row, sample } from './app-fixture';

// 1,000 varint-delimited livekit.SignalResponse messages; message 499 is an update about
// participant sid "PA_CAROL499" (its bytes start at 35,439; the sid at byte 6 of the message).
const STREAM = { name: 'signal-responses-1000.delimited', bytes: sample('edge/signal-responses-1000.delimited') };
const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };

test('search every message for text or a field value, and open the match', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [STREAM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  await page.getByRole('combobox', { name: 'Search the stream by' }).selectOption('text');
  await page.getByTestId('stream-search').fill('PA_CAROL499');
  await page.getByRole('button', { name: 'Search all messages' }).click();
  const match = page.getByTestId('stream-match');
  await expect(match).toHaveCount(1);
  await expect(match).toContainText('#499 · byte 6 (file 35445)');
  await match.click();
  await expect(row(page, 'sid')).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 'sid')).toContainText('"PA_CAROL499"');

  await page.getByRole('combobox', { name: 'Search the stream by' }).selectOption('field');
  await page.getByTestId('stream-search').fill('update.participants.sid');
  await page.getByRole('textbox', { name: 'With the value' }).fill('PA_CAROL124');
  await page.getByRole('button', { name: 'Search all messages' }).click();
  await expect(match).toHaveCount(1);
  await expect(match).toContainText('#124 · byte 6 (file 8939)'); // the sid's tag
});

test('export the whole stream as delimited bytes: the file as it is', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [STREAM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export all messages' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('signal-responses-1000.delimited');
  expect(readFileSync(await file.path())).toEqual(STREAM.bytes);
});

test('raw mode shows nested messages as messages, at every depth, in one step', async ({ app }) => {
  const { page } = app;
  // A name of its own: the raw choice is remembered for this name and content, and must not
  // reach the other specs that drop room.bin into the same served session.
  await dropFiles(page, [{ ...ROOM, name: 'room-nested-raw.bin' }]);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-raw').click();
  await expect(page.getByTestId('current-type')).toHaveText('raw (no schema)');
  const nestedRows = page.locator('[data-testid="tree"] [role="treeitem"][aria-level="2"]');
  await expect(nestedRows).toHaveCount(0);
  await page.getByTestId('decode-nested').click();
  await expect(page.getByTestId('decode-nested')).toBeChecked();
  // The three codecs ({ 1: "audio/opus" } …) are messages now, expanded.
  await expect(nestedRows).toHaveCount(3);
  await expect(nestedRows.first()).toContainText('audio/opus');
  await page.getByTestId('decode-nested').click();
  await expect(page.getByTestId('decode-nested')).not.toBeChecked();
  await expect(nestedRows).toHaveCount(0);
});

test('"Nested as messages" is remembered for the file, by its path', async ({ app }) => {
  const { page } = app;
  const path = join(mkdtempSync(join(tmpdir(), 'protodesk-nested-')), 'room-nested-remembered.bin');
  writeFileSync(path, ROOM.bytes);
  await openPath(page, path);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-raw').click();
  await expect(page.getByTestId('current-type')).toHaveText('raw (no schema)');
  await page.getByTestId('decode-nested').click();
  const nestedRows = page.locator('[data-testid="tree"] [role="treeitem"][aria-level="2"]');
  await expect(nestedRows).toHaveCount(3);
  await page.getByRole('button', { name: 'Close room-nested-remembered.bin' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(0);

  await openPath(page, path, 'raw (no schema)');
  await expect(page.getByTestId('decode-nested')).toBeChecked();
  await expect(nestedRows).toHaveCount(3);
  await expect(nestedRows.first()).toContainText('audio/opus');
});
