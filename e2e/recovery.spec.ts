/**
 * No lost work, end to end in the browser-served mode: unsaved edits survive the server being
 * killed with SIGKILL (the next server offers them back and they open dirty with the edit, its
 * mark and its undo), and a file changed on disk while open shows a bar (Reload / Keep mine)
 * and saving over it asks.
 * These tests start their own servers (on a state directory of their own), not Playwright's.
 */
import { test, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openPath, row, setName } from './app-fixture';
import { serveOwn } from './served-app';

const ROOT = resolve(import.meta.dirname, '..');
const ROOM = join(ROOT, 'samples', 'livekit', 'room.bin');

test.beforeEach(({ browserName }, info) => {
  test.skip(
    info.project.name !== 'browser' || browserName !== 'chromium',
    'browser-served mode only (these tests start their own servers)',
  );
});

interface Served {
  /** The link the server printed: opening it signs the page in (a one-time key). */
  url: string;
  child: ChildProcess;
}

const servers: ChildProcess[] = [];
test.afterEach(() => {
  for (const c of servers.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts `protodesk serve` of its own (killed after the test); resolves with the link it prints. */
async function serve(stateFile: string): Promise<Served> {
  const { child, link } = serveOwn(stateFile);
  servers.push(child);
  return { url: await link, child };
}

function killHard(s: Served): Promise<void> {
  return new Promise((ok) => {
    s.child.once('exit', () => ok());
    s.child.kill('SIGKILL');
  });
}

/** The recovery journal's entries under a state directory. */
function journal(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'recovery')).filter((n) => n.endsWith('.pdrec'));
  } catch {
    return [];
  }
}

/** room.bin with its name "standup" replaced by another 7-letter name (same length, so the bytes stay valid). */
function roomNamed(name: string): Buffer {
  const b = readFileSync(ROOM);
  const at = b.indexOf('standup');
  b.write(name, at, 'utf8');
  return b;
}

/** Writes a file as another program would, with an mtime that surely differs. */
function writeOnDisk(path: string, bytes: Uint8Array, secondsAhead: number): void {
  writeFileSync(path, bytes);
  const t = new Date(Date.now() + secondsAhead * 1000);
  utimesSync(path, t, t);
}

test('unsaved edits survive a SIGKILL of the server and are offered back at the next start', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-recovery-'));
  const state = join(dir, 'state.json');
  const file = join(dir, 'room.bin');
  copyFileSync(ROOM, file);

  const first = await serve(state);
  await page.goto(first.url);
  await openPath(page, file);
  await setName(page, 'recovered-room');
  await expect(page.getByTestId('tab')).toContainText('●');
  // The journal is written about a second after the edit.
  await expect.poll(() => journal(dir).length, { timeout: 15_000 }).toBe(1);
  await killHard(first);

  const second = await serve(state);
  await page.goto(second.url);
  await expect(page.getByTestId('recovery-question')).toHaveText('Recover 1 unsaved document from the last session?');
  await page.getByRole('dialog', { name: 'Recover unsaved work' }).getByRole('button', { name: 'Recover' }).click();
  await expect(page.getByRole('dialog', { name: 'Recover unsaved work' })).toHaveCount(0);
  await expect(page.getByTestId('tab')).toHaveText(/room\.bin/);
  await expect(page.getByTestId('tab')).toContainText('●');
  await expect(page.getByTestId('current-type')).toHaveText('livekit.Room');
  await expect(row(page, 'name')).toContainText('"recovered-room"');
  // The edit marks and the undo history came back with it.
  await expect(row(page, 'name')).toHaveClass(/\bmodified\b/);
  await expect(row(page, 'sid')).not.toHaveClass(/\bmodified\b/);
  await page.getByTestId('undo').click();
  await expect(row(page, 'name')).toContainText('"standup"');
  await expect(row(page, 'name')).not.toHaveClass(/\bmodified\b/);
  await page.getByTestId('redo').click();
  await expect(row(page, 'name')).toContainText('"recovered-room"');
  await expect(row(page, 'name')).toHaveClass(/\bmodified\b/);
  // The file itself is as it was until saved; saving writes the recovered edit in place.
  expect(readFileSync(file).equals(readFileSync(ROOM))).toBe(true);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('tab')).not.toContainText('●');
  expect(readFileSync(file).includes(Buffer.from('recovered-room'))).toBe(true);
  // Nothing is left to offer.
  await page.reload();
  await page.waitForSelector('.toolbar');
  await expect(page.getByTestId('tab')).toHaveCount(1);
  await expect(page.getByTestId('recovery-question')).toHaveCount(0);
});

test('discard drops what the last session left', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-recovery-'));
  const state = join(dir, 'state.json');
  const file = join(dir, 'room.bin');
  copyFileSync(ROOM, file);
  const first = await serve(state);
  await page.goto(first.url);
  await openPath(page, file);
  await setName(page, 'thrown-away');
  await expect.poll(() => journal(dir).length, { timeout: 15_000 }).toBe(1);
  await killHard(first);
  const second = await serve(state);
  await page.goto(second.url);
  await page.getByRole('dialog', { name: 'Recover unsaved work' }).getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('dialog', { name: 'Recover unsaved work' })).toHaveCount(0);
  await expect(page.getByTestId('tab')).toHaveCount(0);
  expect(journal(dir)).toEqual([]);
});

test('a file changed on disk while open: the bar offers Reload and Keep mine; saving over it asks first', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-e2e-changed-'));
  const file = join(dir, 'room.bin');
  copyFileSync(ROOM, file);
  const server = await serve(join(dir, 'state.json'));
  await page.goto(server.url);
  await openPath(page, file);
  await expect(page.getByTestId('file-changed-bar')).toHaveCount(0);

  // Another program rewrites the file: the bar appears (the server polls every 2 s).
  writeOnDisk(file, roomNamed('standby'), 5);
  await expect(page.getByTestId('file-changed-bar')).toContainText('changed on disk');
  await page.getByTestId('file-changed-bar').getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('file-changed-bar')).toHaveCount(0);
  await expect(row(page, 'name')).toContainText('"standby"');
  await expect(page.getByTestId('tab')).not.toContainText('●');

  // Edit, then the file changes again: Keep mine keeps the edit, and Save then writes it.
  await setName(page, 'mine-wins');
  writeOnDisk(file, roomNamed('standin'), 10);
  await expect(page.getByTestId('file-changed-bar')).toContainText('You have unsaved changes');
  await page.getByTestId('file-changed-bar').getByRole('button', { name: 'Keep mine' }).click();
  await expect(page.getByTestId('file-changed-bar')).toHaveCount(0);
  await expect(row(page, 'name')).toContainText('"mine-wins"');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('tab')).not.toContainText('●');
  expect(readFileSync(file).includes(Buffer.from('mine-wins'))).toBe(true);

  // Saving over a change not yet acknowledged asks first; Overwrite writes this version.
  await setName(page, 'second-edit');
  writeOnDisk(file, roomNamed('standon'), 15);
  await page.getByTestId('save').click();
  const dlg = page.getByRole('dialog', { name: 'Changed on disk' });
  await expect(dlg).toContainText('changed on disk since you opened it');
  await dlg.getByRole('button', { name: 'Overwrite' }).click();
  await expect(page.getByTestId('tab')).not.toContainText('●');
  expect(readFileSync(file).includes(Buffer.from('second-edit'))).toBe(true);
});
