/**
 * Writes samples/: binary LiveKit and Kik video messages plus edge cases, and samples/index.json
 * describing each. Deterministic: the same inputs always give the same bytes (no clocks, no
 * randomness), and samples/samples.test.ts checks the committed files against a fresh run.
 *
 * LiveKit messages are built with @livekit/protocol's own classes (so the bytes are what a
 * LiveKit SDK sends); Kik messages with protobufjs from our schemas/kik-video.
 *
 * Usage: npx tsx scripts/make-samples.ts [--out DIR]
 */
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import protojson from 'protobufjs/ext/protojson.js';
import { KIK_DIR, loadProtoRoot } from '../schemas/schema-files';
import { edgeSamples } from './sample-builders/edge-samples';
import { kikSamples } from './sample-builders/kik-samples';
import { livekitSamples } from './sample-builders/livekit-samples';
import type { Sample, SampleEntry } from './sample-builders/sample-entry';

export type { Framing, Sample, SampleEntry } from './sample-builders/sample-entry';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every sample, in index order. */
export function buildSamples(): Sample[] {
  const root = loadProtoRoot(KIK_DIR);
  const encoder =
    (type: string) =>
    (json: unknown): Uint8Array => {
      const t = root.lookupType(type);
      return t.encode(protojson.fromJson(t, json)).finish();
    };
  return [
    ...livekitSamples(),
    ...kikSamples(),
    ...edgeSamples(
      encoder('mobile.video.v1.BatchedGetConvoStateRequest'),
      encoder('mobileremote.video.v1.OnConvoVideoStateChangedNotification'),
    ),
  ];
}

/** Writes the samples and index.json into dir (cleaning the sample folders first). */
export function writeSamples(dir: string): SampleEntry[] {
  const samples = buildSamples();
  for (const sub of ['livekit', 'kik-video', 'edge']) {
    const p = join(dir, sub);
    if (existsSync(p)) rmSync(p, { recursive: true, force: true });
  }
  const index: SampleEntry[] = [];
  for (const { bytes, ...entry } of samples) {
    const p = join(dir, entry.file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
    index.push(entry);
  }
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ note: 'Written by scripts/make-samples.ts; do not edit by hand.', samples: index }, null, 2) + '\n',
  );
  return index;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = resolve(values.out ?? join(ROOT, 'samples'));
  const index = writeSamples(dir);
  console.log(`wrote ${index.length} samples to ${dir}`);
}
