/**
 * Electron main: one window per app, the renderer served from app://protodesk/ (with a CSP),
 * the workbench session over core + core-node, one ipcMain.handle per contract method with
 * the sender checked and the arguments validated (file paths only when the user chose them,
 * writes only to files the user opened or chose to save: path-grants.ts; replay sends only to
 * origins the user chose: replay-targets.ts), native dialogs, menus, recent files, files from
 * the command line, and window bounds remembered. Kept thin: the logic is in core/.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  nativeTheme,
  net,
  protocol,
  session as electronSession,
  type FileFilter,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DROPPED_FILE_CHANNEL,
  EVENT_CHANNEL,
  ipcChannel,
  type AppEvent,
  type DocumentApi,
  type DocumentSummary,
  type MenuCommand,
  type ProtodeskApi,
} from '../../core/api/contract';
import type { FilePurpose, ReplayHostApi } from '../../core/api/replay-contract';
import { registerContract } from '../../core/api/register';
import { createNodeWorkbench, type NodeWorkbench } from '../../core-node/workbench/node-hosts';
import { createReplayService, type ReplayService } from '../../core-node/replay/replay-service';
import { ApiError } from '../../core/api/api-error';
import { confirmReplayTarget, confirmSaveOver } from './confirm-dialogs';
import { installMenu } from './menu';
import { PathGrants } from './path-grants';
import { ReplayTargets, replayOrigin } from './replay-targets';
import { SafeStorageSecretStore } from './safe-storage-secrets';
import { captureState, initialBounds, type WindowState } from './window-state';
import { MAX_OPEN_BYTES } from '../../core/api/limits';

const ORIGIN = 'app://protodesk';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Where the app's files are: the repo (dev) or the packaged resources. */
const appRoot = app.isPackaged ? app.getAppPath() : resolve(__dirname, '../..');
const rendererDir = join(appRoot, 'dist', 'renderer');
const schemasDir = app.isPackaged ? join(process.resourcesPath, 'schemas') : join(appRoot, 'schemas');
const stateFile = process.env.PROTODESK_STATE === 'none' ? null : join(app.getPath('userData'), 'state.json');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let win: BrowserWindow | null = null;
let session: NodeWorkbench;
let replayService: ReplayService;
let allowClose = false;
const pendingFiles: string[] = [];
/** Paths the user chose; requests naming any other path are refused. */
const grants = new PathGrants();
/** Origins the Replay pane may send to; any other is confirmed natively first. */
const targets = new ReplayTargets();

function uiState(): { window?: WindowState } {
  if (!stateFile) return {};
  try {
    return JSON.parse(readFileSync(stateFile + '.ui.json', 'utf8')) as { window?: WindowState };
  } catch {
    return {};
  }
}

function saveUiState(s: { window?: WindowState }): void {
  if (!stateFile) return;
  try {
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile + '.ui.json', JSON.stringify(s));
  } catch {
    // best effort
  }
}

function send(event: AppEvent): void {
  win?.webContents.send(EVENT_CHANNEL, event);
}

/** Only our own page may call the API: the main frame of our window, showing app://protodesk/. */
function checkSender(e: IpcMainInvokeEvent): void {
  const frame = e.senderFrame;
  const url = frame?.url ?? '';
  if (!win || e.sender !== win.webContents || !frame || frame.parent !== null || !url.startsWith(`${ORIGIN}/`)) {
    throw new Error('IPC from an unexpected sender was refused');
  }
}

/** No web permission (camera, notifications, clipboard-read, HID, openExternal, ...) is ever granted. */
function denyPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Opens files the user chose (a dialog, the command line, the OS, Open Recent): they may be read and saved over. */
async function openFiles(paths: readonly string[]): Promise<DocumentSummary[]> {
  grants.grant(paths, 'write');
  const out: DocumentSummary[] = [];
  for (const p of paths) {
    try {
      // A HAR file opens as a capture, which the window lists in its capture view.
      if (/\.har$/i.test(p)) send({ kind: 'capture-opened', capture: await session.api.openCapturePath({ path: p }) });
      else out.push(await session.api.openPath({ path: p }));
    } catch (e) {
      dialog.showErrorBox('Cannot open file', `${p}: ${(e as Error).message}`);
    }
  }
  void refreshMenu();
  return out;
}

