/**
 * The string editor keeps every byte: a newline typed with Shift+Enter, a tab, a leading BOM and
 * invalid UTF-8 (shown as \xff) reach the file exactly; an unchanged string is not written.
 */
import { join } from 'node:path';
import { test, expect, dropFiles, hexOf, hexText, row, sample, ROOT } from './app-fixture';

const ROOM = sample('livekit/room.bin');
/** room.bin whose name (field 2, at offset 12: 12 07 "standup") is "a" and the invalid byte ff. */
const BAD_NAME = Buffer.concat([ROOM.subarray(0, 12), Buffer.from([0x12, 0x02, 0x61, 0xff]), ROOM.subarray(21)]);

test('a newline and a tab typed into a string reach its bytes; the editor shows them back', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'room.bin', bytes: ROOM }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'name').dblclick();
  const input = page.getByTestId('value-input');
  await expect(input).toHaveValue('standup');
  await input.press('End');
  await input.press('Shift+Enter');
  await input.pressSequentially('line2\\tend');
  await expect(page.getByTestId('string-editor-hint')).toContainText('17 bytes');
  // Both lines show, over the rows below (a row is one line high): what is at the editor's last line is the editor.
  const onTop = await input.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 30 && document.elementFromPoint(r.left + r.width / 2, r.bottom - 6) === el;
  });
  expect(onTop).toBe(true);
  await page.screenshot({ path: join(ROOT, 'test-results/string-editor.png') });
  await input.press('Enter');
  await expect.poll(() => hexText(page)).toContain(`12 11 ${hexOf('standup\nline2\tend')}`);
  await row(page, 'name').dblclick();
  await expect(page.getByTestId('value-input')).toHaveValue('standup\nline2\\tend');
  // Unchanged: Enter writes nothing new (the next undo takes back the edit above).
  await page.getByTestId('value-input').press('Enter');
  await page.getByTestId('undo').click();
  await expect.poll(() => hexText(page)).toContain(`12 07 ${hexOf('standup')}`);
  await expect(page.getByTestId('tab')).not.toContainText('●');
});

test('invalid UTF-8 shows as \\xff and is kept when the rest of the string is edited; a BOM is kept too', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [{ name: 'bad-name.bin', bytes: BAD_NAME }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'name').dblclick();
  const input = page.getByTestId('value-input');
  await expect(input).toHaveValue('a\\xff');
  await input.press('End');
  await input.pressSequentially('b');
  await input.press('Enter');
  await expect.poll(() => hexText(page)).toContain('12 03 61 ff 62');
  await row(page, 'name').dblclick();
  await page.getByTestId('value-input').fill('\\u{feff}x');
  await page.getByTestId('value-input').press('Enter');
  await expect.poll(() => hexText(page)).toContain('12 04 ef bb bf 78');
  await row(page, 'name').dblclick();
  await expect(page.getByTestId('value-input')).toHaveValue('\\u{feff}x');
  // A wrong escape is refused where it is, and nothing is written.
  await page.getByTestId('value-input').fill('x\\q');
  await expect(page.getByTestId('string-editor-hint')).toContainText('unknown escape \\q at character 2');
  await page.getByTestId('value-input').press('Enter');
  await expect(page.getByTestId('value-input')).toBeVisible();
  await page.getByTestId('value-input').press('Escape');
  await expect.poll(() => hexText(page)).toContain('12 04 ef bb bf 78');
});
