/** The activity sections: events as the host pushes them, and the history of sends (load into the form, send again). */
import type { ReplayHistoryDetail } from '../../core/api/replay-contract';
import { resend, run, type ReplayPaneApi } from './replay-actions';
import { restoreHistory, viewHistory } from './replay-tool-actions';
import { useReplayAccess, useReplayField } from './replay-state';
import { pre, Section } from './replay-ui';

/** Kik notifications, LiveKit changes, mock requests and sends, newest first. */
export function EventsSection() {
  const [events] = useReplayField('events');
  return (
    <Section id="events" title={`Events (${events.length})`} open={false}>
      {events.length === 0 && (
        <span className="muted">Kik notifications, LiveKit changes, mock requests and the frames a websocket send receives show here.</span>
      )}
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
  );
}

/** The kept sends, newest first: restore one into the form (body included), send it again, or view its answer. */
export function HistorySection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [history, setHistory] = useReplayField('history');
  const [historyView, setHistoryView] = useReplayField('historyView');
  const [busy] = useReplayField('busy');
  return (
    <Section id="history" title={`History (${history.length})`} open={false}>
      <div className="row-buttons">
        <button
          type="button"
          onClick={() =>
            void run(pane, async () => {
              await api.replayHistoryClear({});
              setHistory([]);
              setHistoryView(null);
            })
          }
        >
          Clear
        </button>
      </div>
      <ul className="mono small" style={{ listStyle: 'none', padding: 0, maxHeight: 240, overflow: 'auto' }} data-testid="replay-history">
        {history.map((h) => (
          <li key={h.id} className={historyView?.entry.id === h.id ? 'selected' : ''}>
            <button
              type="button"
              title="restore into the form (URL, method, headers, body)"
              aria-label="Restore"
              disabled={busy}
              onClick={() => void restoreHistory(pane, api, h)}
            >
              ↺
            </button>{' '}
            <button
              type="button"
              title="send the same request again (with the auth chosen above)"
              aria-label="Send again"
              disabled={busy}
              onClick={() => void resend(pane, api, h)}
            >
              ▶
            </button>{' '}
            <button
              type="button"
              className="link"
              title="show the request and the answer"
              onClick={() => void viewHistory(pane, api, h.id)}
              style={{ all: 'unset', cursor: 'pointer' }}
            >
              <span className={h.ok ? '' : 'error-text'}>
                {h.time.slice(0, 19).replace('T', ' ')} {h.transport} {h.method} → {h.ok ? 'ok' : h.code} ({h.timeMs.toFixed(0)} ms)
              </span>
            </button>
          </li>
        ))}
      </ul>
      {historyView && <HistoryDetail detail={historyView} onClose={() => setHistoryView(null)} />}
    </Section>
  );
}

/** A past send: its request and its answer (or error), as JSON. */
function HistoryDetail({ detail, onClose }: { detail: ReplayHistoryDetail; onClose: () => void }) {
  const { entry } = detail;
  return (
    <div data-testid="replay-history-detail" style={{ borderTop: '1px solid var(--border)', paddingTop: 6 }}>
      <div className="small">
        {entry.time.slice(0, 19).replace('T', ' ')} {entry.transport} {entry.url} {entry.method}
        {entry.environment ? ` (environment ${entry.environment})` : ''}{' '}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.problem && <div className="error-text small">{detail.problem}</div>}
      <div className="muted small">Request{entry.requestType ? ` (${entry.requestType})` : ''}</div>
      <pre className="mono" style={pre} data-testid="replay-history-request">
        {detail.requestJson ?? '(not shown)'}
      </pre>
      <div className="muted small">Answer{entry.responseType ? ` (${entry.responseType})` : ''}</div>
      <pre className={`mono${entry.ok ? '' : ' error-text'}`} style={pre} data-testid="replay-history-response">
        {entry.ok
          ? (detail.responseJson ?? (entry.responsesJson ? `[${entry.responsesJson.join(',\n')}]` : '(empty)'))
          : `${entry.error?.code ?? entry.code}: ${entry.error?.message ?? ''}`}
      </pre>
    </div>
  );
}
