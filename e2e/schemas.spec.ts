/**
 * Schemas as a user handles them: a .proto dropped on the window is added as a schema (not
 * opened as bytes) and listed in the Schemas panel, whose Remove button takes it away again;
 * a type chosen for a file is remembered for it, and the type bar says so when it is applied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, dropFiles, sample, ROOT } from './app-fixture';

test('a dropped .proto is added as a schema; the Schemas panel removes it', async ({ app }) => {
  test.skip(app.mode !== 'browser', 'Electron drops files by path; the same session code adds them');
  const { page } = app;
  await dropFiles(page, [{ name: 'widget.proto', bytes: readFileSync(join(ROOT, 'e2e/fixtures/widget.proto')) }]);
  await expect(page.getByRole('status').filter({ hasText: 'widget.proto is a schema, not a message' })).toBeVisible();
  await expect(page.getByTestId('tab')).toHaveCount(0);
  await page.getByRole('button', { name: 'Schemas' }).click();
  const panel = page.getByRole('complementary', { name: 'Schemas' });
  const added = panel.getByTestId('added-schema').filter({ hasText: 'widget.proto' });
  await expect(added).toHaveCount(1);
  // Its type is pickable.
  await dropFiles(page, [{ name: 'room.bin', bytes: sample('livekit/room.bin') }]);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill('e2e.widgets');
  await expect(page.getByRole('option', { name: 'e2e.widgets.Widget' })).toBeVisible();
  await page.getByTestId('type-search').press('Escape');
  await page.screenshot({ path: join(ROOT, 'test-results/schemas-panel.png') });
  // Remove: gone from the panel and from the types.
  await added.getByRole('button', { name: 'Remove widget.proto' }).click();
  await expect(added).toHaveCount(0);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill('e2e.widgets');
  await expect(page.getByRole('option', { name: 'e2e.widgets.Widget' })).toHaveCount(0);
});

test('a type chosen for a file is applied again when it is opened again, and the type bar says it was remembered', async ({ app }) => {
  const { page } = app;
  const bytes = sample('livekit/participant-info.bin');
  await dropFiles(page, [{ name: 'remember-me.bin', bytes }]);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.ParticipantInfo');
  await expect(page.getByTestId('type-source')).toHaveCount(0);
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-raw').click();
  await expect(page.getByTestId('current-type')).toHaveText('raw (no schema)');
  await page.getByRole('button', { name: 'Close remember-me.bin' }).click();
  await expect(page.getByTestId('tab')).toHaveCount(0);
  await dropFiles(page, [{ name: 'remember-me.bin', bytes }]);
  await expect(page.getByTestId('current-type')).toHaveText('raw (no schema)');
  await expect(page.getByTestId('type-source')).toHaveText('remembered');
  // Other content under the same name is not read with the remembered type.
  await dropFiles(page, [{ name: 'remember-me.bin', bytes: sample('livekit/room.bin') }]);
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(page.getByTestId('type-source')).toHaveCount(0);
});
