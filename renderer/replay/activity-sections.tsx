/** The activity sections: events as the host pushes them, and the history of sends (load into the form, send again). */
import { chooseMethod, resend, run, type ReplayPaneApi } from './replay-actions';
import { useReplayAccess, useReplayField } from './replay-state';
import { pre, Section } from './replay-ui';

/** Kik notifications, LiveKit changes, mock requests and sends, newest first. */
export function EventsSection() {
  const [events] = useReplayField('events');
  return (
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
  );
}

/** The kept sends, newest first. */
export function HistorySection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [history, setHistory] = useReplayField('history');
  const [, setUrl] = useReplayField('url');
  const [, setTransport] = useReplayField('transport');
  const [, setHeaderText] = useReplayField('headerText');
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
                chooseMethod(pane, h.method);
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
              onClick={() => void resend(pane, api, h)}
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
  );
}
