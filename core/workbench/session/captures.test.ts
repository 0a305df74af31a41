import { describe, expect, it } from 'vitest';
import { harDocument, harHttpEntry, harWebSocketEntry } from '../../capture/har-builder';
import { indexStream, messageAt } from '../../stream/stream-framing';
import { boxBytes, memoryFiles, session, utf8 } from './test-session';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
/** A t.Item: label "one", count 1. */
const ITEM = new Uint8Array([0x0a, 0x03, 0x6f, 0x6e, 0x65, 0x10, 0x01]);

/** A HAR: a WebSocket whose frames come between an HTTP request and its answer, and a lossy body. */
function har(): Uint8Array {
  const doc = harDocument([
    harHttpEntry({
      url: 'https://api.example.com/box?access_token=secret',
      started: T0,
      time: 100,
      requestHeaders: { 'content-type': 'application/x-protobuf; messageType=t.Box' },
      request: { base64: boxBytes() },
      responseType: 'application/x-protobuf; messageType=t.Item',
      response: { base64: ITEM },
    }),
    harWebSocketEntry({
      url: 'wss://api.example.com/socket',
      started: T0 + 10,
      messages: [
        { type: 'send', time: T0 + 20, binary: ITEM },
        { type: 'receive', time: T0 + 30, text: 'hello' },
      ],
    }),
    harHttpEntry({
      url: 'https://api.example.com/lossy',
      started: T0 + 200,
      requestHeaders: { 'content-type': 'application/x-protobuf; messageType=t.Box' },
      request: { chromeText: new Uint8Array([0x0a, 0x02, 0xff, 0xfe]) },
      responseType: 'text/plain',
      response: { text: 'ok' },
    }),
  ]);
  return utf8(JSON.stringify(doc));
}

