/**
 * Saves that ask before they replace anything: a read-only file (Overwrite read-only file?), an
 * existing file under Save As (Replace existing file?); Cancel leaves the file as it was and the
 * edit unsaved. In browser mode a bare name in Save As goes beside the file opened, and is
 * refused for pasted bytes (there is no folder): never into the server's working directory.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openPath, row, sample, setName, ROOT } from './app-fixture';

const ROOM = sample('livekit/room.bin');

test.beforeEach(({ app }) => {
  test.skip(app.mode !== 'browser', 'browser mode types paths; Electron uses native dialogs');
});

async function saveAsTyped(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Save As…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Save As' });
  await dlg.getByRole('textbox').fill(path);
  await dlg.getByRole('button', { name: 'Save' }).click();
}

test('saving over a read-only file asks first; Cancel keeps it, Overwrite writes it and it stays read-only', async ({ app }) => {
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-ro-'));
  const file = join(dir, 'room.bin');
  copyFileSync(join(ROOT, 'samples/livekit/room.bin'), file);
  chmodSync(file, 0o444);
  await openPath(page, file);
  await setName(page, 'locked');
  await page.getByTestId('save').click();
  const dlg = page.getByRole('dialog', { name: 'Overwrite read-only file?' });
  await expect(dlg).toContainText(`${file} is read-only`);
  await page.screenshot({ path: join(ROOT, 'test-results/save-read-only.png') });
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('tab')).toContainText('●');
  expect(readFileSync(file)).toEqual(ROOM);
  await page.getByTestId('save').click();
  await page.getByRole('dialog', { name: 'Overwrite read-only file?' }).getByRole('button', { name: 'Overwrite' }).click();
  await expect(page.getByTestId('tab')).not.toContainText('●');
  expect(readFileSync(file).includes(Buffer.from('locked'))).toBe(true);
  expect(statSync(file).mode & 0o777).toBe(0o444);
});

test('Save As onto an existing file asks first; a bare name goes beside the file opened', async ({ app }) => {
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-exists-'));
  const file = join(dir, 'room.bin');
  const other = join(dir, 'other.bin');
  copyFileSync(join(ROOT, 'samples/livekit/room.bin'), file);
  writeFileSync(other, 'keep me');
  await openPath(page, file);
  await setName(page, 'copied');
  await saveAsTyped(page, other);
  const dlg = page.getByRole('dialog', { name: 'Replace existing file?' });
  await expect(dlg).toContainText(`${other} already exists`);
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  expect(readFileSync(other, 'utf8')).toBe('keep me');
  await expect(page.getByTestId('tab')).toContainText('●');
  // A bare name: beside room.bin, not in the server's working directory.
  await saveAsTyped(page, 'beside.bin');
  await expect(page.getByTestId('tab')).toHaveText(/beside\.bin/);
  expect(readFileSync(join(dir, 'beside.bin')).includes(Buffer.from('copied'))).toBe(true);
  expect(existsSync(join(ROOT, 'beside.bin'))).toBe(false);
  // And now over the existing file, agreeing.
  await saveAsTyped(page, other);
  await page.getByRole('dialog', { name: 'Replace existing file?' }).getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByTestId('tab')).toHaveText(/other\.bin/);
  expect(readFileSync(other).includes(Buffer.from('copied'))).toBe(true);
});

test('Save As of pasted bytes with a bare name is refused with a sentence, and writes nothing', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Paste bytes…' }).first().click();
  const paste = page.getByRole('dialog', { name: 'Paste bytes' });
  await paste.getByTestId('paste-text').fill(ROOM.toString('hex'));
  await paste.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await saveAsTyped(page, 'pasted-here.bin');
  await expect(page.getByRole('alert').filter({ hasText: 'Save As needs a full path' })).toBeVisible();
  expect(existsSync(join(ROOT, 'pasted-here.bin'))).toBe(false);
  await expect(page.getByTestId('tab')).toContainText('pasted');
});

test('an edit made while a save runs is never marked saved unless the file holds it', async ({ app }) => {
  test.setTimeout(120_000); // a page reload per round
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-race-'));
  const file = join(dir, 'room.bin');
  copyFileSync(join(ROOT, 'samples/livekit/room.bin'), file);
  await openPath(page, file);
  for (let i = 0; i < 4; i++) {
    const name = `racer-${i}`;
    // A save and an edit sent together, as a click on Save and a quick edit would: their order at the host is not fixed.
    const dirty = await page.evaluate(async (value) => {
      // The page's session cookie goes along (same origin).
      const call = async (method: string, body: unknown) => {
        const r = await fetch(`/api/${method}`, { method: 'POST', body: JSON.stringify(body) });
        return ((await r.json()) as { result: unknown }).result;
      };
      const [doc] = (await call('listDocuments', {})) as { docId: string }[];
      await Promise.all([
        call('save', { docId: doc.docId }),
        call('edit', { docId: doc.docId, message: 0, edit: { op: 'set', path: [1], value } }),
      ]);
      return ((await call('getSummary', { docId: doc.docId })) as { dirty: boolean }).dirty;
    }, name);
    // Not dirty means saved: then the file must hold the edit.
    if (!dirty) expect(readFileSync(file).includes(Buffer.from(name))).toBe(true);
    await page.reload();
    await expect(row(page, 'name')).toContainText(`"${name}"`);
    if (dirty) await expect(page.getByTestId('tab')).toContainText('●');
    else await expect(page.getByTestId('tab')).not.toContainText('●');
  }
  await page.getByTestId('save').click();
  await expect(page.getByTestId('tab')).not.toContainText('●');
  expect(readFileSync(file).includes(Buffer.from('racer-3'))).toBe(true);
});
