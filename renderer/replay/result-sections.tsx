/** The answer sections: the response of the last Send, and the results of the last stream replay. */
import type { DocumentSummary } from '../../core/api/contract';
import { openResponse, type ReplayPaneApi } from './replay-actions';
import { useReplayAccess, useReplayField } from './replay-state';
import { Pairs, pre, Section } from './replay-ui';

/** The last response: status, error details, JSON, Open as document, headers and trailers. */
export function ResponseSection({ api, onOpenDocument }: { api: ReplayPaneApi; onOpenDocument?: (summary: DocumentSummary) => void }) {
  const pane = useReplayAccess();
  const [result] = useReplayField('result');
  if (!result) return null;
  return (
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
      {result.responses ? (
        <ol className="mono small" start={0} data-testid="replay-response-stream">
          {result.responses.map((m, i) => (
            <li key={i}>
              {m.timeMs !== undefined && <span className="muted">+{m.timeMs.toFixed(1)} ms</span>}
              <pre style={pre}>{m.json}</pre>
            </li>
          ))}
        </ol>
      ) : (
        result.responseJson && (
          <pre className="mono" style={pre} data-testid="replay-response-json">
            {result.responseJson}
          </pre>
        )
      )}
      {result.warnings?.map((w) => (
        <div key={w} className="error-text small">
          {w}
        </div>
      ))}
      {result.responseBytes && (
        <button type="button" onClick={() => void openResponse(pane, api, onOpenDocument)}>
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
  );
}

/** Each message of the last stream replay, ok or its error. */
export function StreamSection() {
  const [stream] = useReplayField('stream');
  if (!stream) return null;
  return (
    <Section id="stream" title={`Stream: ${stream.okCount} ok, ${stream.errorCount} errors (${stream.framing})`}>
      <ol className="mono small" start={0}>
        {stream.items.map((it) => (
          <li key={it.index} className={it.ok ? '' : 'error-text'}>
            {it.ok ? 'ok' : `${it.code}: ${it.message}`} · {it.timeMs.toFixed(1)} ms
            {it.responseJson ? ` · ${it.responseJson.replace(/\s+/g, ' ').slice(0, 120)}` : ''}
          </li>
        ))}
      </ol>
    </Section>
  );
}
