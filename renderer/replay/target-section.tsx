/** The Target section: preset, URL, transport, method (with its filter), headers, timeout, TLS. */
import { useMemo } from 'react';
import { TRANSPORTS } from '../../core/api/vocabulary';
import type { ReplayTransport } from '../../core/api/replay-contract';
import {
  choosePathInto,
  chooseMethod,
  choosePreset,
  chooseTransport,
  run,
  TLS_FILES,
  type PathField,
  type ReplayPaneApi,
} from './replay-actions';
import { firstMatch, isLiveKitMethod, methodOptions, shownPreset } from './replay-logic';
import { useReplayAccess, useReplayField } from './replay-state';
import { grid, Section } from './replay-ui';
import { EnvironmentPicker, MethodChoices, MockShortcut, ReflectButton } from './target-shortcuts';

/** Where the request goes and how. */
export function TargetSection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [methods] = useReplayField('methods');
  const [presets] = useReplayField('presets');
  const [url, setUrl] = useReplayField('url');
  const [transport] = useReplayField('transport');
  const [method] = useReplayField('method');
  const [methodFilter, setMethodFilter] = useReplayField('methodFilter');
  const [headerText, setHeaderText] = useReplayField('headerText');
  const [timeoutMs, setTimeoutMs] = useReplayField('timeoutMs');
  const [verify, setVerify] = useReplayField('verify');
  const [caFile] = useReplayField('caFile');
  const [certFile] = useReplayField('certFile');
  const [keyFile] = useReplayField('keyFile');
  const [nativeDialogs] = useReplayField('nativeDialogs');
  const [authKind] = useReplayField('authKind');
  const [apiKey] = useReplayField('apiKey');
  const [secretName] = useReplayField('secretName');
  const [inlineSecret] = useReplayField('inlineSecret');
  const tlsPaths: Record<PathField, string> = { caFile, certFile, keyFile };
  const info = useMemo(() => methods.find((m) => m.id === method), [methods, method]);
  const { options: methodList, matchCount } = methodOptions(methods, methodFilter, method);
  // The preset the form still is (else "custom"), its auth included.
  const shown = shownPreset(presets, { url, transport, authKind, apiKey, secretName, inlineSecret }, isLiveKitMethod(method, methods));
  return (
    <Section id="target" title="Target">
      <div style={grid}>
        <label htmlFor="rp-preset">Preset</label>
        <select id="rp-preset" value={shown} onChange={(e) => choosePreset(pane, e.target.value)}>
          <option value="">custom</option>
          {presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <label htmlFor="rp-url">URL</label>
        <div>
          <input id="rp-url" value={url} onChange={(e) => setUrl(e.target.value)} className="mono" style={{ width: '100%' }} />
          <MockShortcut api={api} />
          <ReflectButton api={api} />
        </div>
        <EnvironmentPicker />
        <label htmlFor="rp-transport">Transport</label>
        <select id="rp-transport" value={transport} onChange={(e) => chooseTransport(pane, e.target.value as ReplayTransport)}>
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
              if (id) chooseMethod(pane, id);
            }}
          />{' '}
          <select id="rp-method" value={method} onChange={(e) => chooseMethod(pane, e.target.value)} style={{ maxWidth: '60%' }}>
            {methodList.map((o) => (
              <option key={o.value} value={o.value} disabled={o.disabled}>
                {o.label}
              </option>
            ))}
          </select>
          <MethodChoices />
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
            <span key={field} style={{ display: 'flex', gap: 4, marginTop: 2 }}>
              <input
                placeholder={label}
                aria-label={label}
                style={{ flex: 1, minWidth: 0 }}
                value={tlsPaths[field]}
                onChange={(e) => pane.set({ [field]: e.target.value })}
              />
              {nativeDialogs && (
                <button
                  type="button"
                  aria-label={`Choose ${label}`}
                  onClick={() => void run(pane, () => choosePathInto(pane, api, purpose, field))}
                >
                  Choose…
                </button>
              )}
            </span>
          ))}
        </div>
      </div>
    </Section>
  );
}
