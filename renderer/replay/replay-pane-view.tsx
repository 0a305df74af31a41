/**
 * The replay pane: choose a target (preset, URL, transport, method), headers, timeout, TLS and
 * LiveKit auth; send the open message (or JSON) and see the decoded response with status,
 * headers, trailers and time; replay a whole stream; history; the mock server with its events
 * (Kik MobileVideo notifications). Talks only through the contract (ReplayApi + document calls).
 */
import { useCallback, useEffect, useMemo, type CSSProperties, type ReactNode } from 'react';
import type { DocumentApi, DocumentSummary } from '../../core/api/contract';
import type { FilePurpose, ReplayApi, ReplayAuth, ReplayHostApi, ReplayTarget, ReplayTransport } from '../../core/api/replay-contract';
import { TRANSPORTS } from '../../core/api/vocabulary';
import {
  applyPreset,
  autoAuthKind,
  firstMatch,
  followSource,
  isLiveKitMethod,
  mergeEvents,
  methodOptions,
  pickSource,
  roomsOf,
  shownPreset,
  upsertDoc,
  type PresetForm,
} from './replay-logic';
import { replayStore, setReplay, useReplayField, type ReplayPaneState } from './replay-store';

/** The calls the pane makes: the replay API, the host's file picker and a few document calls. */
export type ReplayPaneApi = ReplayApi &
  ReplayHostApi &
  Pick<DocumentApi, 'appInfo' | 'listDocuments' | 'getBytes' | 'openBytes' | 'setType' | 'getText'>;

/** The TLS file fields: where each is kept, what the native dialog is asked for, and its label. */
const TLS_FILES = [
  { field: 'caFile', purpose: 'tls-ca', label: 'CA file (PEM)' },
  { field: 'certFile', purpose: 'tls-cert', label: 'client cert (PEM)' },
  { field: 'keyFile', purpose: 'tls-key', label: 'client key (PEM)' },
] as const satisfies readonly { field: keyof ReplayPaneState; purpose: FilePurpose; label: string }[];

/** A path field of the pane: the TLS files. */
type PathField = (typeof TLS_FILES)[number]['field'];

/**
 * Asks the host's native open dialog for a file and puts the chosen path in the field (Electron
 * then reads that file, and only a file chosen so, or dropped). A cancelled dialog leaves the field.
 */
export async function choosePathInto(api: ReplayHostApi, purpose: FilePurpose, field: PathField): Promise<void> {
  const [path] = await api.choosePaths({ purpose, kind: 'file' });
  if (path) setReplay({ [field]: path });
}

const box: CSSProperties = { border: '1px solid var(--border, #8884)', borderRadius: 4, padding: 8, margin: '6px 0' };
const grid: CSSProperties = { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 8px', alignItems: 'center' };
const pre: CSSProperties = { maxHeight: 260, overflow: 'auto', margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' };

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses "Name: value" lines into header pairs. */
export function parseHeaderLines(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return (i > 0 ? [l.slice(0, i).trim(), l.slice(i + 1).trim()] : [l, '']) as [string, string];
    });
}

/** A collapsible section; whether it is open is kept in the store under `id` (a remounted pane keeps it). */
function Section({ id, title, children, open = true }: { id: string; title: string; children: ReactNode; open?: boolean }) {
  const [sections, setSections] = useReplayField('sections');
  return (
    <details
      open={sections[id] ?? open}
      style={box}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        if (now !== (sections[id] ?? open)) setSections((s) => ({ ...s, [id]: now }));
      }}
    >
      <summary style={{ cursor: 'pointer', fontWeight: 600 }}>{title}</summary>
      <div style={{ marginTop: 6 }}>{children}</div>
    </details>
  );
}

