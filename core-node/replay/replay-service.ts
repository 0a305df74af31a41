/**
 * The Node implementation of the replay half of the contract (ReplayApi): sending in every
 * transport, LiveKit tokens, history on disk, stream replay, secrets, and the mock server with
 * its events. Requests name their message by reference (an open document's message, read through
 * `documents`: request-source.ts). The Electron main process and the browser-mode server both
 * register this object, and forward its events (onEvent) as 'replay' host events.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Root, Type } from 'protobufjs';
import type {
  ReplayApi,
  ReplayAuth,
  ReplayEvent,
  ReplayMockStatus,
  ReplaySendResult,
  ReplayStreamItem,
  ReplayTarget,
} from '../../core/api/replay-contract';
import { mintLiveKitToken } from '../livekit/access-token';
import { grantsForLiveKitMethod } from '../livekit/grants';
import { startMockServer, type RunningMock } from '../mock/mock-server';
import type { MockFixture } from '../mock/fixture';
import { defaultFixture } from '../mock/default-fixture';
import { resolveMethod, splitMethod } from '../rpc/service-method';
import { HistoryStore } from './history-store';
import { redactHeaders, redactRecord, redactUrl } from './redact';
import { readRegularTextFile } from '../files/regular-file';
import { MemorySecretStore, type SecretStore } from './secret-store';
import { stringify } from '../../core/format';
import { CancelledError, closeGrpcClients, sendRequest, transportFailure, type LiveKitAuth, type SendResult } from './send-request';
import { ApiError } from '../../core/api/api-error';
import { bytesToJson, jsonToBytes } from '../rpc/proto-json';
import { EnvironmentStore } from './environments';
import { buildCommand } from './copy-command';
import { InFlight, checkTargetUrl, historyDetail, reflectForPane, withEnvironment } from './replay-tools';
import type { TlsOptions } from './http-client';
import { ReplayEventLog, summarizeMockEvent } from './replay-events';
import { messageBytes, openDocument, requestMessage, roomsOfSource, type ReplayDocuments } from './request-source';
import { frameJson, isSignalMethod, resolveReplayMethod, signalTypes } from './signal-target';
import { listReplayMethods, replayPresets, signalTokenForPane } from './replay-methods';

/** What the replay service needs from its host. */
export interface ReplayServiceOptions {
  /** The loaded schemas (called on every request, so reloads are seen). */
  getRoot(): Root | Promise<Root>;
  /** Directory for history.jsonl (e.g. Electron's userData/replay). */
  historyDir: string;
  /** Where secrets live; default: in memory for the session. */
  secrets?: SecretStore;
  /** Base directory for relative TLS / fixture paths. */
  cwd?: string;
  /** The open documents requests name by reference (the workbench session's API); none: only JSON and bytes. */
  documents?: ReplayDocuments;
}

/** The replay service: the ReplayApi plus `onEvent` (what the pane lists, as it happens) and `close` (stops the mock). */
export type ReplayService = ReplayApi & {
  /** The URL a send goes to once its environment filled it in (what a host checks before letting it go). */
  targetUrl(req: { url: string; environment?: string }): Promise<string>;
  /** Subscribes to replay events; returns the unsubscribe function. */
  onEvent(listener: (event: ReplayEvent) => void): () => void;
  close(): Promise<void>;
};

