/**
 * schemas/kik-video: compiles, matches Kik's published definitions (when the upstream copies are
 * at hand), and golden messages encoded by `protoc --encode` decode to the expected JSON and text.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { loadSchemas } from '../core-node/schema/load-schemas';
import type { SchemaRegistry } from '../core/schema/registry';
import { decodeMessage } from '../core/document/decode';
import { encodeMessage } from '../core/document/encode';
import { fromJson, toJson } from '../core/format';
import { fromText, toText } from '../core/format';
import { KIK_DIR, UPSTREAM_PROTOS_DIR, listProtoFiles, loadProtoRoot } from './schema-files';
import { PROTOC_INCLUDE, runProtoc } from '../testing/protoc';
import { KIK_GOLDENS } from './kik-goldens';
import UPSTREAM_DIGESTS from './kik-video-upstream.json';

const REFERENCE_DIR = join(UPSTREAM_PROTOS_DIR, 'kik');
const FILES = [
  'common_model.proto',
  'common_rpc.proto',
  'kik_options.proto',
  'mobile_video_service.proto',
  'protobuf_validation.proto',
  'video/v1/kik_video_service.proto',
  'video/v1/video_common.proto',
];

let root: protobuf.Root;
let registry: SchemaRegistry;
beforeAll(async () => {
  root = loadProtoRoot(KIK_DIR);
  registry = await loadSchemas({ bundled: true });
});

/** A descriptor set as protoc's text format, split per file, minus `dependency:` lines (unused imports differ). */
function descriptorText(dir: string): Map<string, string> {
  const tmp = mkdtempSync(join(tmpdir(), 'kik-ds-'));
  const out0 = join(tmp, 'set.binpb');
  runProtoc(['-I', dir, `--descriptor_set_out=${out0}`, ...FILES]);
  const set = readFileSync(out0);
  rmSync(tmp, { recursive: true, force: true });
  const text = runProtoc(
    [
      '-I',
      dir,
      '-I',
      PROTOC_INCLUDE,
      '--decode=google.protobuf.FileDescriptorSet',
      'google/protobuf/descriptor.proto',
      'protobuf_validation.proto',
      'kik_options.proto',
    ],
    set,
  ).toString();
  const out = new Map<string, string>();
  for (const chunk of text.split(/^file \{$/m).slice(1)) {
    const name = /name: "([^"]+)"/.exec(chunk)![1];
    out.set(
      name,
      chunk
        .split('\n')
        .filter((l) => !/^\s*dependency:/.test(l))
        .join('\n'),
    );
  }
  return out;
}

/** SHA-256 of each file's descriptor text, by file name, sorted. */
function digests(texts: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...texts.keys()].sort()) out[name] = createHash('sha256').update(texts.get(name)!).digest('hex');
  return out;
}

describe('schemas/kik-video', () => {
  it('holds the seven files at upstream paths', () => {
    expect(listProtoFiles(KIK_DIR)).toEqual([...FILES].sort());
  });

  it('compiles with protoc', () => {
    runProtoc(['-I', KIK_DIR, '--descriptor_set_out=/dev/null', ...FILES]);
  });

  it('is descriptor-identical to the upstream files as recorded (SHA-256 of each file descriptor)', () => {
    expect(digests(descriptorText(KIK_DIR))).toEqual(UPSTREAM_DIGESTS.files);
  });

  it('is descriptor-identical to the upstream copies (fields, numbers, options, services), and the record matches them', (ctx) => {
    if (!existsSync(REFERENCE_DIR)) {
      const why = `upstream Kik .proto copies not found at ${REFERENCE_DIR} (set PROTODESK_UPSTREAM_PROTOS); the recorded digests were checked above`;
      console.log(`skipped: ${why}`);
      ctx.skip(why);
    }
    const ours = descriptorText(KIK_DIR);
    const theirs = descriptorText(REFERENCE_DIR);
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [file, text] of theirs) expect(ours.get(file), file).toEqual(text);
    expect(digests(theirs), 'schemas/kik-video-upstream.json is out of date').toEqual(UPSTREAM_DIGESTS.files);
  });

  it('defines the services and their rpcs', () => {
    const kik = root.lookupService('mobile.video.v1.KikVideo');
    expect(Object.keys(kik.methods)).toEqual(['BatchedGetConvoState', 'JoinConvoConference', 'OnLeaveConvoConference']);
    expect(kik.methods.OnLeaveConvoConference.resolvedResponseType?.fullName).toBe('.common.VoidResponse');
    const remote = root.lookupService('mobileremote.video.v1.MobileVideo');
    expect(Object.keys(remote.methods)).toEqual(['OnConvoVideoStateChanged']);
  });

  it('carries the validation options', () => {
    const users = root.lookupType('common.video.v1.OneToOneConvoId').fields.users;
    const parsed = (users as unknown as { parsedOptions: Record<string, unknown>[] }).parsedOptions;
    expect(parsed).toEqual([
      { '(kik.validation.field_validation)': { mandatory: true, ordered: 'ASC', min_repetitions: 2, max_repetitions: 2 } },
    ]);
  });
});

describe('kik-video goldens (bytes from protoc --encode)', () => {
  for (const g of KIK_GOLDENS) {
    it(`${g.name}: ${g.type}`, () => {
      const bytes = runProtoc(['-I', KIK_DIR, `--encode=${g.type}`, ...FILES], g.text);
      const type = root.lookupType(g.type);
      const json = protojson.toJson(type, type.decode(bytes));
      expect(json).toEqual(g.json);
      // protoc's own text of the bytes is our golden text, and it round-trips.
      const text = runProtoc(['-I', KIK_DIR, `--decode=${g.type}`, ...FILES], bytes).toString();
      expect(text.trim()).toEqual(g.text.trim());
      expect(Buffer.from(type.encode(protojson.fromJson(type, g.json)).finish())).toEqual(bytes);
    });

    it(`${g.name}: Protodesk engine decodes to the golden JSON and text, and encodes them back`, () => {
      const bytes = new Uint8Array(runProtoc(['-I', KIK_DIR, `--encode=${g.type}`, ...FILES], g.text));
      const type = registry.findMessage(g.type)!;
      const doc = decodeMessage(bytes, type);
      expect(toJson(doc)).toEqual(g.json);
      expect(toText(doc).trim()).toEqual(g.text.trim());
      expect(Buffer.from(encodeMessage(fromJson(JSON.stringify(g.json), type), new Uint8Array(0)))).toEqual(Buffer.from(bytes));
      expect(Buffer.from(encodeMessage(fromText(g.text, type), new Uint8Array(0)))).toEqual(Buffer.from(bytes));
    });
  }
});
