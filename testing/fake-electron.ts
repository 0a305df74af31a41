/**
 * A recording stand-in for the `electron` module, so app/main and app/preload can be loaded in
 * Node and checked without Electron's runtime: it records window options, session handlers, the
 * app:// protocol handler, ipcMain.handle registrations, web-contents events, what the preload
 * exposes, and plays the user's part in dialogs and drops. Used by app/main/security.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

type Listener = (...args: unknown[]) => unknown;

/** A fresh fake `electron` module and the recorders around it. */
export function createFakeElectron() {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, l: Listener): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
      return this;
    }
    once(name: string, l: Listener): this {
      return this.on(name, l);
    }
    emit(name: string, ...args: unknown[]): boolean {
      for (const l of this.listeners.get(name) ?? []) l(...args);
      return (this.listeners.get(name) ?? []).length > 0;
    }
    removeListener(): this {
      return this;
    }
  }
  // Anything main may start using later (crash recovery, power events) answers with an inert stub.
  const stub = (): unknown => new Proxy(function () {}, { get: (_t, p) => (p === 'then' ? undefined : stub()), apply: () => stub() });
  const tolerant = <T extends object>(o: T): T =>
    new Proxy(o, {
      get: (t, p, r) =>
        p in t ? Reflect.get(t, p, r) : typeof p === 'symbol' || p === 'then' || p === '__esModule' || p === 'default' ? undefined : stub(),
    });
  class FakeWebContents extends Emitter {
    readonly mainFrame: { url: string; parent: null } = { url: 'app://protodesk/index.html', parent: null };
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    readonly sent: unknown[][] = [];
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
      this.windowOpenHandler = h;
    }
    send(...args: unknown[]): void {
      this.sent.push(args);
    }
  }
  class FakeBrowserWindow extends Emitter {
    static readonly all: FakeBrowserWindow[] = [];
    readonly webContents = tolerant(new FakeWebContents());
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      const self = tolerant(this);
      FakeBrowserWindow.all.push(self);
      return self;
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
    maximize(): void {}
    isMaximized(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
    close(): void {}
    getBounds(): object {
      return { x: 0, y: 0, width: 1400, height: 900 };
    }
    getNormalBounds(): object {
      return this.getBounds();
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    userData: '',
    getAppPath: () => process.cwd(),
    getPath: (name: string) => (name === 'userData' ? app.userData : process.cwd()),
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock: () => true,
    quit: () => {},
    whenReady: () => Promise.resolve(),
  });
  const rec = {
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
    fetched: [] as string[],
    ipc: new Map<string, (event: unknown, request: unknown) => Promise<unknown>>(),
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    devicePermission: null as null | Listener,
    errorBoxes: [] as string[][],
    menu: null as unknown,
    openExternal: [] as string[],
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
    /** The options of every native open dialog shown. */
    openDialogs: [] as { title?: string; properties?: string[]; filters?: { name: string; extensions: string[] }[] }[],
    /** The options of every native question (showMessageBox) asked. */
    messageBoxes: [] as { message?: string; detail?: string; buttons?: string[]; cancelId?: number }[],
  };
  /** What the user does in the fakes: paths picked in dialogs, the path of a dropped file. */
  const user = {
    openPicks: null as string[] | null,
    savePick: null as string | null,
    droppedPath: '',
    /** The button the user clicks in a native question (showMessageBox); default: its cancel button. */
    messageBoxAnswer: null as number | null,
    /** When set, the preload's ipcRenderer.invoke reaches main's handlers with this event. */
    ipcEvent: null as unknown,
  };
  const modules: Record<string, unknown> = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: {
      showErrorBox: (...a: string[]) => rec.errorBoxes.push(a),
      showOpenDialog: async (_win: unknown, options: (typeof rec.openDialogs)[number]) => {
        rec.openDialogs.push(options);
        return user.openPicks ? { canceled: false, filePaths: user.openPicks } : { canceled: true, filePaths: [] };
      },
      showSaveDialog: async () => (user.savePick ? { canceled: false, filePath: user.savePick } : { canceled: true }),
      showMessageBox: async (_win: unknown, options: (typeof rec.messageBoxes)[number]) => {
        rec.messageBoxes.push(options);
        return { response: user.messageBoxAnswer ?? options.cancelId ?? 0 };
      },
    },
    ipcMain: { handle: (channel: string, fn: (e: unknown, r: unknown) => Promise<unknown>) => rec.ipc.set(channel, fn), on: () => {} },
    nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
    net: {
      fetch: async (url: string) => {
        rec.fetched.push(url);
        return new Response('<!doctype html><title>t</title>', { headers: { 'content-type': 'text/html' } });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.schemes.push(...s),
      handle: (scheme: string, fn: (req: { url: string }) => Promise<Response>) => rec.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: tolerant({
        setPermissionRequestHandler: (h: Listener) => (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (rec.permissionCheck = h),
        setDevicePermissionHandler: (h: Listener) => (rec.devicePermission = h),
      }),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (rec.menu = m) },
    shell: { openExternal: async (url: string) => void rec.openExternal.push(url) },
    screen: { getAllDisplays: () => [] },
    safeStorage: { isEncryptionAvailable: () => false },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => rec.exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, request: unknown) => {
        rec.invoked.push([channel, request]);
        return user.ipcEvent ? rec.ipc.get(channel)!(user.ipcEvent, request) : undefined;
      },
      on: () => {},
      removeListener: () => {},
    },
    webUtils: { getPathForFile: () => user.droppedPath },
  };
  for (const [k, v] of Object.entries(modules)) if (typeof v === 'object' && v) modules[k] = tolerant(v);
  const electron = tolerant(modules);
  return { electron, app, rec, user, FakeBrowserWindow, FakeWebContents };
}

