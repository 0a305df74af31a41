/** The replay methods of the contract for the browser-served mode, over H6's replay service (core-node/replay). */
import type { Root } from 'protobufjs';
import type { ReplayHostApi } from '../core/api/replay-contract';
import { createReplayService, type ReplayService } from '../core-node/replay/replay-service';
import type { MethodHandlers } from './http-server';

/** The host's replay methods here: a browser page gets no native dialogs (appInfo says nativeDialogs: false). */
const browserHost: ReplayHostApi = {
  async choosePaths() {
    throw new Error("choosePaths: native file dialogs are not available in the browser; type the file's path instead");
  },
};

/** Handlers for the replay half of the API, and the service (to close it). */
export function createReplayHandlers(options: { getRoot: () => Root; historyDir: string; cwd: string }): {
  handlers: MethodHandlers;
  service: ReplayService;
} {
  const service = createReplayService(options);
  const handlers: MethodHandlers = {};
  for (const [name, fn] of Object.entries(service)) {
    if (name !== 'close' && typeof fn === 'function')
      handlers[name] = (request: unknown) => (fn as (r: unknown) => Promise<unknown>).call(service, request);
  }
  return { handlers: Object.assign(handlers, browserHost), service };
}