async function refreshMenu(): Promise<void> {
  const recent = await session.api.recentFiles({});
  grants.grant(recent);
  installMenu({
    recent,
    send: (command: MenuCommand) => send({ kind: 'menu', command }),
    openRecent: (p) => void openFiles([p]).then((docs) => docs.forEach((summary) => send({ kind: 'opened', summary }))),
  });
}

const PEM_CERTIFICATES: FileFilter = { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] };
/** The open dialog of each file purpose (choosePaths): its title and filters (All files is added). */
const FILE_DIALOGS: Record<FilePurpose, { title: string; filters: FileFilter[] }> = {
  'tls-ca': { title: 'Choose the CA certificate', filters: [PEM_CERTIFICATES] },
  'tls-cert': { title: 'Choose the client certificate', filters: [PEM_CERTIFICATES] },
  'tls-key': { title: 'Choose the client key', filters: [{ name: 'PEM keys', extensions: ['pem', 'key'] }] },
  'mock-fixture': { title: 'Choose a mock fixture', filters: [{ name: 'JSON fixtures', extensions: ['json'] }] },
};

/** Saving in place writes the document's own file: only one the user opened or chose to save, or confirms now. */
async function save({ docId }: { docId: string }): Promise<DocumentSummary> {
  const { path } = await session.api.getSummary({ docId });
  if (path && !grants.allows(path, 'write')) {
    if (!(await confirmSaveOver(win, path))) throw new ApiError('cancelled', `save: not saved; ${path} was opened for reading only`);
    grants.grant([path], 'write');
  }
  return session.api.save({ docId });
}

/** Replay sends only to origins the user chose (presets, the mock, history) or confirms now. */
async function checkReplayTarget(method: string, url: string): Promise<void> {
  if (targets.allows(url)) return;
  // The history was written by main after sends that were allowed: its origins are the user's.
  targets.allow((await replayService.replayHistoryList({})).map((e) => e.url));
  if (targets.allows(url)) return;
  const origin = replayOrigin(url) ?? url;
  if (!(await confirmReplayTarget(win, origin))) throw new ApiError('refused', `${method}: sending to ${origin} was not confirmed`);
  targets.allow([url]);
}

function hostMethods(): Pick<
  DocumentApi,
  'appInfo' | 'openDialog' | 'addSchemasDialog' | 'confirmClose' | 'save' | 'saveAs' | 'exportMessage' | 'listRecoverable'
