/**
 * Reads the parts of a HAR file a capture needs (Chrome DevTools' "Save all as HAR" shape:
 * log.entries[].request/response, postData/content, `_webSocketMessages`), skipping the rest
 * without building it. Bodies stay spans of the source bytes until they are opened.
 */
import { JsonCursor, JsonSyntaxError, type JsonScalar, type StringSpan } from './json-cursor';

/** A HAR that is not one: malformed JSON or a missing `log.entries`; says where and what. */
export class HarFormatError extends Error {
  override readonly name = 'HarFormatError';
}

/** A stored body: its text as a span of the HAR, and how it is encoded there. */
export interface HarBodyText {
  span: StringSpan;
  /** `encoding` of the content ("base64"), when given. */
  encoding?: string;
}

/** One side of an HTTP exchange as the HAR holds it. */
export interface HarMessage {
  /** Headers with lowercased names, in file order. */
  headers: [string, string][];
  /** postData.mimeType / content.mimeType. */
  mimeType?: string;
  /** The body text, when the HAR kept it. */
  text?: HarBodyText;
  /** content.size (the decoded body size), or the request's bodySize. */
  size?: number;
  /** bodySize (bytes on the wire), when known (-1 in the HAR means unknown: left out here). */
  bodySize?: number;
  /** content.comment / postData.comment. */
  comment?: string;
}

/** One WebSocket message from `_webSocketMessages`. */
export interface HarWebSocketMessage {
  type: string;
  /** Seconds since the epoch (as Chrome writes it). */
  time: number;
  opcode: number;
  data?: StringSpan;
}

/** One entry of log.entries. */
export interface HarEntry {
  /** Position in log.entries. */
  index: number;
  /** Milliseconds since the epoch (NaN when startedDateTime is missing or not a date). */
  started: number;
  /** Total time of the exchange in ms (0 when missing). */
  time: number;
  method: string;
  url: string;
  status?: number;
  request: HarMessage;
  response: HarMessage;
  resourceType?: string;
  /** Chrome's response._error (net::ERR_...). */
  error?: string;
  webSocketMessages?: HarWebSocketMessage[];
}

/** What readHar returns: the entries and the tool that wrote the file. */
export interface HarFile {
  creator?: string;
  entries: HarEntry[];
}

const str = (v: JsonScalar): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: JsonScalar): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Reads a HAR's entries from its bytes; throws HarFormatError (with the byte offset) on malformed input. */
export function readHar(bytes: Uint8Array): HarFile {
  const cur = new JsonCursor(bytes);
  try {
    if (!cur.atObject()) throw new HarFormatError(`not a HAR file: ${cur.error('a JSON object').message}`);
    let file: HarFile | undefined;
    for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
      if (key === 'log' && cur.atObject()) file = readLog(cur);
      else cur.skipValue();
    }
    cur.expectEnd();
    if (!file) throw new HarFormatError('not a HAR file: no "log" object');
    return file;
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new HarFormatError(`HAR is not well-formed JSON: ${e.message}`);
    throw e;
  }
}

function readLog(cur: JsonCursor): HarFile {
  let entries: HarEntry[] | undefined;
  let creator: string | undefined;
  for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
    if (key === 'entries') {
      if (!cur.atArray()) throw new HarFormatError(`log.entries is not an array: ${cur.error('an array').message}`);
      entries = [];
      if (cur.firstItem()) {
        do entries.push(readEntry(cur, entries.length));
        while (cur.nextItem());
      }
    } else if (key === 'creator' && cur.atObject()) {
      for (let k = cur.firstKey(); k !== null; k = cur.nextKey()) {
        if (k === 'name') creator = str(cur.readScalar());
        else cur.skipValue();
      }
    } else cur.skipValue();
  }
  if (!entries) throw new HarFormatError('not a HAR file: no "log.entries" array');
  return { creator, entries };
}