describe('captures', () => {
  it('lists every protobuf exchange in time order with direction, URL without its query, status, size and type', async () => {
    const s = session();
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    expect(c).toMatchObject({ name: 'trace.har', entryCount: 4, skippedTextFrames: 1, startTime: T0, creator: 'WebInspector' });
    const { total, rows } = await s.api.getCaptureRows({ captureId: c.captureId, start: 0, count: 100 });
    expect(total).toBe(4);
    expect(rows.map((r) => [r.index, r.direction, r.url, r.type])).toEqual([
      [0, 'request', 'https://api.example.com/box', 't.Box'],
      [1, 'request', 'wss://api.example.com/socket', null],
      [2, 'response', 'https://api.example.com/box', 't.Item'],
      [3, 'request', 'https://api.example.com/lossy', 't.Box'],
    ]);
    expect(rows[0]).toMatchObject({ time: 0, status: 200, size: boxBytes().length, protocol: 'http', available: true });
    expect(rows[1]).toMatchObject({ time: 20, status: null, protocol: 'websocket', typeSource: 'detect' });
    expect(rows[3].available).toBe(false);
    expect(rows[3].notes.join(' ')).toMatch(/lossy/);
    expect(JSON.stringify(rows)).not.toContain('secret');
    expect((await s.api.getCaptureRows({ captureId: c.captureId, start: 1, count: 2 })).rows.map((r) => r.index)).toEqual([1, 2]);
    expect(await s.api.listCaptures({})).toEqual([c]);
  });

  it('opens an entry as a document of its type, editable and saveable like any other', async () => {
    const s = session();
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    const { docId } = await s.api.openCaptureEntry({ captureId: c.captureId, index: 0 });
    const doc = await s.api.getSummary({ docId });
    expect(doc).toMatchObject({ name: 'trace #0 request Box.bin', typeName: 't.Box', dirty: false, path: null });
    expect((await s.api.getFileBytes({ docId })).bytes).toEqual(boxBytes());
    const { rows } = await s.api.getRows({ docId, message: 0, start: 0, count: 3 });
    expect(rows[0]).toMatchObject({ name: 'name', value: 'crate' });
    await s.api.edit({ docId, message: 0, edit: { op: 'set', path: [0], value: 'box' } });
    expect(await s.api.getSummary({ docId })).toMatchObject({ dirty: true });
    // The capture is not changed by an edit of the opened entry.
    const again = await s.api.openCaptureEntry({ captureId: c.captureId, index: 0 });
    expect((await s.api.getFileBytes({ docId: again.docId })).bytes).toEqual(boxBytes());
  });

  it('types an entry as the user chooses, refuses an unknown type, and goes back to the automatic type', async () => {
    const s = session();
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    const captureId = c.captureId;
    expect(await s.api.setCaptureEntryType({ captureId, index: 1, typeName: 't.Item' })).toMatchObject({
      index: 1,
      type: 't.Item',
      typeSource: 'entry-override',
    });
    const { docId } = await s.api.openCaptureEntry({ captureId, index: 1 });
    expect(await s.api.getSummary({ docId })).toMatchObject({ typeName: 't.Item' });
    await expect(s.api.setCaptureEntryType({ captureId, index: 1, typeName: 't.Nope' })).rejects.toThrow('unknown message type: t.Nope');
    await expect(s.api.setCaptureEntryType({ captureId, index: 9, typeName: 't.Item' })).rejects.toThrow(
      'trace.har has no entry 9 (it has 4)',
    );
    expect(await s.api.setCaptureEntryType({ captureId, index: 1, typeName: null })).toMatchObject({ type: null, typeSource: 'detect' });
    expect((await s.api.getCaptureRows({ captureId, start: 1, count: 1 })).rows[0].type).toBeNull();
  });

  it('says why an entry without a readable body cannot be opened', async () => {
    const s = session();
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    await expect(s.api.openCaptureEntry({ captureId: c.captureId, index: 3 })).rejects.toThrow(
      /^trace.har entry 3 has no message to open: lossy body/,
    );
  });

  it('exports the capture as one delimited stream per direction, naming the entries left out', async () => {
    const s = session();
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    const out = await s.api.exportCapture({ captureId: c.captureId });
    expect(out.requests).toMatchObject({ name: 'trace.requests.bin', count: 2 });
    expect(out.responses).toMatchObject({ name: 'trace.responses.bin', count: 1 });
    const requests = out.requests.bytes;
    const index = indexStream(requests, 'delimited');
    expect([0, 1].map((i) => messageAt(index, i))).toEqual([boxBytes(), ITEM]);
    expect(out.skipped).toEqual([{ index: 3, reason: expect.stringMatching(/lossy/) }]);
  });

  it('opens a HAR from disk, refuses what is not one, and forgets a closed capture', async () => {
    const files = memoryFiles({ '/work/trace.har': har(), '/work/not.har': utf8('{"nope": 1}') });
    const s = session(files.host);
    const c = await s.api.openCapturePath({ path: 'trace.har' });
    expect(c).toMatchObject({ name: 'trace.har', entryCount: 4 });
    await expect(s.api.openCapturePath({ path: 'not.har' })).rejects.toThrow(/^not.har is not a capture that can be read: /);
    expect(await s.api.closeCapture({ captureId: c.captureId })).toEqual({ closed: true });
    await expect(s.api.getCaptureRows({ captureId: c.captureId, start: 0, count: 1 })).rejects.toThrow(`no open capture ${c.captureId}`);
  });

  it('refuses to open a HAR file as a message, saying how to open it', async () => {
    const files = memoryFiles({ '/work/trace.har': har() });
    const s = session(files.host);
    const said = 'trace.har is a capture (a HAR file), not a message: open it as a capture';
    await expect(s.api.openPath({ path: 'trace.har' })).rejects.toThrow(said);
    await expect(s.api.openBytes({ name: 'trace.har', bytes: har() })).rejects.toThrow(said);
    expect(await s.api.listDocuments({})).toEqual([]);
  });
});
