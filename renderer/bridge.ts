/**
 * The renderer's way to the host: `window.protodesk` in Electron (the preload's bridge), or
 * HTTP + WebSocket to the browser-served mode (tagged JSON keeps BigInt and bytes).
 */
import type { AppEvent, ProtodeskApi, ProtodeskBridge } from '../core/api/contract';
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

function httpBridge(): ProtodeskBridge {
  const token = document.querySelector<HTMLMetaElement>('meta[name="protodesk-token"]')?.content ?? '';
  const call = async (method: string, request: unknown): Promise<unknown> => {
    const { bytes, ...rest } = (request ?? {}) as { bytes?: unknown };
    // Big bytes travel raw (no base64 inflation); the other fields ride in a header.
    const raw = bytes instanceof Uint8Array && bytes.length > 64 * 1024;
    const res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: raw
        ? { 'content-type': 'application/octet-stream', 'x-protodesk-token': token, 'x-protodesk-request': encodeURIComponent(encodeTagged(rest)) }
        : { 'content-type': 'application/json', 'x-protodesk-token': token },
      body: raw ? (bytes as Uint8Array<ArrayBuffer>) : encodeTagged(request ?? {}),
    });
    const body = decodeTagged<{ result?: unknown; error?: { message: string } }>(await res.text());
    if (!res.ok || body.error) throw new ApiError(body.error?.message ?? `${method} failed (${res.status})`);
    return body.result;
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

/** The API of this window. */
export const api: ProtodeskApi = bridge.api;
