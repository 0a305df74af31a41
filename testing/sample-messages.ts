/**
 * The binary samples in samples/ as single messages, for tests that compare printers on real
 * data: each single-message sample, and the first messages of each stream sample; and the fuzz
 * corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexStream, messageAt } from '../core/stream/stream-framing';

const SAMPLES = join(import.meta.dirname, '../samples');

/** One sample message and the name of its type. */
export interface SampleMessage {
  bytes: Uint8Array;
  type: string;
}

interface SampleEntry {
  file: string;
  type: string;
  framing: string;
}

/** Every single-message sample, and at most `perStream` messages of each stream sample. */
export function sampleMessages(perStream = 50): SampleMessage[] {
  const index = (JSON.parse(readFileSync(join(SAMPLES, 'index.json'), 'utf8')) as { samples: SampleEntry[] }).samples;
  const out: SampleMessage[] = [];
  for (const s of index) {
    const bytes = new Uint8Array(readFileSync(join(SAMPLES, s.file)));
    if (s.framing === 'single') out.push({ bytes, type: s.type });
    else {
      const ix = indexStream(bytes, s.framing === 'grpc' ? 'grpc' : 'delimited');
      for (let i = 0; i < Math.min(ix.count, perStream); i++) out.push({ bytes: messageAt(ix, i), type: s.type });
    }
  }
  return out;
}

const CORPUS = join(import.meta.dirname, '../fuzz/corpus');

/** The fuzz corpus entries (inputs that once broke a decoder or printer) whose type `known` says exists. */
export function corpusMessages(known: (typeName: string) => boolean): SampleMessage[] {
  const out: SampleMessage[] = [];
  for (const name of readdirSync(CORPUS).filter((f) => f.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(CORPUS, name), 'utf8')) as { typeName?: string };
    if (!meta.typeName || !known(meta.typeName)) continue;
    out.push({ bytes: new Uint8Array(readFileSync(join(CORPUS, name.replace(/\.json$/, '.bin')))), type: meta.typeName });
  }
  return out;
}
