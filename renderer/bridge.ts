/**
 * The renderer's way to the host: `window.protodesk` in Electron (the preload's bridge), or
 * HTTP + WebSocket to the browser-served mode (tagged JSON keeps BigInt and bytes).
 */
import type { AppEvent, AppInfo, DocumentSummary, ProtodeskApi, ProtodeskBridge } from '../core/api/contract';
import { tooBigToOpen } from '../core/api/limits';
import { decodeTagged, encodeTagged } from '../core/api/tagged-json';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    protodesk?: ProtodeskBridge;
  }
}

/** An error the host reported for a call. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
}

/** The per-launch token the browser-served page was given (see server/http-server.ts). */
function pageToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="protodesk-token"]')?.content ?? '';
}

/** Bytes at least this long travel as the raw request body instead of base64 inside JSON. */
const RAW_BYTES = 64 * 1024;

/**
 * Calls a method of the browser-served API. With `body`, the bytes (or a File, which Chromium
 * then streams from disk without a copy in the page) are the raw request body and the other
 * fields ride in a header; the server puts them back together as `{ ...fields, bytes }`.
 */
async function httpCall(method: string, fields: object, body?: Blob | Uint8Array<ArrayBuffer>): Promise<unknown> {
  const token = pageToken();
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: body
      ? {
          'content-type': 'application/octet-stream',
          'x-protodesk-token': token,
          'x-protodesk-request': encodeURIComponent(encodeTagged(fields)),
        }
      : { 'content-type': 'application/json', 'x-protodesk-token': token },
    body: body ?? encodeTagged(fields),
  });
  const answer = decodeTagged<{ result?: unknown; error?: { message: string } }>(await res.text());
  if (!res.ok || answer.error) throw new ApiError(answer.error?.message ?? `${method} failed (${res.status})`);
  return answer.result;
}

function httpBridge(): ProtodeskBridge {
  const token = pageToken();
  const call = (method: string, request: unknown): Promise<unknown> => {
    const { bytes, ...rest } = (request ?? {}) as { bytes?: unknown };
    return bytes instanceof Uint8Array && bytes.length >= RAW_BYTES
      ? httpCall(method, rest, bytes as Uint8Array<ArrayBuffer>)
      : httpCall(method, request ?? {});
  };
  const api = new Proxy({} as ProtodeskApi, {
    get: (_t, name) => (typeof name === 'string' ? (request: unknown) => call(name, request) : undefined),
  });
  const listeners = new Set<(e: AppEvent) => void>();
  let ws: WebSocket | null = null;
  const connect = () => {
    ws = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    ws.onmessage = (m) => {
      const event = decodeTagged<AppEvent>(String(m.data));
      for (const l of listeners) l(event);
    };
    ws.onclose = () => {
      ws = null;
      setTimeout(connect, 2000);
    };
  };
  connect();
  return {
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The bridge of this window. */
export const bridge: ProtodeskBridge = window.protodesk ?? httpBridge();

// ---- Calls in flight, so optional set-up work can wait until the page's data has arrived.
let inFlight = 0;
const quietListeners = new Set<() => void>();

function tracked<T>(p: Promise<T>): Promise<T> {
  inFlight++;
  return p.finally(() => {
    if (--inFlight === 0) for (const l of [...quietListeners]) l();
  });
}

/**
 * Runs `work` once the page is quiet: no host call in flight, then a painted frame and an idle
 * moment (so what those calls brought is on screen first), or after `maxWaitMs` whatever the
 * traffic. For costly set-up nothing on screen waits for (the text editor). Returns a cancel.
 */
export function whenQuiet(work: () => void, maxWaitMs = 2000): () => void {
  let done = false;
  let frame = 0;
  let idle = 0;
  const finish = () => {
    if (done) return;
    done = true;
    cancel();
    work();
  };
  const deadline = setTimeout(finish, maxWaitMs);
  const settle = () => {
    cancelAnimationFrame(frame);
    cancelIdleCallback(idle);
    frame = requestAnimationFrame(() => {
      idle = requestIdleCallback(() => (inFlight === 0 ? finish() : undefined), { timeout: maxWaitMs });
    });
  };
  const cancel = () => {
    clearTimeout(deadline);
    cancelAnimationFrame(frame);
    cancelIdleCallback(idle);
    quietListeners.delete(settle);
  };
  quietListeners.add(settle);
  settle();
  return () => {
    done = true;
    cancel();
  };
}

/** The API of this window (calls counted for whenQuiet). */
export const api: ProtodeskApi = new Proxy({} as ProtodeskApi, {
  get: (_t, name) => {
    const method = (bridge.api as unknown as Record<string | symbol, unknown>)[name];
    return typeof method === 'function' ? (request: unknown) => tracked((method as (r: unknown) => Promise<unknown>)(request)) : method;
  },
});

let info: Promise<AppInfo> | null = null;

/** What the host said of itself (asked once; asked again after a failure). */
export function hostInfo(): Promise<AppInfo> {
  info ??= api.appInfo({}).catch((e: unknown) => {
    info = null;
    throw e;
  });
  return info;
}

/**
 * Opens a file the user dropped or picked. Where the host knows its path (Electron) it opens
 * from disk, so Save writes in place. In the browser the File itself is the request body:
 * the page never reads or copies it.
 */
export async function openFile(file: File): Promise<DocumentSummary> {
  const path = bridge.pathForFile?.(file);
  if (path) return api.openPath({ path });
  // Refused before it is sent: the host would refuse it anyway, and a browser cut off mid-upload
  // says only "Failed to fetch".
  const tooBig = tooBigToOpen(file.name, file.size, (await hostInfo()).maxOpenBytes);
  if (tooBig) throw new ApiError(tooBig);
  if (!window.protodesk) return (await tracked(httpCall('openBytes', { name: file.name }, file))) as DocumentSummary;
  return api.openBytes({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
}
