/**
 * The replay pane: choose a target (preset, URL, transport, method), headers, timeout, TLS and
 * LiveKit auth; send the open message (or JSON) and see the decoded response with status,
 * headers, trailers and time; replay a whole stream; history; the mock server with its events
 * (Kik MobileVideo notifications). Talks only through the contract (ReplayApi + document calls).
 */
import { useCallback, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import type { DocumentApi, DocumentSummary } from '../../core/api/contract';
import type {
  ReplayApi, ReplayAuth, ReplayEvent, ReplayHistoryEntry, ReplayMethodInfo, ReplayMockStatus, ReplayPreset,
  ReplaySendResult, ReplayStreamResult, ReplayTarget, ReplayTransport,
} from '../../core/api/replay-contract';

/** The calls the pane makes: the replay API and a few document calls. */
export type ReplayPaneApi = ReplayApi & Pick<DocumentApi, 'listDocuments' | 'getBytes' | 'openBytes' | 'setType' | 'getText'>;

const TRANSPORTS: ReplayTransport[] = ['twirp', 'twirp-json', 'grpc', 'grpc-web', 'connect'];

const box: CSSProperties = { border: '1px solid var(--border, #8884)', borderRadius: 4, padding: 8, margin: '6px 0' };
const grid: CSSProperties = { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 8px', alignItems: 'center' };
const pre: CSSProperties = { maxHeight: 260, overflow: 'auto', margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' };

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses "Name: value" lines into header pairs. */
export function parseHeaderLines(text: string): [string, string][] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const i = l.indexOf(':');
    return (i > 0 ? [l.slice(0, i).trim(), l.slice(i + 1).trim()] : [l, '']) as [string, string];
  });
}

function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details open={open} style={box}>
      <summary style={{ cursor: 'pointer', fontWeight: 600 }}>{title}</summary>
      <div style={{ marginTop: 6 }}>{children}</div>
    </details>
  );
}

function Pairs({ pairs }: { pairs: [string, string][] }) {
  if (!pairs.length) return <span className="muted">none</span>;
  return (
    <table className="mono small"><tbody>
      {pairs.map(([k, v], i) => <tr key={i}><td style={{ paddingRight: 8 }}>{k}</td><td style={{ wordBreak: 'break-all' }}>{v}</td></tr>)}
    </tbody></table>
  );
}

const SAMPLE_FIXTURE = JSON.stringify({
  livekit: { rooms: [{ name: 'demo-room', participants: [{ identity: 'alice', tracks: [{ sid: 'TR_alicemic', type: 'AUDIO' }] }, { identity: 'bob' }] }] },
  kik: { maxParticipants: 6, groups: { '1234567890123_g': ['alice', 'bob', 'carol'] } },
  answers: {},
}, null, 2);

/** Props of the pane. */
export interface ReplayPaneProps {
  /** The host API (window.protodesk or the HTTP bridge). */
  api: ReplayPaneApi;
  /** Called with a document the pane opened (the response): the shell shows it as a tab. */
  onOpenDocument?: (summary: DocumentSummary) => void;
}