/** The fake electron module of this test process (one per process: vi.mock's factory and the test share it). */
export type FakeElectron = ReturnType<typeof createFakeElectron>;

let shared: FakeElectron | undefined;

/** The one fake of this process (made on first use). */
export function sharedFakeElectron(): FakeElectron {
  shared ??= createFakeElectron();
  return shared;
}

/** Requires a CommonJS bundle with `electron` answered by the fake (and argv as Electron gives it). */
export function requireWithFakeElectron(fake: FakeElectron, file: string): void {
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = M._load;
  const argv = process.argv;
  M._load = function (request, parent, isMain) {
    return request === 'electron' ? fake.electron : original.call(this, request, parent, isMain);
  };
  process.argv = [process.execPath, file];
  try {
    Module.createRequire(file)(file);
  } finally {
    M._load = original;
    process.argv = argv;
  }
}

/** Bundles app/main and app/preload into `outDir` (main.cjs, preload.cjs) as scripts/build.mjs does. */
export async function bundleElectronApp(root: string, outDir: string): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, target: 'node20', logLevel: 'warning' as const, external: ['electron'] };
  await build({
    ...common,
    entryPoints: [join(root, 'app/main/main.ts')],
    outfile: join(outDir, 'main.cjs'),
    format: 'cjs',
    define: { 'import.meta.url': '__protodesk_import_meta_url' },
    banner: { js: "const __protodesk_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
  await build({
    ...common,
    entryPoints: [join(root, 'app/preload/preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    format: 'cjs',
    platform: 'browser',
  });
}

/** Main, started under the fake: its window, where its bundle is, and how to stop it. */
export interface LaunchedMain {
  win: InstanceType<FakeElectron['FakeBrowserWindow']>;
  /** Where main.cjs and preload.cjs are. */
  outDir: string;
  /** Quits main and removes the bundle and its user data. */
  close(): void;
}

/**
 * Bundles app/main and app/preload two levels below the repository (as dist/electron is, so main
 * finds dist/renderer and schemas/ the same way), starts main under the fake with a fresh user
 * data folder (made here unless given) and no state file, and resolves once its window has loaded (or rejects with what
 * main showed in an error box).
 */
export async function launchMain(
  fake: FakeElectron,
  root: string,
  name: string,
  userData = mkdtempSync(join(tmpdir(), `protodesk-${name}-`)),
): Promise<LaunchedMain> {
  const outDir = join(root, 'dist', `.${name}-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  await bundleElectronApp(root, outDir);
  process.env.PROTODESK_STATE = 'none';
  fake.app.userData = userData;
  requireWithFakeElectron(fake, join(outDir, 'main.cjs'));
  const { rec, FakeBrowserWindow } = fake;
  for (const deadline = Date.now() + 25_000; !FakeBrowserWindow.all[0]?.loaded.length;) {
    if (rec.errorBoxes.length) throw new Error(`main could not start: ${rec.errorBoxes.map((b) => b.join(': ')).join('; ')}`);
    if (Date.now() > deadline) throw new Error('main did not open its window within 25 s');
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return {
    win: FakeBrowserWindow.all[0],
    outDir,
    close() {
      fake.app.emit('before-quit');
      rmSync(outDir, { recursive: true, force: true });
      rmSync(userData, { recursive: true, force: true });
    },
  };
}
