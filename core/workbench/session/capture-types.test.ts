import { describe, expect, it } from 'vitest';
import type { SchemaStatus } from '../../api/contract';
import { errorCodeOf } from '../../api/api-error';
import { harDocument, harHttpEntry } from '../../capture/har-builder';
import { loadSchemaSources } from '../../schema/registry';
import { createCoreEngine } from '../core-engine';
import type { SchemaHost, Schemas } from '../engine';
import { createSession } from './session';
import { boxBytes, memoryFiles, PROTO, utf8 } from './test-session';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
/** A t.Item: label "one", count 1. */
const ITEM = new Uint8Array([0x0a, 0x03, 0x6f, 0x6e, 0x65, 0x10, 0x01]);
/** A schema that comes and goes: u.Note. */
const NOTE_PROTO = 'syntax = "proto3"; package u; message Note { string text = 1; }';

function schemasOf(sources: { name: string; contents: string }[]): Schemas {
  const registry = loadSchemaSources(sources);
  return {
    registry,
    types: () => registry.messageTypes().map((t) => ({ name: t.fullName.slice(1) })),
    messageTypes: () => registry.messageTypes(),
    find: (n) => registry.findMessage(n) ?? null,
    describe: () => [],
  };
}

/** Schemas the test changes: t.proto, with u.proto while `withNote`. */
function changingSchemas() {
  const status = {
    families: [],
    protoFiles: [],
    importPaths: [],
    descriptorSets: [],
    uploads: [],
    typeCount: 0,
    errors: [],
  } as SchemaStatus;
  let current = schemasOf([{ name: 't.proto', contents: PROTO }]);
  const host: SchemaHost = {
    current: () => current,
    status: () => status,
    add: async () => status,
    remove: async () => status,
    reload: async () => status,
  };
  const set = (withNote: boolean) => {
    current = schemasOf([{ name: 't.proto', contents: PROTO }, ...(withNote ? [{ name: 'u.proto', contents: NOTE_PROTO }] : [])]);
  };
  return { host, set };
}

/** Three calls to two Twirp services and a body typed by its content type (u.Note, loaded or not). */
function har(): Uint8Array {
  const call = (url: string, at: number, request: Uint8Array) =>
    harHttpEntry({
      url,
      started: T0 + at,
      requestHeaders: { 'content-type': 'application/protobuf' },
      request: { base64: request },
      responseType: 'application/protobuf',
      response: { base64: ITEM },
    });
  return utf8(
    JSON.stringify(
      harDocument([
        call('https://sfu.example.com/twirp/livekit.RoomService/CreateRoom', 0, boxBytes()),
        call('https://sfu.example.com/twirp/livekit.RoomService/ListRooms', 100, boxBytes()),
        call('https://sfu.example.com/twirp/other.Service/Get', 200, ITEM),
        harHttpEntry({
          url: 'https://sfu.example.com/notes',
          started: T0 + 300,
          requestHeaders: { 'content-type': 'application/x-protobuf; messageType=u.Note' },
          request: { base64: utf8('\x0a\x02hi') },
          responseType: 'text/plain',
          response: { text: 'ok' },
        }),
      ]),
    ),
  );
}

const rowsOf = async (s: ReturnType<typeof createSession>, captureId: string) =>
  (await s.api.getCaptureRows({ captureId, start: 0, count: 100 })).rows;

