/** How the capture view writes a row's cells: plain functions, so they are tested without a page. */
import type { CaptureRow, CaptureRowTypeSource } from '../../core/api/capture-contract';

/** Whether a file name is a capture's (a HAR file), opened as a capture rather than as a message. */
export function isCaptureName(name: string): boolean {
  return /\.har$/i.test(name.trim());
}

/** Seconds since the capture's start, to the millisecond ("?" when the HAR gives no time). */
export function timeCell(row: CaptureRow): string {
  return row.time === null ? '?' : (row.time / 1000).toFixed(3);
}

/** The direction as an arrow: → sent by the client, ← received. */
export function directionCell(row: CaptureRow): string {
  return row.direction === 'request' ? '→' : '←';
}

/** The RPC as Service/Method (its package left to the tooltip) when the URL names one, else the URL without its scheme. */
export function methodCell(row: CaptureRow): string {
  if (row.rpc) {
    const slash = row.rpc.indexOf('/');
    const service = row.rpc.slice(0, slash);
    return `${service.slice(service.lastIndexOf('.') + 1)}${row.rpc.slice(slash)}`;
  }
  return row.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
}

/** What the capture does not list, in words (empty when it lists everything). */
export function skippedText(skippedEntries: number, skippedTextFrames: number): string {
  const parts = [
    skippedEntries && `${skippedEntries} HAR ${skippedEntries === 1 ? 'entry' : 'entries'} without protobuf`,
    skippedTextFrames && `${skippedTextFrames} WebSocket text ${skippedTextFrames === 1 ? 'message' : 'messages'}`,
  ].filter(Boolean);
  return parts.length ? `Not listed: ${parts.join(', ')}` : '';
}

/** A byte count for people: 512 B, 1.5 KB, 2.0 MB ("?" when unknown). */
export function sizeCell(size: number | null): string {
  if (size === null) return '?';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

const SOURCES: Record<CaptureRowTypeSource, string> = {
  'entry-override': 'chosen by you',
  'url-override': 'chosen by you for its URL',
  method: 'from the RPC method',
  signal: 'LiveKit signal channel',
  'content-type': 'from the content type',
  detect: 'detected when opened',
  none: 'no message type',
};

/** The type cell: the type's full name, or what will decide it. */
export function typeCell(row: CaptureRow): string {
  if (row.type) return row.type;
  return row.typeSource === 'detect' ? '(detect)' : '—';
}

/** Where the type came from, in words (the type cell's tooltip). */
export function typeSourceText(row: CaptureRow): string {
  return SOURCES[row.typeSource];
}

/** The path of a URL (its query and fragment dropped; the URL itself when it does not parse). */
function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return m ? m[1] || '/' : url.replace(/[?#].*$/, '');
}

/**
 * The URL pattern offered for "every entry like this one": an RPC's service with any method
 * ("/twirp/livekit.RoomService/*"), else the URL's path ("/rtc").
 */
export function suggestedPattern(row: CaptureRow): string {
  const path = pathOf(row.url);
  if (row.rpc) return `${path.slice(0, path.lastIndexOf('/') + 1)}*`;
  return path;
}

/** A rule's direction in words: "requests", "responses" or "both ways". */
export function ruleDirectionText(direction: 'request' | 'response' | undefined): string {
  return direction === 'request' ? 'requests' : direction === 'response' ? 'responses' : 'both ways';
}

/**
 * The entry offered to compare an entry with: the nearest earlier one of the same URL and
 * direction among those listed (the previous SignalResponse, the previous call of a method),
 * else the nearest later one, else the entry before it.
 */
export function comparePartner(rows: ReadonlyMap<number, CaptureRow>, row: CaptureRow): number {
  const alike = (r: CaptureRow) => r.index !== row.index && r.url === row.url && r.direction === row.direction && r.available;
  let before = -1;
  let after = -1;
  for (const r of rows.values()) {
    if (!alike(r)) continue;
    if (r.index < row.index && r.index > before) before = r.index;
    if (r.index > row.index && (after < 0 || r.index < after)) after = r.index;
  }
  return before >= 0 ? before : after >= 0 ? after : Math.max(0, row.index - 1);
}
