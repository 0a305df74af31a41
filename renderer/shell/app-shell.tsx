/**
 * The application shell: toolbar, tabs, the active document (with the file-changed bar), the
 * replay pane beside it, the schemas panel, status bar, notices, dialogs and the drop zone. State lives in focused hooks
 * (use-*.ts); commands are the action registry's (actions/app-actions.ts), which the toolbar,
 * the keyboard and the desktop menu share.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../core/api/contract';
import { runMenuCommand, APP_ACTIONS, type AppActionContext } from '../actions/app-actions';
import { useShortcuts } from '../actions/use-shortcuts';
import { CapturePanel, CaptureShowButton } from '../capture/capture-panel';
import { useCaptures } from '../capture/use-captures';
import { DiffLayer } from '../diff/diff-layer';
import { useDiffSlot } from '../diff/use-diff-slot';
import { api, hostInfo } from '../host/bridge';
import { useHostEvent } from '../host/use-host-event';
import { DocumentView, type DocumentViewHandle } from '../document/document-view';
import { FileChangedBar } from '../document/file-changed-bar';
import { ReplayColumn, ReplayToggle, useReplaySlot } from '../replay/replay-slot';
import { SchemasPanel } from '../schemas/schemas-panel';
import { RecoveryPrompt } from '../dialogs/recovery-prompt';
import { AppModals } from './app-modals';
import type { AppModal } from './app-modal';
import { EmptyState } from './empty-state';
import { NoticeList } from './notice-list';
import { StatusBar } from './status-bar';
import { TabBar } from './tab-bar';
import { Toolbar } from './toolbar';
import { useDiskChanges } from './use-disk-changes';
import { useDocumentCommands } from './use-document-commands';
import { useFileDrop } from './use-file-drop';
import { useNotices } from './use-notices';
import { useProgress } from './use-progress';
import { useRunner } from './use-runner';
import { tabToSwitchTo } from './tab-switch';
import { useTabs } from './use-tabs';
import { useUnsavedGuard } from './use-unsaved-guard';
import { useWarnings } from './use-warnings';
import { WarningBar } from './warning-bar';
import { PaneColumn } from '../shared/pane-column';
import { CAPTURE_BOUNDS, REPLAY_BOUNDS, SCHEMAS_BOUNDS } from './pane-bounds';

/** The root component. */
export function AppShell() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [modal, setModal] = useState<AppModal>(null);
  const [showSchemas, setShowSchemas] = useState(false);
  const { notices, notify, dismiss } = useNotices();
  const { busy, run } = useRunner(notify);
  const { progress, cancelTask } = useProgress(notify);
  const disk = useDiskChanges();
  const warnings = useWarnings();
  const replay = useReplaySlot();
  const tabs = useTabs();
  const captures = useCaptures(run);
  const diff = useDiffSlot(run);
  const { activeTab } = tabs;
  const fileInput = useRef<HTMLInputElement>(null);
  const viewRef = useRef<DocumentViewHandle>(null);

  useEffect(() => void hostInfo().then(setInfo), []);

  const commands = useDocumentCommands({
    info,
    tabs,
    run,
    notify,
    showModal: setModal,
    clearDiskChange: disk.clear,
    pickFiles: useCallback(() => fileInput.current?.click(), []),
    currentMessage: useCallback(() => viewRef.current?.message() ?? 0, []),
    captures,
  });

  const context = useMemo<AppActionContext>(
    () => ({
      info,
      active: activeTab,
      taskId: progress?.taskId ?? null,
      schemasShown: showSchemas,
      openDialog: () => void commands.openDialog(),
      openPathPrompt: () => setModal({ kind: 'open-path' }),
      pasteBytes: () => setModal({ kind: 'paste' }),
      save: (docId) => void commands.save(docId),
      saveAs: (docId) => void commands.saveAs(docId),
      closeTab: commands.closeTab,
      exportAs: (format) => activeTab && void commands.exportAs(activeTab.docId, format),
      undo: (docId) => void commands.undo(docId),
      redo: (docId) => void commands.redo(docId),
      findInTree: () => viewRef.current?.focusFilter(),
      togglePane: (pane) => viewRef.current?.togglePane(pane),
      toggleSchemas: () => setShowSchemas((s) => !s),
      compare: (withWhat) => activeTab && diff.compare(withWhat, { docId: activeTab.docId, message: viewRef.current?.message() ?? 0 }),
      cancelTask,
      notify,
      switchTab: (to) => {
        const docId = tabToSwitchTo(tabs.current(), activeTab?.docId ?? null, to);
        if (docId) tabs.activate(docId);
      },
    }),
    [info, activeTab, progress?.taskId, showSchemas, commands, cancelTask, notify, tabs, diff],
  );

  // Keyboard shortcuts; in Electron the menu sends the same actions (its accelerators).
  useShortcuts(APP_ACTIONS, context);
  useHostEvent((e) => {
    if (e.kind === 'menu') runMenuCommand(e.command, context);
    // New schemas (a .proto dropped on the window): the open documents' types may read now.
    if (e.kind === 'schemas-changed') commands.refreshSummaries();
  });
  useUnsavedGuard(tabs.current, () => setModal({ kind: 'close-window' }));
  const { dragging, zone } = useFileDrop((files) => void commands.openFiles(files));
  const change = activeTab ? disk.changed[activeTab.docId] : undefined;

  return (
    <div className={`app${dragging ? ' dragging' : ''}`} data-testid="drop-zone" {...zone}>
      <Toolbar
        context={context}
        progress={progress}
        busy={busy}
        listRecent={() => api.recentFiles({})}
        openPath={(path) => void commands.openPath(path)}
        fileInput={
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="file-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              void commands.openFiles(files);
            }}
          />
        }
      />
      <TabBar tabs={tabs.tabs} activeId={activeTab?.docId ?? null} onActivate={tabs.activate} onClose={commands.closeTab} />
      <WarningBar warnings={warnings.warnings} onDismiss={warnings.dismiss} />
      <div className="workspace">
        {captures.active ? (
          <PaneColumn name="capture" label="Resize the capture view" bounds={CAPTURE_BOUNDS} side="start">
            <CapturePanel
              captures={captures}
              run={run}
              notify={notify}
              onOpenDocument={(s) => tabs.upsert(s, true)}
              onCompare={(a, b) => void diff.open({ a, b })}
            />
          </PaneColumn>
        ) : (
          <CaptureShowButton captures={captures} />
        )}
        <main className="main" style={change ? { flexDirection: 'column' } : undefined}>
          {activeTab && change && (
            <FileChangedBar
              tab={activeTab}
              change={change}
              onReload={() => void commands.reloadFromDisk(activeTab.docId)}
              onKeepMine={() => void commands.keepMine(activeTab.docId)}
            />
          )}
          {activeTab ? (
            <DocumentView
              key={activeTab.docId}
              ref={viewRef}
              summary={activeTab}
              onSummary={tabs.upsert}
              toggles={<ReplayToggle slot={replay} />}
              notify={notify}
              run={run}
            />
          ) : (
            <EmptyState context={context} />
          )}
        </main>
        {replay.shown && activeTab && (
          <PaneColumn name="replay" label="Resize the replay pane" bounds={REPLAY_BOUNDS} side="end">
            <ReplayColumn slot={replay} activeDocId={activeTab.docId} documents={tabs.tabs} onOpenDocument={(s) => tabs.upsert(s, true)} />
          </PaneColumn>
        )}
        {showSchemas && (
          <PaneColumn name="schemas" label="Resize the schemas panel" bounds={SCHEMAS_BOUNDS} side="end">
            <SchemasPanel
              nativeDialogs={!!info?.nativeDialogs}
              notify={notify}
              onClose={() => setShowSchemas(false)}
              onChanged={() => {
                commands.refreshSummaries();
                captures.refresh();
              }}
            />
          </PaneColumn>
        )}
      </div>
      <StatusBar activeTab={activeTab} info={info} />
      <NoticeList notices={notices} onDismiss={dismiss} />
      {dragging && <div className="drop-overlay">Drop to open</div>}
      <DiffLayer slot={diff} tabs={tabs.tabs} />
      <AppModals modal={modal} tabs={tabs.tabs} commands={commands} close={() => setModal(null)} />
      <RecoveryPrompt onOpened={(s) => tabs.upsert(s, true)} notify={notify} />
    </div>
  );
}
