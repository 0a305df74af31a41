/**
 * The corpus of failing inputs: fuzz/corpus/<target>-<hash>.bin with a JSON sidecar saying
 * which target, type and mode replay it, and what went wrong when it was found.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodeMode, FuzzCase, OutcomeKind, TargetName } from './fuzz-case';

/** The sidecar of a corpus file. */
export interface CorpusMeta {
  target: TargetName;
  typeName: string | null;
  mode: DecodeMode;
  /** For json-parse / text-parse: how the string is stored in the .bin file. */
  encoding?: 'utf8' | 'utf16le';
  kind: OutcomeKind | 'slow' | 'hang';
  error: string;
  /** Code location (file:line) of a crash, when known. */
  where?: string;
  signature: string;
  /** True while the bug is not fixed: fuzz/regressions.test.ts then expects the replay to fail (it.fails). */
  open?: boolean;
  /** The bug in a few words, with the code location believed at fault. */
  bug?: string;
  /** How it was found: run seed, input index, mutations. */
  found?: { seed: number; index: number; ops?: string[]; ms?: number; originalLength?: number };
}

/** A corpus entry: its files and the case it replays. */
export interface CorpusEntry {
  file: string;
  meta: CorpusMeta;
  fuzzCase: FuzzCase;
}

/** The default corpus directory (fuzz/corpus beside this module). */
export const CORPUS_DIR = new URL('./corpus/', import.meta.url).pathname;

function isWellFormed(s: string): boolean {
  return Buffer.from(s, 'utf8').toString('utf8') === s;
}

/** Saves a failing case (unless a file with the same content exists); returns the .bin path. */
export function saveCase(dir: string, c: FuzzCase, meta: Omit<CorpusMeta, 'target' | 'typeName' | 'mode' | 'encoding'>): string {
  mkdirSync(dir, { recursive: true });
  let data: Buffer;
  let encoding: CorpusMeta['encoding'];
  if (c.text !== undefined) {
    encoding = isWellFormed(c.text) ? 'utf8' : 'utf16le';
    data = Buffer.from(c.text, encoding);
  } else {
    data = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  }
  const hash = createHash('sha1')
    .update(c.target)
    .update(c.typeName ?? '')
    .update(c.mode)
    .update(data)
    .digest('hex')
    .slice(0, 12);
  const base = join(dir, `${c.target}-${hash}`);
  const full: CorpusMeta = { target: c.target, typeName: c.typeName, mode: c.mode, ...(encoding ? { encoding } : {}), ...meta };
  if (!existsSync(`${base}.bin`)) {
    writeFileSync(`${base}.bin`, data);
    writeFileSync(`${base}.json`, JSON.stringify(full, null, 2) + '\n');
  }
  return `${base}.bin`;
}

/** Reads every corpus entry (a .bin with its .json sidecar), sorted by file name. */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusEntry[] {
  if (!existsSync(dir)) return [];
  const out: CorpusEntry[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.bin')) continue;
    const sidecar = join(dir, f.replace(/\.bin$/, '.json'));
    if (!existsSync(sidecar)) continue;
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as CorpusMeta;
    const data = readFileSync(join(dir, f));
    const fuzzCase: FuzzCase = { target: meta.target, typeName: meta.typeName, mode: meta.mode, bytes: new Uint8Array(data) };
    if (meta.encoding) fuzzCase.text = data.toString(meta.encoding);
    out.push({ file: f, meta, fuzzCase });
  }
  return out;
}

/** Signatures already in the corpus (so a new run does not save the same bug again). */
export function knownSignatures(dir: string = CORPUS_DIR): Set<string> {
  return new Set(loadCorpus(dir).map((e) => e.meta.signature));
}