/** Creates the replay service. */
export function createReplayService(opts: ReplayServiceOptions): ReplayService {
  const secrets = opts.secrets ?? new MemorySecretStore();
  const history = new HistoryStore(opts.historyDir);
  const cwd = opts.cwd ?? process.cwd();
  const events = new ReplayEventLog();
  const environments = new EnvironmentStore(opts.historyDir, secrets);
  const inFlight = new InFlight();
  let mock: RunningMock | undefined;
  let unsubscribe: (() => void) | undefined;

  const secretOf = async (name: string | undefined, inline: string | undefined): Promise<string> => {
    if (inline) return inline;
    if (!name) throw new Error('a LiveKit secret is needed: store one with replaySecretSet and pass its name');
    const v = await secrets.get(name);
    if (v === undefined) throw new Error(`no stored secret named '${name}'`);
    return v;
  };

  const livekitAuth = async (auth: ReplayAuth | undefined): Promise<LiveKitAuth | undefined> => {
    if (!auth || auth.kind === 'none') return undefined;
    if (auth.kind === 'livekit-token') return { token: auth.token };
    return {
      apiKey: auth.apiKey,
      apiSecret: await secretOf(auth.secretName, auth.apiSecret),
      identity: auth.identity,
      ttlSeconds: auth.ttlSeconds,
      room: auth.room,
    };
  };

  const tlsOf = async (t: ReplayTarget['tls']): Promise<TlsOptions | undefined> => {
    if (!t) return undefined;
    const read = async (p?: string): Promise<string | undefined> => (p ? readRegularTextFile(resolve(cwd, p)) : undefined);
    return {
      insecureSkipVerify: t.insecureSkipVerify,
      caPem: await read(t.caFile),
      certPem: await read(t.certFile),
      keyPem: await read(t.keyFile),
    };
  };

  // What the page gets holds no secret: request and response headers, trailers, Twirp meta and
  // the target URL are redacted (redact.ts), on success and on failure alike.
  const toResult = (id: string, r: SendResult): ReplaySendResult => ({
    id,
    ok: r.ok,
    transport: r.transport,
    target: redactUrl(r.target),
    httpStatus: r.httpStatus,
    headers: redactHeaders(r.headers),
    trailers: redactHeaders(r.trailers),
    timeMs: r.timeMs,
    responseType: r.responseType,
    responseBytes: r.responseBytes,
    responseJson: r.responseJson === undefined ? undefined : stringify(r.responseJson),
    error: r.error && {
      code: r.error.code,
      message: r.error.message,
      grpcCode: r.error.grpcCode,
      meta: redactRecord(r.error.meta),
      details: r.error.details?.map((d) => ({ type: d.type, json: d.json === undefined ? undefined : stringify(d.json), bytes: d.bytes })),
    },
    requestHeaders: redactHeaders(r.requestHeaders),
    ...(r.warnings ? { warnings: r.warnings } : {}),
    ...(r.responses
      ? {
          responses: r.responses.map((m) => ({
            json: stringify(m.json),
            bytes: m.bytes,
            ...(m.timeMs !== undefined ? { timeMs: m.timeMs } : {}),
          })),
        }
      : {}),
  });

  /** A target with its environment filled in (none: as it is). */
  const inEnvironment = async <T extends ReplayTarget & { json?: string; docId?: string; body?: Uint8Array }>(req: T): Promise<T> => {
    const filled = req.environment ? withEnvironment(req, await environments.substitution(req.environment)) : req;
    checkTargetUrl(filled.url, req.url, req.environment);
    return filled;
  };

  /** The request stream of a client- or bidi-streaming call: every message of the document, or a JSON array. */
  const requestStream = async (
    req: { docId?: string; json?: string; body?: Uint8Array },
    requestType: Type,
    first: Uint8Array,
  ): Promise<Uint8Array[]> => {
    if (req.docId !== undefined) {
      const doc = await openDocument(opts.documents, req.docId);
      const out: Uint8Array[] = [];
      for (let i = 0; i < doc.messageCount; i++) out.push(await messageBytes(opts.documents!, doc.docId, i));
      return out;
    }
    if (req.json !== undefined) {
      const parsed = JSON.parse(req.json) as unknown;
      if (Array.isArray(parsed)) return parsed.map((m) => jsonToBytes(requestType, m));
    }
    return [first];
  };

  const sendOne = async (
    target: ReplayTarget,
    body: Uint8Array,
    root: Root,
    more: { signal?: AbortSignal; requests?: Uint8Array[] } = {},
  ): Promise<ReplaySendResult> => {
    // A signal connection's frames are events as they arrive (the pane lists them before the send ends).
    const t0Frames = performance.now();
    const signalIo = target.transport === 'websocket' ? signalTypes(root) : undefined;
    const onMessage = signalIo
      ? (i: number, bytes: Uint8Array): void => {
          const json = frameJson(signalIo.responseType, bytes);
          const kind = json && typeof json === 'object' ? Object.keys(json)[0] : undefined;
          events.received(
            `websocket ← ${kind ?? 'undecodable frame'} (message ${i}, ${bytes.length} bytes, +${(performance.now() - t0Frames).toFixed(1)} ms)`,
            json === undefined ? undefined : stringify(json),
          );
        }
      : undefined;
    const t0 = performance.now();
    try {
      const r = await sendRequest({
        root,
        url: target.url,
        transport: target.transport,
        method: target.method,
        body,
        requests: more.requests,
        signal: more.signal,
        headers: target.headers,
        timeoutMs: target.timeoutMs,
        tls: await tlsOf(target.tls),
        livekit: await livekitAuth(target.auth),
        maxMessageBytes: target.maxMessageBytes || undefined,
        http2: target.http2,
        httpGet: target.httpGet,
        onMessage,
      });
      if (more.signal?.aborted) throw new ApiError('cancelled', 'the send was cancelled');
      return toResult('', r);
    } catch (e) {
      // Cancelled by the user: the request fails with the code cancelled (as a cancelled task's does).
      if (e instanceof CancelledError || more.signal?.aborted) throw new ApiError('cancelled', 'the send was cancelled');
      let responseType = '';
      try {
        responseType = resolveReplayMethod(root, target.method)?.responseType.fullName.slice(1) ?? '';
      } catch {
        // a method name that is no pkg.Service/Method: no response type to name
      }
      return {
        id: '',
        ok: false,
        transport: target.transport,
        target: redactUrl(target.url),
        headers: [],
        trailers: [],
        timeMs: performance.now() - t0,
        responseType,
        // What was meant to be sent, redacted as on success (the LiveKit token was never made, or is not shown).
        requestHeaders: redactHeaders(target.headers ?? []),
        transportError: (e as Error).message,
        // The same shape gRPC gives a failed connection (unavailable, deadline_exceeded, ...).
        error: (({ code, message, grpcCode }) => ({ code, message, grpcCode }))(transportFailure(e)),
      };
    }
  };

  const status = (): ReplayMockStatus =>
    mock ? { running: true, httpUrl: mock.httpUrl, grpcUrl: mock.grpcUrl, services: mock.services } : { running: false, services: [] };

  const api: ReplayService = {
    async replayListMethods() {
      return listReplayMethods(await opts.getRoot());
    },

    async replayPresets() {
      return replayPresets(mock);
    },

    async replaySend(given) {
      const req = await inEnvironment(given);
      const root = await opts.getRoot();
      const resolved = resolveReplayMethod(root, req.method);
      if (!resolved) throw new Error(`no method ${req.method} in the loaded schemas`);
      const kind = resolved.kind;
      const streamsIn = kind === 'client-stream' || kind === 'bidi';
      const first = streamsIn && req.json !== undefined && Array.isArray(JSON.parse(req.json)) ? { ...req, json: undefined } : req;
      const { body, converted } = await requestMessage(first, resolved.requestType, root, opts.documents);
      const requests = streamsIn ? await requestStream(req, resolved.requestType, body) : undefined;
      const running = inFlight.start(req.requestId);
      let result: ReplaySendResult;
      try {
        result = await sendOne(req, body, root, { signal: running.signal, requests });
      } finally {
        running.done();
      }
      if (converted) result.converted = converted;
      // What the page sees and the history keeps holds no credential header and no secret variable's value.
      const mask = given.environment ? await environments.masker(given.environment) : (t: string) => t;
      const shown = (h: readonly [string, string][]) => redactHeaders(h).map(([k, v]) => [k, mask(v)] as [string, string]);
      result.requestHeaders = shown(result.requestHeaders);
      if (req.history !== false) {
        result.id = randomUUID();
        await history.add({
          id: result.id,
          time: new Date().toISOString(),
          // With an environment, the URL and headers as written ({{variables}}): sent again, the environment fills them.
          url: redactUrl(given.environment ? given.url : req.url),
          transport: req.transport,
          method: resolved.id,
          ok: result.ok,
          code: result.error?.code,
          httpStatus: result.httpStatus,
          timeMs: result.timeMs,
          requestBytes: body,
          responseBytes: result.responseBytes,
          headers: given.environment
            ? shown(given.headers ?? [])
            : result.requestHeaders.length
              ? result.requestHeaders
              : shown(req.headers ?? []),
          livekitKey: req.auth?.kind === 'livekit-key' ? req.auth.apiKey : undefined,
          requestType: resolved.requestType.fullName.slice(1),
          responseType: resolved.responseType.fullName.slice(1),
          ...(result.error
            ? {
                error: { code: result.error.code, message: result.error.message, grpcCode: result.error.grpcCode, meta: result.error.meta },
              }
            : {}),
          ...(result.responses ? { responsesJson: result.responses.slice(0, 100).map((m) => m.json) } : {}),
          ...(given.environment ? { environment: given.environment } : {}),
        });
      }
      const answers = result.responses ? `, ${result.responses.length} answers` : '';
      events.sent(`${req.transport} ${resolved.id} → ${result.ok ? 'ok' : result.error?.code}${answers} in ${result.timeMs.toFixed(1)} ms`);
      return result;
    },

    async replayMintLiveKitToken(req) {
      if (isSignalMethod(req.method)) return signalTokenForPane({ ...req, apiSecret: await secretOf(req.secretName, req.apiSecret) });
      const { service, method } = req.method.includes('/') ? splitMethod(req.method) : { service: '', method: req.method };
      // The rooms come from the request as Send sends it, unless given.
      const root = await opts.getRoot();
      const fromSource =
        req.room === undefined && req.destinationRoom === undefined
          ? await roomsOfSource(req, resolveMethod(root, service, method)?.requestType, root, opts.documents, service || undefined)
          : {};
      const grants = grantsForLiveKitMethod(service || 'livekit.RoomService', method, {
        room: req.room ?? fromSource.room,
        destinationRoom: req.destinationRoom ?? fromSource.destinationRoom,
      }) ?? { video: {} };
      const token = await mintLiveKitToken({
        apiKey: req.apiKey,
        apiSecret: await secretOf(req.secretName, req.apiSecret),
        grant: grants.video,
        sip: grants.sip,
        identity: req.identity,
        ttl: req.ttlSeconds ?? 600,
      });
      const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as unknown;
      return { token, claims: JSON.stringify(payload, null, 2), ...(fromSource.converted ? { converted: fromSource.converted } : {}) };
    },

    async replayStream(given) {
      const req = await inEnvironment(given);
      const root = await opts.getRoot();
      const doc = await openDocument(opts.documents, req.docId);
      const count = Math.min(doc.messageCount, req.maxMessages ?? 10000);
      const items: ReplayStreamItem[] = [];
      const running = inFlight.start(req.requestId);
      try {
        for (let i = 0; i < count; i++) {
          if (running.signal?.aborted) throw new ApiError('cancelled', `the stream replay was cancelled after ${i} of ${count} messages`);
          // Each message as it is now, edits included, sent as is (a stream's messages share a type).
          const r = await sendOne(req, await messageBytes(opts.documents!, doc.docId, i), root, { signal: running.signal });
          items.push({
            index: i,
            ok: r.ok,
            code: r.error?.code,
            message: r.error?.message,
            timeMs: r.timeMs,
            responseJson: r.responseJson,
          });
        }
      } finally {
        running.done();
      }
      const okCount = items.filter((x) => x.ok).length;
      events.sent(`stream of ${items.length} to ${req.method}: ${okCount} ok, ${items.length - okCount} errors`);
      return { framing: doc.framing, items, okCount, errorCount: items.length - okCount };
    },

    async replayCancel({ requestId }) {
      return { cancelled: inFlight.cancel(requestId) };
    },

    async replayHistoryList({ limit }) {
      return history.list(limit);
    },
    async replayHistoryGet({ id }) {
      const entry = (await history.list()).find((e) => e.id === id);
      if (!entry) throw new ApiError('not-found', 'no such history entry (it may have been cleared)');
      return historyDetail(entry, await opts.getRoot());
    },

    async replayCommand(given) {
      const req = await inEnvironment(given);
      const root = await opts.getRoot();
      if (req.transport === 'websocket' || isSignalMethod(req.method))
        throw new ApiError(
          'unsupported',
          'curl, grpcurl and buf curl cannot hold a WebSocket signal connection: send it from here, or with `bin/protodesk send --transport websocket`',
        );
      const resolved = resolveReplayMethod(root, req.method);
      if (!resolved) throw new ApiError('not-found', `no method ${req.method} in the loaded schemas`);
      const { body, converted } = await requestMessage(req, resolved.requestType, root, opts.documents);
      try {
        const line = buildCommand(req.tool, {
          url: req.url,
          transport: req.transport,
          method: resolved.id,
          json: JSON.stringify(bytesToJson(resolved.requestType, body)),
          headers: req.headers ?? [],
          livekitToken: req.auth !== undefined && req.auth.kind !== 'none',
          insecure: req.insecure,
          http2: req.http2,
        });
        return { ...line, ...(converted ? { converted } : {}) };
      } catch (e) {
        throw new ApiError('unsupported', (e as Error).message);
      }
    },

    async replayEnvList() {
      return { environments: await environments.list(), persistent: secrets.persistent };
    },
    async replayEnvSave({ name, variables, secrets: secretValues }) {
      await environments.save(name, variables, secretValues);
      return { saved: true };
    },
    async replayEnvDelete({ name }) {
      return { deleted: await environments.delete(name) };
    },

    async replayReflect(req) {
      return reflectForPane(await opts.getRoot(), req);
    },
    async replayHistoryClear() {
      return { cleared: await history.clear() };
    },

    async replaySecretSet({ name, value }) {
      if (!name) throw new Error('a secret needs a name');
      await secrets.set(name, value);
      return { persistent: secrets.persistent, ...(secrets.note ? { note: secrets.note } : {}) };
    },
    async replaySecretList() {
      return { names: await secrets.names(), persistent: secrets.persistent, ...(secrets.note ? { note: secrets.note } : {}) };
    },
    async replaySecretDelete({ name }) {
      return { deleted: await secrets.delete(name) };
    },

    async replayMockStart(req) {
      if (mock) return status();
      // Without a fixture the mock starts from the default one (a LiveKit room, Kik groups), as `protodesk mock` does.
      let fixture: MockFixture | undefined = defaultFixture();
      if (req.fixtureJson) fixture = JSON.parse(req.fixtureJson) as MockFixture;
      else if (req.fixtureFile) fixture = JSON.parse(await readRegularTextFile(resolve(cwd, req.fixtureFile))) as MockFixture;
      const apiSecret = req.apiKey ? await secretOf(req.secretName, req.apiSecret) : undefined;
      mock = await startMockServer({
        root: await opts.getRoot(),
        port: req.port ?? 0,
        grpcPort: req.grpcPort,
        fixture,
        apiKey: req.apiKey,
        apiSecret,
      });
      unsubscribe = mock.onEvent((e) => events.push(summarizeMockEvent(e)));
      return status();
    },
    async replayMockStop() {
      unsubscribe?.();
      await mock?.close();
      mock = undefined;
      return status();
    },
    async replayMockStatus() {
      return status();
    },
    async replayMockSetAnswer({ target, answer }) {
      if (!mock) throw new Error('the mock is not running');
      if (answer.kind === 'stream') {
        const messages = JSON.parse(answer.json) as unknown;
        if (!Array.isArray(messages)) throw new ApiError('invalid-input', 'a stream answer is a JSON array of messages');
        const error = answer.errorCode ? { code: answer.errorCode, message: answer.errorMessage ?? '' } : undefined;
        mock.setAnswer(target, { kind: 'stream', messages, ...(error ? { error } : {}) });
      } else mock.setAnswer(target, answer.kind === 'message' ? { kind: 'message', json: JSON.parse(answer.json) as unknown } : answer);
      return { ok: true };
    },

    async replayEvents({ since }) {
      return events.since(since);
    },

    async targetUrl(req) {
      return req.environment ? (await environments.substitution(req.environment))(req.url) : req.url;
    },

    onEvent: (listener) => events.subscribe(listener),

    async close() {
      inFlight.cancelAll();
      unsubscribe?.();
      await mock?.close();
      mock = undefined;
      closeGrpcClients();
    },
  };
  return api;
}
