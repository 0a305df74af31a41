/**
 * The app under test, for both projects: "browser" opens the browser-served UI in Chromium;
 * "electron" launches the Electron app (skipped, with the reason printed, where Electron's
 * runtime is not installed). Specs get `app.page` and helpers that work in both.
 */
import { test as base, expect, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { latestLink, servedFiles } from './served-app';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..');

/**
 * Where Electron's runtime is, without `require('electron')` (which tries to download it):
 * node_modules/electron/path.txt names the binary under dist/ once the runtime is installed.
 */
export function electronRuntime(): { path: string | null; reason: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile))
    return { path: null, reason: `Electron runtime not installed: ${pathFile} is missing (the binary was never downloaded)` };
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const bin = join(dist, rel);
  return existsSync(bin) ? { path: bin, reason: '' } : { path: null, reason: `Electron runtime not installed: ${bin} does not exist` };
}

/** The app under test. */
export interface AppUnderTest {
  page: Page;
  mode: 'browser' | 'electron';
  electron: ElectronApplication | null;
}

/** Each test starts at the app with no open documents or captures (the served session outlives a page). */
async function resetApp(app: AppUnderTest): Promise<void> {
  const { page } = app;
  if (app.mode === 'browser') await page.goto('/');
  await page.waitForSelector('.toolbar');
  // Each test starts with no open documents (the served session outlives a page).
  const closed = await page.evaluate(async () => {
    const pd = (window as unknown as { protodesk?: { api: unknown } }).protodesk?.api;
    const call = async (method: string, body: unknown) => {
      // The preload answers an Outcome ({ result } or { error }), as the HTTP API does.
      if (pd) return (await (pd as Record<string, (r: unknown) => Promise<{ result: unknown }>>)[method](body)).result;
      // The page's session cookie goes along (same origin).
      const r = await fetch(`/api/${method}`, { method: 'POST', body: JSON.stringify(body) });
      return ((await r.json()) as { result: unknown }).result;
    };
    const docs = (await call('listDocuments', {})) as { docId: string }[];
    for (const d of docs) await call('closeDocument', { docId: d.docId });
    // And no open captures (a capture view beside the documents narrows them).
    const captures = (await call('listCaptures', {})) as { captureId: string }[];
    for (const c of captures) await call('closeCapture', { captureId: c.captureId });
    return docs.length + captures.length;
  });
  if (closed) await page.reload();
  await page.waitForSelector('.toolbar');
}

