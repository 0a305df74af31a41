/** The Environments section: named variables ({{host}}, {{apiKey}}) sends fill in; secret ones go to the secret store. */
import type { ReplayPaneApi } from './replay-actions';
import { deleteEnvironment, editEnvironment, saveEnvironment } from './replay-tool-actions';
import { useReplayAccess, useReplayField } from './replay-state';
import { grid, Section } from './replay-ui';

/** Edit, save and delete environments (secret values are typed, never shown back). */
export function EnvironmentSection({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [environments] = useReplayField('environments');
  const [form, setForm] = useReplayField('envForm');
  const [busy] = useReplayField('busy');
  const saved = environments.some((e) => e.name === form.name);
  return (
    <Section id="environments" title={`Environments (${environments.length})`} open={false}>
      <div className="muted small">
        Write {'{{name}}'} in the URL, headers, JSON or LiveKit key and secret; the chosen environment (Target) fills it in when sending.
      </div>
      <div style={grid}>
        <label htmlFor="rp-env-edit">Edit</label>
        <select id="rp-env-edit" value={saved ? form.name : ''} onChange={(e) => editEnvironment(pane, e.target.value)}>
          <option value="">new</option>
          {environments.map((e) => (
            <option key={e.name}>{e.name}</option>
          ))}
        </select>
        <label htmlFor="rp-env-name">Name</label>
        <input id="rp-env-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <label htmlFor="rp-env-vars">Variables</label>
        <textarea
          id="rp-env-vars"
          rows={3}
          className="mono"
          placeholder={'host=http://127.0.0.1:7880\nroom=demo-room'}
          value={form.variables}
          onChange={(e) => setForm({ ...form, variables: e.target.value })}
        />
        <label htmlFor="rp-env-secrets">Secrets</label>
        <textarea
          id="rp-env-secrets"
          rows={2}
          className="mono"
          placeholder={'apiSecret=… (an empty value keeps the stored one)'}
          value={form.secrets}
          onChange={(e) => setForm({ ...form, secrets: e.target.value })}
        />
      </div>
      <div className="row-buttons" style={{ marginTop: 6 }}>
        <button type="button" disabled={busy || !form.name} onClick={() => void saveEnvironment(pane, api)}>
          Save environment
        </button>
        {saved && (
          <button type="button" disabled={busy} onClick={() => void deleteEnvironment(pane, api)}>
            Delete
          </button>
        )}
      </div>
    </Section>
  );
}
