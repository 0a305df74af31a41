/**
 * Open captures: HAR files listed as protobuf exchanges (core/capture), the user's type per
 * entry, an entry opened as a document with the entry's type, and the whole capture exported as
 * one delimited stream per direction. A capture keeps the HAR's bytes; bodies are read only when
 * an entry is opened or exported.
 */
import type { CaptureRow, CaptureSummary } from '../../api/capture-contract';
import type { Capture, CaptureEntry, CaptureSchemas, Decompress } from '../../capture';
import { exportStreams, openEntry, readCapture, writeDelimited } from '../../capture';
import type { FileHost, Schemas, SchemaHost } from '../engine';
import { checkUrlRules, remapEntryTypes, ruleStates, typedCapture, type CaptureTypeChoices } from './capture-types';
import { checkOpenSize, type DocumentOpener } from './document-open';
import type { MessageTypes } from './message-types';
import type { SessionApiPart } from './session-api';

/** The capture methods of the session. */
export type CaptureMethodsPart = SessionApiPart<
  | 'openCaptureBytes'
  | 'openCapturePath'
  | 'listCaptures'
  | 'getCaptureRows'
  | 'setCaptureEntryType'
  | 'setCaptureUrlRules'
  | 'openCaptureEntry'
  | 'exportCapture'
  | 'closeCapture'
>;

/** A message of a capture entry, as a comparison reads it. */
export interface CaptureEntryMessage {
  bytes: Uint8Array;
  /** The entry's type (chosen, automatic or detected), null when none is known. */
  typeName: string | null;
  /** "trace.har #3", with the message number for entries holding several. */
  label: string;
}

/** The capture methods, and what other session modules read of the captures. */
export interface Captures {
  methods: CaptureMethodsPart;
  /** Message `message` of an entry (throws saying why when there is none). */
  entryMessage(captureId: string, index: number, message: number): CaptureEntryMessage;
}

/** Whether a file name is a capture's (a HAR file), to be opened as a capture rather than as a message. */
export function isCaptureFileName(name: string): boolean {
  return /\.har$/i.test(name);
}

/**
 * Opening that refuses HAR files: read as one message their JSON would show as garbage. The
 * hosts open them with openCapturePath / openCaptureBytes instead.
 */
export function refusingCaptures(open: SessionApiPart<'openPath' | 'openBytes'>): SessionApiPart<'openPath' | 'openBytes'> {
  const refuse = (name: string) =>
    new Error(
      `${name} is a capture (a HAR file), not a message: open it as a capture (drop it on the window, or Open path) to list its exchanges.`,
    );
  return {
    async openPath(request) {
      if (isCaptureFileName(request.path)) throw refuse(request.path.slice(request.path.replace(/\\/g, '/').lastIndexOf('/') + 1));
      return open.openPath(request);
    },
    async openBytes(request) {
      if (isCaptureFileName(String(request.name))) throw refuse(String(request.name));
      return open.openBytes(request);
    },
  };
}

/** The most rows one getCaptureRows call answers. */
const MAX_ROWS_PER_PAGE = 5000;

interface OpenCapture {
  id: string;
  name: string;
  /** The capture as read (automatic types). */
  base: Capture;
  /** With the user's overrides applied. */
  current: Capture;
  choices: CaptureTypeChoices;
  startTime: number | null;
  /** The schemas `base` was typed with (new schemas: the capture is typed again). */
  schemas: Schemas;
  revision: number;
}

/** A URL without its query and fragment (a query may hold an access token). */
function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/** A row of the list for an entry. */
export function captureRow(entry: CaptureEntry, startTime: number | null): CaptureRow {
  return {
    index: entry.index,
    time: Number.isNaN(entry.time) || startTime === null ? null : entry.time - startTime,
    direction: entry.direction,
    protocol: entry.protocol,
    url: withoutQuery(entry.url),
    rpc: entry.rpc ?? null,
    status: entry.status ?? null,
    size: entry.size ?? null,
    type: entry.type ?? null,
    typeSource: entry.typeSource,
    available: entry.body.kind !== 'unavailable',
    notes: [...entry.notes, ...(entry.body.kind === 'unavailable' ? [entry.body.reason] : [])],
  };
}

