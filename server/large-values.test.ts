/**
 * A large bytes or string field through the browser-served API: a page of rows carries only the
 * start of each (a few KiB, not the field), and the whole value comes back in bounded chunks.
 * Before rows were bounded, every getRows answer carried a 200 MB field whole (base64 inside the
 * JSON), holding the event loop for about 100 s and 2.9 GB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowsPage, ValueChunk } from '../core/api/contract';
import { MAX_ROW_VALUE, MAX_VALUE_CHUNK } from '../core/api/limits';
import { decodeTagged, encodeTagged } from '../core/api/tagged-json';
import { WireWriter } from '../core/wire/wire-writer';
import { WireType } from '../core/wire/wire-types';
import { signIn, type ServedSession } from '../testing/served-sign-in';
import { startWorkbenchServer, type WorkbenchServer } from './workbench-server';

const PROTO = 'syntax = "proto3"; package big; message Blob { bytes data = 1; string note = 2; }';
const DATA = Uint8Array.from({ length: 8 * 1024 * 1024 + 3 }, (_, i) => (i * 31 + 7) % 256);
const NOTE = 'é'.repeat(600_000); // 1.2 MB of UTF-8

let dir: string;
let server: WorkbenchServer;
let session: ServedSession;

/** Calls a method; the result and the size of the HTTP answer. */
async function call<T>(method: string, request: unknown): Promise<{ result: T; size: number }> {
  const res = await session.post(method, encodeTagged(request));
  const text = await res.text();
  const answer = decodeTagged<{ result?: T; error?: { message: string } }>(text);
  if (answer.error) throw new Error(answer.error.message);
  return { result: answer.result as T, size: text.length };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-large-values-'));
  server = await startWorkbenchServer({ port: 0, cwd: dir, rendererDir: dir, stateFile: null });
  session = await signIn(server.link());
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('large values through the served API', () => {
  it('rows carry a bounded start of a large bytes and string field; the rest comes in chunks', async () => {
    await call('addSchemas', { uploads: [{ name: 'big.proto', contents: new TextEncoder().encode(PROTO) }] });
    const w = new WireWriter();
    w.tag(1, WireType.LEN).lengthDelimited(DATA); // bytes data = 1
    w.tag(2, WireType.LEN).lengthDelimited(new TextEncoder().encode(NOTE)); // string note = 2
    // As the page sends large bytes: the raw body, the other fields in a header.
    const opened = await session.post('openBytes', w.finish().slice(), {
      'content-type': 'application/octet-stream',
      'x-protodesk-request': encodeURIComponent(encodeTagged({ name: 'blob.bin' })),
    });
    const doc = decodeTagged<{ result: { docId: string } }>(await opened.text()).result;
    await call('setType', { docId: doc.docId, typeName: 'big.Blob' });
    const { result: page, size } = await call<RowsPage>('getRows', { docId: doc.docId, message: 0, start: 0, count: 10 });
    expect(size).toBeLessThan(64 * 1024); // not the 8 MB field, not the 1.2 MB string
    const [data, note] = page.rows;
    expect(data).toMatchObject({ name: 'data', valueLength: DATA.length, editor: { kind: 'none' } });
    expect(data.value).toEqual(DATA.slice(0, MAX_ROW_VALUE));
    expect(note).toMatchObject({ name: 'note', valueLength: NOTE.length, value: NOTE.slice(0, MAX_ROW_VALUE) });

    const parts: Uint8Array[] = [];
    let chunks = 0;
    for (let at = 0; at < DATA.length; chunks++) {
      const { result: c } = await call<ValueChunk>('getValueChunk', {
        docId: doc.docId,
        message: 0,
        path: data.path,
        start: at,
        end: 1e12,
      });
      expect(c.bytes!.length).toBeLessThanOrEqual(MAX_VALUE_CHUNK);
      parts.push(c.bytes!);
      at += c.bytes!.length;
    }
    expect(chunks).toBe(Math.ceil(DATA.length / MAX_VALUE_CHUNK));
    expect(Buffer.compare(Buffer.concat(parts), DATA)).toBe(0);
  });

  it('refuses a malformed chunk request with what is wrong', async () => {
    const res = await session.post('getValueChunk', encodeTagged({ docId: 'd1', message: 0, path: [0], start: -1, end: 5 }));
    expect(res.status).toBe(400);
    expect(decodeTagged<{ error: { message: string } }>(await res.text()).error.message).toMatch(
      /getValueChunk: field "start" must be an integer ≥ 0/,
    );
  });
});
