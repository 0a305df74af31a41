/**
 * The hex view: offset, 16 bytes, ASCII per line; virtualized, bytes fetched in chunks.
 * The selected node's bytes light up (tag and length prefix in one shade, value in another);
 * clicking a byte selects the node it belongs to.
 */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, RowSpan } from '../../core/api/contract';
import { api } from '../host/bridge';
import { useRowWindow } from '../shared/use-row-window';
import { HexEditorBar, inBad, useHexEditor } from './hex-editor';
import { HexOffsetTools } from './hex-tools';
import { formatOffset } from './hex-offset';

const LINE = 16;
/** Height of a line, in px (as .hex-line sets it). */
const LINE_HEIGHT = 20;
const CHUNK = 64 * 1024;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface Props {
  docId: string;
  message: number;
  version: number;
  highlight: RowSpan | null;
  onByte: (offset: number) => void;
  /** After a hex edit: the document's new summary (makes the view editable). */
  onSummary?: (s: DocumentSummary) => void;
  notify?: (text: string, kind?: 'error' | 'info') => void;
  /** The message is one of a stream's: the title says where its bytes sit in the file. */
  inStream?: boolean;
}

/** The hex view. */
export function HexView({ docId, message, version, highlight, onByte, onSummary, notify, inStream }: Props) {
  const [total, setTotal] = useState(0);
  const [fileOffset, setFileOffset] = useState<number | null>(null);
  const [chunks, setChunks] = useState<Map<number, Uint8Array>>(new Map());
  const scroller = useRef<HTMLDivElement>(null);
  const gen = useRef(0);
  const lines = Math.ceil(total / LINE);
  const { rows: items, content, scrollToIndex } = useRowWindow(scroller, LINE_HEIGHT, lines, 10);

  useEffect(() => {
    const g = ++gen.current;
    void api.getBytes({ docId, message, start: 0, end: CHUNK }).then((r) => {
      if (g !== gen.current) return;
      setTotal(r.total);
      setChunks(new Map([[0, r.bytes]]));
    });
  }, [docId, message, version]);

  // Where a stream message's bytes start in the file as it is now (after its length prefix or frame header).
  useEffect(() => {
    if (!inStream) return setFileOffset(null);
    let live = true;
    void api
      .getStream({ docId, start: message, count: 1 })
      .then((p) => live && setFileOffset(p.items[0]?.offset ?? null))
      .catch(() => live && setFileOffset(null));
    return () => {
      live = false;
    };
  }, [docId, message, version, inStream]);

  const firstLine = items[0]?.index ?? 0;
  const lastLine = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const g = gen.current;
    for (let c = Math.floor((firstLine * LINE) / CHUNK); c <= Math.floor((lastLine * LINE) / CHUNK); c++) {
      if (chunks.has(c) || c * CHUNK >= total) continue;
      void api.getBytes({ docId, message, start: c * CHUNK, end: (c + 1) * CHUNK }).then((r) => {
        if (g === gen.current) setChunks((m) => new Map(m).set(c, r.bytes));
      });
    }
  }, [firstLine, lastLine, chunks, total, docId, message]);

  useEffect(() => {
    if (highlight) scrollToIndex(Math.floor(highlight.start / LINE), 'nearest');
  }, [highlight?.start, highlight?.end]);

  const reveal = (o: number) => {
    scrollToIndex(Math.floor(o / LINE), 'nearest');
    onByte(o);
  };
  const editor = useHexEditor({
    docId,
    message,
    version,
    total,
    reveal,
    ...(onSummary ? { onSummary } : {}),
    ...(notify ? { notify } : {}),
  });
  const pick = (o: number) => {
    editor.setCaret(o);
    onByte(o);
  };

  const byteAt = (o: number): number | undefined => chunks.get(Math.floor(o / CHUNK))?.[o % CHUNK];
  const peek = (o: number, n: number) => {
    const out: number[] = [];
    for (let i = o; i < Math.min(total, o + n); i++) {
      const b = byteAt(i);
      if (b === undefined) break;
      out.push(b);
    }
    return new Uint8Array(out);
  };
  const cls = (o: number) => {
    const marks = `${o === editor.caret ? ' hx-caret' : ''}${editor.bad.length && inBad(editor.bad, o) ? ' hx-bad' : ''}`;
    if (!highlight || o < highlight.start || o >= highlight.end) return marks;
    return (o < highlight.valueStart ? 'hl-tag' : 'hl-value') + marks;
  };

  return (
    <div className="hex-pane">
      <div className="pane-title">
        Bytes{' '}
        <span className="muted">
          {total.toLocaleString()} bytes
          {fileOffset !== null && (
            <span data-testid="hex-file-offset">
              {' '}
              · message #{message} at file byte {formatOffset(fileOffset)}
            </span>
          )}
          {highlight ? ` · selected ${highlight.start}–${highlight.end} (${highlight.end - highlight.start} bytes)` : ''}
        </span>
      </div>
      {onSummary && <HexEditorBar docId={docId} message={message} editor={editor} reveal={reveal} peek={peek} />}
      {onSummary && (
        <HexOffsetTools
          docId={docId}
          message={message}
          total={total}
          selection={highlight}
          onSummary={onSummary}
          go={(o) => {
            pick(o);
            scrollToIndex(Math.floor(o / LINE), 'center');
            scroller.current?.focus();
          }}
        />
      )}
      <div
        className="hex-scroll"
        ref={scroller}
        data-testid="hex"
        tabIndex={0}
        onKeyDown={onSummary ? editor.onKeyDown : undefined}
        role="group"
        aria-label="Message bytes (type hex digits to edit)"
      >
        <div style={{ height: content, position: 'relative' }}>
          {items.map((it) => {
            const base = it.index * LINE;
            const n = Math.min(LINE, total - base);
            const cells = [];
            const ascii = [];
            for (let i = 0; i < LINE; i++) {
              const o = base + i;
              const b = i < n ? byteAt(o) : undefined;
              const c = i < n ? cls(o) : o === editor.caret ? 'hx-caret' : '';
              cells.push(
                <span key={i} className={`hb ${c}`} data-offset={i < n ? o : undefined} onClick={i < n ? () => pick(o) : undefined}>
                  {o === editor.caret && editor.nibble ? `${editor.nibble}_` : b === undefined ? (i < n ? '··' : '  ') : HEX[b]}
                </span>,
              );
              ascii.push(
                <span key={i} className={`ha ${c}`} onClick={i < n ? () => pick(o) : undefined}>
                  {b === undefined ? ' ' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                </span>,
              );
            }
            return (
              <div
                key={it.index}
                className="hex-line"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.top}px)` }}
              >
                <span className="hoff">{base.toString(16).padStart(8, '0')}</span>
                <span className="hbytes">{cells}</span>
                <span className="hascii">{ascii}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
