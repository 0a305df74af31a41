/**
 * The preload (sandboxed, bundled as CommonJS): exposes `window.protodesk` with one function
 * per contract method (the contract's method list), each invoking its own IPC channel and
 * answering main's Outcome (a result, or an error with its code: Electron's bridge would keep only
 * an error's message), a subscription to host events, and the path of a dropped file (which main
 * then grants: app/main/path-grants.ts). No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { DROPPED_FILE_CHANNEL, EVENT_CHANNEL, ipcChannel, type AppEvent, type HostBridge } from '../../core/api/contract';
import type { Outcome } from '../../core/api/method-map';
import { wireApi } from '../../core/api/register';

/** Main's grant of the last dropped file: calls wait for it, so an openPath of that file finds it granted. */
let dropGranted: Promise<unknown> = Promise.resolve();

const bridge: HostBridge = {
  api: wireApi(async (method, request) => {
    await dropGranted;
    return (await ipcRenderer.invoke(ipcChannel(method), request ?? {})) as Outcome<unknown>;
  }),
  onEvent(listener: (event: AppEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  /**
   * The disk path of a File the user dropped (or picked in a file input), and main is told the
   * user chose it. Only a real File has a path, and the page cannot make one for a path of its
   * choosing, so a compromised page gains nothing here.
   */
  pathForFile(file: object): string {
    const path = webUtils.getPathForFile(file as File);
    if (path) dropGranted = ipcRenderer.invoke(DROPPED_FILE_CHANNEL, path).catch(() => undefined);
    return path;
  },
};

contextBridge.exposeInMainWorld('protodesk', bridge);
