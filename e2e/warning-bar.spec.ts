/**
 * A recovery journal that cannot be written (here its folder is a file) shows a warning bar
 * saying unsaved work is not protected; the bar can be dismissed.
 * This test starts its own server (on a state directory of its own), not Playwright's.
 */
import { test, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveOwn } from './served-app';

const ROOT = resolve(import.meta.dirname, '..');

test.beforeEach(({ browserName }, info) => {
  test.skip(info.project.name !== 'browser' || browserName !== 'chromium', 'browser-served mode only (this test starts its own server)');
});

let server: ChildProcess | null = null;
test.afterEach(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = null;
});

/** Starts `protodesk serve` of its own (killed after the test); resolves with the link it prints. */
function serve(stateFile: string): Promise<string> {
  const { child, link } = serveOwn(stateFile);
  server = child;
  return link;
}

test('a journal that cannot be written shows a warning bar, which can be dismissed', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-warn-'));
  // The recovery folder cannot be made: a file has its name.
  writeFileSync(join(dir, 'recovery'), 'not a folder');
  const file = join(dir, 'room.bin');
  copyFileSync(join(ROOT, 'samples/livekit/room.bin'), file);
  await page.goto(await serve(join(dir, 'state.json')));
  await page.getByRole('button', { name: 'Open path…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Open a file by path' });
  await dlg.getByRole('textbox').fill(file);
  await dlg.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(page.getByTestId('warning-bar')).toHaveCount(0);
  const name = page.locator('[data-testid="tree"] [role="treeitem"][data-name="name"]').first();
  await name.dblclick();
  await page.getByTestId('value-input').fill('unprotected');
  await page.getByTestId('value-input').press('Enter');
  const bar = page.getByTestId('warning-bar');
  await expect(bar).toContainText('could not be written to the recovery journal');
  await expect(bar).toContainText('room.bin');
  await page.screenshot({ path: join(ROOT, 'test-results/warning-bar.png') });
  await bar.getByRole('button', { name: 'Dismiss this warning' }).click();
  await expect(bar).toHaveCount(0);
});
