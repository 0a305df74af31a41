/**
 * Electron security checklist, proven without the Electron runtime: app/main and the preload are
 * bundled as scripts/build.mjs bundles them, then loaded in Node with a recording stand-in for
 * `electron` (testing/fake-electron.ts); docs/security.md names the test of each item. The IPC
 * handlers and the paths they accept are checked in security-ipc.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ipcChannel } from '../../core/api/contract';
import { METHOD_NAMES } from '../../core/api/request-check';
import { launchMain, requireWithFakeElectron, sharedFakeElectron, type LaunchedMain } from '../../testing/fake-electron';

const fake = sharedFakeElectron();

vi.mock('electron', async () => (await import('../../testing/fake-electron')).sharedFakeElectron().electron);

const { checkedExternalUrl, openExternalLink } = await import('./external-links');

const root = resolve(__dirname, '../..');
const { rec, app, FakeWebContents } = fake;
type WC = InstanceType<typeof FakeWebContents>;
let main: LaunchedMain;
let win: LaunchedMain['win'];

beforeAll(async () => {
  main = await launchMain(fake, root, 'security-test');
  win = main.win;
}, 60_000);

afterAll(() => main?.close());

describe('BrowserWindow (checklist 2-4, 6, 8-10, 12)', () => {
  it('isolates, sandboxes and keeps Node out of the page; nothing weakened or experimental', () => {
    const wp = win.options.webPreferences as Record<string, unknown>;
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).not.toBe(true);
    expect(wp.nodeIntegrationInSubFrames).not.toBe(true);
    expect(wp.webSecurity).not.toBe(false);
    expect(wp.allowRunningInsecureContent).not.toBe(true);
    expect(wp.experimentalFeatures).not.toBe(true);
    expect(wp.enableBlinkFeatures).toBeUndefined();
    expect(wp.webviewTag).not.toBe(true);
    expect(wp.preload).toBe(join(main.outDir, 'preload.cjs'));
  });

  it('loads only its own page, over the app:// scheme (never http or file)', () => {
    expect(win.loaded).toEqual(['app://protodesk/index.html']);
    expect(rec.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    const privileges = (rec.schemes[0] as { privileges: Record<string, boolean> }).privileges;
    expect(privileges.secure).toBe(true);
    expect(privileges.bypassCSP).not.toBe(true);
    expect(privileges.corsEnabled).not.toBe(true);
  });
});

describe('session permissions (checklist 5)', () => {
  it('denies every permission request, check and device', () => {
    const perms = (
      'media geolocation notifications midiSysex pointerLock fullscreen openExternal clipboard-read clipboard-sanitized-write ' +
      'hid serial usb unknown'
    ).split(' ');
    for (const p of perms) {
      const callback = vi.fn();
      rec.permissionRequest!(win.webContents, p, callback, { requestingUrl: 'app://protodesk/index.html' });
      expect(callback, p).toHaveBeenCalledWith(false);
      expect(rec.permissionCheck!(win.webContents, p, 'app://protodesk', {}), p).toBe(false);
    }
    expect(rec.devicePermission!({ deviceType: 'usb', origin: 'app://protodesk' })).toBe(false);
  });
});

describe('Content-Security-Policy and the app:// protocol (checklist 1, 7, 18)', () => {
  const serve = (url: string) => rec.protocolHandlers.get('app')!({ url });

  it('serves the page with a strict CSP: self only, no eval, no remote origins', async () => {
    const res = await serve('app://protodesk/index.html');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, values] of directives) {
      for (const v of values) {
        expect(v, name).not.toMatch(/unsafe-eval|^\*$|^https?:|^wss?:|^file:|:\/\//);
      }
    }
  });

  it('the built renderer (Monaco included) needs no eval', () => {
    const assets = join(root, 'dist/renderer/assets');
    if (!existsSync(assets)) return; // not built here; the e2e run builds it
    for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
      expect(readFileSync(join(assets, f), 'utf8'), f).not.toMatch(/\bnew Function\(|[^.\w]eval\(/);
    }
  });

  it('serves nothing outside dist/renderer and nothing for another host', async () => {
    const before = rec.fetched.length;
    expect((await serve('app://protodesk/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await serve('app://protodesk/%2e%2e%2f%2e%2e%2fpackage.json')).status).toBe(403);
    expect((await serve('app://protodesk/%E0%A4%A')).status).toBe(400);
    expect((await serve('app://evil/index.html')).status).toBe(404);
    expect(rec.fetched.length).toBe(before);
    await serve('app://protodesk/assets/x.js');
    expect(rec.fetched.at(-1)).toBe(pathToFileURL(join(root, 'dist/renderer/assets/x.js')).href);
  });
});

describe('navigation, new windows, <webview> (checklist 11-14)', () => {
  const hardened = (wc: WC) => {
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      wc.emit(name, e, 'https://evil.example/');
      expect(e.preventDefault, name).toHaveBeenCalled();
    }
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'about:blank', 'app://protodesk/index.html']) {
      expect(wc.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  };

  it('the window denies navigation, redirects, new windows and webviews', () => hardened(win.webContents));

  it('so does every other web contents created later', () => {
    const other = new FakeWebContents();
    app.emit('web-contents-created', {}, other);
    hardened(other);
  });
});

describe('preload (checklist 3, 20)', () => {
  it('exposes one function per method and no ipcRenderer', async () => {
    requireWithFakeElectron(fake, join(main.outDir, 'preload.cjs'));
    const bridge = rec.exposed.get('protodesk') as { api: Record<string, (r: unknown) => Promise<unknown>> };
    expect([...rec.exposed.keys()]).toEqual(['protodesk']);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'onEvent', 'pathForFile']);
    expect(Object.keys(bridge.api).sort()).toEqual([...METHOD_NAMES].sort());
    await bridge.api.getRows({ docId: 'd' });
    expect(rec.invoked.at(-1)).toEqual([ipcChannel('getRows'), { docId: 'd' }]);
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|invoke|send/);
  });
});

describe('shell.openExternal (checklist 15)', () => {
  it('is never called at startup; the Help link opens only its https URL', async () => {
    expect(rec.openExternal).toEqual([]);
    const help = (rec.menu as { label?: string; submenu?: { label?: string; click?: () => void }[] }[]).find((m) => m.label === '&Help')!;
    help.submenu!.find((i) => i.label === 'Protocol Buffers Documentation')!.click!();
    await vi.waitFor(() => expect(rec.openExternal).toEqual(['https://protobuf.dev/']));
  });

  it('refuses anything but https to an allowed host', async () => {
    expect(checkedExternalUrl('https://protobuf.dev/reference/')).toBe('https://protobuf.dev/reference/');
    for (const url of [
      'http://protobuf.dev/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://evil.example/',
      'https://protobuf.dev@evil.example/',
      'https://user:pw@protobuf.dev/',
      'https://protobuf.dev.evil.example/',
      'https://protobuf.dev:8443/',
      'not a url',
      '',
    ]) {
      expect(checkedExternalUrl(url), url).toBeNull();
      expect(await openExternalLink(url), url).toBe(false);
    }
    expect(rec.openExternal).toEqual(['https://protobuf.dev/']);
  });

  it('only external-links.ts calls shell.openExternal', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (
          /\.tsx?$/.test(e.name) &&
          !e.name.endsWith('.test.ts') &&
          e.name !== 'external-links.ts' &&
          /openExternal\s*\(/.test(readFileSync(p, 'utf8'))
        )
          offenders.push(p);
      }
    };
    for (const d of ['app', 'renderer', 'core', 'core-node']) walk(join(root, d));
    expect(offenders).toEqual([]);
  });
});
