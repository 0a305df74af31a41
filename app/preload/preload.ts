/**
 * The preload (sandboxed, bundled as CommonJS): exposes `window.protodesk` with one function
 * per contract method, each invoking its own IPC channel, and a subscription to host events.
 * No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { DOCUMENT_METHODS, EVENT_CHANNEL, ipcChannel, type AppEvent } from '../../core/api/contract';
import { REPLAY_METHODS } from '../../core/api/replay-contract';

const api: Record<string, (request: unknown) => Promise<unknown>> = {};
for (const method of [...DOCUMENT_METHODS, ...REPLAY_METHODS]) {
  api[method] = (request: unknown) => ipcRenderer.invoke(ipcChannel(method), request ?? {});
}

contextBridge.exposeInMainWorld('protodesk', {
  api,
  onEvent(listener: (event: AppEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  pathForFile(file: object): string {
    return webUtils.getPathForFile(file as File);
  },
});
