/**
 * The capture view: every protobuf exchange of a HAR file in time order (direction, time, method
 * or URL, status, size, type), a windowed list fetched in pages. The selected entry opens as a
 * document in its own tab (double-click, Enter or Open), takes a type the user chooses, and the
 * whole capture exports as one delimited stream per direction.
 */
import { useEffect, useRef, useState } from 'react';
import type { CaptureRow } from '../../core/api/capture-contract';
import type { DocumentSummary } from '../../core/api/contract';
import type { CaptureDiffSource } from '../../core/api/diff-contract';
import { api } from '../host/bridge';
import { download } from '../shared/util';
import { useRowWindow } from '../shared/use-row-window';
import { comparePartner, directionCell, methodCell, sizeCell, skippedText, timeCell, typeCell, typeSourceText } from './capture-format';
import { CompareEntry } from './compare-entry';
import { TypeOverride } from './type-override';
import { UrlRules } from './url-rules';
import type { Captures } from './use-captures';

const PAGE = 500;
const ROW = 24;
const OVERSCAN = 10;

type Run = <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;

/** The panel for the active capture. */
export function CapturePanel({
  captures,
  run,
  notify,
  onOpenDocument,
  onCompare,
}: {
  captures: Captures;
  run: Run;
  notify: (text: string, kind?: 'error' | 'info') => void;
  onOpenDocument: (summary: DocumentSummary) => void;
  /** Compares two entries (A, B) in the diff view. */
  onCompare?: (a: CaptureDiffSource, b: CaptureDiffSource) => void;
}) {
  const capture = captures.active!;
  const { captureId } = capture;
  // Rows are fetched again when the capture's rows change as a whole (URL rules, new schemas).
  const rowsKey = `${captureId}:${capture.revision}`;
  const [rows, setRows] = useState<{ id: string; items: ReadonlyMap<number, CaptureRow> }>({ id: rowsKey, items: new Map() });
  const [selected, setSelected] = useState(0);
  const requested = useRef({ id: rowsKey, captureId, pages: new Set<number>() });
  const scroller = useRef<HTMLDivElement>(null);
  const total = capture.entryCount;
  const win = useRowWindow(scroller, ROW, total, OVERSCAN);
  const items = rows.id === rowsKey ? rows.items : null;
  const first = win.rows[0]?.index ?? 0;
  const last = win.rows[win.rows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (requested.current.id !== rowsKey) {
      if (requested.current.captureId !== captureId) setSelected(0);
      requested.current = { id: rowsKey, captureId, pages: new Set() };
    }
    const asked = requested.current.pages;
    for (let p = Math.floor(first / PAGE) * PAGE; p <= last; p += PAGE) {
      if (asked.has(p)) continue;
      asked.add(p);
      api.getCaptureRows({ captureId, start: p, count: PAGE }).then(
        (page) => setRows((cur) => put(cur, rowsKey, page.rows)),
        () => asked.delete(p),
      );
    }
  }, [first, last, captureId, rowsKey]);

  const row = items?.get(selected) ?? null;
  const skipped = skippedText(capture.skippedEntries, capture.skippedTextFrames);
  const go = (i: number) => {
    if (i < 0 || i >= total) return;
    setSelected(i);
    win.scrollToIndex(i, 'nearest');
  };
  const openEntry = async (index: number) => {
    const opened = await run(`Open entry ${index}`, async () => api.getSummary(await api.openCaptureEntry({ captureId, index })));
    if (opened) onOpenDocument(opened);
  };
  const setType = async (typeName: string | null) => {
    const r = await run('Entry type', () => api.setCaptureEntryType({ captureId, index: selected, typeName }));
    if (r) setRows((cur) => put(cur, rowsKey, [r]));
  };
  const exportAll = async () => {
    const out = await run('Export capture', () => api.exportCapture({ captureId }));
    if (!out) return;
    for (const s of [out.requests, out.responses]) if (s.count) download(s.name, s.bytes);
    const left = out.skipped.length
      ? `; ${out.skipped.length} left out (${out.skipped.map((s) => `#${s.index}: ${s.reason}`).join('; ')})`
      : '';
    notify(
      `Exported ${out.requests.count} requests to ${out.requests.name} and ${out.responses.count} responses to ${out.responses.name}${left}`,
      'info',
    );
  };

  return (
    <section className="capture-panel" aria-label="Capture" data-testid="capture-panel">
      <div className="pane-title capture-title">
        {captures.list.length > 1 ? (
          <select value={captureId} onChange={(e) => captures.activate(e.target.value)} aria-label="Capture shown">
            {captures.list.map((c) => (
              <option key={c.captureId} value={c.captureId}>
                {c.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="clip" title={capture.name}>
            {capture.name}
          </span>
        )}
        <span className="muted" data-testid="capture-count">
          {total.toLocaleString()} exchanges
        </span>
        <span className="spacer" />
        <button onClick={() => void exportAll()} title="Save the messages as one varint-delimited stream per direction">
          Export streams
        </button>
        <button onClick={() => captures.activate(null)} title="Hide the capture view (it stays open)" aria-label="Hide capture">
          –
        </button>
        <button onClick={() => void captures.close(captureId)} aria-label={`Close ${capture.name}`} title="Close the capture">
          ×
        </button>
      </div>
      {skipped && <div className="capture-skipped muted">{skipped}</div>}
      <div className="capture-row capture-head" aria-hidden>
        <span>#</span>
        <span>time s</span>
        <span />
        <span>method / URL</span>
        <span>status</span>
        <span>size</span>
        <span>type</span>
      </div>
      <div
        className="capture-scroll"
        ref={scroller}
        tabIndex={0}
        role="listbox"
        aria-label="Exchanges"
        data-testid="capture-list"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') go(selected + 1);
          else if (e.key === 'ArrowUp') go(selected - 1);
          else if (e.key === 'Enter') void openEntry(selected);
          else return;
          e.preventDefault();
        }}
      >
        <div style={{ height: win.content, position: 'relative' }}>
          {win.rows.map(({ index, top }) => {
            const r = items?.get(index);
            return (
              <div
                key={index}
                className={`capture-row${index === selected ? ' selected' : ''}${r && !r.available ? ' unavailable' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${top}px)` }}
                onClick={() => setSelected(index)}
                onDoubleClick={() => void openEntry(index)}
                role="option"
                aria-selected={index === selected}
                data-testid="capture-row"
                data-index={index}
                title={r ? [r.rpc ?? r.url, ...r.notes].join('\n') : undefined}
              >
                <span className="idx">{index}</span>
                {r && (
                  <>
                    <span className="num">{timeCell(r)}</span>
                    <span className={`dir ${r.direction}`} title={r.direction === 'request' ? 'sent (request)' : 'received (response)'}>
                      {directionCell(r)}
                    </span>
                    <span className="clip mono">{methodCell(r)}</span>
                    <span className="num">{r.status ?? ''}</span>
                    <span className="num">{sizeCell(r.size)}</span>
                    <span className={`clip type ${r.typeSource}`} title={typeSourceText(r)} data-testid="capture-type">
                      {typeCell(r)}
                    </span>
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {row && (
        <div className="capture-detail" data-testid="capture-detail">
          <div className="clip mono" title={row.url}>
            #{row.index} {row.protocol} {row.direction} · {row.url}
          </div>
          {row.notes.map((n) => (
            <div key={n} className="capture-note">
              {n}
            </div>
          ))}
          <div className="capture-actions">
            <TypeOverride key={`${rowsKey}:${row.index}`} row={row} onSet={(t) => void setType(t)} />
            <button className="primary" disabled={!row.available} onClick={() => void openEntry(row.index)}>
              Open
            </button>
          </div>
          {onCompare && total > 1 && (
            <CompareEntry
              key={`${captureId}:${row.index}`}
              captureId={captureId}
              row={row}
              partner={comparePartner(items ?? new Map(), row)}
              total={total}
              onCompare={onCompare}
            />
          )}
        </div>
      )}
      <UrlRules rules={capture.urlRules} row={row} onSet={(rules) => void captures.setUrlRules(captureId, rules)} />
    </section>
  );
}

/** The rows with a page put in (a page of another capture starts afresh). */
function put(
  cur: { id: string; items: ReadonlyMap<number, CaptureRow> },
  id: string,
  page: readonly CaptureRow[],
): { id: string; items: ReadonlyMap<number, CaptureRow> } {
  const next = new Map(cur.id === id ? cur.items : undefined);
  for (const r of page) next.set(r.index, r);
  return { id, items: next };
}

/** Shown in the panel's place while it is hidden: brings the last capture back. */
export function CaptureShowButton({ captures }: { captures: Captures }) {
  const last = captures.list[captures.list.length - 1];
  if (captures.active || !last) return null;
  return (
    <button
      className="capture-show"
      onClick={() => captures.activate(last.captureId)}
      title={`Show the capture view (${captures.list.length} open)`}
    >
      Captures ({captures.list.length})
    </button>
  );
}