/** The last part of a full type name. */
function shortName(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

/** Creates the capture methods. */
export function createCaptures(
  schemas: SchemaHost,
  files: FileHost,
  opener: DocumentOpener,
  types: MessageTypes,
  maxOpen: number,
  decompress?: Decompress,
): Captures {
  const open = new Map<string, OpenCapture>();
  let nextId = 1;
  const captureSchemas = () => schemas.current().registry as CaptureSchemas;

  const isLoaded = (typeName: string) => schemas.current().find(typeName) !== null;

  /** Applies the user's choices to the capture as read. */
  function retype(c: OpenCapture): void {
    c.current = typedCapture(c.base, c.choices, isLoaded);
  }

  /**
   * Types the capture again when the schemas changed since it was typed: automatic types (and
   * which exchanges are protobuf at all) are worked out again, the user's choices kept.
   */
  function fresh(c: OpenCapture): OpenCapture {
    const now = schemas.current();
    if (c.schemas === now) return c;
    const base = readCapture(c.base.source, { schemas: captureSchemas() });
    c.choices = { ...c.choices, entries: remapEntryTypes(c.base, base, c.choices.entries) };
    c.base = base;
    c.schemas = now;
    c.revision++;
    retype(c);
    return c;
  }

  function get(captureId: string): OpenCapture {
    const c = open.get(captureId);
    if (!c) throw Object.assign(new Error(`no open capture ${captureId}`), { name: 'NotFoundError' });
    return fresh(c);
  }

  function entryOf(c: OpenCapture, index: number): CaptureEntry {
    const e = c.current.entries[index];
    if (!e) throw new RangeError(`${c.name} has no entry ${index} (it has ${c.current.entries.length})`);
    return e;
  }

  function summary(c: OpenCapture): CaptureSummary {
    return {
      captureId: c.id,
      name: c.name,
      entryCount: c.current.entries.length,
      skippedEntries: c.current.skippedEntries,
      skippedTextFrames: c.current.skippedTextFrames,
      creator: c.current.creator ?? null,
      startTime: c.startTime,
      urlRules: ruleStates(c.current, c.choices, isLoaded),
      revision: c.revision,
    };
  }

  function add(name: string, bytes: Uint8Array): CaptureSummary {
    checkOpenSize(name, bytes.length, maxOpen);
    let base: Capture;
    try {
      base = readCapture(bytes, { schemas: captureSchemas() });
    } catch (e) {
      throw new Error(`${name} is not a capture that can be read: ${(e as Error).message}`, { cause: e });
    }
    const timed = base.entries.find((e) => !Number.isNaN(e.time));
    const c: OpenCapture = {
      id: `capture-${nextId++}`,
      name,
      base,
      current: base,
      choices: { entries: {}, urls: [] },
      startTime: timed ? timed.time : null,
      schemas: schemas.current(),
      revision: 0,
    };
    open.set(c.id, c);
    return summary(c);
  }

  const options = () => ({ schemas: captureSchemas(), ...(decompress ? { decompress } : {}) });

  function entryMessage(captureId: string, index: number, message: number): CaptureEntryMessage {
    const c = get(captureId);
    const entry = entryOf(c, index);
    const opened = openEntry(c.current, entry, options());
    const count = opened.messages.length;
    if (!count) throw new Error(`${c.name} entry ${index} has no message: ${opened.problem ?? 'its body is empty of messages'}`);
    if (!(message >= 0 && message < count)) throw new RangeError(`${c.name} entry ${index} has no message ${message} (it has ${count})`);
    const m = opened.messages[message];
    return {
      bytes: m.bytes,
      typeName: entry.type ?? m.typeName ?? null,
      label: `${c.name} #${index}${count > 1 ? ` message ${message}` : ''}`,
    };
  }

  const methods: CaptureMethodsPart = {
    async openCaptureBytes({ name, bytes }) {
      return add(String(name), bytes);
    },
    async openCapturePath({ path }) {
      const abs = files.resolve(path);
      const bytes = await files.read(abs);
      return add(files.basename(abs), bytes);
    },
    async listCaptures() {
      return [...open.values()].map((c) => summary(fresh(c)));
    },
    async getCaptureRows({ captureId, start, count }) {
      const c = get(captureId);
      const end = Math.min(c.current.entries.length, start + Math.min(count, MAX_ROWS_PER_PAGE));
      return { total: c.current.entries.length, rows: c.current.entries.slice(start, end).map((e) => captureRow(e, c.startTime)) };
    },
    async setCaptureEntryType({ captureId, index, typeName }) {
      const c = get(captureId);
      entryOf(c, index);
      const entries = { ...c.choices.entries };
      if (typeName === null) delete entries[index];
      else {
        if (!isLoaded(typeName)) throw new Error(`unknown message type: ${typeName}`);
        entries[index] = typeName;
      }
      c.choices = { ...c.choices, entries };
      retype(c);
      return captureRow(entryOf(c, index), c.startTime);
    },
    async setCaptureUrlRules({ captureId, rules }) {
      const c = get(captureId);
      c.choices = { ...c.choices, urls: checkUrlRules(rules, isLoaded) };
      retype(c);
      c.revision++;
      return summary(c);
    },
    async openCaptureEntry({ captureId, index }) {
      const c = get(captureId);
      const entry = entryOf(c, index);
      const opened = openEntry(c.current, entry, options());
      if (!opened.messages.length) {
        throw new Error(`${c.name} entry ${index} has no message to open: ${opened.problem ?? 'its body is empty of messages'}`);
      }
      const bytes = opened.messages.length === 1 ? opened.messages[0].bytes : writeDelimited(opened.messages.map((m) => m.bytes));
      const type = entry.type ?? opened.messages.find((m) => m.typeName)?.typeName;
      const stem = c.name.replace(/\.har$/i, '');
      const name = `${stem} #${index} ${entry.direction}${type ? ` ${shortName(type)}` : ''}.bin`;
      const s = await opener.open(name, bytes, null);
      if (type && s.typeName !== type && schemas.current().find(type)) await types.setType({ docId: s.docId, typeName: type });
      return { docId: s.docId };
    },
    async exportCapture({ captureId }) {
      const c = get(captureId);
      const streams = exportStreams(c.current, options());
      const stem = c.name.replace(/\.har$/i, '');
      return {
        requests: { name: `${stem}.requests.bin`, bytes: streams.requests.bytes, count: streams.requests.count },
        responses: { name: `${stem}.responses.bin`, bytes: streams.responses.bytes, count: streams.responses.count },
        skipped: streams.skipped,
      };
    },
    async closeCapture({ captureId }) {
      return { closed: open.delete(captureId) };
    },
  };
  return { methods, entryMessage };
}