describe('capture types by URL pattern and across schema changes', () => {
  it('a URL rule types every entry it matches (one direction, or both); an entry of its own type beats it', async () => {
    const s = createSession({ engine: createCoreEngine(), schemas: changingSchemas().host, files: memoryFiles().host });
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    expect(c.urlRules).toEqual([]);
    await s.api.setCaptureEntryType({ captureId: c.captureId, index: 2, typeName: 't.Item' });
    const after = await s.api.setCaptureUrlRules({
      captureId: c.captureId,
      rules: [
        { url: '/twirp/livekit.RoomService/*', direction: 'request', typeName: 't.Box' },
        { url: 'https://sfu.example.com/twirp/*', typeName: 't.Item' },
      ],
    });
    expect(after.revision).toBeGreaterThan(c.revision);
    expect(after.urlRules.map((r) => [r.url, r.matches, r.missing])).toEqual([
      ['/twirp/livekit.RoomService/*', 1, undefined],
      ['https://sfu.example.com/twirp/*', 4, undefined],
    ]);
    const rows = await rowsOf(s, c.captureId);
    expect(rows.map((r) => [r.index, r.direction, r.url.replace('https://sfu.example.com', ''), r.type, r.typeSource])).toEqual([
      [0, 'request', '/twirp/livekit.RoomService/CreateRoom', 't.Box', 'url-override'],
      [1, 'response', '/twirp/livekit.RoomService/CreateRoom', 't.Item', 'url-override'],
      [2, 'request', '/twirp/livekit.RoomService/ListRooms', 't.Item', 'entry-override'],
      [3, 'response', '/twirp/livekit.RoomService/ListRooms', 't.Item', 'url-override'],
      [4, 'request', '/twirp/other.Service/Get', 't.Item', 'url-override'],
      [5, 'response', '/twirp/other.Service/Get', 't.Item', 'url-override'],
      [6, 'request', '/notes', null, 'detect'],
    ]);
    // Opening an entry uses the rule's type.
    const { docId } = await s.api.openCaptureEntry({ captureId: c.captureId, index: 0 });
    expect(await s.api.getSummary({ docId })).toMatchObject({ typeName: 't.Box' });
    // The rules are kept: the capture lists them again; clearing them brings the automatic types back.
    expect((await s.api.listCaptures({}))[0].urlRules).toHaveLength(2);
    await s.api.setCaptureUrlRules({ captureId: c.captureId, rules: [] });
    expect((await rowsOf(s, c.captureId)).map((r) => r.typeSource)).toEqual([
      'detect',
      'detect',
      'entry-override',
      'detect',
      'detect',
      'detect',
      'detect',
    ]);
  });

  it('refuses a rule with an unknown type or no pattern, saying which, and keeps the rules it had', async () => {
    const s = createSession({ engine: createCoreEngine(), schemas: changingSchemas().host, files: memoryFiles().host });
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    await s.api.setCaptureUrlRules({ captureId: c.captureId, rules: [{ url: '/twirp/*', typeName: 't.Box' }] });
    const unknown = await s.api
      .setCaptureUrlRules({
        captureId: c.captureId,
        rules: [
          { url: '/twirp/*', typeName: 't.Box' },
          { url: '/x', typeName: 't.Nope' },
        ],
      })
      .catch((e) => e);
    expect(errorCodeOf(unknown)).toBe('invalid-input');
    expect(unknown.message).toBe('URL rule 2 (/x): unknown message type: t.Nope');
    await expect(s.api.setCaptureUrlRules({ captureId: c.captureId, rules: [{ url: '  ', typeName: 't.Box' }] })).rejects.toThrow(
      'URL rule 1: give a URL pattern',
    );
    expect((await s.api.listCaptures({}))[0].urlRules.map((r) => r.url)).toEqual(['/twirp/*']);
  });

  it('new schemas type the capture again: automatic types recomputed, the user’s kept, a vanished type said so', async () => {
    const schemas = changingSchemas();
    const s = createSession({ engine: createCoreEngine(), schemas: schemas.host, files: memoryFiles().host });
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    const captureId = c.captureId;
    const notes = (await rowsOf(s, captureId))[6];
    expect(notes).toMatchObject({ type: null, typeSource: 'detect' });
    expect(notes.notes).toContain('type u.Note is not loaded');

    // u.proto added: the content type's u.Note is loaded now.
    schemas.set(true);
    const [listed] = await s.api.listCaptures({});
    expect(listed.revision).toBeGreaterThan(c.revision);
    expect((await rowsOf(s, captureId))[6]).toMatchObject({ type: 'u.Note', typeSource: 'content-type', notes: [] });

    // The user types an entry and a URL as u.Note; then u.proto goes away.
    await s.api.setCaptureEntryType({ captureId, index: 0, typeName: 'u.Note' });
    await s.api.setCaptureUrlRules({ captureId, rules: [{ url: '*/other.Service/*', typeName: 'u.Note' }] });
    schemas.set(false);
    const rows = await rowsOf(s, captureId);
    expect(rows[0]).toMatchObject({ type: 'u.Note', typeSource: 'entry-override' });
    expect(rows[0].notes.join(' ')).toMatch(/type u\.Note chosen for this entry is not in the loaded schemas \(any more\)/);
    expect(rows[4]).toMatchObject({ type: 'u.Note', typeSource: 'url-override' });
    expect(rows[4].notes.join(' ')).toMatch(/type u\.Note of a URL rule is not in the loaded schemas/);
    expect(rows[6]).toMatchObject({ type: null, typeSource: 'detect' });
    expect((await s.api.listCaptures({}))[0].urlRules).toEqual([
      { url: '*/other.Service/*', typeName: 'u.Note', matches: 2, missing: true },
    ]);

    // Back again: the overrides apply as before, without the note.
    schemas.set(true);
    const back = await rowsOf(s, captureId);
    expect(back[0]).toMatchObject({ type: 'u.Note', typeSource: 'entry-override' });
    expect(back[0].notes.join(' ')).not.toMatch(/u\.Note/);
  });
});

describe('comparing capture entries', () => {
  it('two entries of a capture compare with their types, as documents do', async () => {
    const s = createSession({ engine: createCoreEngine(), schemas: changingSchemas().host, files: memoryFiles().host });
    const c = await s.api.openCaptureBytes({ name: 'trace.har', bytes: har() });
    await s.api.setCaptureUrlRules({ captureId: c.captureId, rules: [{ url: '*/twirp/*', direction: 'request', typeName: 't.Box' }] });
    // Entries 0 and 4: a t.Box and a t.Item, both read as t.Box (the rule).
    const d = await s.api.compareMessages({ a: { captureId: c.captureId, entry: 0 }, b: { captureId: c.captureId, entry: 4 } });
    expect(d).toMatchObject({ typeName: 't.Box', a: { label: 'trace.har #0', size: boxBytes().length }, b: { label: 'trace.har #4' } });
    const { rows } = await s.api.getDiffRows({ diffId: d.diffId, start: 0, count: 20 });
    expect(rows.find((r) => r.path === 'name')).toMatchObject({ kind: 'changed', a: { text: '"crate"' }, b: { text: '"one"' } });
    // An entry against an open document.
    const doc = await s.api.openBytes({ name: 'box.bin', bytes: boxBytes() });
    await s.api.setType({ docId: doc.docId, typeName: 't.Box' });
    const same = await s.api.compareMessages({ a: { captureId: c.captureId, entry: 0 }, b: { docId: doc.docId, message: 0 } });
    expect(same).toMatchObject({ identical: true, typeName: 't.Box' });
    await expect(
      s.api.compareMessages({ a: { captureId: c.captureId, entry: 0, message: 1 }, b: { docId: doc.docId, message: 0 } }),
    ).rejects.toThrow('trace.har entry 0 has no message 1 (it has 1)');
  });
});
