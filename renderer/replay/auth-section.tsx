/** The Auth section: none, a LiveKit key and secret (mint per method), or a pasted token; stored secrets. */
import type { ReplayAuth } from '../../core/api/replay-contract';
import { chooseAuth, mint, run, type ReplayPaneApi } from './replay-actions';
import { isLiveKitMethod, isSignalMethod } from './replay-logic';
import { useReplayAccess, useReplayField } from './replay-state';
import { grid, pre, Section } from './replay-ui';

/** How requests are authorised. */
export function AuthSection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [methods] = useReplayField('methods');
  const [method] = useReplayField('method');
  const [authKind] = useReplayField('authKind');
  const [authExplicit] = useReplayField('authExplicit');
  const [apiKey, setApiKey] = useReplayField('apiKey');
  const [room, setRoom] = useReplayField('room');
  const [identity, setIdentity] = useReplayField('identity');
  const [secretName, setSecretName] = useReplayField('secretName');
  const [inlineSecret, setInlineSecret] = useReplayField('inlineSecret');
  const [newSecret, setNewSecret] = useReplayField('newSecret');
  const [secretNames, setSecretNames] = useReplayField('secretNames');
  const [token, setToken] = useReplayField('token');
  const [claims] = useReplayField('claims');
  const [busy] = useReplayField('busy');
  const livekit = isLiveKitMethod(method, methods);
  const authNote = authExplicit ? 'chosen by you' : livekit ? 'LiveKit method' : 'not a LiveKit method';
  return (
    <Section id="auth" title="Auth">
      <div style={grid}>
        <label htmlFor="rp-auth">Kind</label>
        <div>
          <select id="rp-auth" value={authKind} onChange={(e) => chooseAuth(pane, e.target.value as ReplayAuth['kind'])}>
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
            {isSignalMethod(method) && (
              <>
                <label htmlFor="rp-room">Room</label>
                <input id="rp-room" value={room} placeholder="demo-room" onChange={(e) => setRoom(e.target.value)} />
                <label htmlFor="rp-identity">Identity</label>
                <input id="rp-identity" value={identity} placeholder="protodesk" onChange={(e) => setIdentity(e.target.value)} />
              </>
            )}
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
              <button type="button" onClick={() => void mint(pane, api)} disabled={busy}>
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
                  void run(pane, async () => {
                    const r = await api.replaySecretSet(newSecret);
                    setSecretName(newSecret.name);
                    setNewSecret({ name: '', value: '' });
                    setSecretNames((await api.replaySecretList({})).names);
                    pane.set({ notice: r.persistent ? 'secret stored (encrypted)' : 'secret kept for this session only' });
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
      {claims && token && <MintedToken token={token} />}
    </Section>
  );
}

/** The minted token, to copy (for lk, curl or another client). */
function MintedToken({ token }: { token: string }) {
  const pane = useReplayAccess();
  return (
    <div className="row-buttons small">
      <input
        readOnly
        className="mono"
        value={token}
        aria-label="minted token"
        style={{ flex: 1 }}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        onClick={() =>
          void Promise.resolve()
            .then(() => navigator.clipboard.writeText(token))
            .then(
              () => pane.set({ notice: 'token copied to the clipboard' }),
              () => pane.set({ notice: 'no clipboard here: select the token and copy it' }),
            )
        }
      >
        Copy token
      </button>
    </div>
  );
}
