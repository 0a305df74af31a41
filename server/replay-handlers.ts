/**
 * The replay methods of the contract for the browser-served mode, over the replay service
 * (core-node/replay). The service and what it needs (the gRPC, HTTP/2 and LiveKit token code,
 * the mock server) are loaded on the first replay call, not at start: a page's first answers
 * (its types, an opened file) do not wait for them.
 */
import type { Root } from 'protobufjs';
import type { ReplayDocuments } from '../core-node/replay/request-source';
import { ApiError } from '../core/api/api-error';
import { METHOD_NAMES } from '../core/api/request-check';
import type { ReplayApi, ReplayEvent, ReplayHostApi } from '../core/api/replay-contract';
import type { ReplayService } from '../core-node/replay/replay-service';

/** The host's replay methods here: a browser page gets no native dialogs (appInfo says nativeDialogs: false). */
const browserHost: ReplayHostApi = {
  async choosePaths() {
    throw new ApiError('unsupported', "choosePaths: native file dialogs are not available in the browser; type the file's path instead");
  },
};

/** The replay service as the server holds it: created on the first replay call. */
export interface LazyReplayService {
  /** Subscribes to replay events (from the service once it exists); returns the unsubscribe function. */
  onEvent(listener: (event: ReplayEvent) => void): () => void;
  /** Closes the service (stops its mock server) if it was created. */
  close(): Promise<void>;
  /** Whether a replay call has created the service. */
  started(): boolean;
}

/** What createReplayHandlers needs to make the service. */
export interface ReplayHandlerOptions {
  getRoot: () => Root;
  historyDir: string;
  cwd: string;
  documents?: ReplayDocuments;
}

/** Loads core-node/replay and creates the service (tests pass their own). */
async function createService(options: ReplayHandlerOptions): Promise<ReplayService> {
  const { createReplayService } = await import('../core-node/replay/replay-service');
  return createReplayService(options);
}

/** Handlers for the replay half of the API, and the service (to close it). */
export function createReplayHandlers(
  options: ReplayHandlerOptions,
  create: (options: ReplayHandlerOptions) => Promise<ReplayService> = createService,
): {
  handlers: ReplayApi & ReplayHostApi;
  service: LazyReplayService;
} {
  let loading: Promise<ReplayService> | null = null;
  let current: ReplayService | null = null;
  /** Listeners and, once the service exists, their subscriptions to it. */
  const listeners = new Map<(event: ReplayEvent) => void, (() => void) | null>();
  const load = (): Promise<ReplayService> =>
    (loading ??= create(options).then(
      (service) => {
        current = service;
        for (const listener of listeners.keys()) listeners.set(listener, service.onEvent(listener));
        return service;
      },
      (e: unknown) => {
        loading = null; // the next call tries again, and says why if it fails again
        throw e;
      },
    ));
  const handlers: Record<string, unknown> = { ...browserHost };
  for (const method of METHOD_NAMES) {
    if (!method.startsWith('replay')) continue;
    handlers[method] = async (request: unknown) => {
      const service = (await load()) as unknown as Record<string, (request: unknown) => Promise<unknown>>;
      return service[method](request);
    };
  }
  const service: LazyReplayService = {
    onEvent(listener) {
      listeners.set(listener, current ? current.onEvent(listener) : null);
      if (!current)
        void loading?.then((s) => {
          if (listeners.has(listener) && listeners.get(listener) === null) listeners.set(listener, s.onEvent(listener));
        });
      return () => {
        listeners.get(listener)?.();
        listeners.delete(listener);
      };
    },
    async close() {
      const made = await loading?.catch(() => null);
      await made?.close();
    },
    started: () => loading !== null,
  };
  return { handlers: handlers as unknown as ReplayApi & ReplayHostApi, service };
}
