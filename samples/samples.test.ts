/**
 * The committed samples: index.json lists every file, a fresh run of scripts/make-samples.ts
 * gives the same bytes, every sample decodes with our engine and re-encodes byte-exact, and
 * well-formed single messages agree with `protoc --decode`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import protojson from 'protobufjs/ext/protojson.js';
import textformat from 'protobufjs/ext/textformat.js';
import { loadSchemas } from '../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../core/schema/registry';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import type { FieldNode, MessageRoot } from '../core/document/model';
import { toText } from '../core/format';
import { writeSamples, type SampleEntry } from '../scripts/make-samples';
import { KIK_DIR, LIVEKIT_DIR, REPO_ROOT, listProtoFiles } from '../schemas/schema-files';
import { runProtoc } from '../testing/protoc';

const SAMPLES_DIR = join(REPO_ROOT, 'samples');
const index = (JSON.parse(readFileSync(join(SAMPLES_DIR, 'index.json'), 'utf8')) as { samples: SampleEntry[] }).samples;
let registry: SchemaRegistry;

beforeAll(async () => {
  registry = await loadSchemas({ bundled: true });
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Splits a framed sample into its messages. */
function frames(bytes: Uint8Array, framing: SampleEntry['framing']): Uint8Array[] {
  if (framing === 'single') return [bytes];
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let len = 0;
    if (framing === 'grpc') {
      expect(bytes[pos]).toBe(0); // uncompressed
      len = ((bytes[pos + 1] << 24) >>> 0) + (bytes[pos + 2] << 16) + (bytes[pos + 3] << 8) + bytes[pos + 4];
      pos += 5;
    } else {
      let shift = 0;
      for (;;) {
        const b = bytes[pos++];
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) break;
      }
    }
    out.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  expect(pos).toBe(bytes.length);
  return out;
}

/** Every node, depth first. */
function* allNodes(fields: readonly FieldNode[]): Generator<FieldNode> {
  for (const f of fields) {
    yield f;
    if (f.value.kind === 'message') yield* allNodes(f.value.fields);
  }
}

function protocArgs(entry: SampleEntry): string[] {
  const dir = entry.family === 'livekit' ? LIVEKIT_DIR : KIK_DIR;
  return ['-I', dir, `--decode=${entry.type}`, ...listProtoFiles(dir)];
}

describe('samples/index.json', () => {
  it('lists every file exactly once, with a known type, framing and description', () => {
    const listed = index.map((s) => s.file).sort();
    // captures/ holds HAR files with their own generator (scripts/make-captures.ts) and test.
    const onDisk = filesUnder(SAMPLES_DIR).filter((f) => f !== 'index.json' && !f.endsWith('.ts') && !f.startsWith('captures/'));
    expect(listed).toEqual(onDisk);
    expect(new Set(listed).size).toBe(listed.length);
    expect(index.length).toBeGreaterThanOrEqual(25);
    for (const s of index) {
      expect(registry.findMessage(s.type), s.type).toBeDefined();
      expect(['single', 'delimited', 'grpc']).toContain(s.framing);
      expect(s.description.length).toBeGreaterThan(10);
    }
  });

  it('covers the required messages and edge cases', () => {
    const types = new Set(index.map((s) => s.type));
    for (const t of ['livekit.CreateRoomRequest', 'livekit.Room', 'livekit.ListRoomsResponse', 'livekit.ParticipantInfo', 'livekit.SignalRequest', 'livekit.SignalResponse', 'livekit.DataPacket', 'livekit.WebhookEvent', 'livekit.EgressInfo', 'mobile.video.v1.BatchedGetConvoStateRequest', 'mobile.video.v1.BatchedGetConvoStateResponse', 'mobile.video.v1.JoinConvoConferenceRequest', 'mobile.video.v1.JoinConvoConferenceResponse', 'mobile.video.v1.LeaveConvoConferenceNotification', 'mobileremote.video.v1.OnConvoVideoStateChangedNotification']) {
      expect(types.has(t), t).toBe(true);
    }
    expect(new Set(index.map((s) => s.edgeCase).filter(Boolean))).toEqual(new Set(['unknown-fields', 'non-canonical-order', 'large-stream', 'grpc-capture', 'invalid-utf8', 'validation-violations', 'truncated']));
  });
});