> &
  ReplayHostApi &
  Pick<ReplayService, 'replaySend' | 'replayStream' | 'replayMockStart' | 'replayReflect'> {
  return {
    save,
    // Checked where the send really goes: the URL once its environment filled it in.
    async replaySend(req) {
      await checkReplayTarget('replaySend', await replayService.targetUrl(req));
      return replayService.replaySend(req);
    },
    async replayStream(req) {
      await checkReplayTarget('replayStream', await replayService.targetUrl(req));
      return replayService.replayStream(req);
    },
    // Reflection connects to the server too.
    async replayReflect(req) {
      await checkReplayTarget('replayReflect', req.url);
      return replayService.replayReflect(req);
    },
    async replayMockStart(req) {
      const status = await replayService.replayMockStart(req);
      // Main started the mock: the pane may send to it.
      targets.allow([status.httpUrl, status.grpcUrl, status.httpUrl?.replace(/^http/, 'ws')]);
      return status;
    },
    appInfo: async () => ({
      version: app.getVersion(),
      mode: 'electron',
      platform: process.platform,
      nativeDialogs: true,
      maxOpenBytes: MAX_OPEN_BYTES,
    }),
    async openDialog() {
      const r = await dialog.showOpenDialog(win!, {
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Protobuf messages', extensions: ['bin', 'pb', 'binpb', 'delimited', 'grpc'] },
          { name: 'Captures (HAR)', extensions: ['har'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return r.canceled ? [] : openFiles(r.filePaths);
    },
    async saveAs({ docId, path, overwrite, overwriteReadOnly }) {
      let target = path;
      if (!target) {
        const s = await session.api.getSummary({ docId });
        // The dialog asks before replacing a file (on Linux only when told to).
        const r = await dialog.showSaveDialog(win!, { defaultPath: s.path ?? s.name, properties: ['showOverwriteConfirmation'] });
        if (r.canceled || !r.filePath) return null;
        target = r.filePath;
        overwrite = true;
        grants.grant([target], 'write');
      }
      const s = await session.api.saveAs({ docId, path: target, overwrite, overwriteReadOnly });
      void refreshMenu();
      return s;
    },
    async exportMessage(req) {
      const r = await session.api.exportMessage(req);
      const d = await dialog.showSaveDialog(win!, { defaultPath: r.name });
      if (d.canceled || !d.filePath) return { name: r.name };
      await writeFile(d.filePath, r.text ?? r.bytes ?? '');
      return { name: r.name, path: d.filePath };
    },
    async addSchemasDialog({ kind }) {
      const r = await dialog.showOpenDialog(
        win!,
        kind === 'folder'
          ? { properties: ['openDirectory'] }
          : {
              properties: ['openFile', 'multiSelections'],
              filters:
                kind === 'proto'
                  ? [{ name: '.proto files', extensions: ['proto'] }]
                  : [{ name: 'Descriptor sets', extensions: ['binpb', 'pb', 'desc', 'protoset'] }],
            },
      );
      if (r.canceled) return session.api.schemaStatus({});
      if (kind === 'folder') grants.grantFolders(r.filePaths);
      else grants.grant(r.filePaths);
      return session.api.addSchemas(
        kind === 'proto' ? { protoFiles: r.filePaths } : kind === 'folder' ? { importPaths: r.filePaths } : { descriptorSets: r.filePaths },
      );
    },
    async choosePaths({ purpose }) {
      const { title, filters } = FILE_DIALOGS[purpose];
      const r = await dialog.showOpenDialog(win!, {
        title,
        properties: ['openFile'],
        filters: [...filters, { name: 'All files', extensions: ['*'] }],
      });
      if (r.canceled) return [];
      // The user picked them: the page may now name them (the replay TLS fields, a mock fixture).
      grants.grant(r.filePaths);
      return r.filePaths;
    },
    async listRecoverable(request) {
      // Recovery entries were the user's documents: their paths may be opened again.
      const list = await session.api.listRecoverable(request);
      grants.grant(list.flatMap((d) => (d.path ? [d.path] : [])));
      return list;
    },
    async confirmClose() {
      allowClose = true;
      // Quitting without saving is the user's choice: nothing is offered back next time.
      await session.discardOwnRecovery();
      setImmediate(() => win?.close());
      return { ok: true };
    },
  };
}

/**
 * One IPC handler per contract method, through the contract's one registration: the sender is
 * checked here, then the request (core/api/request-specs.ts) and its paths (path-grants.ts), then
 * the handler runs; the answer is an Outcome, so an error keeps its code across the bridge.
 */
function registerIpc(replay: ReplayService): void {
  const api: ProtodeskApi = { ...session.api, ...replay, ...hostMethods() };
  registerContract(
    api,
    (method, call) =>
      ipcMain.handle(ipcChannel(method), async (event, request: unknown) => {
        checkSender(event);
        return call(request);
      }),
    { authorize: (method, request) => grants.check(method, request) },
  );
  // The preload reports a file dropped on the window (its path, from webUtils.getPathForFile):
  // the user chose it, as in the open dialog, so it may be saved over.
  ipcMain.handle(DROPPED_FILE_CHANNEL, async (event, path: unknown) => {
    checkSender(event);
    if (typeof path !== 'string' || !path) throw new TypeError('a dropped file needs its path');
    grants.grant([path], 'write');
  });
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

function createWindow(): void {
  const state = uiState();
  // Electronegativity AUXCLICK_JS_CHECK: a middle-click can only ask for a new window, and harden()
  // denies every new window (setWindowOpenHandler) and navigation (app/main/security.test.ts).
  // Prettier would move the eng-disable comment off the line electronegativity reports.
  // prettier-ignore
  win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
    ...initialBounds(state.window),
    minWidth: 900,
    minHeight: 560,
    title: 'Protodesk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1f24' : '#ffffff',
    webPreferences: {
      // Reviewed (electronegativity PRELOAD_JS_CHECK): the preload is ours and exposes one function per
      // contract method, never ipcRenderer (app/preload/preload.ts; app/main/security.test.ts).
      preload: join(__dirname, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.window?.maximized) win.maximize();
  harden(win.webContents);
  win.on('close', (e) => {
    saveUiState({ window: captureState(win!) });
    if (!allowClose && session.dirtyDocuments().length) {
      e.preventDefault();
      send({ kind: 'close-requested' });
    }
  });
  // Coming back to the window: check open files for changes on disk now (the poll runs every 2 s too).
  win.on('focus', () => void session.api.checkDisk({}).catch(() => undefined));
  win.on('closed', () => {
    win = null;
  });
  win.webContents.once('did-finish-load', () => {
    void openFiles(pendingFiles.splice(0)).then((docs) => docs.forEach((summary) => send({ kind: 'opened', summary })));
  });
  void win.loadURL(`${ORIGIN}/index.html`);
}

/** Files named on a command line (anything that is not a flag and exists). */
function filesFromArgv(argv: readonly string[], cwd: string): string[] {
  const args = argv.slice(app.isPackaged ? 1 : 2);
  return args
    .filter((a) => !a.startsWith('-'))
    .map((a) => resolve(cwd, a))
    .filter((p) => existsSync(p) && !p.endsWith('.cjs'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingFiles.push(...filesFromArgv(process.argv, process.cwd()));
  app.on('second-instance', (_e, argv, cwd) => {
    void openFiles(filesFromArgv(argv, cwd)).then((docs) => docs.forEach((summary) => send({ kind: 'opened', summary })));
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (session && win) void openFiles([path]).then((docs) => docs.forEach((summary) => send({ kind: 'opened', summary })));
    else pendingFiles.push(path);
  });
  app.on('web-contents-created', (_e, contents) => harden(contents));
  app
    .whenReady()
    .then(async () => {
      nativeTheme.themeSource = 'system';
      denyPermissions(electronSession.defaultSession);
      protocol.handle('app', async (request) => {
        const url = new URL(request.url);
        if (url.host !== 'protodesk') return new Response('not found', { status: 404 });
        let pathname: string;
        try {
          pathname = decodeURIComponent(url.pathname);
        } catch {
          return new Response('bad request', { status: 400 });
        }
        const file = normalize(join(rendererDir, pathname));
        if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
        const res = await net.fetch(pathToFileURL(file).toString());
        const headers = new Headers(res.headers);
        if (file.endsWith('.html')) headers.set('content-security-policy', CSP);
        return new Response(res.body, { status: res.status, headers });
      });
      // Unsaved documents are journaled beside the state (offered back after a crash); open files are watched.
      session = await createNodeWorkbench({
        stateFile,
        schemasDir,
        recoveryDir: stateFile ? join(app.getPath('userData'), 'recovery') : null,
      });
      session.onEvent(send);
      const replay = createReplayService({
        getRoot: session.root,
        historyDir: join(app.getPath('userData'), 'replay'),
        cwd: process.cwd(),
        secrets: new SafeStorageSecretStore(),
        documents: session.api,
      });
      replayService = replay;
      // The presets are main's own (the LiveKit dev server): the pane may send there.
      targets.allow((await replay.replayPresets({})).map((p) => p.url));
      // Replay events (sends, mock requests, Kik notifications) are pushed like every host event.
      replay.onEvent((event) => send({ kind: 'replay', event }));
      app.on('before-quit', () => void replay.close());
      registerIpc(replay);
      await refreshMenu();
      createWindow();
    })
    .catch((e: unknown) => {
      dialog.showErrorBox('Protodesk could not start', String((e as Error)?.stack ?? e));
      app.quit();
    });
  app.on('window-all-closed', () => app.quit());
}
