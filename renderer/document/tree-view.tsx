/**
 * The virtualized, editable tree. It asks the host for the visible rows only (pages of rows
 * for the scrolled range), so a message of a million nodes costs what fits on screen.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ApiScalar, NodePath, RowSpan, TreeEdit, TreeRow } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useRowWindow } from '../shared/use-row-window';
import { ValueEditor } from './value-editor';
import { RowMenu, type RowMenuRequest } from './row-menu';
import { errorText } from '../shared/util';
import { isCancelled } from '../host/cancel';

const ROW_HEIGHT = 26;
const PAGE = 200;

interface Props {
  docId: string;
  message: number;
  version: number;
  typeName: string | null;
  filter: string;
  selected: NodePath | null;
  scrollTo: { row: number; tick: number } | null;
  onSelect: (path: NodePath, span: RowSpan | null) => void;
  onEdit: (edit: TreeEdit) => Promise<boolean>;
  notify: (text: string, kind?: 'error' | 'info') => void;
  /** The filter's walk was cancelled (the filter should go, or it would run again). */
  onFilterCancelled: () => void;
  /** Opens the encoding actions of a row (row button, context menu, Shift+F10). */
  onEncoding?: (row: TreeRow) => void;
}

const samePath = (a: NodePath | null, b: NodePath | null) => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

