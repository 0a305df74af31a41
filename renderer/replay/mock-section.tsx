/** The Mock server section: start it (port, fixture), its URLs and services, answers of generic services, stop. */
import { run, type ReplayPaneApi } from './replay-actions';
import { startMock, stopMock } from './replay-tool-actions';
import { useReplayAccess, useReplayField } from './replay-state';
import { grid, Section } from './replay-ui';

/** The mock server as the pane drives it. */
export function MockSection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [docs] = useReplayField('docs');
  const [mock] = useReplayField('mock');
  const [mockPort, setMockPort] = useReplayField('mockPort');
  const [fixture, setFixture] = useReplayField('fixture');
  const [answerTarget, setAnswerTarget] = useReplayField('answerTarget');
  const [answerKind, setAnswerKind] = useReplayField('answerKind');
  const [answerJson, setAnswerJson] = useReplayField('answerJson');
  return (
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
            <button type="button" onClick={() => void stopMock(pane, api)}>
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
              <option value="stream">this stream (a JSON array of messages)</option>
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
                    void run(pane, async () => {
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
          {(answerKind === 'message' || answerKind === 'error' || answerKind === 'stream') && (
            <textarea
              rows={3}
              className="mono"
              style={{ width: '100%' }}
              value={answerJson}
              onChange={(e) => setAnswerJson(e.target.value)}
              aria-label="answer"
              placeholder={
                answerKind === 'error'
                  ? '{"code":"unavailable","message":"down"}'
                  : answerKind === 'stream'
                    ? '[{"text":"a"},{"text":"b"}]'
                    : '{}'
              }
            />
          )}
          <button
            type="button"
            disabled={!answerTarget}
            onClick={() =>
              void run(pane, async () => {
                const answer =
                  answerKind === 'message'
                    ? { kind: 'message' as const, json: answerJson }
                    : answerKind === 'stream'
                      ? { kind: 'stream' as const, json: answerJson }
                      : answerKind === 'error'
                        ? { kind: 'error' as const, ...(JSON.parse(answerJson) as { code: string; message: string }) }
                        : { kind: answerKind };
                await api.replayMockSetAnswer({ target: answerTarget, answer });
                pane.set({ notice: `answer set for ${answerTarget}` });
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
          <button type="button" onClick={() => void startMock(pane, api)}>
            Start mock
          </button>
        </>
      )}
    </Section>
  );
}
