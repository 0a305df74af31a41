/** Shortcuts of the Target section: the mock (start it, or point at it), the methods a document fits, the environment sends use. */
import { chooseMethod, type ReplayPaneApi } from './replay-actions';
import { loadByReflection, mockPreset, pointAtMock, startMock } from './replay-tool-actions';
import { useReplayAccess, useReplayField } from './replay-state';

/** Loads the schemas of the server at the URL by gRPC reflection. */
export function ReflectButton({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [busy] = useReplayField('busy');
  return (
    <button
      type="button"
      className="small"
      disabled={busy}
      title="read the services and types of the server at the URL (gRPC reflection)"
      onClick={() => void loadByReflection(pane, api)}
    >
      Load schemas by reflection
    </button>
  );
}

/** Starts the mock and points the form at it, or points the form at the running mock when it points elsewhere. */
export function MockShortcut({ api }: { api: ReplayPaneApi }) {
  const pane = useReplayAccess();
  const [mock] = useReplayField('mock');
  const [presets] = useReplayField('presets');
  const [transport] = useReplayField('transport');
  const [url] = useReplayField('url');
  const [busy] = useReplayField('busy');
  if (!mock.running)
    return (
      <div className="small muted" data-testid="replay-mock-shortcut">
        No mock running.{' '}
        <button type="button" disabled={busy} onClick={() => void startMock(pane, api)}>
          Start the mock
        </button>
      </div>
    );
  const preset = mockPreset(presets, transport);
  if (!preset || preset.url === url) return null;
  return (
    <div className="small muted" data-testid="replay-mock-shortcut">
      The mock runs at {preset.url}.{' '}
      <button type="button" onClick={() => pointAtMock(pane)}>
        Use the mock
      </button>
    </div>
  );
}

/** When several methods take the document's type and the method is none of them: which one. */
export function MethodChoices() {
  const pane = useReplayAccess();
  const [choices] = useReplayField('methodChoices');
  if (!choices.length) return null;
  return (
    <div className="small" role="group" aria-label="Methods for this document" data-testid="replay-method-choices">
      This document fits {choices.length} methods:{' '}
      {choices.map((id) => (
        <button key={id} type="button" onClick={() => chooseMethod(pane, id)}>
          {id.split('/')[1]}
        </button>
      ))}
    </div>
  );
}

/** The environment sends fill {{variables}} from. */
export function EnvironmentPicker() {
  const [environments] = useReplayField('environments');
  const [environment, setEnvironment] = useReplayField('environment');
  return (
    <>
      <label htmlFor="rp-env">Environment</label>
      <select id="rp-env" value={environment} onChange={(e) => setEnvironment(e.target.value)}>
        <option value="">none</option>
        {environments.map((e) => (
          <option key={e.name} value={e.name}>
            {e.name}
          </option>
        ))}
      </select>
    </>
  );
}
