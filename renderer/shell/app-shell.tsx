/** The application shell: tabs, toolbar, drop zone, dialogs, keyboard shortcuts, host events. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, DiskChange, DocumentSummary, MenuCommand } from '../../core/api/contract';
import { FRAMING_LABELS } from '../../core/api/vocabulary';
import { api, bridge, hostInfo, openFile } from '../host/bridge';
import { DocumentView, type DocumentViewHandle } from '../document/document-view';
import { SchemasPanel } from '../schemas/schemas-panel';
import { PasteDialog } from '../dialogs/paste-dialog';
import { ConfirmDialog, PromptDialog } from '../dialogs/dialogs';
import { RecoveryPrompt } from '../dialogs/recovery-prompt';
import { FileChangedBar } from '../document/file-changed-bar';
import { download, errorText, isTypingTarget } from '../shared/util';
import { isCancelled } from '../host/cancel';

interface Notice {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

type Modal =
  | { kind: 'paste' }
  | { kind: 'open-path' }
  | { kind: 'save-as'; docId: string; then?: () => void }
  | { kind: 'close-tab'; docId: string }
  | { kind: 'close-window' }
  | { kind: 'save-conflict'; docId: string; then?: () => void }
  | null;

let noticeId = 0;

/** A long host operation under way (from 'progress' events). */
interface Progress {
  taskId?: string;
  label: string;
  done: number;
  total: number;
}

