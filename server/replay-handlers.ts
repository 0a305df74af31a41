/** The replay methods of the contract for the browser-served mode, over the replay service (core-node/replay). */
import type { Root } from 'protobufjs';
import type { ReplayDocuments } from '../core-node/replay/request-source';
import { ApiError } from '../core/api/api-error';
import type { ReplayApi, ReplayHostApi } from '../core/api/replay-contract';
import { createReplayService, type ReplayService } from '../core-node/replay/replay-service';

/** The host's replay methods here: a browser page gets no native dialogs (appInfo says nativeDialogs: false). */
const browserHost: ReplayHostApi = {
  async choosePaths() {
    throw new ApiError('unsupported', "choosePaths: native file dialogs are not available in the browser; type the file's path instead");
  },
};

/** Handlers for the replay half of the API, and the service (to close it). */
export function createReplayHandlers(options: { getRoot: () => Root; historyDir: string; cwd: string; documents?: ReplayDocuments }): {
  handlers: ReplayApi & ReplayHostApi;
  service: ReplayService;
} {
  const service = createReplayService(options);
  return { handlers: { ...service, ...browserHost }, service };
}
