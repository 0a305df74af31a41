/**
 * Opening bytes or a file as a document: the size limit, framing and type detection (a stream
 * by sampling its messages), the type remembered for the file, and the first message's top
 * level decoded in steps, all as one task with progress and cancel.
 */
import type { DocumentSummary, TypeCandidate } from '../../api/contract';
import { MAX_OPEN_BYTES, tooBigToOpen } from '../../api/limits';
import type { DiskStamp, FileHost, Scheduler, Schemas, SchemaHost, StreamIndex, WorkbenchEngine } from '../engine';
import { DocumentHistory } from './document-history';
import type { OpenDocument } from './document-state';
import { addRecent, hasRememberedType, rememberedType } from './file-memory';
import { hashLater, knowDisk, knownHash, readStamp, type LaterHash } from './file-stamps';
import type { OpenDocuments } from './open-documents';
import type { SessionApiPart } from './session-api';
import type { Tasks } from './tasks';

/** How many messages of a stream are sampled for type detection. */
const STREAM_DETECT_SAMPLES = 16;

/**
 * How long after a file opens the hash of its content begins, and how long it waits again while a
 * long operation (the first rows' walk, say) is under way, unless something needs it sooner: the
 * first rows come first (a 200 MB file's SHA-256 is a few hundred ms of the host's time, taken in
 * chunks between the steps of whatever else runs).
 */
export const HASH_DELAY_MS = 1000;

/** Files larger than this are refused by default (see SessionOptions.maxOpenBytes). */
export const DEFAULT_MAX_OPEN = MAX_OPEN_BYTES;

/** Refuses a file over the size limit, naming its size and the limit. */
export function checkOpenSize(name: string, size: number, maxOpen: number): void {
  const tooBig = tooBigToOpen(name, size, maxOpen);
  if (tooBig) throw new Error(tooBig);
}

/** Opening documents. */
export interface DocumentOpener extends SessionApiPart<'openBytes' | 'openPath'> {
  /**
   * Opens bytes as a document; `recovered`: from the recovery journal (unsaved, with the type it
   * had); `diskHash`: the hash of the bytes read from `path`, begun when the document is open.
   */
  open(
    name: string,
    bytes: Uint8Array,
    path: string | null,
    disk?: DiskStamp | null,
    recovered?: { typeName: string | null },
    diskHash?: LaterHash | null,
  ): Promise<DocumentSummary>;
}