/** The root component. */
export function AppShell() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [tabs, setTabs] = useState<DocumentSummary[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [modal, setModal] = useState<Modal>(null);
  const [showSchemas, setShowSchemas] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [recent, setRecent] = useState<string[]>([]);
  /** Open documents whose file changed on disk (by docId), until reloaded or kept. */
  const [changed, setChanged] = useState<Record<string, DiskChange>>({});
  const fileInput = useRef<HTMLInputElement>(null);
  const viewRef = useRef<DocumentViewHandle>(null);
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  const notify = useCallback((text: string, kind: Notice['kind'] = 'error') => {
    const id = ++noticeId;
    setNotices((n) => [...n, { id, text, kind }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), kind === 'error' ? 9000 : 4000);
  }, []);

  /** Puts a summary into the tabs (adds it, or replaces the one with the same id). */
  const upsert = useCallback((s: DocumentSummary, activate = false) => {
    setTabs((ts) => (ts.some((t) => t.docId === s.docId) ? ts.map((t) => (t.docId === s.docId ? s : t)) : [...ts, s]));
    if (activate) setActive(s.docId);
  }, []);

  /** Adds a document opened elsewhere (a replay response) as the active tab. */
  const openTab = useCallback((s: DocumentSummary) => upsert(s, true), [upsert]);

  const run = useCallback(
    async <T,>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const timer = setTimeout(() => setBusy(label), 200);
      try {
        return await fn();
      } catch (e) {
        notify(`${label}: ${errorText(e)}`, isCancelled(e) ? 'info' : 'error');
        return undefined;
      } finally {
        clearTimeout(timer);
        setBusy(null);
      }
    },
    [notify],
  );

  useEffect(() => {
    void hostInfo().then(setInfo);
    void api.listDocuments({}).then((docs) => {
      setTabs(docs);
      if (docs.length) setActive(docs[docs.length - 1].docId);
    });
  }, []);

  const openFiles = useCallback(
    async (files: readonly File[]) => {
      for (const f of files) {
        // From disk where the host knows the path (Save then writes in place); else the File is sent as it is.
        const s = await run(`Opening ${f.name}`, () => openFile(f));
        if (s) upsert(s, true);
      }
    },
    [run, upsert],
  );

  const openDialog = useCallback(async () => {
    if (info?.nativeDialogs) {
      const docs = await run('Open', () => api.openDialog({}));
      docs?.forEach((d) => upsert(d, true));
    } else fileInput.current?.click();
  }, [info, run, upsert]);

  const activeTab = tabs.find((t) => t.docId === active) ?? null;

  const save = useCallback(
    async (docId: string, then?: () => void) => {
      const tab = tabsRef.current.find((t) => t.docId === docId);
      if (!tab) return;
      if (!tab.path) {
        if (info?.nativeDialogs) {
          const s = await run('Save As', () => api.saveAs({ docId }));
          if (s) {
            upsert(s);
            then?.();
          }
        } else setModal({ kind: 'save-as', docId, ...(then ? { then } : {}) });
        return;
      }
      // Saving over a file that changed on disk since it was opened asks first.
      const changes = await run('Save', () => api.checkDisk({ docId }));
      if (!changes) return;
      if (changes.some((c) => !c.deleted)) {
        setModal({ kind: 'save-conflict', docId, ...(then ? { then } : {}) });
        return;
      }
      const s = await run('Save', () => api.save({ docId }));
      if (s) {
        upsert(s);
        setChanged(({ [docId]: _gone, ...rest }) => rest);
        notify(`Saved ${s.path}`, 'info');
        then?.();
      }
    },
    [info, run, upsert, notify],
  );

  const reloadFromDisk = useCallback(
    async (docId: string) => {
      const s = await run('Reload', () => api.reloadFromDisk({ docId }));
      if (s) {
        upsert(s);
        setChanged(({ [docId]: _gone, ...rest }) => rest);
      }
    },
    [run, upsert],
  );

  const keepMine = useCallback(
    async (docId: string) => {
      const s = await run('Keep mine', () => api.keepMine({ docId }));
      if (s) {
        upsert(s);
        setChanged(({ [docId]: _gone, ...rest }) => rest);
      }
      return s;
    },
    [run, upsert],
  );

  const saveAs = useCallback(
    async (docId: string) => {
      if (info?.nativeDialogs) {
        const s = await run('Save As', () => api.saveAs({ docId }));
        if (s) upsert(s);
      } else setModal({ kind: 'save-as', docId });
    },
    [info, run, upsert],
  );

  const reallyClose = useCallback(
    async (docId: string) => {
      await run('Close', () => api.closeDocument({ docId }));
      setTabs((ts) => {
        const i = ts.findIndex((t) => t.docId === docId);
        const next = ts.filter((t) => t.docId !== docId);
        setChanged(({ [docId]: _gone, ...rest }) => rest);
        setActive((a) => (a === docId ? (next[Math.min(i, next.length - 1)]?.docId ?? null) : a));
        return next;
      });
    },
    [run],
  );

  const closeTab = useCallback(
    (docId: string) => {
      const tab = tabsRef.current.find((t) => t.docId === docId);
      if (tab?.dirty) setModal({ kind: 'close-tab', docId });
      else void reallyClose(docId);
    },
    [reallyClose],
  );

  const exportAs = useCallback(
    async (format: 'json' | 'text' | 'hex' | 'binary') => {
      if (!activeTab) return;
      if (format === 'binary') {
        const f = await run('Export', () => api.getFileBytes({ docId: activeTab.docId }));
        if (f) download(f.name, f.bytes);
        return;
      }
      const r = await run(`Export ${format}`, () =>
        api.exportMessage({ docId: activeTab.docId, message: viewRef.current?.message() ?? 0, format }),
      );
      if (!r) return;
      if (r.path) notify(`Exported to ${r.path}`, 'info');
      else if (r.text !== undefined) download(r.name, r.text, 'text/plain');
    },
    [activeTab, run, notify],
  );

  const undo = useCallback(async () => {
    if (activeTab) {
      const s = await run('Undo', () => api.undo({ docId: activeTab.docId }));
      if (s) upsert(s);
    }
  }, [activeTab, run, upsert]);
  const redo = useCallback(async () => {
    if (activeTab) {
      const s = await run('Redo', () => api.redo({ docId: activeTab.docId }));
      if (s) upsert(s);
    }
  }, [activeTab, run, upsert]);

  const command = useCallback(
    (c: MenuCommand) => {
      switch (c) {
        case 'open':
          void openDialog();
          break;
        case 'paste-bytes':
          setModal({ kind: 'paste' });
          break;
        case 'save':
          if (activeTab) void save(activeTab.docId);
          break;
        case 'save-as':
          if (activeTab) void saveAs(activeTab.docId);
          break;
        case 'close-tab':
          if (activeTab) closeTab(activeTab.docId);
          break;
        case 'export-json':
          void exportAs('json');
          break;
        case 'export-text':
          void exportAs('text');
          break;
        case 'export-hex':
          void exportAs('hex');
          break;
        case 'undo':
          void undo();
          break;
        case 'redo':
          void redo();
          break;
        case 'find':
          viewRef.current?.focusFilter();
          break;
        case 'toggle-schemas':
          setShowSchemas((s) => !s);
          break;
        case 'toggle-json':
          viewRef.current?.togglePane('text');
          break;
        case 'toggle-hex':
          viewRef.current?.togglePane('hex');
          break;
        case 'about':
          notify(`Protodesk ${info?.version ?? ''} — ${info?.mode ?? ''} mode`, 'info');
          break;
      }
    },
    [openDialog, activeTab, save, saveAs, closeTab, exportAs, undo, redo, notify, info],
  );

  // Host events: menu commands, files opened by the host, close requests.
  const commandRef = useRef(command);
  commandRef.current = command;
  useEffect(
    () =>
      bridge.onEvent((e) => {
        if (e.kind === 'menu') commandRef.current(e.command);
        else if (e.kind === 'opened') upsert(e.summary, true);
        else if (e.kind === 'close-requested') {
          if (tabsRef.current.some((t) => t.dirty)) setModal({ kind: 'close-window' });
          else void api.confirmClose({});
        } else if (e.kind === 'file-changed') {
          setChanged((c) => ({ ...c, [e.docId]: { docId: e.docId, path: e.path, deleted: e.deleted } }));
        } else if (e.kind === 'progress') {
          setProgress(
            e.done >= e.total ? null : { label: e.label, done: e.done, total: e.total, ...(e.taskId ? { taskId: e.taskId } : {}) },
          );
        }
      }),
    [upsert],
  );

  const cancelTask = useCallback(
    (taskId: string) => {
      api.cancelTask({ taskId }).catch((e: unknown) => notify(`Cancel: ${errorText(e)}`));
    },
    [notify],
  );

  // Esc cancels the long operation under way (when nothing else takes the key).
  useEffect(() => {
    const taskId = progress?.taskId;
    if (!taskId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) cancelTask(taskId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [progress?.taskId, cancelTask]);

  // Keyboard shortcuts (in Electron the menu accelerators send the same commands).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      const typing = isTypingTarget(e.target);
      let c: MenuCommand | null = null;
      if (k === 'o') c = 'open';
      else if (k === 's') c = e.shiftKey ? 'save-as' : 'save';
      else if (k === 'z' && !typing) c = e.shiftKey ? 'redo' : 'undo';
      else if (k === 'y' && !typing) c = 'redo';
      else if (k === 'f' && !typing) c = 'find';
      else if (k === 'v' && e.shiftKey) c = 'paste-bytes';
      if (c) {
        e.preventDefault();
        command(c);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [command, info]);

  // Coming back to the window: check open files for changes on disk (the host also polls).
  useEffect(() => {
    const onFocus = () => {
      api.checkDisk({}).then(
        (list) => setChanged(Object.fromEntries(list.map((c) => [c.docId, c]))),
        () => undefined,
      );
    };
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  // Browser mode: closing the page with unsaved changes asks first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (tabsRef.current.some((t) => t.dirty)) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length) void openFiles(files);
  };

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="toolbar" role="toolbar">
        <span className="brand">Protodesk</span>
        <button onClick={() => void openDialog()} title="Open files (Ctrl+O)">
          Open…
        </button>
        {/* Electron's main process opens only paths the user chose (docs/security.md): Open… is the way there. */}
        {!info?.nativeDialogs && (
          <button onClick={() => setModal({ kind: 'open-path' })} title="Open a file by its path on this machine">
            Open path…
          </button>
        )}
        <button onClick={() => setModal({ kind: 'paste' })} title="Paste bytes as hex or base64 (Ctrl+Shift+V)">
          Paste bytes…
        </button>
        {info?.mode === 'browser' && (
          <select
            value=""
            aria-label="Open a recent file"
            onFocus={() => void api.recentFiles({}).then(setRecent)}
            onChange={async (e) => {
              const path = e.target.value;
              e.target.value = '';
              if (!path) return;
              const s = await run('Open', () => api.openPath({ path }));
              if (s) upsert(s, true);
            }}
          >
            <option value="">Recent…</option>
            {recent.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        )}
        <span className="sep" />
        <button disabled={!activeTab} onClick={() => activeTab && void save(activeTab.docId)} title="Save (Ctrl+S)" data-testid="save">
          Save
        </button>
        <button disabled={!activeTab} onClick={() => activeTab && void saveAs(activeTab.docId)} title="Save As (Ctrl+Shift+S)">
          Save As…
        </button>
        <select
          disabled={!activeTab}
          value=""
          aria-label="Export"
          onChange={(e) => {
            const v = e.target.value as 'json' | 'text' | 'hex' | 'binary';
            e.target.value = '';
            if (v) void exportAs(v);
          }}
        >
          <option value="">Export…</option>
          <option value="json">as JSON</option>
          <option value="text">as text format</option>
          <option value="hex">as hex</option>
          <option value="binary">binary (download)</option>
        </select>
        <span className="sep" />
        <button disabled={!activeTab?.canUndo} onClick={() => void undo()} title="Undo (Ctrl+Z)" data-testid="undo">
          Undo
        </button>
        <button disabled={!activeTab?.canRedo} onClick={() => void redo()} title="Redo (Ctrl+Shift+Z / Ctrl+Y)" data-testid="redo">
          Redo
        </button>
        <span className="grow" />
        {progress ? (
          <span className="busy" role="status" data-testid="progress">
            <span
              className="progress"
              role="progressbar"
              aria-label={progress.label}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round((100 * progress.done) / Math.max(1, progress.total))}
            >
              <span className="progress-fill" style={{ width: `${(100 * progress.done) / Math.max(1, progress.total)}%` }} />
            </span>
            {progress.label}
            {progress.taskId && (
              <button onClick={() => cancelTask(progress.taskId!)} title="Cancel (Esc)">
                Cancel
              </button>
            )}
          </span>
        ) : (
          busy && (
            <span className="busy" role="status">
              <span className="spinner" /> {busy}
            </span>
          )
        )}
        <button className={showSchemas ? 'on' : ''} onClick={() => setShowSchemas((s) => !s)} title="Schemas">
          Schemas
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void openFiles(files);
          }}
        />
      </header>
      <nav className="tabs" role="tablist">
        {tabs.map((t) => (
          <div
            key={t.docId}
            role="tab"
            aria-selected={t.docId === active}
            className={`tab${t.docId === active ? ' active' : ''}`}
            onClick={() => setActive(t.docId)}
            onAuxClick={(e) => e.button === 1 && closeTab(t.docId)}
            title={t.path ?? t.name}
            data-testid="tab"
          >
            <span className="tab-name">{t.name}</span>
            {t.dirty && (
              <span className="dirty" title="unsaved changes">
                ●
              </span>
            )}
            <button
              className="tab-close"
              aria-label={`Close ${t.name}`}
              onClick={(e) => {
                e.stopPropagation();
                closeTab(t.docId);
              }}
            >
              ×
            </button>
          </div>
        ))}
      </nav>
      <div className="workspace">
        <main className="main" style={activeTab && changed[activeTab.docId] ? { flexDirection: 'column' } : undefined}>
          {activeTab && changed[activeTab.docId] && (
            <FileChangedBar
              tab={activeTab}
              change={changed[activeTab.docId]}
              onReload={() => void reloadFromDisk(activeTab.docId)}
              onKeepMine={() => void keepMine(activeTab.docId)}
            />
          )}
          {activeTab ? (
            <DocumentView
              key={activeTab.docId}
              ref={viewRef}
              summary={activeTab}
              onSummary={upsert}
              onOpen={openTab}
              notify={notify}
              run={run}
            />
          ) : (
            <div className="empty">
              <div className="drop-hint">
                <h1>Drop protobuf files here</h1>
                <p>.bin, .pb, .binpb, delimited streams, gRPC captures — one or many.</p>
                <p>
                  <button onClick={() => void openDialog()}>Open…</button>{' '}
                  <button onClick={() => setModal({ kind: 'paste' })}>Paste bytes…</button>
                </p>
                <p className="muted">Bundled schemas: LiveKit and Kik video. Add your own in Schemas.</p>
              </div>
            </div>
          )}
        </main>
        {showSchemas && (
          <SchemasPanel
            nativeDialogs={!!info?.nativeDialogs}
            notify={notify}
            onClose={() => setShowSchemas(false)}
            onChanged={() => void api.listDocuments({}).then((ds) => ds.forEach((d) => upsert(d)))}
          />
        )}
      </div>
      <footer className="status">
        {activeTab ? (
          <>
            <span>{activeTab.path ?? activeTab.name}</span>
            <span>{activeTab.size.toLocaleString()} bytes</span>
            <span>
              {activeTab.framing === 'single'
                ? 'one message'
                : `${activeTab.messageCount.toLocaleString()} messages (${FRAMING_LABELS[activeTab.framing]})`}
            </span>
            <span>{activeTab.typeName ?? 'raw (no schema)'}</span>
          </>
        ) : (
          <span>{info ? `${info.mode === 'electron' ? 'Desktop' : 'Browser'} mode · v${info.version}` : ''}</span>
        )}
      </footer>
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <div
            key={n.id}
            className={`notice ${n.kind}`}
            role={n.kind === 'error' ? 'alert' : 'status'}
            onClick={() => setNotices((x) => x.filter((y) => y.id !== n.id))}
          >
            {n.text}
          </div>
        ))}
      </div>
      {dragging && <div className="drop-overlay">Drop to open</div>}
      {modal?.kind === 'paste' && (
        <PasteDialog
          onCancel={() => setModal(null)}
          onOpen={async (name, bytes) => {
            setModal(null);
            const s = await run('Open pasted bytes', () => api.openBytes({ name, bytes }));
            if (s) upsert(s, true);
          }}
        />
      )}
      {modal?.kind === 'open-path' && (
        <PromptDialog
          title="Open a file by path"
          label="Path on this machine"
          placeholder="/path/to/message.bin"
          confirm="Open"
          onCancel={() => setModal(null)}
          onConfirm={async (path) => {
            setModal(null);
            const s = await run('Open', () => api.openPath({ path }));
            if (s) upsert(s, true);
          }}
        />
      )}
      {modal?.kind === 'save-as' && (
        <PromptDialog
          title="Save As"
          label="Path to save to (on this machine)"
          placeholder="/path/to/edited.bin"
          initial={tabs.find((t) => t.docId === modal.docId)?.path ?? ''}
          confirm="Save"
          onCancel={() => setModal(null)}
          onConfirm={async (path) => {
            const then = modal.then;
            setModal(null);
            const s = await run('Save As', () => api.saveAs({ docId: modal.docId, path }));
            if (s) {
              upsert(s);
              notify(`Saved ${s.path}`, 'info');
              then?.();
            }
          }}
        />
      )}
      {modal?.kind === 'close-tab' && (
        <ConfirmDialog
          title="Unsaved changes"
          message={`${tabs.find((t) => t.docId === modal.docId)?.name ?? 'This file'} has unsaved changes. Save them before closing?`}
          actions={[
            {
              label: 'Save',
              primary: true,
              onClick: () => {
                const id = modal.docId;
                setModal(null);
                void save(id, () => void reallyClose(id));
              },
            },
            {
              label: "Don't save",
              onClick: () => {
                const id = modal.docId;
                setModal(null);
                void reallyClose(id);
              },
            },
            { label: 'Cancel', onClick: () => setModal(null) },
          ]}
        />
      )}
      {modal?.kind === 'save-conflict' && (
        <ConfirmDialog
          title="Changed on disk"
          message={`${tabs.find((t) => t.docId === modal.docId)?.name ?? 'The file'} changed on disk since you opened it. Overwrite it with your version?`}
          actions={[
            {
              label: 'Overwrite',
              primary: true,
              onClick: () => {
                const { docId, then } = modal;
                setModal(null);
                void keepMine(docId).then((s) => s && save(docId, then));
              },
            },
            {
              label: 'Reload from disk',
              onClick: () => {
                const id = modal.docId;
                setModal(null);
                void reloadFromDisk(id);
              },
            },
            { label: 'Cancel', onClick: () => setModal(null) },
          ]}
        />
      )}
      <RecoveryPrompt onOpened={(s) => upsert(s, true)} notify={notify} />
      {modal?.kind === 'close-window' && (
        <ConfirmDialog
          title="Unsaved changes"
          message={`${tabs
            .filter((t) => t.dirty)
            .map((t) => t.name)
            .join(', ')} ${tabs.filter((t) => t.dirty).length === 1 ? 'has' : 'have'} unsaved changes. Quit anyway?`}
          actions={[
            {
              label: 'Quit without saving',
              onClick: () => {
                setModal(null);
                void api.confirmClose({});
              },
            },
            { label: 'Cancel', primary: true, onClick: () => setModal(null) },
          ]}
        />
      )}
    </div>
  );
}
