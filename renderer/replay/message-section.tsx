/** The Message section: what Send sends (an open document, by reference, or the JSON box), Send and stream replay. */
import { useMemo } from 'react';
import { cancelSend, replayStream, send, type ReplayPaneApi } from './replay-actions';
import { copyCommand } from './replay-tool-actions';
import { pickSource } from './replay-logic';
import { useReplayAccess, useReplayField } from './replay-state';
import { grid, Section } from './replay-ui';

/** The request message and the Send buttons; `activeDocId` is the active tab's document. */
export function MessageSection({ api, activeDocId }: { api: ReplayPaneApi; activeDocId: string | undefined }) {
  const pane = useReplayAccess();
  const [methods] = useReplayField('methods');
  const [method] = useReplayField('method');
  const [docs, setDocs] = useReplayField('docs');
  const [source] = useReplayField('source');
  const [sourceFollows] = useReplayField('sourceFollows');
  const [jsonText, setJsonText] = useReplayField('jsonText');
  const [busy] = useReplayField('busy');
  const [inFlight] = useReplayField('inFlight');
  const [command] = useReplayField('command');
  const info = useMemo(() => methods.find((m) => m.id === method), [methods, method]);
  const doc = docs.find((d) => d.docId === source);
  return (
    <Section id="message" title="Message">
      <div style={grid}>
        <label htmlFor="rp-source">Send</label>
        <select
          id="rp-source"
          value={source}
          onChange={(e) => pane.set((s) => pickSource(s, e.target.value, activeDocId))}
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
        <button type="button" onClick={() => void send(pane, api)} disabled={busy || !info}>
          Send
        </button>
        {inFlight && (
          <button type="button" onClick={() => void cancelSend(pane, api)}>
            Cancel
          </button>
        )}
        {doc && doc.messageCount > 1 && (
          <button type="button" onClick={() => void replayStream(pane, api)} disabled={busy}>
            Replay {doc.messageCount} messages
          </button>
        )}
        {busy && <span className="muted">working…</span>}
      </div>
      {(info?.kind === 'client-stream' || info?.kind === 'bidi') && (
        <div className="muted small">A {info.kind} method: Send streams every message of the document (or a JSON array) in one call.</div>
      )}
      <div className="row-buttons small" style={{ marginTop: 6 }} role="group" aria-label="Copy as">
        <span className="muted">Copy as</span>
        {(
          [
            ['curl', 'curl'],
            ['grpcurl', 'grpcurl'],
            ['buf-curl', 'buf curl'],
          ] as const
        ).map(([tool, label]) => (
          <button key={tool} type="button" disabled={busy || !info} onClick={() => void copyCommand(pane, api, tool)}>
            {label}
          </button>
        ))}
      </div>
      {command && (
        <div>
          <textarea
            readOnly
            rows={3}
            className="mono small"
            style={{ width: '100%' }}
            value={command.text}
            aria-label={`${command.tool} command`}
            data-testid="replay-command"
            onFocus={(e) => e.currentTarget.select()}
          />
          {command.notes.map((n) => (
            <div key={n} className="muted small">
              {n}
            </div>
          ))}
        </div>
      )}
    </Section>
  );
}
