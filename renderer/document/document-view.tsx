/** One open document: type bar, message list (streams), tree, hex view and the JSON/text pane (the shell mounts the replay pane beside it). */
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import type { DocumentSummary, EncodingEdit, NodePath, RowSpan, TreeEdit, TreeRow } from '../../core/api/contract';
import { api } from '../host/bridge';
import { TypePicker } from './type-picker';
import { TreeView } from './tree-view';
import { HexView } from './hex-view';
import { TextPane } from './text-pane';
import { StreamList } from './stream-list';
import { EncodingDialog } from './encoding-dialog';
import { StreamTools } from './stream-tools';
import { PaneColumn } from '../shared/pane-column';
import { nestedRemembered, rememberNested } from './nested-memory';

/** The widths the message list and the hex/text column start at and may take. */
const STREAM_BOUNDS = { initial: 220, min: 140, max: 640 };
const SIDE_BOUNDS = { initial: 580, min: 240, max: 1400 };

/** A single message larger than this shows its JSON/text only when asked (building it takes seconds and a lot of memory). */
const TEXT_AUTO_LOAD_BYTES = 2 * 1024 * 1024;

/** What the shell can ask of the active document view. */
export interface DocumentViewHandle {
  message(): number;
  focusFilter(): void;
  togglePane(pane: 'hex' | 'text'): void;
}

interface Props {
  summary: DocumentSummary;
  onSummary: (s: DocumentSummary) => void;
  /** Switches of the panes the shell mounts beside the view (Replay), at the end of the type bar. */
  toggles?: ReactNode;
  notify: (text: string, kind?: 'error' | 'info') => void;
  run: <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;
}