/** Creates the opener. */
export function createDocumentOpener(
  engine: WorkbenchEngine,
  schemas: SchemaHost,
  files: FileHost,
  tasks: Tasks,
  documents: OpenDocuments,
  maxOpen: number,
  scheduler?: Scheduler,
): DocumentOpener {
  /** Detected types: for a stream, the mean score over a sample of its messages (a type must fit them all). */
  // An empty message is no evidence (the ranking gives no candidates for it): an empty file opens
  // without a type, and a stream's empty messages are not sampled, so they do not dilute the mean.
  function detectStream(bytes: Uint8Array, index: StreamIndex, s: Schemas): TypeCandidate[] {
    const at = (i: number) => bytes.subarray(index.offsets[i], index.offsets[i] + index.lengths[i]);
    if (index.count <= 1) return engine.detect(index.count ? at(0) : bytes, s, 12);
    const n = Math.min(index.count, STREAM_DETECT_SAMPLES);
    const spread = Array.from({ length: n }, (_, k) => Math.floor((k * (index.count - 1)) / Math.max(1, n - 1)));
    const picks = [...new Set(spread)].filter((i) => index.lengths[i] > 0);
    if (!picks.length) return [];
    const sums = new Map<string, { score: number; reason?: string }>();
    for (const i of picks) {
      for (const c of engine.detect(at(i), s, 80)) {
        const e = sums.get(c.typeName) ?? { score: 0, ...(c.reason ? { reason: c.reason } : {}) };
        e.score += c.score;
        sums.set(c.typeName, e);
      }
    }
    return [...sums.entries()]
      .map(([typeName, e]) => ({ typeName, score: e.score / picks.length, reason: `mean over ${picks.length} of ${index.count} messages` }))
      .sort((a, b) => b.score - a.score || a.typeName.localeCompare(b.typeName))
      .slice(0, 12);
  }

  /** Calls `start` once no long operation has been under way for HASH_DELAY_MS (at once without a scheduler). */
  function startWhenIdle(start: () => void): void {
    if (!scheduler) return start();
    scheduler.after(HASH_DELAY_MS, () => (tasks.busy() ? startWhenIdle(start) : start()));
  }

  async function open(
    name: string,
    bytes: Uint8Array,
    path: string | null,
    disk: DiskStamp | null = null,
    recovered?: { typeName: string | null },
    diskHash: LaterHash | null = null,
  ): Promise<DocumentSummary> {
    checkOpenSize(name, bytes.length, maxOpen);
    return tasks.run(null, `Opening ${name}`, async (step) => {
      const s = schemas.current();
      // Progress in percent: framing and type detection, then the first message's top level.
      const index = engine.index(bytes);
      await step(10, 100);
      const candidates = detectStream(bytes, index, s);
      await step(20, 100);
      const d: OpenDocument = {
        id: documents.nextId(),
        name,
        path,
        source: bytes,
        index,
        type: null,
        typeSource: null,
        missingType: null,
        candidates,
        messages: new Map(),
        history: new DocumentHistory(!recovered),
        version: 1,
        disk: null,
        diskReported: null,
        saving: 0,
        diskHash: null,
        diskProbe: null,
      };
      knowDisk(d, disk, diskHash?.result);
      if (diskHash) {
        d.stopHash = diskHash.stop;
        d.needHash = diskHash.start;
      }
      // A type remembered for this file's path (or name) and content; else the best detected one.
      let remembered: string | null | undefined;
      if (recovered) remembered = recovered.typeName;
      else if (hasRememberedType(files, path, name)) {
        diskHash?.start(); // the remembered type is kept for this content: its hash is needed now
        if (!d.diskHash && files.hashBytes) d.diskHash = files.hashBytes(bytes).catch(() => null);
        remembered = await rememberedType(files, path, name, knownHash(d));
      }
      if (remembered !== undefined) {
        d.type = remembered === null ? null : s.find(remembered);
        d.typeSource = recovered ? 'recovered' : 'remembered';
        if (remembered !== null && !d.type) {
          // Its schema is not loaded (removed, or a file gone since): say so rather than open it raw without a word.
          d.missingType = remembered;
          d.typeSource = null;
        }
      }
      if (d.type === null && !d.missingType && remembered === undefined && candidates.length && candidates[0].score >= 0.5) {
        d.type = s.find(candidates[0].typeName);
        d.typeSource = d.type ? 'detected' : null;
      }
      await documents.messageInSteps(d, 0, (done, total) => step(20 + Math.floor((79 * done) / Math.max(1, total)), 100));
      await step(100, 100);
      documents.add(d);
      if (path && !recovered) addRecent(files, path);
      // The hash (a second pass over the whole file) begins a while after the document is open, or
      // as soon as a save, a disk check or a remembered type asks for it (knownHash): never skipped,
      // only kept from holding up the first rows.
      if (diskHash) startWhenIdle(diskHash.start);
      return documents.summary(d);
    });
  }

  return {
    open,
    async openBytes({ name, bytes }) {
      return open(String(name), bytes, null);
    },
    async openPath({ path }) {
      const abs = files.resolve(path);
      // The stamp before the read: a change between the two is then reported, never missed.
      const disk = await readStamp(files, abs);
      // A file over the limit is refused before it is read into memory.
      if (disk) checkOpenSize(files.basename(abs), disk.size, maxOpen);
      const bytes = await files.read(abs);
      // A hash of what was read: it decides a change the stamps cannot (begun once the document is open).
      return open(files.basename(abs), bytes, abs, disk, undefined, files.hashBytes ? hashLater(files.hashBytes, bytes) : null);
    },
  };
}
