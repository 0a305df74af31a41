/**
 * The renderer's way to the host: `window.protodesk` in Electron (the preload's bridge), or
 * HTTP + WebSocket to the browser-served mode (tagged JSON keeps BigInt and bytes). Both answer
 * each call with an Outcome; the API here returns its result or throws an ApiError with the
 * error's code (core/api/api-error.ts). Both APIs have one function per contract method, made
 * from the contract's method list (core/api/register.ts), never a Proxy that takes any name.
 */
import type { CaptureSummary } from '../../core/api/capture-contract';
import type { AppEvent, AppInfo, DocumentSummary, HostBridge, MethodName, ProtodeskApi, ProtodeskBridge } from '../../core/api/contract';
import { ApiError } from '../../core/api/api-error';
import { tooBigToOpen } from '../../core/api/limits';
import type { Outcome } from '../../core/api/method-map';
import { apiOverWire, perMethod, unwrapOutcome, wireApi } from '../../core/api/register';
import { decodeTagged, encodeTagged } from '../../core/api/tagged-json';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    protodesk?: HostBridge;
  }
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
async function httpCall(method: MethodName, fields: object, body?: Blob | Uint8Array<ArrayBuffer>): Promise<Outcome<unknown>> {
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
  const text = await res.text();
  let answer: Outcome<unknown> | undefined;
  try {
    answer = decodeTagged<Outcome<unknown>>(text);
  } catch {
    answer = undefined;
  }
  if (answer && typeof answer === 'object') {
    if ('error' in answer) return answer;
    // A result of undefined is left out of the JSON: an answer without `error` is a result.
    if (res.ok) return { result: (answer as { result?: unknown }).result };
  }
  return { error: { code: 'failed', message: `${method} failed (HTTP ${res.status})${text ? `: ${text.slice(0, 200)}` : ''}` } };
}

function httpBridge(): ProtodeskBridge {
  const token = pageToken();
  const api = apiOverWire(
    wireApi((method, request) => {
      const { bytes, ...rest } = (request ?? {}) as { bytes?: unknown };
      return bytes instanceof Uint8Array && bytes.length >= RAW_BYTES
        ? httpCall(method, rest, bytes as Uint8Array<ArrayBuffer>)
        : httpCall(method, request ?? {});
    }),
  );
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

/** The bridge of the Electron preload: its Outcomes unwrapped. */
function electronBridge(host: HostBridge): ProtodeskBridge {
  return {
    api: apiOverWire(host.api),
    onEvent: (listener) => host.onEvent(listener),
    pathForFile: (file) => host.pathForFile(file),
  };
}

/** The bridge of this window. */
export const bridge: ProtodeskBridge = window.protodesk ? electronBridge(window.protodesk) : httpBridge();

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
export const api: ProtodeskApi = perMethod((m) => {
  const call = bridge.api[m] as (request: unknown) => Promise<unknown>;
  return (request: unknown) => tracked(call(request));
}) as unknown as ProtodeskApi;

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
  if (tooBig) throw new ApiError('invalid-input', tooBig);
  if (!window.protodesk)
    return unwrapOutcome((await tracked(httpCall('openBytes', { name: file.name }, file))) as Outcome<DocumentSummary>);
  return api.openBytes({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
}

/** Opens a HAR file the user dropped or picked as a capture, the way openFile opens a message (from disk where the host knows its path). */
export async function openCaptureFile(file: File): Promise<CaptureSummary> {
  const path = bridge.pathForFile?.(file);
  if (path) return api.openCapturePath({ path });
  const tooBig = tooBigToOpen(file.name, file.size, (await hostInfo()).maxOpenBytes);
  if (tooBig) throw new ApiError('invalid-input', tooBig);
  if (!window.protodesk)
    return unwrapOutcome((await tracked(httpCall('openCaptureBytes', { name: file.name }, file))) as Outcome<CaptureSummary>);
  return api.openCaptureBytes({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
}