function readEntry(cur: JsonCursor, index: number): HarEntry {
  if (!cur.atObject()) throw new HarFormatError(`log.entries[${index}] is not an object: ${cur.error('an object').message}`);
  const entry: HarEntry = {
    index,
    started: NaN,
    time: 0,
    method: '',
    url: '',
    request: { headers: [] },
    response: { headers: [] },
  };
  for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
    switch (key) {
      case 'startedDateTime': {
        const s = str(cur.readScalar());
        entry.started = s === undefined ? NaN : Date.parse(s);
        break;
      }
      case 'time':
        entry.time = num(cur.readScalar()) ?? 0;
        break;
      case 'request':
        if (cur.atObject()) readSide(cur, entry, 'request');
        else cur.skipValue();
        break;
      case 'response':
        if (cur.atObject()) readSide(cur, entry, 'response');
        else cur.skipValue();
        break;
      case '_resourceType':
        entry.resourceType = str(cur.readScalar());
        break;
      case '_webSocketMessages':
        entry.webSocketMessages = cur.atArray() ? readWebSocketMessages(cur) : (cur.skipValue(), undefined);
        break;
      default:
        cur.skipValue();
    }
  }
  return entry;
}

function readSide(cur: JsonCursor, entry: HarEntry, side: 'request' | 'response'): void {
  const msg = entry[side];
  for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
    switch (key) {
      case 'method':
        if (side === 'request') entry.method = str(cur.readScalar()) ?? '';
        else cur.skipValue();
        break;
      case 'url':
        if (side === 'request') entry.url = str(cur.readScalar()) ?? '';
        else cur.skipValue();
        break;
      case 'status':
        if (side === 'response') entry.status = num(cur.readScalar());
        else cur.skipValue();
        break;
      case 'headers':
        if (cur.atArray()) readHeaders(cur, msg.headers);
        else cur.skipValue();
        break;
      case 'bodySize': {
        const n = num(cur.readScalar());
        if (n !== undefined && n >= 0) msg.bodySize = n;
        break;
      }
      case 'postData':
      case 'content':
        if ((key === 'postData') === (side === 'request') && cur.atObject()) readBody(cur, msg);
        else cur.skipValue();
        break;
      case '_error':
        entry.error = str(cur.readScalar()) || undefined;
        break;
      default:
        cur.skipValue();
    }
  }
}

function readHeaders(cur: JsonCursor, out: [string, string][]): void {
  if (!cur.firstItem()) return;
  do {
    if (!cur.atObject()) {
      cur.skipValue();
      continue;
    }
    let name: string | undefined;
    let value: string | undefined;
    for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
      if (key === 'name') name = str(cur.readScalar());
      else if (key === 'value') value = str(cur.readScalar());
      else cur.skipValue();
    }
    if (name !== undefined && value !== undefined) out.push([name.toLowerCase(), value]);
  } while (cur.nextItem());
}

function readBody(cur: JsonCursor, msg: HarMessage): void {
  let span: StringSpan | undefined;
  let encoding: string | undefined;
  for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
    switch (key) {
      case 'mimeType':
        msg.mimeType = str(cur.readScalar());
        break;
      case 'text':
        if (cur.peek() === 0x22) span = cur.readStringSpan();
        else cur.skipValue();
        break;
      case 'encoding':
        encoding = str(cur.readScalar());
        break;
      case 'size': {
        const n = num(cur.readScalar());
        if (n !== undefined && n >= 0) msg.size = n;
        break;
      }
      case 'comment':
        msg.comment = str(cur.readScalar()) || undefined;
        break;
      default:
        cur.skipValue();
    }
  }
  if (span) msg.text = { span, encoding };
}

function readWebSocketMessages(cur: JsonCursor): HarWebSocketMessage[] {
  const out: HarWebSocketMessage[] = [];
  if (!cur.firstItem()) return out;
  do {
    if (!cur.atObject()) {
      cur.skipValue();
      continue;
    }
    const m: HarWebSocketMessage = { type: '', time: NaN, opcode: 0 };
    for (let key = cur.firstKey(); key !== null; key = cur.nextKey()) {
      switch (key) {
        case 'type':
          m.type = str(cur.readScalar()) ?? '';
          break;
        case 'time':
          m.time = num(cur.readScalar()) ?? NaN;
          break;
        case 'opcode':
          m.opcode = num(cur.readScalar()) ?? 0;
          break;
        case 'data':
          if (cur.peek() === 0x22) m.data = cur.readStringSpan();
          else cur.skipValue();
          break;
        default:
          cur.skipValue();
      }
    }
    out.push(m);
  } while (cur.nextItem());
  return out;
}
