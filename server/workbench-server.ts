/**
 * The browser-served workbench: a session over the file system plus the HTTP server, with the
 * host methods of the contract (no native dialogs here: the page uses <input type=file>).
 */
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync } from 'node:fs';
import { ApiError } from '../core/api/api-error';
import type { AppInfo, DocumentApi, ProtodeskApi } from '../core/api/contract';
import { createNodeWorkbench } from '../core-node/workbench/node-hosts';
import { startServer, type RunningServer } from './http-server';
import { createReplayHandlers } from './replay-handlers';
import { MAX_OPEN_BYTES } from '../core/api/limits';

/** Options of startWorkbenchServer. */
export interface WorkbenchServerOptions {
  port: number;
  cwd?: string;
  /** Files to open at start. */
  files?: readonly string[];
  rendererDir?: string;
  /** Remembered types and recent files; null keeps them in memory only. */
  stateFile?: string | null;
  /**
   * The crash-recovery journal of unsaved documents. Default: `recovery/` beside the state file
   * (none with stateFile null: then unsaved work is kept in memory only).
   */
  recoveryDir?: string | null;
  /** The first one-time key of the link (tests); random when absent. */
  token?: string;
  /** Called with the next one-time link each time one has been used. */
  onLink?(link: string): void;
}

/** The package root (two levels up from this file). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** A running browser-served workbench. */
export interface WorkbenchServer extends RunningServer {
  rendererDir: string;
}

/** Starts the session and the server. */
export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<WorkbenchServer> {
  const cwd = options.cwd ?? process.cwd();
  const rendererDir = options.rendererDir ? resolve(cwd, options.rendererDir) : join(PACKAGE_ROOT, 'dist', 'renderer');
  const stateFile = options.stateFile === undefined ? join(homedir(), '.config', 'protodesk', 'state.json') : options.stateFile;
  const recoveryDir =
    options.recoveryDir !== undefined
      ? options.recoveryDir === null
        ? null
        : resolve(cwd, options.recoveryDir)
      : stateFile
        ? join(dirname(stateFile), 'recovery')
        : null;
  const session = await createNodeWorkbench({ cwd, stateFile, recoveryDir });
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const host: Pick<DocumentApi, 'appInfo' | 'openDialog' | 'addSchemasDialog' | 'confirmClose'> = {
    appInfo: async (): Promise<AppInfo> => ({
      version,
      mode: 'browser',
      platform: process.platform,
      nativeDialogs: false,
      maxOpenBytes: MAX_OPEN_BYTES,
    }),
    openDialog: async () => [],
    addSchemasDialog: async () => {
      throw new ApiError('unsupported', 'no native dialog in the browser: upload .proto files, or give a path');
    },
    confirmClose: async () => ({ ok: true }),
  };
  const historyDir = stateFile ? join(dirname(stateFile), 'replay') : mkdtempSync(join(tmpdir(), 'protodesk-replay-'));
  const replay = createReplayHandlers({ getRoot: session.root, historyDir, cwd, documents: session.api });
  const api: ProtodeskApi = { ...session.api, ...host, ...replay.handlers };
  const server = await startServer({
    port: options.port,
    rendererDir,
    api,
    ...(options.token ? { token: options.token } : {}),
    ...(options.onLink ? { onLink: options.onLink } : {}),
  });
  const close = server.close;
  const unsubscribe = session.onEvent((e) => server.broadcast(e));
  // Replay events (sends, mock requests, Kik notifications) are pushed like every host event.
  const unsubscribeReplay = replay.service.onEvent((event) => server.broadcast({ kind: 'replay', event }));
  for (const f of options.files ?? []) {
    try {
      // A HAR file opens as a capture (the page lists the open captures when it loads).
      if (/\.har$/i.test(f)) await session.api.openCapturePath({ path: resolve(cwd, f) });
      else await session.api.openPath({ path: resolve(cwd, f) });
    } catch (e) {
      process.stderr.write(`protodesk serve: ${f}: ${(e as Error).message}\n`);
    }
  }
  return {
    ...server,
    rendererDir,
    close: async () => {
      unsubscribe();
      unsubscribeReplay();
      // A clean stop: pending edits reach the journal (the page may still hold unsaved tabs).
      await session.flushRecovery();
      session.dispose();
      await replay.service.close();
      await close();
    },
  };
}
