/**
 * Builds HAR objects in Chrome DevTools' "Save all as HAR" shape (entries with request,
 * response, timings, `_resourceType`, `_webSocketMessages`), for the sample generator, the
 * benchmarks and tests. The result is a plain object: change any part before JSON.stringify.
 */
import { bytesToBase64 } from '../wire/base64';
import { queryList } from './classify';

/** A body as a HAR stores it. */
export type HarBodySpec =
  /** Bytes stored as base64 (content.encoding "base64"; also on postData, as some tools write it). */
  | { base64: Uint8Array }
  /** Text stored as it is. */
  | { text: string }
  /** Bytes stored the way Chrome stores a request body: decoded as UTF-8 text, invalid sequences becoming U+FFFD. */
  | { chromeText: Uint8Array };

/** One HTTP exchange. */
export interface HarHttpSpec {
  url: string;
  method?: string;
  /** Milliseconds since the epoch. */
  started: number;
  /** Total time in ms (default 40). */
  time?: number;
  status?: number;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  /** Request body; its mime type is the request's content-type header. */
  request?: HarBodySpec;
  response?: HarBodySpec;
  /** The response's content-type (content.mimeType gets it without parameters). */
  responseType?: string;
  /** content.size (default: the body's byte length). */
  contentSize?: number;
}

/** One WebSocket connection and its messages. */
export interface HarWebSocketSpec {
  url: string;
  started: number;
  messages: { type: 'send' | 'receive'; /** ms since the epoch */ time: number; binary?: Uint8Array; text?: string }[];
}

type Json = Record<string, unknown>;

const headerList = (h: Record<string, string> = {}) => Object.entries(h).map(([name, value]) => ({ name, value }));
const iso = (ms: number) => new Date(ms).toISOString();

function stored(body: HarBodySpec): { text: string; encoding?: string; size: number } {
  if ('base64' in body) return { text: bytesToBase64(body.base64), encoding: 'base64', size: body.base64.length };
  if ('chromeText' in body) return { text: new TextDecoder('utf-8').decode(body.chromeText), size: body.chromeText.length };
  return { text: body.text, size: new TextEncoder().encode(body.text).length };
}

function timings(total: number): Json {
  const wait = Math.max(0, total - 6);
  return { blocked: 1.2, dns: -1, ssl: -1, connect: -1, send: 0.3, wait, receive: Math.max(0, total - wait - 1.5), _blocked_queueing: 0.8 };
}

/** A Chrome-shaped HAR entry for an HTTP exchange. */
export function harHttpEntry(spec: HarHttpSpec): Json {
  const reqHeaders = spec.requestHeaders ?? {};
  const reqType = Object.entries(reqHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const req = spec.request ? stored(spec.request) : undefined;
  const res = spec.response ? stored(spec.response) : undefined;
  const time = spec.time ?? 40;
  return {
    _initiator: { type: 'script' },
    _priority: 'High',
    _resourceType: 'fetch',
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method: spec.method ?? 'POST',
      url: spec.url,
      httpVersion: 'http/2.0',
      headers: headerList(reqHeaders),
      queryString: queryList(spec.url).map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: req?.size ?? 0,
      ...(req ? { postData: { mimeType: reqType, text: req.text, ...(req.encoding ? { encoding: req.encoding } : {}) } } : {}),
    },
    response: {
      status: spec.status ?? 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: headerList(spec.responseHeaders ?? (spec.responseType ? { 'content-type': spec.responseType } : {})),
      cookies: [],
      content: {
        size: spec.contentSize ?? res?.size ?? 0,
        mimeType: (spec.responseType ?? 'x-unknown').split(';')[0].trim(),
        ...(res ? { text: res.text, ...(res.encoding ? { encoding: res.encoding } : {}) } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: res?.size ?? 0,
      _transferSize: (res?.size ?? 0) + 180,
      _error: null,
    },
    serverIPAddress: '192.0.2.7',
    startedDateTime: iso(spec.started),
    time,
    timings: timings(time),
  };
}

/** A Chrome-shaped HAR entry for a WebSocket connection (status 101, `_webSocketMessages`). */
export function harWebSocketEntry(spec: HarWebSocketSpec): Json {
  return {
    _initiator: { type: 'script' },
    _priority: 'High',
    _resourceType: 'websocket',
    _webSocketMessages: spec.messages.map((m) => ({
      type: m.type,
      time: m.time / 1000,
      opcode: m.binary ? 2 : 1,
      data: m.binary ? bytesToBase64(m.binary) : (m.text ?? ''),
    })),
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method: 'GET',
      url: spec.url,
      httpVersion: 'HTTP/1.1',
      headers: headerList({ Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13' }),
      queryString: queryList(spec.url).map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: headerList({ Upgrade: 'websocket', Connection: 'Upgrade' }),
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
      _transferSize: 0,
      _error: null,
    },
    serverIPAddress: '192.0.2.7',
    startedDateTime: iso(spec.started),
    time: 0.9,
    timings: timings(1),
  };
}

/** A whole HAR document around some entries, with Chrome's creator and one page. */
export function harDocument(
  entries: readonly Json[],
  page: { url: string; started: number } = { url: 'https://example.com/', started: 0 },
): Json {
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [
        {
          startedDateTime: iso(page.started),
          id: 'page_1',
          title: page.url,
          pageTimings: { onContentLoad: 180.5, onLoad: 240.2 },
        },
      ],
      entries,
    },
  };
}