/** Playwright test with the `app` fixture. */
export const test = base.extend<{ app: AppUnderTest }, { chromiumForApp: Browser | null; signedIn: string | null }>({
  // One Chromium per worker for the browser project (none for Electron).
  chromiumForApp: [
    async ({ playwright }, use, workerInfo) => {
      if (workerInfo.project.name !== 'browser') return use(null);
      const browser = await playwright.chromium.launch(workerInfo.project.use.launchOptions);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  // The browser project signs in once, as a user does: by opening the link the server printed
  // (its one-time key is exchanged for a session cookie). Every test's context starts with that
  // cookie; the file outlives a worker restarted after a failure.
  signedIn: [
    async ({ chromiumForApp }, use, workerInfo) => {
      if (workerInfo.project.name !== 'browser') return use(null);
      const { storageState } = servedFiles();
      if (!readFileSync(storageState, 'utf8').trim()) {
        const context = await chromiumForApp!.newContext();
        const page = await context.newPage();
        const link = latestLink();
        await page.goto(link);
        // Redirected to the app, without the key in the address.
        expect(page.url()).toBe(new URL('/', link).href);
        await page.waitForSelector('.toolbar');
        await context.storageState({ path: storageState });
        await context.close();
      }
      await use(storageState);
    },
    { scope: 'worker' },
  ],
  app: async ({ chromiumForApp, signedIn }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const rt = electronRuntime();
      if (!rt.path) {
        console.log(`[electron] skipped: ${rt.reason}`);
        test.skip(true, rt.reason);
        return;
      }
      const main = join(ROOT, 'dist/electron/main.cjs');
      const electron = await _electron.launch({
        executablePath: rt.path,
        args: [main, '--no-sandbox'],
        env: { ...process.env, PROTODESK_STATE: 'none' } as Record<string, string>,
      });
      const page = await electron.firstWindow();
      await page.waitForSelector('.toolbar');
      const app = { page, mode: 'electron' as const, electron };
      await resetApp(app);
      await use(app);
      await electron.close();
      return;
    }
    // Browser mode: Debian's Chromium with the project's launch options.
    const context = await chromiumForApp!.newContext({
      storageState: signedIn!,
      baseURL: testInfo.project.use.baseURL,
      viewport: testInfo.project.use.viewport ?? null,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    const app = { page, mode: 'browser' as const, electron: null };
    await resetApp(app);
    await use(app);
    await context.close();
  },
});

/** Replaces the JSON/text pane's content, as a paste does. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="text-editor"] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('ControlOrMeta+v');
}

export { expect };

/** Bytes of a file under samples/. */
export function sample(rel: string): Buffer {
  return readFileSync(join(ROOT, 'samples', rel));
}

/** Drops files onto the window with a real drop event (a DataTransfer holding Files built in the page). */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  await page.evaluate(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const u8 = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
        dt.items.add(new File([u8], f.name, { type: 'application/octet-stream' }));
      }
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') })),
  );
}

/** The text of the JSON/text pane (Monaco's visible lines, spaces normalized). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('[data-testid="text-editor"] .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** The hex pane's bytes as one hex string ("0a 03 ..."), in order. */
export async function hexText(page: Page): Promise<string> {
  return (await page.locator('[data-testid="hex"] .hb[data-offset]').allInnerTexts()).join(' ');
}

/** The hex of a string's UTF-8 bytes, as the hex view prints it. */
export function hexOf(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The tree row of a top-level field by name. */
export function row(page: Page, name: string) {
  return page.locator(`[data-testid="tree"] [role="treeitem"][data-name="${name}"]`).first();
}

/** Opens a file through the Open path dialog (browser mode) and waits for its type. */
export async function openPath(page: Page, path: string, type = 'livekit.Room'): Promise<void> {
  await page.getByRole('button', { name: 'Open path…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Open a file by path' });
  await dlg.getByRole('textbox').fill(path);
  await dlg.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('current-type')).toHaveText(type);
}

/** Sets the top-level string field `name` in the tree's editor and waits for the row to show it. */
export async function setName(page: Page, value: string): Promise<void> {
  await row(page, 'name').dblclick();
  await page.getByTestId('value-input').fill(value);
  await page.getByTestId('value-input').press('Enter');
  await expect(row(page, 'name')).toContainText(`"${value}"`);
}

/** Saves the active tab to a path: in the browser through the Save As dialog; in Electron by answering the native dialog. */
export async function saveAs(app: AppUnderTest, path: string): Promise<void> {
  const { page } = app;
  if (app.electron) {
    await app.electron.evaluate(({ dialog }, p) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: p })) as typeof dialog.showSaveDialog;
    }, path);
    await page.getByRole('button', { name: 'Save As…' }).click();
    return;
  }
  await page.getByRole('button', { name: 'Save As…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Save As' });
  await dlg.getByRole('textbox').fill(path);
  await dlg.getByRole('button', { name: 'Save' }).click();
}

/** Sets the active document's type with the type picker. */
export async function setType(page: Page, typeName: string) {
  await page.getByTestId('type-picker').click();
  await page.getByTestId('type-search').fill(typeName);
  await page
    .getByRole('option', { name: new RegExp(`^${typeName.replace(/\./g, '\\.')}`) })
    .first()
    .click();
  await expect(page.getByTestId('current-type')).toHaveText(typeName);
}
