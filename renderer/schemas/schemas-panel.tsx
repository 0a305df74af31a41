/**
 * The schemas panel: bundled families, added files, folders and descriptor sets (each with a
 * Remove button; they are remembered for the next start), reload, errors with file:line. It
 * follows the host's 'schemas-changed' events (a .proto file dropped on the window is added).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SchemaStatus } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';
import { errorText } from '../shared/util';
import { useReturnFocus } from '../shared/use-return-focus';

interface Props {
  nativeDialogs: boolean;
  notify: (text: string, kind?: 'error' | 'info') => void;
  onClose: () => void;
  onChanged: () => void;
}

/** The panel; Esc inside it closes it, and the focus goes back to what opened it. */
export function SchemasPanel({ nativeDialogs, notify, onClose, onChanged }: Props) {
  const [status, setStatus] = useState<SchemaStatus | null>(null);
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<'proto' | 'folder' | 'descriptor-set'>('proto');
  const [busy, setBusy] = useState(false);
  useReturnFocus();

  useEffect(() => {
    void api.schemaStatus({}).then(setStatus);
  }, []);
  useHostEvent((e) => {
    if (e.kind === 'schemas-changed') setStatus(e.status);
  });

  const run = async (fn: () => Promise<SchemaStatus>) => {
    setBusy(true);
    try {
      const s = await fn();
      setStatus(s);
      onChanged();
    } catch (e) {
      notify(`Schemas: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    const uploads = await Promise.all(
      Array.from(files).map(async (f) => ({
        name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name,
        contents: new Uint8Array(await f.arrayBuffer()),
      })),
    );
    await run(() => api.addSchemas({ uploads }));
  };

  const addPath = async () => {
    const p = path.trim();
    if (!p) return;
    await run(() =>
      api.addSchemas(kind === 'proto' ? { protoFiles: [p] } : kind === 'folder' ? { importPaths: [p] } : { descriptorSets: [p] }),
    );
    setPath('');
  };

  /** One added schema source with its Remove button. */
  const added = (source: string, label: ReactNode) => (
    <li key={source} data-testid="added-schema">
      <span className="grow">{label}</span>
      <button
        className="small"
        disabled={busy}
        onClick={() => void run(() => api.removeSchema({ source }))}
        aria-label={`Remove ${source}`}
        title="Remove this schema (its types are no longer loaded)"
      >
        Remove
      </button>
    </li>
  );

  return (
    <aside
      className="schemas-panel"
      aria-label="Schemas"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        onClose();
      }}
    >
      <div className="pane-title">
        Schemas {status && <span className="muted">{status.typeCount.toLocaleString()} message types</span>}
        <span className="grow" />
        <button onClick={() => void run(() => api.reloadSchemas({}))} disabled={busy}>
          Reload
        </button>
        <button onClick={onClose} aria-label="Close schemas">
          ×
        </button>
      </div>
      <div className="schemas-body">
        <h3>Bundled</h3>
        <ul>
          {status?.families.map((f) => (
            <li key={f.name}>
              {f.name} <span className="muted">{f.typeCount} types</span>
            </li>
          ))}
        </ul>
        <h3>Add</h3>
        {nativeDialogs ? (
          <div className="row-buttons">
            <button onClick={() => void run(() => api.addSchemasDialog({ kind: 'proto' }))}>.proto files…</button>
            <button onClick={() => void run(() => api.addSchemasDialog({ kind: 'folder' }))}>Folder (import path)…</button>
            <button onClick={() => void run(() => api.addSchemasDialog({ kind: 'descriptor-set' }))}>Descriptor set…</button>
          </div>
        ) : (
          <div className="row-buttons">
            <UploadButton label=".proto files…" multiple accept=".proto" onFiles={upload} />
            <UploadButton label="Folder…" folder onFiles={upload} />
            <UploadButton label="Descriptor set…" accept=".binpb,.pb,.desc,.protoset" onFiles={upload} />
          </div>
        )}
        <form
          className="add-path"
          onSubmit={(e) => {
            e.preventDefault();
            void addPath();
          }}
        >
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="Kind of path">
            <option value="proto">.proto file</option>
            <option value="folder">folder (import path)</option>
            <option value="descriptor-set">descriptor set</option>
          </select>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="path on this machine" aria-label="Schema path" />
          <button type="submit" disabled={busy || !path.trim()}>
            Add
          </button>
        </form>
        {status &&
          (status.protoFiles.length > 0 ||
            status.importPaths.length > 0 ||
            status.descriptorSets.length > 0 ||
            status.uploads.length > 0) && (
            <>
              <h3>Added</h3>
              <ul className="mono small added-schemas">
                {status.protoFiles.map((f) => added(f, f))}
                {status.importPaths.map((f) =>
                  added(
                    f,
                    <>
                      {f}/ <span className="muted">import path</span>
                    </>,
                  ),
                )}
                {status.descriptorSets.map((f) =>
                  added(
                    f,
                    <>
                      {f} <span className="muted">descriptor set</span>
                    </>,
                  ),
                )}
                {status.uploads.map((f) =>
                  added(
                    f,
                    <>
                      {f} <span className="muted">uploaded</span>
                    </>,
                  ),
                )}
              </ul>
            </>
          )}
        {status && status.errors.length > 0 && (
          <>
            <h3>Problems ({status.errors.length})</h3>
            <ul className="schema-errors">
              {status.errors.map((e, i) => (
                <li key={i} className="error-text mono small">
                  {e.file}
                  {e.line ? `:${e.line}` : ''}
                  {e.column ? `:${e.column}` : ''}
                  {e.file ? ': ' : ''}
                  {e.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </aside>
  );
}

/** A button (reachable by Tab) that opens the browser's file chooser through a hidden file input. */
function UploadButton({
  label,
  multiple,
  folder,
  accept,
  onFiles,
}: {
  label: string;
  multiple?: boolean;
  folder?: boolean;
  accept?: string;
  onFiles: (files: FileList | null) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        multiple={multiple}
        accept={accept}
        aria-label={label}
        {...(folder ? { webkitdirectory: '' } : {})}
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </>
  );
}
