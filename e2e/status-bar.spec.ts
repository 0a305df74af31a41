/** The status bar tells the truth: its size is what a save would write now, after an edit, a save and an undo. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { test, expect, dropFiles, sample, saveAs, setName } from './app-fixture';

const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };

test('the size in the status bar follows edits, a save and an undo', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  const status = page.locator('footer.status');
  await expect(status).toContainText(`${ROOM.bytes.length} bytes`);

  // "standup" (7 bytes) becomes 23 bytes long: 16 more.
  await setName(page, 'a-much-longer-name-here');
  await expect(status).toContainText(`${ROOM.bytes.length + 16} bytes`);

  const path = join(mkdtempSync(join(tmpdir(), 'protodesk-status-')), 'room-renamed.bin');
  await saveAs(app, path);
  await expect(page.getByTestId('tab')).not.toContainText('●');
  const written = readFileSync(path);
  expect(written.length).toBe(ROOM.bytes.length + 16);
  await expect(status).toContainText(`${written.length} bytes`);

  await page.getByTestId('undo').click();
  await expect(status).toContainText(`${ROOM.bytes.length} bytes`);
});
