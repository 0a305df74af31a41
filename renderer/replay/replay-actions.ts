/**
 * What the replay pane's buttons do, over the host API: each reads the pane state (`pane`) when
 * it runs and puts what the host answers back there. Requests name their message by reference
 * (the source document's id, or the JSON box): the host reads, converts and frames the bytes, so
 * one Send is two calls (replaySend, then replayHistoryList).
 */
import type { DocumentApi, DocumentSummary } from '../../core/api/contract';
import type {
  FilePurpose,
  ReplayApi,
  ReplayAuth,
  ReplayConversion,
  ReplayHistoryEntry,
  ReplayHostApi,
  ReplaySource,
  ReplayTarget,
  ReplayTransport,
} from '../../core/api/replay-contract';
import { errorText } from '../shared/util';
import {
  applyPreset,
  autoAuthKind,
  followKey,
  followMethod,
  isLiveKitMethod,
  isSignalMethod,
  pairMethodTransport,
  parseHeaderLines,
  resendHeaders,
  type PresetForm,
} from './replay-logic';
import type { ReplayPaneState, ReplayStateAccess } from './replay-state';

/** The calls the pane makes: the replay API, the host's file picker and a few document calls. */
export type ReplayPaneApi = ReplayApi &
  ReplayHostApi &
  Pick<DocumentApi, 'appInfo' | 'listDocuments' | 'openBytes' | 'setType' | 'getText' | 'addSchemas'>;

/** The TLS file fields: where each is kept, what the native dialog is asked for, and its label. */
export const TLS_FILES = [
  { field: 'caFile', purpose: 'tls-ca', label: 'CA file (PEM)' },
  { field: 'certFile', purpose: 'tls-cert', label: 'client cert (PEM)' },
  { field: 'keyFile', purpose: 'tls-key', label: 'client key (PEM)' },
] as const satisfies readonly { field: keyof ReplayPaneState; purpose: FilePurpose; label: string }[];

/** A path field of the pane: the TLS files. */
export type PathField = (typeof TLS_FILES)[number]['field'];

/**
 * Asks the host's native open dialog for a file and puts the chosen path in the field (Electron
 * then reads that file, and only a file chosen so, or dropped). A cancelled dialog leaves the field.
 */
export async function choosePathInto(pane: ReplayStateAccess, api: ReplayHostApi, purpose: FilePurpose, field: PathField): Promise<void> {
  const [path] = await api.choosePaths({ purpose, kind: 'file' });
  if (path) pane.set({ [field]: path });
}

/** The auth the form describes. */
export function authOf(s: ReplayPaneState): ReplayAuth {
  if (s.authKind === 'livekit-token') return { kind: 'livekit-token', token: s.token };
  if (s.authKind === 'livekit-key') {
    // The signal connection's token joins a room as an identity.
    const join = isSignalMethod(s.method) ? { ...(s.room ? { room: s.room } : {}), ...(s.identity ? { identity: s.identity } : {}) } : {};
    return s.secretName
      ? { kind: 'livekit-key', apiKey: s.apiKey, secretName: s.secretName, ...join }
      : { kind: 'livekit-key', apiKey: s.apiKey, apiSecret: s.inlineSecret, ...join };
  }
  return { kind: 'none' };
}

/** The target the form describes. */
export function targetOf(s: ReplayPaneState): ReplayTarget {
  return {
    url: s.url,
    transport: s.transport,
    method: s.method,
    headers: parseHeaderLines(s.headerText),
    timeoutMs: s.timeoutMs,
    tls: {
      insecureSkipVerify: !s.verify,
      caFile: s.caFile || undefined,
      certFile: s.certFile || undefined,
      keyFile: s.keyFile || undefined,
    },
    auth: authOf(s),
    ...(s.environment ? { environment: s.environment } : {}),
  };
}