/** The pane itself. */
export function ReplayPaneView({ api, onOpenDocument }: ReplayPaneProps) {
  const [methods, setMethods] = useState<ReplayMethodInfo[]>([]);
  const [presets, setPresets] = useState<ReplayPreset[]>([]);
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [url, setUrl] = useState('http://localhost:7880');
  const [transport, setTransport] = useState<ReplayTransport>('twirp');
  const [method, setMethod] = useState('livekit.RoomService/ListRooms');
  const [methodFilter, setMethodFilter] = useState('');
  const [headerText, setHeaderText] = useState('');
  const [timeoutMs, setTimeoutMs] = useState(10000);
  const [verify, setVerify] = useState(true);
  const [caFile, setCaFile] = useState('');
  const [certFile, setCertFile] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [authKind, setAuthKind] = useState<ReplayAuth['kind']>('livekit-key');
  const [apiKey, setApiKey] = useState('devkey');
  const [secretName, setSecretName] = useState('');
  const [inlineSecret, setInlineSecret] = useState('secret');
  const [newSecret, setNewSecret] = useState({ name: '', value: '' });
  const [secretNames, setSecretNames] = useState<string[]>([]);
  const [token, setToken] = useState('');
  const [claims, setClaims] = useState('');
  const [source, setSource] = useState<string>('json');
  const [jsonText, setJsonText] = useState('{}');
  const [result, setResult] = useState<ReplaySendResult | null>(null);
  const [stream, setStream] = useState<ReplayStreamResult | null>(null);
  const [history, setHistory] = useState<ReplayHistoryEntry[]>([]);
  const [mock, setMock] = useState<ReplayMockStatus>({ running: false, services: [] });
  const [mockPort, setMockPort] = useState(0);
  const [fixture, setFixture] = useState(SAMPLE_FIXTURE);
  const [answerTarget, setAnswerTarget] = useState('');
  const [answerKind, setAnswerKind] = useState<'empty' | 'echo' | 'message' | 'error'>('empty');
  const [answerJson, setAnswerJson] = useState('{}');
  const [events, setEvents] = useState<ReplayEvent[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const info = useMemo(() => methods.find((m) => m.id === method), [methods, method]);
  const doc = docs.find((d) => d.docId === source);

  const refresh = useCallback(async () => {
    try {
      const [m, p, d, h, s, st] = await Promise.all([
        api.replayListMethods({}), api.replayPresets({}), api.listDocuments({}), api.replayHistoryList({ limit: 50 }),
        api.replaySecretList({}), api.replayMockStatus({}),
      ]);
      setMethods(m);
      setPresets(p);
      setDocs(d);
      setHistory(h);
      setSecretNames(s.names);
      setMock(st);
    } catch (e) {
      setNotice(errText(e));
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    let since = 0;
    let stopped = false;
    const tick = async () => {
      try {
        const r = await api.replayEvents({ since });
        if (r.events.length) setEvents((prev) => [...r.events.reverse(), ...prev].slice(0, 300));
        since = r.last;
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

  const auth = (): ReplayAuth => {
    if (authKind === 'livekit-token') return { kind: 'livekit-token', token };
    if (authKind === 'livekit-key') return secretName ? { kind: 'livekit-key', apiKey, secretName } : { kind: 'livekit-key', apiKey, apiSecret: inlineSecret };
    return { kind: 'none' };
  };

  const target = (): ReplayTarget => ({
    url, transport, method, headers: parseHeaderLines(headerText), timeoutMs,
    tls: { insecureSkipVerify: !verify, caFile: caFile || undefined, certFile: certFile || undefined, keyFile: keyFile || undefined },
    auth: auth(),
  });

  const messageBytes = async (summary: DocumentSummary, index = 0): Promise<Uint8Array> => {
    const head = await api.getBytes({ docId: summary.docId, message: index, start: 0, end: 0 });
    return (await api.getBytes({ docId: summary.docId, message: index, start: 0, end: head.total })).bytes;
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

  const send = () => run(async () => {
    let body: Uint8Array | undefined;
    let json: string | undefined;
    if (doc) {
      body = await messageBytes(doc);
      if (info && doc.typeName && doc.typeName !== info.requestType) {
        const conv = await api.replayConvert({ fromType: doc.typeName, toType: info.requestType, bytes: body });
        body = conv.bytes;
        if (conv.dropped.length) setNotice(`converted ${doc.typeName} → ${info.requestType}; dropped: ${conv.dropped.join(', ')}`);
      }
    } else json = jsonText;
    setStream(null);
    setResult(await api.replaySend({ ...target(), body, json }));
    setHistory(await api.replayHistoryList({ limit: 50 }));
  });

  const replayStream = () => run(async () => {
    if (!doc) throw new Error('choose an open stream document');
    const bytes = await Promise.all(Array.from({ length: doc.messageCount }, (_x, i) => messageBytes(doc, i)));
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

  const mint = () => run(async () => {
    let room: string | undefined;
    let destinationRoom: string | undefined;
    if (source === 'json') {
      try {
        ({ room, destinationRoom } = JSON.parse(jsonText) as { room?: string; destinationRoom?: string });
      } catch {
        // no room in the JSON: a grant without room
      }
    }
    const r = await api.replayMintLiveKitToken({ apiKey, ...(secretName ? { secretName } : { apiSecret: inlineSecret }), method, room, destinationRoom });
    setToken(r.token);
    setClaims(r.claims);
  });

  const openResponse = () => run(async () => {
    if (!result?.responseBytes) return;
    const summary = await api.openBytes({ name: `${method.split('/')[1] ?? 'response'}-response.bin`, bytes: result.responseBytes });
    const typed = await api.setType({ docId: summary.docId, typeName: result.responseType });
    onOpenDocument?.(typed);
    setDocs(await api.listDocuments({}));
    setNotice(`opened the response as ${result.responseType}${onOpenDocument ? '' : ' (see the open documents)'}`);
  });

  const applyPreset = (name: string) => {
    const p = presets.find((x) => x.name === name);
    if (!p) return;
    setUrl(p.url);
    setTransport(p.transport);
    if (p.auth?.kind === 'livekit-key') {
      setAuthKind('livekit-key');
      setApiKey(p.auth.apiKey);
      setSecretName(p.auth.secretName ?? '');
      if (p.auth.apiSecret) setInlineSecret(p.auth.apiSecret);
    }
  };

  const shown = methods.filter((m) => !methodFilter || m.id.toLowerCase().includes(methodFilter.toLowerCase())).slice(0, 400);

  return (
    <div style={{ padding: 8, fontSize: 13 }} aria-label="Replay" data-testid="replay-pane">
      {notice && <div className="error-text" role="status" data-testid="replay-notice" style={{ marginBottom: 6 }}>{notice}</div>}

      <Section title="Target">
        <div style={grid}>
          <label htmlFor="rp-preset">Preset</label>
          <select id="rp-preset" defaultValue="" onChange={(e) => applyPreset(e.target.value)}>
            <option value="">—</option>
            {presets.map((p) => <option key={p.name}>{p.name}</option>)}
          </select>
          <label htmlFor="rp-url">URL</label>
          <input id="rp-url" value={url} onChange={(e) => setUrl(e.target.value)} className="mono" />
          <label htmlFor="rp-transport">Transport</label>
          <select id="rp-transport" value={transport} onChange={(e) => setTransport(e.target.value as ReplayTransport)}>
            {TRANSPORTS.map((t) => <option key={t}>{t}</option>)}
          </select>
          <label htmlFor="rp-method">Method</label>
          <div>
            <input placeholder="filter" value={methodFilter} onChange={(e) => setMethodFilter(e.target.value)} style={{ width: '35%' }} />{' '}
            <select id="rp-method" value={method} onChange={(e) => setMethod(e.target.value)} style={{ maxWidth: '60%' }}>
              {!methods.some((m) => m.id === method) && <option>{method}</option>}
              {shown.map((m) => <option key={m.id} value={m.id} disabled={m.streaming}>{m.id}{m.streaming ? ' (streaming)' : ''}</option>)}
            </select>
          </div>
          <span className="muted">Types</span>
          <span className="mono small">{info ? `${info.requestType} → ${info.responseType}` : '?'}</span>
          <label htmlFor="rp-headers">Headers</label>
          <textarea id="rp-headers" rows={2} className="mono" placeholder={'x-kik-user: alice'} value={headerText} onChange={(e) => setHeaderText(e.target.value)} />
          <label htmlFor="rp-timeout">Timeout (ms)</label>
          <input id="rp-timeout" type="number" min={1} value={timeoutMs} onChange={(e) => setTimeoutMs(Number(e.target.value))} />
          <span>TLS</span>
          <div>
            <label><input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} /> verify certificate</label>{' '}
            <input placeholder="CA file (PEM)" value={caFile} onChange={(e) => setCaFile(e.target.value)} />{' '}
            <input placeholder="client cert (PEM)" value={certFile} onChange={(e) => setCertFile(e.target.value)} />{' '}
            <input placeholder="client key (PEM)" value={keyFile} onChange={(e) => setKeyFile(e.target.value)} />
          </div>
        </div>
      </Section>

      <Section title="Auth">
        <div style={grid}>
          <label htmlFor="rp-auth">Kind</label>
          <select id="rp-auth" value={authKind} onChange={(e) => setAuthKind(e.target.value as ReplayAuth['kind'])}>
            <option value="none">none</option>
            <option value="livekit-key">LiveKit key + secret (mint per method)</option>
            <option value="livekit-token">LiveKit token (paste)</option>
          </select>
          {authKind === 'livekit-key' && <>
            <label htmlFor="rp-key">API key</label>
            <input id="rp-key" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
            <label htmlFor="rp-secret">Secret</label>
            <div>
              <select id="rp-secret" value={secretName} onChange={(e) => setSecretName(e.target.value)}>
                <option value="">typed here (dev preset)</option>
                {secretNames.map((n) => <option key={n}>{n}</option>)}
              </select>{' '}
              {!secretName && <input type="password" value={inlineSecret} onChange={(e) => setInlineSecret(e.target.value)} aria-label="secret" />}
              <button type="button" onClick={() => void mint()} disabled={busy}>Mint token</button>
            </div>
            <span className="muted">Store secret</span>
            <div>
              <input placeholder="name" value={newSecret.name} onChange={(e) => setNewSecret({ ...newSecret, name: e.target.value })} />{' '}
              <input type="password" placeholder="secret" value={newSecret.value} onChange={(e) => setNewSecret({ ...newSecret, value: e.target.value })} />{' '}
              <button type="button" disabled={!newSecret.name || !newSecret.value} onClick={() => void run(async () => {
                const r = await api.replaySecretSet(newSecret);
                setSecretName(newSecret.name);
                setNewSecret({ name: '', value: '' });
                setSecretNames((await api.replaySecretList({})).names);
                setNotice(r.persistent ? 'secret stored (encrypted)' : 'secret kept for this session only');
              })}>Store</button>
            </div>
          </>}
          {authKind === 'livekit-token' && <>
            <label htmlFor="rp-token">Token</label>
            <input id="rp-token" type="password" value={token} onChange={(e) => setToken(e.target.value)} className="mono" />
          </>}
        </div>
        {claims && <pre className="mono" style={pre} data-testid="replay-claims">{claims}</pre>}
      </Section>

      <Section title="Message">
        <div style={grid}>
          <label htmlFor="rp-source">Send</label>
          <select id="rp-source" value={source} onChange={(e) => setSource(e.target.value)} onFocus={() => void api.listDocuments({}).then(setDocs)}>
            <option value="json">JSON below</option>
            {docs.map((d) => <option key={d.docId} value={d.docId}>{d.name} ({d.typeName ?? 'raw'}{d.messageCount > 1 ? `, ${d.messageCount} messages` : ''})</option>)}
          </select>
        </div>
        {source === 'json' && <textarea rows={5} className="mono" style={{ width: '100%' }} value={jsonText} onChange={(e) => setJsonText(e.target.value)} aria-label="request JSON" />}
        {doc && info && doc.typeName && doc.typeName !== info.requestType && <div className="muted">The document is a {doc.typeName}; it is converted to {info.requestType} (fields that match by name) when sent.</div>}
        <div className="row-buttons" style={{ marginTop: 6 }}>
          <button type="button" onClick={() => void send()} disabled={busy || !info || info.streaming}>Send</button>
          {doc && doc.messageCount > 1 && <button type="button" onClick={() => void replayStream()} disabled={busy}>Replay {doc.messageCount} messages</button>}
          {busy && <span className="muted">working…</span>}
        </div>
      </Section>

      {result && (
        <Section title="Response">
          <div className={result.ok ? '' : 'error-text'} data-testid="replay-status">
            {result.ok ? 'OK' : `${result.error?.code}: ${result.error?.message}`}
            {result.httpStatus !== undefined && ` · HTTP ${result.httpStatus}`}
            {result.error?.grpcCode !== undefined && ` · gRPC ${result.error.grpcCode}`}
            {` · ${result.timeMs.toFixed(1)} ms · ${result.target}`}
          </div>
          {result.error?.meta && <pre className="mono" style={pre}>{JSON.stringify(result.error.meta, null, 2)}</pre>}
          {result.error?.details?.map((d, i) => <pre key={i} className="mono" style={pre}>{d.type}{d.json ? `\n${d.json}` : ''}</pre>)}
          {result.responseJson && <pre className="mono" style={pre} data-testid="replay-response-json">{result.responseJson}</pre>}
          {result.responseBytes && <button type="button" onClick={() => void openResponse()}>Open as document ({result.responseType})</button>}
          <details><summary>Headers</summary><Pairs pairs={result.headers} /></details>
          <details><summary>Trailers</summary><Pairs pairs={result.trailers} /></details>
          <details><summary>Request headers</summary><Pairs pairs={result.requestHeaders} /></details>
        </Section>
      )}

      {stream && (
        <Section title={`Stream: ${stream.okCount} ok, ${stream.errorCount} errors (${stream.framing})`}>
          {stream.framingError && <div className="error-text">framing stopped {stream.framingError}</div>}
          <ol className="mono small" start={0}>
            {stream.items.map((it) => <li key={it.index} className={it.ok ? '' : 'error-text'}>{it.ok ? 'ok' : `${it.code}: ${it.message}`} · {it.timeMs.toFixed(1)} ms{it.responseJson ? ` · ${it.responseJson.replace(/\s+/g, ' ').slice(0, 120)}` : ''}</li>)}
          </ol>
        </Section>
      )}

      <Section title="Mock server" open={false}>
        {mock.running ? (
          <>
            <div className="mono small" data-testid="replay-mock-urls">HTTP (Twirp /twirp, Connect, gRPC-Web): {mock.httpUrl}<br />gRPC: {mock.grpcUrl}</div>
            <div className="small muted">{mock.services.filter((s) => s.mock !== 'generic').map((s) => `${s.name} (${s.mock})`).join(', ')}; {mock.services.filter((s) => s.mock === 'generic').length} generic services. Kik caller header: x-kik-user.</div>
            <div className="row-buttons">
              <button type="button" onClick={() => void run(async () => { setMock(await api.replayMockStop({})); setPresets(await api.replayPresets({})); })}>Stop</button>
            </div>
            <div style={{ ...grid, marginTop: 6 }}>
              <label htmlFor="rp-ans-target">Answer for</label>
              <input id="rp-ans-target" placeholder="pkg.Service or pkg.Service/Method" value={answerTarget} onChange={(e) => setAnswerTarget(e.target.value)} />
              <label htmlFor="rp-ans-kind">Answer</label>
              <select id="rp-ans-kind" value={answerKind} onChange={(e) => setAnswerKind(e.target.value as typeof answerKind)}>
                <option value="empty">empty message</option><option value="echo">echo matching fields</option>
                <option value="message">this message (JSON)</option><option value="error">this error</option>
              </select>
            </div>
            {answerKind === 'message' && docs.length > 0 && (
              <div className="row-buttons">
                {docs.map((d) => (
                  <button key={d.docId} type="button" title="use this open (possibly edited) document as the answer" onClick={() => void run(async () => {
                    const t = await api.getText({ docId: d.docId, message: 0, format: 'json' });
                    if (t.error) throw new Error(t.error);
                    setAnswerJson(t.text);
                  })}>use {d.name}</button>
                ))}
              </div>
            )}
            {(answerKind === 'message' || answerKind === 'error') && <textarea rows={3} className="mono" style={{ width: '100%' }} value={answerJson} onChange={(e) => setAnswerJson(e.target.value)} aria-label="answer" placeholder={answerKind === 'error' ? '{"code":"unavailable","message":"down"}' : '{}'} />}
            <button type="button" disabled={!answerTarget} onClick={() => void run(async () => {
              const answer = answerKind === 'message' ? { kind: 'message' as const, json: answerJson }
                : answerKind === 'error' ? { kind: 'error' as const, ...(JSON.parse(answerJson) as { code: string; message: string }) } : { kind: answerKind };
              await api.replayMockSetAnswer({ target: answerTarget, answer });
              setNotice(`answer set for ${answerTarget}`);
            })}>Set answer</button>
          </>
        ) : (
          <>
            <div style={grid}>
              <label htmlFor="rp-mock-port">Port</label>
              <input id="rp-mock-port" type="number" min={0} max={65535} value={mockPort} onChange={(e) => setMockPort(Number(e.target.value))} />
            </div>
            <textarea rows={8} className="mono" style={{ width: '100%' }} value={fixture} onChange={(e) => setFixture(e.target.value)} aria-label="fixture" />
            <button type="button" onClick={() => void run(async () => { setMock(await api.replayMockStart({ port: mockPort, fixtureJson: fixture })); setPresets(await api.replayPresets({})); })}>Start mock</button>
          </>
        )}
      </Section>

      <Section title={`Events (${events.length})`} open={false}>
        {events.length === 0 && <span className="muted">Kik notifications, LiveKit changes and mock requests show here.</span>}
        <ul className="mono small" style={{ listStyle: 'none', padding: 0, maxHeight: 240, overflow: 'auto' }} data-testid="replay-events">
          {events.map((e) => (
            <li key={e.seq}>
              {e.json ? <details><summary>{e.time.slice(11, 23)} {e.summary}</summary><pre style={pre}>{e.json}</pre></details> : <span>{e.time.slice(11, 23)} {e.summary}</span>}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={`History (${history.length})`} open={false}>
        <div className="row-buttons"><button type="button" onClick={() => void run(async () => { await api.replayHistoryClear({}); setHistory([]); })}>Clear</button></div>
        <ul className="mono small" style={{ listStyle: 'none', padding: 0, maxHeight: 240, overflow: 'auto' }} data-testid="replay-history">
          {history.map((h) => (
            <li key={h.id}>
              <button type="button" title="load into the form" onClick={() => { setUrl(h.url); setTransport(h.transport); setMethod(h.method); setHeaderText(h.headers.filter(([k]) => k.toLowerCase() !== 'authorization').map(([k, v]) => `${k}: ${v}`).join('\n')); }}>↺</button>{' '}
              <button type="button" title="send the same request again (with the auth chosen above)" disabled={busy} onClick={() => void run(async () => {
                const headers = h.headers.filter(([k]) => !['authorization', 'content-type', 'user-agent', 'x-livekit-request-id', 'connect-protocol-version', 'connect-timeout-ms', 'x-grpc-web', 'accept', 'grpc-timeout'].includes(k.toLowerCase()));
                setStream(null);
                setResult(await api.replaySend({ url: h.url, transport: h.transport, method: h.method, headers, body: h.requestBytes, timeoutMs, auth: auth(), tls: target().tls }));
                setHistory(await api.replayHistoryList({ limit: 50 }));
              })}>▶</button>{' '}
              <span className={h.ok ? '' : 'error-text'}>{h.time.slice(0, 19).replace('T', ' ')} {h.transport} {h.method} → {h.ok ? 'ok' : h.code} ({h.timeMs.toFixed(0)} ms)</span>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
