/** The status bar: the active document's path, size, messages and type; else the mode and version. */
import type { AppInfo, DocumentSummary } from '../../core/api/contract';
import { FRAMING_LABELS } from '../../core/api/vocabulary';

/** The status bar. */
export function StatusBar({ activeTab, info }: { activeTab: DocumentSummary | null; info: AppInfo | null }) {
  return (
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
  );
}