describe('scripts/make-samples.ts', () => {
  it('regenerates exactly the committed files', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'samples-'));
    try {
      const fresh = writeSamples(tmp);
      expect(fresh).toEqual(index);
      for (const f of filesUnder(tmp)) {
        expect(Buffer.compare(readFileSync(join(tmp, f)), readFileSync(join(SAMPLES_DIR, f))), f).toBe(0);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('every sample decodes', () => {
  for (const entry of index) {
    it(`${entry.file} (${entry.type}, ${entry.framing})`, () => {
      const bytes = new Uint8Array(readFileSync(join(SAMPLES_DIR, entry.file)));
      const type = registry.findMessage(entry.type)!;
      if (entry.edgeCase === 'truncated') {
        expect(() => decodeMessage(bytes, type)).toThrow(/offset|byte/i);
        const partial = decodeMessage(bytes, type, { partial: true });
        expect(partial.error).toBeDefined();
        expect(() => runProtoc(protocArgs(entry), bytes)).toThrow();
        return;
      }
      const messages = frames(bytes, entry.framing);
      if (entry.messages) expect(messages.length).toBe(entry.messages);
      for (const m of messages) {
        const root: MessageRoot = decodeMessage(m, type);
        // Unmodified documents encode back to the same bytes.
        expect(Buffer.compare(Buffer.from(encodeMessage(root, m)), Buffer.from(m))).toBe(0);
        const nodes = [...allNodes(root.fields)];
        const unknown = nodes.filter((n) => n.value.kind === 'unknown');
        if (entry.edgeCase === 'unknown-fields') expect(unknown.map((n) => n.fieldNumber)).toEqual([900, 901, 902, 903, 904]);
        else expect(unknown).toEqual([]);
        if (entry.edgeCase === 'invalid-utf8') {
          const bad = nodes.filter((n) => n.value.kind === 'scalar' && n.value.invalidUtf8);
          expect(bad.map((n) => n.field?.name)).toEqual(['identity', 'name']);
        }
        if (entry.edgeCase === 'non-canonical-order') {
          expect(root.fields.map((n) => n.fieldNumber)).toEqual([14, 2, 3, 1, 9, 14, 5]);
        }
      }
    });
  }
});

describe('samples agree with protoc --decode', () => {
  for (const entry of index) {
    if (entry.edgeCase === 'truncated' || entry.edgeCase === 'invalid-utf8') continue;
    it(`${entry.file}`, () => {
      const bytes = new Uint8Array(readFileSync(join(SAMPLES_DIR, entry.file)));
      const type = registry.findMessage(entry.type)!;
      const list = frames(bytes, entry.framing);
      // protoc reads one message; check the first, last and a middle one of streams
      const picks = list.length <= 3 ? list : [list[0], list[Math.floor(list.length / 2)], list[list.length - 1]];
      for (const m of picks) {
        const protocText = runProtoc(protocArgs(entry), m).toString();
        if (entry.edgeCase !== 'unknown-fields') expect(protocText).not.toMatch(/^\s*\d+\s*[:{]/m);
        else expect(protocText).toMatch(/^900: 150$/m);
        // Our text format prints exactly what protoc prints (unknown fields included).
        expect(toText(decodeMessage(m, type))).toEqual(protocText);
        // Values: what protoc printed, parsed back, equals what our schema decodes.
        if (entry.edgeCase === 'unknown-fields') continue; // unknown fields print as numbers, which text format cannot parse back
        const fromProtoc = protojson.toJson(type, textformat.fromText(type, protocText));
        const ours = protojson.toJson(type, type.decode(m));
        expect(ours).toEqual(fromProtoc);
      }
    });
  }
});
