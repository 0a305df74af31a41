/**
 * The workbench end to end: drop → detect → tree → edit → hex/JSON update → undo/redo →
 * save → the CLI decodes the saved file; JSON pane edits; raw view; streams; the unsaved guard.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, dropFiles, editorText, hexOf, hexText, row, sample, saveAs, setEditorText, ROOT } from './app-fixture';

const ROOM = { name: 'room.bin', bytes: sample('livekit/room.bin') };

test('drop a sample: the type is detected and the tree, hex and JSON show it', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('tab')).toHaveText(/room\.bin/);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(page.locator('.hex-pane .pane-title')).toContainText(`${ROOM.bytes.length} bytes`);
  await expect.poll(() => hexText(page)).toContain(hexOf('standup'));
  await expect.poll(() => editorText(page)).toContain('"name": "standup"');
});

test('edit in the tree, see hex and JSON change, undo, redo, save; the CLI decodes the saved file', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await row(page, 'name').dblclick();
  const input = page.getByTestId('value-input');
  await input.fill('renamed-room');
  await input.press('Enter');
  await expect(row(page, 'name')).toContainText('"renamed-room"');
  await expect.poll(() => hexText(page)).toContain(hexOf('renamed-room'));
  await expect.poll(() => editorText(page)).toContain('"name": "renamed-room"');
  await expect(page.getByTestId('tab')).toContainText('●');

  // Selecting the node lights up its bytes; clicking a byte selects its node.
  await row(page, 'name').click();
  await expect(page.locator('[data-testid="hex"] .hl-value').first()).toBeVisible();
  await page.locator('[data-testid="hex"] .hb[data-offset="3"]').click();
  await expect(row(page, 'sid')).toHaveAttribute('aria-selected', 'true');

  await page.getByTestId('undo').click();
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect.poll(() => editorText(page)).toContain('"name": "standup"');
  await expect.poll(() => hexText(page)).toContain(hexOf('standup'));
  await page.keyboard.press('Control+Shift+Z');
  await expect(row(page, 'name')).toContainText('"renamed-room"');

  const dir = mkdtempSync(join(tmpdir(), 'protodesk-e2e-'));
  const out = join(dir, 'edited-room.bin');
  await saveAs(app, out);
  await expect(page.getByTestId('tab')).toHaveText(/edited-room\.bin/);
  await expect(page.getByTestId('tab')).not.toContainText('●');
  const decoded = execFileSync(process.execPath, [join(ROOT, 'bin/protodesk'), 'decode', '--type', 'livekit.Room', out], {
    encoding: 'utf8',
  });
  expect(JSON.parse(decoded).name).toBe('renamed-room');
  // Everything else is byte-for-byte what it was: only the name's bytes changed.
  const saved = readFileSync(out);
  expect(saved.length).toBe(ROOM.bytes.length + 'renamed-room'.length - 'standup'.length);

  // Save again in place (the tab now has a path).
  await row(page, 'max_participants').dblclick();
  await page.getByTestId('value-input').fill('77');
  await page.getByTestId('value-input').press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('tab')).not.toContainText('●');
  const again = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'bin/protodesk'), 'decode', '--type', 'livekit.Room', out], { encoding: 'utf8' }),
  );
  expect(again.maxParticipants).toBe(77);
});

test('an integer out of range is refused by the editor', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await row(page, 'max_participants').dblclick();
  await page.getByTestId('value-input').fill('4294967296');
  await expect(page.locator('.editor-error')).toContainText('out of range');
  await page.getByTestId('value-input').press('Escape');
  await expect(row(page, 'max_participants')).toContainText('50');
});

test('edit in the JSON pane: the tree follows; errors show inline', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await expect.poll(() => editorText(page)).toContain('"name": "standup"');
  const json = JSON.parse((await editorText(page)).trim()) as Record<string, unknown>;
  await setEditorText(page, JSON.stringify({ ...json, name: 'from-json', maxParticipants: 'many' }, null, 2));
  await page.getByTestId('apply-text').click();
  await expect(page.getByTestId('text-status')).toContainText('maxParticipants');
  await expect(page.locator('[data-testid="text-editor"] .squiggly-error').first()).toBeAttached();
  await setEditorText(page, JSON.stringify({ ...json, name: 'from-json' }, null, 2));
  await page.getByTestId('apply-text').click();
  await expect(row(page, 'name')).toContainText('"from-json"');
  await expect.poll(() => hexText(page)).toContain(hexOf('from-json'));
});

test('open a file raw (no schema)', async ({ app }) => {
  const { page } = app;
  // A name of its own: the raw choice is remembered for this name and content (see schemas.spec.ts).
  await dropFiles(page, [{ ...ROOM, name: 'room-raw.bin' }]);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-raw').click();
  await expect(page.getByTestId('current-type')).toHaveText('raw (no schema)');
  const first = page.locator('[data-testid="tree"] [role="treeitem"]').first();
  await expect(first).toContainText('field 1');
  await expect(first).toContainText('RM_STANDUP');
  // And back, through the search.
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill('livekit.Room');
  await page
    .getByRole('option', { name: /^livekit\.Room/ })
    .first()
    .click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
});

test('open a stream and pick its 500th message', async ({ app }) => {
  const { page } = app;
  const bytes = sample('edge/signal-responses-1000.delimited');
  await dropFiles(page, [{ name: 'signal-responses-1000.delimited', bytes }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.SignalResponse');
  await expect(page.locator('.stream-pane .pane-title')).toContainText('1,000');
  // The 500th message is index 499; its length, from the varint-delimited framing.
  let p = 0;
  let len = 0;
  for (let i = 0; i < 500; i++) {
    let shift = 0;
    len = 0;
    for (;;) {
      const b = bytes[p++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (i < 499) p += len;
  }
  await page.getByTestId('stream-jump').fill('499');
  await page.getByTestId('stream-jump').press('Enter');
  await expect(page.locator('.stream-item[data-index="499"]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.hex-pane .pane-title')).toContainText(`${len} bytes`);
  const expected = Array.from(bytes.subarray(p, p + Math.min(len, 16)), (b) => b.toString(16).padStart(2, '0')).join(' ');
  await expect.poll(() => hexText(page)).toContain(expected);
  await expect(page.locator('[data-testid="tree"] [role="treeitem"]').first()).toBeVisible();
});

test('closing a tab with unsaved changes asks first', async ({ app }) => {
  const { page } = app;
  await dropFiles(page, [ROOM]);
  await row(page, 'name').dblclick();
  await page.getByTestId('value-input').fill('changed');
  await page.getByTestId('value-input').press('Enter');
  await expect(page.getByTestId('tab')).toContainText('●');
  await page.getByRole('button', { name: 'Close room.bin' }).click();
  const dlg = page.getByRole('dialog', { name: 'Unsaved changes' });
  await expect(dlg).toContainText('unsaved changes');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(1);
  await page.getByRole('button', { name: 'Close room.bin' }).click();
  await page.getByRole('dialog', { name: 'Unsaved changes' }).getByRole('button', { name: "Don't save" }).click();
  await expect(page.getByTestId('tab')).toHaveCount(0);
});

test('screenshot for the README', async ({ app }) => {
  test.skip(app.mode !== 'browser', 'one screenshot is enough');
  const { page } = app;
  await dropFiles(page, [
    { name: 'participant-info.bin', bytes: sample('livekit/participant-info.bin') },
    { name: 'signal-responses-1000.delimited', bytes: sample('edge/signal-responses-1000.delimited') },
    ROOM,
  ]);
  await expect(page.getByTestId('tab')).toHaveCount(3);
  await page.getByTestId('tab').first().click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.ParticipantInfo');
  await row(page, 'identity').click();
  await expect.poll(() => editorText(page)).toContain('identity');
  // Every run leaves the picture in test-results to look at; docs/screenshot.png changes only
  // when asked (PROTODESK_UPDATE_SCREENSHOT=1), so a test run never dirties the checkout.
  await page.screenshot({ path: test.info().outputPath('screenshot.png') });
  if (process.env['PROTODESK_UPDATE_SCREENSHOT'] === '1') await page.screenshot({ path: join(ROOT, 'docs/screenshot.png') });
});

test('the schemas panel adds .proto files and shows errors with file:line', async ({ app }) => {
  test.skip(app.mode !== 'browser', 'Electron adds schemas through native dialogs');
  const { page } = app;
  await page.getByRole('button', { name: 'Schemas' }).click();
  const panel = page.getByRole('complementary', { name: 'Schemas' });
  await expect(panel).toContainText('livekit');
  await panel
    .locator('input[type=file][accept=".proto"]')
    .setInputFiles([join(ROOT, 'e2e/fixtures/widget.proto'), join(ROOT, 'e2e/fixtures/broken.proto')]);
  await expect(panel).toContainText('widget.proto');
  await expect(panel.locator('.schema-errors')).toContainText(/broken\.proto:\d+/);
  // The new type is pickable.
  await dropFiles(page, [ROOM]);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill('Widget');
  await expect(page.getByRole('option', { name: 'e2e.widgets.Widget' })).toBeVisible();
});

test('paste bytes as hex, then filter the tree', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Paste bytes…' }).first().click();
  const dlg = page.getByRole('dialog', { name: 'Paste bytes' });
  await dlg.getByTestId('paste-text').fill(ROOM.bytes.toString('hex').replace(/(..)/g, '$1 '));
  await expect(dlg).toContainText(`${ROOM.bytes.length} bytes, read as hex`);
  await dlg.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await page.getByRole('searchbox', { name: 'Filter the tree' }).fill('video/');
  await expect(page.locator('[data-testid="tree"] [role="treeitem"][data-name="mime"]')).toHaveCount(2);
  await expect(row(page, 'sid')).toHaveCount(0);
});