function Pairs({ pairs }: { pairs: [string, string][] }) {
  if (!pairs.length) return <span className="muted">none</span>;
  return (
    <table className="mono small">
      <tbody>
        {pairs.map(([k, v], i) => (
          <tr key={i}>
            <td style={{ paddingRight: 8 }}>{k}</td>
            <td style={{ wordBreak: 'break-all' }}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Props of the pane. */
export interface ReplayPaneProps {
  /** The host API (window.protodesk or the HTTP bridge). */
  api: ReplayPaneApi;
  /** Called with a document the pane opened (the response): the shell shows it as a tab. */
  onOpenDocument?: (summary: DocumentSummary) => void;
  /** The document of the active tab, as it is now (type, messages): the request source follows it (unless the user pinned another one). */
  activeDoc?: DocumentSummary;
}

/** A request as Send sends it: the bytes of a document (converted to the method's input type) or the JSON box. */
interface PreparedRequest {
  body?: Uint8Array;
  json?: string;
  /** The document it comes from, and the top-level fields the conversion dropped. */
  doc?: DocumentSummary;
  dropped: string[];
  /** Says what the conversion did. */
  note?: string;
}

/** The pane itself; its state lives in replay-store (it survives a remount, e.g. switching tabs). */
export function ReplayPaneView({ api, onOpenDocument, activeDoc }: ReplayPaneProps) {
  const activeDocId = activeDoc?.docId;
  const [methods] = useReplayField('methods');
  const [presets, setPresets] = useReplayField('presets');
  const [docs, setDocs] = useReplayField('docs');
  const [url, setUrl] = useReplayField('url');
  const [transport, setTransport] = useReplayField('transport');
  const [method] = useReplayField('method');
  const [methodFilter, setMethodFilter] = useReplayField('methodFilter');
  const [headerText, setHeaderText] = useReplayField('headerText');
  const [timeoutMs, setTimeoutMs] = useReplayField('timeoutMs');
  const [verify, setVerify] = useReplayField('verify');
  const [caFile] = useReplayField('caFile');
  const [certFile] = useReplayField('certFile');
  const [keyFile] = useReplayField('keyFile');
  const [nativeDialogs] = useReplayField('nativeDialogs');
  const tlsPaths: Record<PathField, string> = { caFile, certFile, keyFile };
  const [authKind] = useReplayField('authKind');
  const [authExplicit] = useReplayField('authExplicit');
  const [apiKey, setApiKey] = useReplayField('apiKey');
  const [secretName, setSecretName] = useReplayField('secretName');
  const [inlineSecret, setInlineSecret] = useReplayField('inlineSecret');
  const [newSecret, setNewSecret] = useReplayField('newSecret');
  const [secretNames, setSecretNames] = useReplayField('secretNames');
  const [token, setToken] = useReplayField('token');
  const [claims, setClaims] = useReplayField('claims');
  const [source] = useReplayField('source');
  const [sourceFollows] = useReplayField('sourceFollows');
  const [openedResponses] = useReplayField('openedResponses');
  const [jsonText, setJsonText] = useReplayField('jsonText');
  const [result, setResult] = useReplayField('result');
  const [stream, setStream] = useReplayField('stream');
  const [history, setHistory] = useReplayField('history');
  const [mock, setMock] = useReplayField('mock');
  const [mockPort, setMockPort] = useReplayField('mockPort');
  const [fixture, setFixture] = useReplayField('fixture');
  const [answerTarget, setAnswerTarget] = useReplayField('answerTarget');
  const [answerKind, setAnswerKind] = useReplayField('answerKind');
  const [answerJson, setAnswerJson] = useReplayField('answerJson');
  const [events] = useReplayField('events');
  const [busy, setBusy] = useReplayField('busy');
  const [notice, setNotice] = useReplayField('notice');

  const info = useMemo(() => methods.find((m) => m.id === method), [methods, method]);
  const doc = docs.find((d) => d.docId === source);
  const livekit = isLiveKitMethod(method, methods);

  const refresh = useCallback(async () => {
    try {
      const [m, p, d, h, s, st, host] = await Promise.all([
        api.replayListMethods({}),
        api.replayPresets({}),
        api.listDocuments({}),
        api.replayHistoryList({ limit: 50 }),
        api.replaySecretList({}),
        api.replayMockStatus({}),
        api.appInfo({}),
      ]);
      setReplay({ methods: m, presets: p, docs: d, history: h, secretNames: s.names, mock: st, nativeDialogs: host.nativeDialogs });
    } catch (e) {
      setNotice(errText(e));
    }
  }, [api, setNotice]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The active tab's document as it is now (its type may have just changed) in the Send list.
  useEffect(() => {
    if (activeDoc) setReplay((s) => ({ docs: upsertDoc(s.docs, activeDoc) }));
  }, [activeDoc]);

  // The source follows the active tab (never onto a response the pane opened), and leaves a closed document.
  useEffect(() => {
    const cur = { source, sourceFollows, openedResponses };
    const next = followSource(
      cur,
      activeDocId,
      docs.map((d) => d.docId),
    );
    if (next !== cur) setReplay(next);
  }, [activeDocId, docs, source, sourceFollows, openedResponses]);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      try {
        const r = await api.replayEvents({ since: replayStore.get().eventsSince });
        if (!stopped) setReplay((s) => ({ events: mergeEvents(s.events, r.events), eventsSince: Math.max(s.eventsSince, r.last) }));
      } catch {
        // host not ready; try again
      }
      if (!stopped) setTimeout(tick, 1000);
    };
    void tick();
    return () => {
      stopped = true;
    };
  }, [api]);

  /** Chooses the method; unless the user chose the auth, it follows the service (LiveKit: LiveKit auth; others: none). */
  const chooseMethod = (id: string) => {
    setReplay((s) => ({
      method: id,
      ...(s.authExplicit ? {} : { authKind: autoAuthKind(isLiveKitMethod(id, s.methods), s.livekitAuthKind) }),
    }));
  };

  const chooseAuth = (kind: ReplayAuth['kind']) => {
    setReplay({ authKind: kind, authExplicit: true, ...(kind !== 'none' ? { livekitAuthKind: kind } : {}) });
  };

  const auth = (): ReplayAuth => {
    if (authKind === 'livekit-token') return { kind: 'livekit-token', token };
    if (authKind === 'livekit-key')
      return secretName ? { kind: 'livekit-key', apiKey, secretName } : { kind: 'livekit-key', apiKey, apiSecret: inlineSecret };
    return { kind: 'none' };
  };

  const target = (): ReplayTarget => ({
    url,
    transport,
    method,
    headers: parseHeaderLines(headerText),
    timeoutMs,
    tls: { insecureSkipVerify: !verify, caFile: caFile || undefined, certFile: certFile || undefined, keyFile: keyFile || undefined },
    auth: auth(),
  });

  const messageBytes = async (summary: DocumentSummary, index = 0): Promise<Uint8Array> => {
    const head = await api.getBytes({ docId: summary.docId, message: index, start: 0, end: 0 });
    return (await api.getBytes({ docId: summary.docId, message: index, start: 0, end: head.total })).bytes;
  };

  /** The source document as it is now. */
  const sourceDoc = async (): Promise<DocumentSummary | undefined> => {
    if (source === 'json') return undefined;
    // Asked again: its type or message count may have changed in its tab.
    const list = await api.listDocuments({});
    setDocs(list);
    const found = list.find((d) => d.docId === source);
    if (!found) throw new Error('the source document is no longer open; choose another one');
    return found;
  };

  /** The request body Send uses (and Mint token reads the room from). */
  const prepareRequest = async (): Promise<PreparedRequest> => {
    const d = await sourceDoc();
    if (!d) return { json: jsonText, dropped: [] };
    let body = await messageBytes(d);
    if (info && d.typeName && d.typeName !== info.requestType) {
      const conv = await api.replayConvert({ fromType: d.typeName, toType: info.requestType, bytes: body });
      body = conv.bytes;
      return {
        body,
        doc: d,
        dropped: conv.dropped,
        note: conv.dropped.length ? `converted ${d.typeName} → ${info.requestType}; dropped: ${conv.dropped.join(', ')}` : undefined,
      };
    }
    return { body, doc: d, dropped: [] };
  };

  /** The request's fields as JSON (what the host reads the room from when it mints for Send). */
  const requestFields = async (req: PreparedRequest): Promise<unknown> => {
    let text = req.json;
    if (req.doc) {
      const t = await api.getText({ docId: req.doc.docId, message: 0, format: 'json' });
      if (t.error) throw new Error(`cannot read the document's fields: ${t.error}`);
      text = t.text;
    }
    try {
      const fields = JSON.parse(text ?? '{}') as unknown;
      if (fields && typeof fields === 'object' && req.dropped.length)
        for (const k of req.dropped) delete (fields as Record<string, unknown>)[k];
      return fields;
    } catch {
      return {};
    }
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setNotice(errText(e));
    } finally {
      setBusy(false);
    }
  };

  const send = () =>
    run(async () => {
      const req = await prepareRequest();
      if (req.note) setNotice(req.note);
      setStream(null);
      setResult(await api.replaySend({ ...target(), body: req.body, json: req.json }));
      setHistory(await api.replayHistoryList({ limit: 50 }));
    });

  const replayStream = () =>
    run(async () => {
      const d = await sourceDoc();
      if (!d) throw new Error('choose an open stream document');
      const bytes = await Promise.all(Array.from({ length: d.messageCount }, (_x, i) => messageBytes(d, i)));
      // Re-frame as varint-delimited so edits to single messages are replayed as they are now.
      const parts: number[] = [];
      for (const b of bytes) {
        let n = b.length;
        while (n > 127) {
          parts.push((n & 127) | 128);
          n = Math.floor(n / 128);
        }
        parts.push(n);
        for (const x of b) parts.push(x);
      }
      setResult(null);
      setStream(await api.replayStream({ ...target(), bytes: new Uint8Array(parts), framing: 'delimited' }));
    });

  const mint = () =>
    run(async () => {
      const req = await prepareRequest();
      const { room, destinationRoom } = roomsOf(await requestFields(req));
      const r = await api.replayMintLiveKitToken({
        apiKey,
        ...(secretName ? { secretName } : { apiSecret: inlineSecret }),
        method,
        room,
        destinationRoom,
      });
      setToken(r.token);
      setClaims(r.claims);
      if (req.note) setNotice(req.note);
    });

  const openResponse = () =>
    run(async () => {
      if (!result?.responseBytes) return;
      const summary = await api.openBytes({ name: `${method.split('/')[1] ?? 'response'}-response.bin`, bytes: result.responseBytes });
      const typed = await api.setType({ docId: summary.docId, typeName: result.responseType });
      // The response is not the next request unless the user picks it in the Send list.
      setReplay((s) => ({ openedResponses: [...s.openedResponses, typed.docId] }));
      const sending = replayStore.get().source === 'json' ? 'the JSON box' : (doc?.name ?? 'the chosen document');
      onOpenDocument?.(typed);
      setDocs(await api.listDocuments({}));
      setNotice(
        `opened the response as ${result.responseType}${onOpenDocument ? ' in a new tab' : ' (see the open documents)'}; Send still sends ${sending}`,
      );
    });

  const form: PresetForm = { url, transport, authKind, apiKey, secretName, inlineSecret };
  const presetShown = shownPreset(presets, form, livekit);

  const choosePreset = (name: string) => {
    const p = presets.find((x) => x.name === name);
    if (!p) return;
    const next = applyPreset(form, p, livekit);
    setReplay({ ...next, authExplicit: false, ...(next.authKind !== 'none' ? { livekitAuthKind: next.authKind } : {}) });
  };

  const { options: methodList, matchCount } = methodOptions(methods, methodFilter, method);
  const authNote = authExplicit ? 'chosen by you' : livekit ? 'LiveKit method' : 'not a LiveKit method';

  return (
    <div style={{ padding: 8, fontSize: 13 }} aria-label="Replay" data-testid="replay-pane">
      {notice && (
        <div className="error-text" role="status" data-testid="replay-notice" style={{ marginBottom: 6 }}>
          {notice}
        </div>
      )}

      <Section id="target" title="Target">
        <div style={grid}>
          <label htmlFor="rp-preset">Preset</label>
          <select id="rp-preset" value={presetShown} onChange={(e) => choosePreset(e.target.value)}>
            <option value="">custom</option>
            {presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor="rp-url">URL</label>
          <input id="rp-url" value={url} onChange={(e) => setUrl(e.target.value)} className="mono" />
          <label htmlFor="rp-transport">Transport</label>
          <select id="rp-transport" value={transport} onChange={(e) => setTransport(e.target.value as ReplayTransport)}>
            {TRANSPORTS.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <label htmlFor="rp-method">Method</label>
          <div>
            <input
              placeholder="filter (Enter: pick the first match)"
              aria-label="Method filter"
              value={methodFilter}
              style={{ width: '35%' }}
              onChange={(e) => setMethodFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                const id = firstMatch(methods, methodFilter);
                if (id) chooseMethod(id);
              }}
            />{' '}
            <select id="rp-method" value={method} onChange={(e) => chooseMethod(e.target.value)} style={{ maxWidth: '60%' }}>
              {methodList.map((o) => (
                <option key={o.value} value={o.value} disabled={o.disabled}>
                  {o.label}
                </option>
              ))}
            </select>
            {methodFilter.trim() && (
              <div className="muted small" data-testid="replay-method-matches">
                {matchCount} matching{methodList[0]?.kept ? '; the selected method is kept (Send uses it) until you pick another' : ''}
              </div>
            )}
          </div>
          <span className="muted">Types</span>
          <span className="mono small" data-testid="replay-types">
            {info ? `${info.requestType} → ${info.responseType}` : '?'}
          </span>
          <label htmlFor="rp-headers">Headers</label>
          <textarea
            id="rp-headers"
            rows={2}
            className="mono"
            placeholder={'x-kik-user: alice'}
            value={headerText}
            onChange={(e) => setHeaderText(e.target.value)}
          />
          <label htmlFor="rp-timeout">Timeout (ms)</label>
          <input id="rp-timeout" type="number" min={1} value={timeoutMs} onChange={(e) => setTimeoutMs(Number(e.target.value))} />
          <span>TLS</span>
          <div>
            <label>
              <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} /> verify certificate
            </label>{' '}
            {TLS_FILES.map(({ field, purpose, label }) => (
              <span key={field} style={{ whiteSpace: 'nowrap' }}>
                {' '}
                <input
                  placeholder={label}
                  aria-label={label}
                  value={tlsPaths[field]}
                  onChange={(e) => setReplay({ [field]: e.target.value })}
                />
                {nativeDialogs && (
                  <button type="button" aria-label={`Choose ${label}`} onClick={() => void run(() => choosePathInto(api, purpose, field))}>
                    Choose…
                  </button>
                )}
              </span>
            ))}
          </div>
        </div>
      </Section>

      <Section id="auth" title="Auth">
        <div style={grid}>
          <label htmlFor="rp-auth">Kind</label>
          <div>
            <select id="rp-auth" value={authKind} onChange={(e) => chooseAuth(e.target.value as ReplayAuth['kind'])}>
              <option value="none">none</option>
              <option value="livekit-key">LiveKit key + secret (mint per method)</option>
              <option value="livekit-token">LiveKit token (paste)</option>
            </select>{' '}
            <span className="muted small" data-testid="replay-auth-note">
              {authNote}
            </span>
          </div>
          {authKind === 'livekit-key' && (
            <>
              <label htmlFor="rp-key">API key</label>
              <input id="rp-key" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
              <label htmlFor="rp-secret">Secret</label>
              <div>
                <select id="rp-secret" value={secretName} onChange={(e) => setSecretName(e.target.value)}>
                  <option value="">typed here (dev preset)</option>
                  {secretNames.map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>{' '}
                {!secretName && (
                  <input type="password" value={inlineSecret} onChange={(e) => setInlineSecret(e.target.value)} aria-label="secret" />
                )}
                <button type="button" onClick={() => void mint()} disabled={busy}>
                  Mint token
                </button>
              </div>
              <span className="muted">Store secret</span>
              <div>
                <input placeholder="name" value={newSecret.name} onChange={(e) => setNewSecret({ ...newSecret, name: e.target.value })} />{' '}
                <input
                  type="password"
                  placeholder="secret"
                  value={newSecret.value}
                  onChange={(e) => setNewSecret({ ...newSecret, value: e.target.value })}
                />{' '}
                <button
                  type="button"
                  disabled={!newSecret.name || !newSecret.value}
                  onClick={() =>
                    void run(async () => {
                      const r = await api.replaySecretSet(newSecret);
                      setSecretName(newSecret.name);
                      setNewSecret({ name: '', value: '' });
                      setSecretNames((await api.replaySecretList({})).names);
                      setNotice(r.persistent ? 'secret stored (encrypted)' : 'secret kept for this session only');
                    })
                  }
                >
                  Store
                </button>
              </div>
            </>
          )}
          {authKind === 'livekit-token' && (
            <>
              <label htmlFor="rp-token">Token</label>
              <input id="rp-token" type="password" value={token} onChange={(e) => setToken(e.target.value)} className="mono" />
            </>
          )}
        </div>
        {claims && (
          <pre className="mono" style={pre} data-testid="replay-claims">
            {claims}
          </pre>
        )}
      </Section>

      <Section id="message" title="Message">
        <div style={grid}>
          <label htmlFor="rp-source">Send</label>
          <select
            id="rp-source"
            value={source}
            onChange={(e) => setReplay((s) => pickSource(s, e.target.value, activeDocId))}
            onFocus={() => void api.listDocuments({}).then(setDocs)}
          >
            <option value="json">JSON below</option>
            {source !== 'json' && !doc && <option value={source}>(an open document)</option>}
            {docs.map((d) => (
              <option key={d.docId} value={d.docId}>
                {d.name} ({d.typeName ?? 'raw'}
                {d.messageCount > 1 ? `, ${d.messageCount} messages` : ''})
              </option>
            ))}
          </select>
          {source !== 'json' && <span />}
          {source !== 'json' && (
            <span className="muted small" data-testid="replay-source-note">
              {sourceFollows ? 'follows the active tab' : "kept while you switch tabs (pick the active tab's document to follow the tabs)"}
            </span>
          )}
        </div>
        {source === 'json' && (
          <textarea
            rows={5}
            className="mono"
            style={{ width: '100%' }}
            value={jsonText}
            onChange={(e) => setJsonText(e.target.value)}
            aria-label="request JSON"
          />
        )}
        {doc && info && doc.typeName && doc.typeName !== info.requestType && (
          <div className="muted">
            The document is a {doc.typeName}; it is converted to {info.requestType} (fields that match by name) when sent.
          </div>
        )}
        <div className="row-buttons" style={{ marginTop: 6 }}>
          <button type="button" onClick={() => void send()} disabled={busy || !info || info.streaming}>
            Send
          </button>
          {doc && doc.messageCount > 1 && (
            <button type="button" onClick={() => void replayStream()} disabled={busy}>
              Replay {doc.messageCount} messages
            </button>
          )}
          {busy && <span className="muted">working…</span>}
        </div>
      </Section>

      {result && (
        <Section id="response" title="Response">
          <div className={result.ok ? '' : 'error-text'} data-testid="replay-status">
            {result.ok ? 'OK' : `${result.error?.code}: ${result.error?.message}`}
            {result.httpStatus !== undefined && ` · HTTP ${result.httpStatus}`}
            {result.error?.grpcCode !== undefined && ` · gRPC ${result.error.grpcCode}`}
            {` · ${result.timeMs.toFixed(1)} ms · ${result.target}`}
          </div>
          {result.error?.meta && (
            <pre className="mono" style={pre}>
              {JSON.stringify(result.error.meta, null, 2)}
            </pre>
          )}
          {result.error?.details?.map((d, i) => (
            <pre key={i} className="mono" style={pre}>
              {d.type}
              {d.json ? `\n${d.json}` : ''}
            </pre>
          ))}
          {result.responseJson && (
            <pre className="mono" style={pre} data-testid="replay-response-json">
              {result.responseJson}
            </pre>
          )}
          {result.responseBytes && (
            <button type="button" onClick={() => void openResponse()}>
              Open as document ({result.responseType})
            </button>
          )}
          <details>
            <summary>Headers</summary>
            <Pairs pairs={result.headers} />
          </details>
          <details>
            <summary>Trailers</summary>
            <Pairs pairs={result.trailers} />
          </details>
          <details>
            <summary>Request headers</summary>
            <Pairs pairs={result.requestHeaders} />
          </details>
        </Section>
      )}

      {stream && (
        <Section id="stream" title={`Stream: ${stream.okCount} ok, ${stream.errorCount} errors (${stream.framing})`}>
          {stream.framingError && <div className="error-text">framing stopped {stream.framingError}</div>}
          <ol className="mono small" start={0}>
            {stream.items.map((it) => (
              <li key={it.index} className={it.ok ? '' : 'error-text'}>
                {it.ok ? 'ok' : `${it.code}: ${it.message}`} · {it.timeMs.toFixed(1)} ms
                {it.responseJson ? ` · ${it.responseJson.replace(/\s+/g, ' ').slice(0, 120)}` : ''}
              </li>
            ))}
          </ol>
        </Section>
      )}

      <Section id="mock" title="Mock server" open={false}>
        {mock.running ? (
          <>
            <div className="mono small" data-testid="replay-mock-urls">
              HTTP (Twirp /twirp, Connect, gRPC-Web): {mock.httpUrl}
              <br />
              gRPC: {mock.grpcUrl}
            </div>
            <div className="small muted">
              {mock.services
                .filter((s) => s.mock !== 'generic')
                .map((s) => `${s.name} (${s.mock})`)
                .join(', ')}
              ; {mock.services.filter((s) => s.mock === 'generic').length} generic services. Kik caller header: x-kik-user.
            </div>
            <div className="row-buttons">
              <button
                type="button"
                onClick={() =>
                  void run(async () => {
                    setMock(await api.replayMockStop({}));
                    setPresets(await api.replayPresets({}));
                  })
                }
              >
                Stop
              </button>
            </div>
            <div style={{ ...grid, marginTop: 6 }}>
              <label htmlFor="rp-ans-target">Answer for</label>
              <input
                id="rp-ans-target"
                placeholder="pkg.Service or pkg.Service/Method"
                value={answerTarget}
                onChange={(e) => setAnswerTarget(e.target.value)}
              />
              <label htmlFor="rp-ans-kind">Answer</label>
              <select id="rp-ans-kind" value={answerKind} onChange={(e) => setAnswerKind(e.target.value as typeof answerKind)}>
                <option value="empty">empty message</option>
                <option value="echo">echo matching fields</option>
                <option value="message">this message (JSON)</option>
                <option value="error">this error</option>
              </select>
            </div>
            {answerKind === 'message' && docs.length > 0 && (
              <div className="row-buttons">
                {docs.map((d) => (
                  <button
                    key={d.docId}
                    type="button"
                    title="use this open (possibly edited) document as the answer"
                    onClick={() =>
                      void run(async () => {
                        const t = await api.getText({ docId: d.docId, message: 0, format: 'json' });
                        if (t.error) throw new Error(t.error);
                        setAnswerJson(t.text);
                      })
                    }
                  >
                    use {d.name}
                  </button>
                ))}
              </div>
            )}
            {(answerKind === 'message' || answerKind === 'error') && (
              <textarea
                rows={3}
                className="mono"
                style={{ width: '100%' }}
                value={answerJson}
                onChange={(e) => setAnswerJson(e.target.value)}
                aria-label="answer"
                placeholder={answerKind === 'error' ? '{"code":"unavailable","message":"down"}' : '{}'}
              />
            )}
            <button
              type="button"
              disabled={!answerTarget}
              onClick={() =>
                void run(async () => {
                  const answer =
                    answerKind === 'message'
                      ? { kind: 'message' as const, json: answerJson }
                      : answerKind === 'error'
                        ? { kind: 'error' as const, ...(JSON.parse(answerJson) as { code: string; message: string }) }
                        : { kind: answerKind };
                  await api.replayMockSetAnswer({ target: answerTarget, answer });
                  setNotice(`answer set for ${answerTarget}`);
                })
              }
            >
              Set answer
            </button>
          </>
        ) : (
          <>
            <div style={grid}>
              <label htmlFor="rp-mock-port">Port</label>
              <input
                id="rp-mock-port"
                type="number"
                min={0}
                max={65535}
                value={mockPort}
                onChange={(e) => setMockPort(Number(e.target.value))}
              />
            </div>
            <textarea
              rows={8}
              className="mono"
              style={{ width: '100%' }}
              value={fixture}
              onChange={(e) => setFixture(e.target.value)}
              aria-label="fixture"
            />
            <button
              type="button"
              onClick={() =>
                void run(async () => {
                  setMock(await api.replayMockStart({ port: mockPort, fixtureJson: fixture }));
                  setPresets(await api.replayPresets({}));
                })
              }
            >
              Start mock
            </button>
          </>
        )}
      </Section>

      <Section id="events" title={`Events (${events.length})`} open={false}>
        {events.length === 0 && <span className="muted">Kik notifications, LiveKit changes and mock requests show here.</span>}
        <ul className="mono small" style={{ listStyle: 'none', padding: 0, maxHeight: 240, overflow: 'auto' }} data-testid="replay-events">
          {events.map((e) => (
            <li key={e.seq}>
              {e.json ? (
                <details>
                  <summary>
                    {e.time.slice(11, 23)} {e.summary}
                  </summary>
                  <pre style={pre}>{e.json}</pre>
                </details>
              ) : (
                <span>
                  {e.time.slice(11, 23)} {e.summary}
                </span>
              )}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="history" title={`History (${history.length})`} open={false}>
        <div className="row-buttons">
          <button
            type="button"
            onClick={() =>
              void run(async () => {
                await api.replayHistoryClear({});
                setHistory([]);
              })
            }
          >
            Clear
          </button>
        </div>
        <ul className="mono small" style={{ listStyle: 'none', padding: 0, maxHeight: 240, overflow: 'auto' }} data-testid="replay-history">
          {history.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                title="load into the form"
                onClick={() => {
                  setUrl(h.url);
                  setTransport(h.transport);
                  chooseMethod(h.method);
                  setHeaderText(
                    h.headers
                      .filter(([k]) => k.toLowerCase() !== 'authorization')
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('\n'),
                  );
                }}
              >
                ↺
              </button>{' '}
              <button
                type="button"
                title="send the same request again (with the auth chosen above)"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const headers = h.headers.filter(
                      ([k]) =>
                        ![
                          'authorization',
                          'content-type',
                          'user-agent',
                          'x-livekit-request-id',
                          'connect-protocol-version',
                          'connect-timeout-ms',
                          'x-grpc-web',
                          'accept',
                          'grpc-timeout',
                        ].includes(k.toLowerCase()),
                    );
                    setStream(null);
                    setResult(
                      await api.replaySend({
                        url: h.url,
                        transport: h.transport,
                        method: h.method,
                        headers,
                        body: h.requestBytes,
                        timeoutMs,
                        auth: auth(),
                        tls: target().tls,
                      }),
                    );
                    setHistory(await api.replayHistoryList({ limit: 50 }));
                  })
                }
              >
                ▶
              </button>{' '}
              <span className={h.ok ? '' : 'error-text'}>
                {h.time.slice(0, 19).replace('T', ' ')} {h.transport} {h.method} → {h.ok ? 'ok' : h.code} ({h.timeMs.toFixed(0)} ms)
              </span>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