/** A fresh id for a send, to cancel it while it is in flight. */
export function newRequestId(): string {
  return `send-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The request message Send names: the source document's first message (the host reads it), or the JSON box. */
export function sourceOf(s: ReplayPaneState): ReplaySource {
  return s.source === 'json' ? { json: s.jsonText } : { docId: s.source, message: 0 };
}

/** What the pane says when the host converted the document to the method's input type and dropped fields (nothing when it dropped none). */
export function conversionNote(c: ReplayConversion | undefined): Partial<ReplayPaneState> {
  return c?.dropped.length ? { notice: `converted ${c.fromType} → ${c.toType}; dropped: ${c.dropped.join(', ')}` } : {};
}

/** Runs a button's work: busy meanwhile, its error shown as the notice. */
export async function run(pane: ReplayStateAccess, fn: () => Promise<void>): Promise<void> {
  pane.set({ busy: true, notice: null });
  try {
    await fn();
  } catch (e) {
    pane.set({ notice: errorText(e) });
  } finally {
    pane.set({ busy: false });
  }
}

/** What the pane shows at first: methods, presets, documents, history, secrets, mock, the host's dialogs. */
export async function loadPane(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  try {
    const [m, p, d, h, s, st, host, env] = await Promise.all([
      api.replayListMethods({}),
      api.replayPresets({}),
      api.listDocuments({}),
      api.replayHistoryList({ limit: 50 }),
      api.replaySecretList({}),
      api.replayMockStatus({}),
      api.appInfo({}),
      api.replayEnvList({}),
    ]);
    pane.set({
      methods: m,
      presets: p,
      docs: d,
      history: h,
      secretNames: s.names,
      mock: st,
      nativeDialogs: host.nativeDialogs,
      environments: env.environments,
    });
  } catch (e) {
    pane.set({ notice: errorText(e) });
  }
}

/** Chooses the method; unless the user chose the auth, it follows the service (LiveKit: LiveKit auth; others: none). */
export function chooseMethod(pane: ReplayStateAccess, id: string): void {
  pane.set((s) => ({
    ...pairMethodTransport(id, s.transport, 'method', s.methods),
    ...(isSignalMethod(id) ? {} : { rpcMethod: id }),
    methodChoices: [],
    ...(s.authExplicit ? {} : { authKind: autoAuthKind(isLiveKitMethod(id, s.methods), s.livekitAuthKind) }),
  }));
}

/**
 * The method follows the request source: when the source document (or its type) is new, the one
 * method taking its type is chosen; when several do and the method is none of them, the pane asks.
 * The user's own choice stays until the source changes.
 */
export function followSourceMethod(pane: ReplayStateAccess): void {
  const s = pane.get();
  if (!s.methods.length) return;
  const key = followKey(s.source, s.docs);
  if (key === s.methodFollows) return;
  const typeName = s.source === 'json' ? undefined : s.docs.find((d) => d.docId === s.source)?.typeName;
  const next = followMethod(s.methods, s.method, typeName);
  if (next.method !== s.method) chooseMethod(pane, next.method);
  pane.set({ methodFollows: key, methodChoices: next.choices });
}

/** The user chooses the auth kind: method changes keep it from now on. */
export function chooseAuth(pane: ReplayStateAccess, kind: ReplayAuth['kind']): void {
  pane.set({ authKind: kind, authExplicit: true, ...(kind !== 'none' ? { livekitAuthKind: kind } : {}) });
}

/** The preset form of the state. */
export function presetForm(s: ReplayPaneState): PresetForm {
  return {
    url: s.url,
    transport: s.transport,
    authKind: s.authKind,
    apiKey: s.apiKey,
    secretName: s.secretName,
    inlineSecret: s.inlineSecret,
  };
}

/** Applies a preset to the form (auth automatic again). */
export function choosePreset(pane: ReplayStateAccess, name: string): void {
  const s = pane.get();
  const p = s.presets.find((x) => x.name === name);
  if (!p) return;
  const next = applyPreset(presetForm(s), p, isLiveKitMethod(s.method, s.methods));
  pane.set({
    ...next,
    ...pairMethodTransport(s.method, next.transport, 'transport', s.methods, s.rpcMethod),
    authExplicit: false,
    ...(next.authKind !== 'none' ? { livekitAuthKind: next.authKind } : {}),
  });
}

/** The user chooses the transport: the method follows (websocket: the signal connection; back: the last RPC method). */
export function chooseTransport(pane: ReplayStateAccess, transport: ReplayTransport): void {
  pane.set((s) => pairMethodTransport(s.method, transport, 'transport', s.methods, s.rpcMethod));
}

/** Runs a send with a fresh requestId kept as in flight meanwhile (Cancel names it). */
async function inFlight<T>(pane: ReplayStateAccess, fn: (requestId: string) => Promise<T>): Promise<T> {
  const requestId = newRequestId();
  pane.set({ inFlight: requestId });
  try {
    return await fn(requestId);
  } finally {
    pane.set((s) => (s.inFlight === requestId ? { inFlight: null } : {}));
  }
}

/** Send: the request by reference, then the history. */
export function send(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    pane.set({ stream: null, historyView: null });
    const result = await inFlight(pane, (requestId) => api.replaySend({ ...targetOf(s), ...sourceOf(s), requestId }));
    pane.set({ result, ...conversionNote(result.converted) });
    pane.set({ history: await api.replayHistoryList({ limit: 50 }) });
  });
}

/** Cancel: stops the send in flight (it then fails with "cancelled"). */
export async function cancelSend(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  const requestId = pane.get().inFlight;
  if (requestId) await api.replayCancel({ requestId });
}

/** Replays every message of the source stream document, as it is now. */
export function replayStream(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    if (s.source === 'json') throw new Error('choose an open stream document');
    pane.set({ result: null });
    pane.set({ stream: await inFlight(pane, (requestId) => api.replayStream({ ...targetOf(s), docId: s.source, requestId })) });
  });
}

/** Mints the token the method needs; the host reads the rooms from the request source, as Send sends it. */
export function mint(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    const r = await api.replayMintLiveKitToken({
      apiKey: s.apiKey,
      ...(s.secretName ? { secretName: s.secretName } : { apiSecret: s.inlineSecret }),
      method: s.method,
      ...(isSignalMethod(s.method)
        ? { ...(s.room ? { room: s.room } : {}), ...(s.identity ? { identity: s.identity } : {}) }
        : sourceOf(s)),
    });
    pane.set({ token: r.token, claims: r.claims, ...conversionNote(r.converted) });
  });
}

/** Sends a history entry again (its bytes and headers, with the auth and TLS chosen now), then the history. */
export function resend(pane: ReplayStateAccess, api: ReplayPaneApi, h: ReplayHistoryEntry): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    pane.set({ stream: null });
    const result = await inFlight(pane, (requestId) =>
      api.replaySend({
        requestId,
        ...(h.environment ? { environment: h.environment } : {}),
        url: h.url,
        transport: h.transport,
        method: h.method,
        headers: resendHeaders(h.headers),
        body: h.requestBytes,
        timeoutMs: s.timeoutMs,
        auth: authOf(s),
        tls: targetOf(s).tls,
      }),
    );
    pane.set({ result });
    pane.set({ history: await api.replayHistoryList({ limit: 50 }) });
  });
}

/** Opens the response as a document of its type, in its own tab (it does not become the source). */
export function openResponse(
  pane: ReplayStateAccess,
  api: ReplayPaneApi,
  onOpenDocument?: (summary: DocumentSummary) => void,
): Promise<void> {
  return run(pane, async () => {
    const { result, method, docs } = pane.get();
    if (!result?.responseBytes) return;
    const summary = await api.openBytes({ name: `${method.split('/')[1] ?? 'response'}-response.bin`, bytes: result.responseBytes });
    const typed = await api.setType({ docId: summary.docId, typeName: result.responseType });
    // The response is not the next request unless the user picks it in the Send list.
    pane.set((s) => ({ openedResponses: [...s.openedResponses, typed.docId] }));
    const { source } = pane.get();
    const sending = source === 'json' ? 'the JSON box' : (docs.find((d) => d.docId === source)?.name ?? 'the chosen document');
    onOpenDocument?.(typed);
    pane.set({ docs: await api.listDocuments({}) });
    pane.set({
      notice: `opened the response as ${result.responseType}${onOpenDocument ? ' in a new tab' : ' (see the open documents)'}; Send still sends ${sending}`,
    });
  });
}
