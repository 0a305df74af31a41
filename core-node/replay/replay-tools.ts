/**
 * The replay service's helpers for what the pane shows around a send: sends in flight (to cancel),
 * environments filled into a target, a history entry with its messages as JSON, a send as a command
 * line, and schemas read by reflection (only what the loaded ones lack).
 */
import type { Root } from 'protobufjs';
import { ApiError } from '../../core/api/api-error';
import { stringify } from '../../core/format';
import type { ReplayAuth, ReplayHistoryDetail, ReplayHistoryEntry, ReplaySource, ReplayTarget } from '../../core/api/replay-contract';
import { bytesToJson } from '../rpc/proto-json';
import { resolveReplayMethod } from './signal-target';
import { reflectSchemas, withoutKnown } from './reflection-client';

/** Sends in flight by the id the page gave them, to cancel. */
export class InFlight {
  private readonly running = new Map<string, AbortController>();

  /** Registers a send; conflict when the id is in use. The returned function forgets it. */
  start(requestId: string | undefined): { signal?: AbortSignal; done(): void } {
    if (requestId === undefined) return { done: () => undefined };
    if (this.running.has(requestId)) throw new ApiError('conflict', `a send with requestId "${requestId}" is already in flight`);
    const ac = new AbortController();
    this.running.set(requestId, ac);
    return { signal: ac.signal, done: () => this.running.delete(requestId) };
  }

  /** Cancels a send in flight; false when there is none by that id (it may have finished). */
  cancel(requestId: string): boolean {
    const ac = this.running.get(requestId);
    if (!ac) return false;
    ac.abort();
    this.running.delete(requestId);
    return true;
  }

  /** Cancels every send (the service closes). */
  cancelAll(): void {
    for (const ac of this.running.values()) ac.abort();
    this.running.clear();
  }
}

/** A target and source with an environment's {{variables}} filled in (url, headers, JSON source, credentials). */
export function withEnvironment<T extends ReplayTarget & ReplaySource>(req: T, fill: (text: string) => string): T {
  const auth: ReplayAuth | undefined =
    req.auth?.kind === 'livekit-key'
      ? { ...req.auth, apiKey: fill(req.auth.apiKey), ...(req.auth.apiSecret ? { apiSecret: fill(req.auth.apiSecret) } : {}) }
      : req.auth?.kind === 'livekit-token'
        ? { ...req.auth, token: fill(req.auth.token) }
        : req.auth;
  return {
    ...req,
    url: fill(req.url),
    ...(req.headers ? { headers: req.headers.map(([k, v]) => [fill(k), fill(v)] as [string, string]) } : {}),
    ...(req.json !== undefined ? { json: fill(req.json) } : {}),
    ...(auth ? { auth } : {}),
  };
}

/**
 * Refuses a target URL that is not http(s) (or ws(s), the websocket transport's) once its environment filled it in (the request check
 * lets "{{host}}" through); the error names the URL as given (a filled one may hold a secret).
 */
export function checkTargetUrl(filled: string, given: string, environment: string | undefined): void {
  if (/^(https?|wss?):\/\/[^/\s?#]+(?:[/?#]\S*)?$/i.test(filled)) return;
  const url = given;
  const where = environment
    ? ` once environment "${environment}" filled it in`
    : /\{\{/.test(url)
      ? ' (choose an environment for its {{variables}})'
      : '';
  throw new ApiError('invalid-input', `url "${url}" is not an http(s) or ws(s) URL${where}`);
}

/** A history entry with its request and response as JSON text, read with the schemas loaded now. */
export function historyDetail(entry: ReplayHistoryEntry, root: Root): ReplayHistoryDetail {
  const resolved = resolveReplayMethod(root, entry.method);
  if (!resolved) return { entry, problem: `${entry.method} is not in the loaded schemas any more: only the bytes can be shown` };
  const detail: ReplayHistoryDetail = { entry };
  try {
    detail.requestJson = stringify(bytesToJson(resolved.requestType, entry.requestBytes));
    if (entry.responseBytes) detail.responseJson = stringify(bytesToJson(resolved.responseType, entry.responseBytes));
  } catch (e) {
    detail.problem = `the kept bytes no longer decode with the loaded schemas: ${(e as Error).message}`;
  }
  return detail;
}

/** A server's schemas by reflection, without what `root` already defines (for addSchemas uploads). */
export async function reflectForPane(
  root: Root,
  req: { url: string; headers?: [string, string][]; insecure?: boolean; timeoutMs?: number },
): Promise<{ services: string[]; version: string; fileCount: number; descriptorSet: Uint8Array }> {
  let reflected;
  try {
    reflected = await reflectSchemas(req.url, {
      headers: req.headers,
      tls: { insecureSkipVerify: req.insecure },
      timeoutMs: req.timeoutMs,
    });
  } catch (e) {
    throw new ApiError('failed', `reflection at ${req.url}: ${(e as Error).message}`);
  }
  return {
    services: reflected.services,
    version: reflected.version,
    fileCount: reflected.fileCount,
    descriptorSet: withoutKnown(root, reflected.descriptorSet),
  };
}