/** The tree view. */
export function TreeView(props: Props) {
  const { docId, message, version, filter, selected, onSelect, onEdit, notify } = props;
  const [total, setTotal] = useState(0);
  const [nodeCount, setNodeCount] = useState<{ count: number; partial: boolean }>({ count: 0, partial: false });
  const [rootMissing, setRootMissing] = useState<TreeRow['missing']>([]);
  const [rootWarnings, setRootWarnings] = useState<readonly string[]>([]);
  const [rows, setRows] = useState<Map<number, TreeRow>>(new Map());
  const [layout, setLayout] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [menu, setMenu] = useState<RowMenuRequest | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  const pending = useRef(new Set<number>());

  const { rows: items, content, scrollToIndex } = useRowWindow(scroller, ROW_HEIGHT, total, 20);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  const fetchPage = useCallback(
    async (start: number, gen: number, reset: boolean) => {
      if (!reset && pending.current.has(start)) return;
      pending.current.add(start);
      try {
        const page = await api.getRows({ docId, message, start, count: PAGE, ...(filter ? { filter } : {}) });
        if (gen !== generation.current) return;
        setTotal(page.total);
        setNodeCount({ count: page.nodeCount, partial: !!page.nodeCountPartial });
        setRootMissing(page.rootMissing);
        setRootWarnings(page.rootWarnings);
        setRows((old) => {
          const next = reset ? new Map<number, TreeRow>() : new Map(old);
          page.rows.forEach((r, i) => next.set(start + i, r));
          return next;
        });
      } catch (e) {
        if (gen !== generation.current) return;
        if (!isCancelled(e)) notify(`Tree: ${errorText(e)}`);
        else if (filter) {
          notify(`${errorText(e)}: the filter was cleared`, 'info');
          props.onFilterCancelled();
        }
      } finally {
        pending.current.delete(start);
      }
    },
    [docId, message, filter, notify],
  );

  // Rows are asked for as soon as React has committed the change that needs them, not a frame
  // later after the paint (useEffect): Expand all and a scroll to the end each wait for one less frame.

  // Anything that changes the rows: refetch the visible page from scratch.
  useLayoutEffect(() => {
    const gen = ++generation.current;
    pending.current.clear();
    const start = Math.floor(first / PAGE) * PAGE;
    void fetchPage(start, gen, true);
  }, [fetchPage, version, layout]);

  // Scrolling: fetch the pages the visible range needs.
  useLayoutEffect(() => {
    for (let p = Math.floor(first / PAGE) * PAGE; p <= last; p += PAGE) {
      if (!rows.has(p) || !rows.has(Math.min(p + PAGE - 1, total - 1))) void fetchPage(p, generation.current, false);
    }
  }, [first, last, rows, total, fetchPage]);

  useEffect(() => {
    if (props.scrollTo) {
      setLayout((l) => l + 1);
      scrollToIndex(props.scrollTo.row, 'center');
    }
  }, [props.scrollTo]);

  // Keep the selection's span current after edits (bytes move).
  useEffect(() => {
    if (!selected) return;
    for (const r of rows.values()) if (samePath(r.path, selected)) return onSelect(r.path, r.span);
  }, [rows]);

  const setExpanded = async (path: NodePath, expanded: boolean, all: boolean) => {
    try {
      await api.setExpanded({ docId, message, path, expanded, ...(all ? { all: true } : {}) });
      setLayout((l) => l + 1);
    } catch (e) {
      notify(errorText(e), isCancelled(e) ? 'info' : 'error');
    }
  };
  const toggle = (row: TreeRow, all = false) => setExpanded(row.path, !row.expanded, all);
  const expandAll = (expanded: boolean) => setExpanded([], expanded, true);

  const commit = async (row: TreeRow, value: ApiScalar) => {
    setEditing(null);
    await onEdit({ op: 'set', path: row.path, value });
  };

  const selIndex = (() => {
    if (!selected) return -1;
    for (const [i, r] of rows) if (samePath(r.path, selected)) return i;
    return -1;
  })();

  // A row to select once its page has arrived (End, Page Down to rows not fetched yet).
  const pendingSelect = useRef<number | null>(null);
  useEffect(() => {
    const i = pendingSelect.current;
    const r = i === null ? undefined : rows.get(i);
    if (r) {
      pendingSelect.current = null;
      onSelect(r.path, r.span);
    }
  }, [rows]);

  // After a value editor closes (Enter, Esc), the keyboard goes on in the tree, not on the page body.
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) wasEditing.current = true;
    else if (wasEditing.current) {
      wasEditing.current = false;
      if (!document.activeElement || document.activeElement === document.body) scroller.current?.focus();
    }
  }, [editing]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (editing) return;
    const row = selIndex >= 0 ? rows.get(selIndex) : undefined;
    const move = (to: number) => {
      const i = Math.max(0, Math.min(total - 1, to));
      const r = rows.get(i);
      scrollToIndex(i, 'nearest');
      if (r) onSelect(r.path, r.span);
      else pendingSelect.current = i;
    };
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    if (e.key === 'ArrowDown') move(selIndex + 1);
    else if (e.key === 'ArrowUp') move(selIndex - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(total - 1);
    else if (e.key === 'PageDown') move(Math.max(0, selIndex) + page);
    else if (e.key === 'PageUp') move(Math.max(0, selIndex) - page);
    else if (e.key === '*' && row?.expandable) void setExpanded(row.path, true, true);
    else if (e.key === 'ArrowRight' && row?.expandable && !row.expanded) void toggle(row);
    else if (e.key === 'ArrowLeft' && row?.expanded) void toggle(row);
    else if ((e.key === 'Enter' || e.key === 'F2') && row && row.editor.kind !== 'none' && row.editor.kind !== 'bool')
      setEditing(row.path.join('.'));
    else if (e.key === 'Delete' && row) void onEdit({ op: 'remove', path: row.path });
    else if (((e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') && row && props.onEncoding) props.onEncoding(row);
    else return;
    e.preventDefault();
  };

  return (
    <div className="tree-pane">
      <div className="tree-head">
        <span className="col-name">Field</span>
        <span className="col-num">#</span>
        <span className="col-type">Type</span>
        <span className="col-value">Value</span>
        <span className="tree-tools">
          <button onClick={() => void expandAll(true)} title="Expand all">
            ⊞
          </button>
          <button onClick={() => void expandAll(false)} title="Collapse all">
            ⊟
          </button>
          {props.typeName && (
            <button onClick={() => setMenu({ row: rootRow(rootMissing), kind: 'add' })} title="Add a field to the message">
              + field
            </button>
          )}
        </span>
      </div>
      {rootWarnings.length > 0 && (
        <div className="root-warnings" role="status">
          {rootWarnings.map((w) => (
            <div key={w} className="warning">
              ⚠ {w}
            </div>
          ))}
        </div>
      )}
      <div
        className="tree-scroll"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKeyDown}
        role="tree"
        aria-label="Message tree"
        data-testid="tree"
      >
        <div style={{ height: content, position: 'relative' }}>
          {items.map((it) => {
            const row = rows.get(it.index);
            const style = {
              position: 'absolute' as const,
              top: 0,
              left: 0,
              right: 0,
              height: ROW_HEIGHT,
              transform: `translateY(${it.top}px)`,
            };
            if (!row) return <div key={it.index} style={style} className="row loading" />;
            const key = row.path.join('.');
            const isSel = samePath(row.path, selected);
            return (
              <div
                key={it.index}
                style={style}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-selected={isSel}
                aria-expanded={row.expandable ? row.expanded : undefined}
                className={`row${isSel ? ' selected' : ''}${row.modified ? ' modified' : ''}${row.kind === 'unknown' ? ' unknown' : ''}`}
                data-path={key}
                data-name={row.name}
                onClick={() => onSelect(row.path, row.span)}
                onContextMenu={
                  props.onEncoding
                    ? (e) => {
                        e.preventDefault();
                        onSelect(row.path, row.span);
                        props.onEncoding!(row);
                      }
                    : undefined
                }
                onDoubleClick={() => {
                  if (row.editor.kind !== 'none' && row.editor.kind !== 'bool') setEditing(key);
                  else if (row.expandable) void toggle(row);
                }}
              >
                <span className="col-name" style={{ paddingLeft: 6 + row.depth * 16 }}>
                  <span
                    className={`twisty${row.expandable ? '' : ' leaf'}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      if (row.expandable) void toggle(row, e.altKey);
                    }}
                  >
                    {row.expandable ? (row.expanded ? '▾' : '▸') : ''}
                  </span>
                  <span className="fname">{row.name || (row.kind === 'unknown' ? `field ${row.number}` : '')}</span>
                  {row.repeated && <span className="muted small"> [{row.repeated.index}]</span>}
                  {row.oneof && (
                    <span className="badge" title={`oneof ${row.oneof}`}>
                      {row.oneof}
                    </span>
                  )}
                </span>
                <span className="col-num">{row.kind === 'element' ? '' : row.number}</span>
                <span className="col-type" title={`${row.type} · wire type ${row.wire}`}>
                  {shortType(row)}
                </span>
                <span className="col-value">
                  {editing === key ? (
                    <ValueEditor row={row} onCommit={(v) => void commit(row, v)} onCancel={() => setEditing(null)} />
                  ) : row.editor.kind === 'bool' ? (
                    <label className="bool">
                      <input
                        type="checkbox"
                        checked={row.value === true}
                        onChange={(e) => void onEdit({ op: 'set', path: row.path, value: e.target.checked })}
                        aria-label={`${row.name} value`}
                      />
                      {String(row.value)}
                    </label>
                  ) : row.editor.kind === 'enum' ? (
                    <select
                      className="enum"
                      value={String(row.value)}
                      aria-label={`${row.name} value`}
                      onClick={(e) => e.stopPropagation()}
                      onChange={(e) =>
                        e.target.value === 'other'
                          ? setEditing(key)
                          : void onEdit({ op: 'set', path: row.path, value: Number(e.target.value) })
                      }
                    >
                      {row.editor.values.map((v) => (
                        <option key={v.name} value={v.number}>
                          {v.name} ({v.number})
                        </option>
                      ))}
                      {!row.editor.values.some((v) => v.number === row.value) && (
                        <option value={String(row.value)}>{String(row.value)} (unknown)</option>
                      )}
                      <option value="other">other number…</option>
                    </select>
                  ) : (
                    <span className={`preview${row.invalidUtf8 ? ' invalid-utf8' : ''}`} title={row.preview}>
                      {row.preview}
                    </span>
                  )}
                  {row.warnings?.map((w) => (
                    <span key={w} className="warning" title={w}>
                      ⚠ {w}
                    </span>
                  ))}
                  {row.anomalies?.map((a) => (
                    <span key={a} className="anomaly" title={a} data-testid="anomaly">
                      ◆ {a}
                    </span>
                  ))}
                </span>
                <span className="row-actions">
                  {props.onEncoding && (
                    <button
                      onClick={(e) => {
                        e.stopPropagation();
                        onSelect(row.path, row.span);
                        props.onEncoding!(row);
                      }}
                      title="Encoding… (Shift+F10)"
                      aria-label="Encoding…"
                    >
                      ⚙
                    </button>
                  )}
                  {row.readings && row.readings.length > 0 && (
                    <button
                      onClick={(e) => {
                        e.stopPropagation();
                        setMenu({ row, kind: 'interpret' });
                      }}
                      title="Interpret as…"
                    >
                      as…
                    </button>
                  )}
                  {row.missing && row.missing.length > 0 && (
                    <button
                      onClick={(e) => {
                        e.stopPropagation();
                        setMenu({ row, kind: 'add' });
                      }}
                      title="Add a field"
                    >
                      +
                    </button>
                  )}
                  {(row.repeated || row.kind === 'element') && (
                    <>
                      <button
                        onClick={(e) => {
                          e.stopPropagation();
                          void onEdit({ op: 'add-element', path: row.path });
                        }}
                        title="Add an element after this one"
                      >
                        ＋
                      </button>
                      <button
                        onClick={(e) => {
                          e.stopPropagation();
                          void onEdit({ op: 'move', path: row.path, delta: -1 });
                        }}
                        title="Move up"
                      >
                        ↑
                      </button>
                      <button
                        onClick={(e) => {
                          e.stopPropagation();
                          void onEdit({ op: 'move', path: row.path, delta: 1 });
                        }}
                        title="Move down"
                      >
                        ↓
                      </button>
                    </>
                  )}
                  <button
                    onClick={(e) => {
                      e.stopPropagation();
                      void onEdit({ op: 'remove', path: row.path });
                    }}
                    title="Remove (Delete)"
                  >
                    ✕
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div className="tree-foot muted">
        {total.toLocaleString()} rows shown ·{' '}
        {nodeCount.partial ? (
          <span title="A big message: nested messages are decoded when opened (Expand all reads them all)">
            {nodeCount.count.toLocaleString()} top-level fields, nested ones decoded when opened
          </span>
        ) : (
          `${nodeCount.count.toLocaleString()} nodes`
        )}
        {filter ? ` · filter “${filter}”` : ''}
      </div>
      {menu && <RowMenu menu={menu} onClose={() => setMenu(null)} onEdit={onEdit} returnFocus={() => scroller.current} />}
    </div>
  );
}

/** A type as the column shows it: message and enum types by their simple name; unknown fields with their wire type. */
function shortType(row: TreeRow): string {
  if (row.kind === 'unknown') return `? ${row.wire}`;
  return row.type.replace(/(^|[ <,])(?:[\w]+\.)+([\w]+)/g, '$1$2');
}

/** The root message as a pseudo-row, for "add field" at the top level. */
function rootRow(missing: TreeRow['missing']): TreeRow {
  return {
    path: [],
    depth: -1,
    kind: 'message',
    name: '',
    number: 0,
    wire: 'len',
    type: '',
    preview: '',
    editor: { kind: 'none' },
    expandable: false,
    expanded: true,
    span: null,
    modified: false,
    ...(missing ? { missing } : {}),
  };
}