/** The document view. */
export const DocumentView = forwardRef<DocumentViewHandle, Props>(function DocumentView({ summary, onSummary, toggles, notify, run }, ref) {
  const [message, setMessage] = useState(0);
  const [selected, setSelected] = useState<{ path: NodePath; span: RowSpan | null } | null>(null);
  const [filter, setFilter] = useState('');
  const [showHex, setShowHex] = useState(true);
  const [showText, setShowText] = useState(true);
  const [scrollTo, setScrollTo] = useState<{ row: number; tick: number } | null>(null);
  const [encoding, setEncoding] = useState<TreeRow | null>(null);
  // "Nested as messages" (raw mode) holds for every message of the document, remembered by the file's path.
  const [nested, setNested] = useState(() => !summary.typeName && nestedRemembered(summary.path));
  const filterRef = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const docId = summary.docId;

  useImperativeHandle(
    ref,
    () => ({
      message: () => message,
      focusFilter: () => filterRef.current?.focus(),
      togglePane: (p) => (p === 'hex' ? setShowHex((s) => !s) : setShowText((s) => !s)),
    }),
    [message],
  );

  const edit = useCallback(
    async (e: TreeEdit) => {
      const s = await run('Edit', () => api.edit({ docId, message, edit: e }));
      if (s) onSummary(s);
      return !!s;
    },
    [docId, message, run, onSummary],
  );

  const encodingEdit = async (row: TreeRow, e: EncodingEdit) => {
    const s = await run('Encoding', () => api.encodingEdit({ docId, message, path: row.path, edit: e }));
    if (s) onSummary(s);
    return !!s;
  };

  const onByte = useCallback(
    async (offset: number) => {
      const r = await run('Find node', () => api.rowAtOffset({ docId, message, offset, ...(filter ? { filter } : {}) }));
      if (r) {
        setSelected({ path: r.path, span: r.span });
        setScrollTo({ row: r.row, tick: Date.now() });
      }
    },
    [docId, message, filter, run],
  );

  const pickMessage = (i: number) => {
    setMessage(i);
    setSelected(null);
  };

  // Each message shown while it is on gets its nested fields read as messages too (quietly: the switch says it is on).
  const typed = !!summary.typeName;
  /** The messages whose nested fields were read as messages since the switch went on. */
  const nestedDone = useRef(new Set<number>());
  useEffect(() => {
    if (!nested || typed || nestedDone.current.has(message)) return;
    nestedDone.current.add(message);
    void api.decodeNested({ docId, message, on: true }).then(
      (r) => onSummary(r.summary),
      () => undefined, // the switch stays on; a message that does not decode shows its own error
    );
    // onSummary is the shell's stable upsert.
  }, [docId, message, nested, typed]);

  /** Shows a stream search match: its message, and the node at its offset selected. */
  const openMatch = async (mi: number, offset: number) => {
    pickMessage(mi);
    const r = await run('Find node', () => api.rowAtOffset({ docId, message: mi, offset }));
    if (r) {
      setSelected({ path: r.path, span: r.span });
      setScrollTo({ row: r.row, tick: Date.now() });
    }
  };

  const decodeNested = async (on: boolean) => {
    const r = await run('Decode nested', () => api.decodeNested({ docId, message, on }));
    if (!r) return;
    nestedDone.current.clear();
    if (on) nestedDone.current.add(message);
    setNested(on);
    rememberNested(summary.path, on);
    onSummary(r.summary);
    notify(on ? `${r.count} nested fields shown as messages` : 'Nested fields shown as they are', 'info');
  };

  return (
    <div className="document" ref={root}>
      <div className="typebar">
        <TypePicker
          summary={summary}
          onPick={async (typeName) => {
            const s = await run('Set type', () => api.setType({ docId, typeName }));
            if (s) {
              onSummary(s);
              setSelected(null);
              nestedDone.current.clear();
              setNested(!s.typeName && nestedRemembered(s.path));
            }
          }}
        />
        <input
          ref={filterRef}
          className="filter"
          type="search"
          placeholder="Filter by name, path or value (Ctrl+F)"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter the tree"
        />
        <span className="grow" />
        {!summary.typeName && (
          <label className="toggle" title="Show every length-delimited field whose best reading is a message as one, at every depth">
            <input type="checkbox" checked={nested} onChange={(e) => void decodeNested(e.target.checked)} data-testid="decode-nested" />{' '}
            Nested as messages
          </label>
        )}
        <label className="toggle">
          <input type="checkbox" checked={showHex} onChange={(e) => setShowHex(e.target.checked)} /> Hex
        </label>
        <label className="toggle">
          <input type="checkbox" checked={showText} onChange={(e) => setShowText(e.target.checked)} /> JSON / text
        </label>
        {toggles}
      </div>
      {summary.messageCount > 1 && (
        <StreamTools docId={docId} typed={!!summary.typeName} run={run} onOpen={(m) => void openMatch(m.message, m.offset)} />
      )}
      {summary.error && (
        <div className="doc-error" role="alert">
          {summary.error}
        </div>
      )}
      <div className="panes">
        {summary.messageCount > 1 && (
          <PaneColumn name="stream-list" label="Resize the message list" bounds={STREAM_BOUNDS} side="start">
            <StreamList docId={docId} total={summary.messageCount} version={summary.version} selected={message} onSelect={pickMessage} />
          </PaneColumn>
        )}
        <TreeView
          docId={docId}
          message={message}
          version={summary.version}
          typeName={summary.typeName}
          filter={filter}
          selected={selected?.path ?? null}
          scrollTo={scrollTo}
          onSelect={(path, span) => setSelected({ path, span })}
          onEdit={edit}
          notify={notify}
          onFilterCancelled={() => setFilter('')}
          onEncoding={setEncoding}
        />
        {(showHex || showText) && (
          <PaneColumn name="side" label="Resize the hex and text panes" bounds={SIDE_BOUNDS} side="end">
            <div className="side">
              {showHex && (
                <HexView
                  docId={docId}
                  message={message}
                  version={summary.version}
                  highlight={selected?.span ?? null}
                  onByte={(o) => void onByte(o)}
                  onSummary={onSummary}
                  notify={notify}
                  inStream={summary.messageCount > 1}
                />
              )}
              {showText && (
                <TextPane
                  docId={docId}
                  message={message}
                  version={summary.version}
                  typeName={summary.typeName}
                  selected={selected?.path ?? null}
                  onSummary={onSummary}
                  largeBytes={summary.messageCount === 1 && summary.size > TEXT_AUTO_LOAD_BYTES ? summary.size : 0}
                />
              )}
            </div>
          </PaneColumn>
        )}
      </div>
      {encoding && (
        <EncodingDialog
          row={encoding}
          onApply={(e) => encodingEdit(encoding, e)}
          onClose={() => setEncoding(null)}
          returnFocus={() => root.current?.querySelector<HTMLElement>('[data-testid="tree"]') ?? null}
        />
      )}
    </div>
  );
});
