/**
 * The crash-recovery journal on disk: one file per unsaved document in the recovery directory
 * (default ~/.config/protodesk/recovery/), written atomically, named after the session that
 * wrote it (`<pid>-<random>-<docId>.pdrec`). Entries of sessions whose process is gone are
 * offered back at the next start; a live process's entries are left alone.
 *
 * File layout: `PDREC2\n`, a 4-byte big-endian header length, the JSON header (RecoveryMeta
 * plus the lengths of the next two sections), the history (RecoveryHistory without its base
 * bytes, as tagged JSON), the base bytes of its replay, then the document's file bytes.
 * `PDREC1\n` files (header, then file bytes) are read too.
 */
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RecoveryEntry, RecoveryHistory, RecoveryMeta, RecoveryStore } from '../../core/workbench/engine';
import { decodeTagged, encodeTagged } from '../../core/api/tagged-json';
import { PROCESS_START_MS, writeFileAtomic } from './atomic-file';
import { FileError } from './file-errors';

const MAGIC = Buffer.from('PDREC2\n', 'latin1');
const MAGIC_V1 = Buffer.from('PDREC1\n', 'latin1');
const NAME = /^(\d+)-([0-9a-f]{8})-([A-Za-z0-9_]{1,64})\.pdrec$/;
const MAX_HEADER = 1 << 20;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The header as written: the meta and the lengths of the sections between it and the file bytes. */
type Header = RecoveryMeta & { historyLength?: number; baseLength?: number };

/** Reads the header at the start of a file (buf may hold only its start); `start` is where the sections begin. */
function parseHeader(buf: Buffer): { meta: RecoveryMeta; start: number; history: number; base: number } {
  const magic = buf.subarray(0, MAGIC.length);
  if (buf.length < MAGIC.length + 4 || !(magic.equals(MAGIC) || magic.equals(MAGIC_V1))) throw new Error('not a Protodesk recovery file');
  const len = buf.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4 + len;
  if (len > MAX_HEADER || buf.length < start) throw new Error('truncated recovery file');
  const { historyLength = 0, baseLength = 0, ...meta } = JSON.parse(buf.subarray(MAGIC.length + 4, start).toString('utf8')) as Header;
  if (typeof meta.name !== 'string') throw new Error('recovery file without a name');
  if (!Number.isSafeInteger(historyLength) || !Number.isSafeInteger(baseLength) || historyLength < 0 || baseLength < 0)
    throw new Error('recovery file with bad section lengths');
  return { meta, start, history: historyLength, base: baseLength };
}

/** A RecoveryStore in a directory, for one session. */
export function nodeRecoveryStore(dir: string): RecoveryStore & { dir: string; sessionKey: string } {
  const sessionKey = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fileOf = (docId: string) => {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(docId)) throw new Error(`bad document id ${docId}`);
    return join(dir, `${sessionKey}-${docId}.pdrec`);
  };
  const entryFile = (id: string) => {
    const m = NAME.exec(`${id}.pdrec`);
    if (!m || `${m[1]}-${m[2]}` === sessionKey) throw new Error(`no recoverable document ${id}`);
    return join(dir, `${id}.pdrec`);
  };
  let made = false;

  return {
    dir,
    sessionKey,
    async write(docId, meta, bytes, history) {
      if (!made) {
        await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
          throw new FileError(`the recovery folder ${dir} could not be made (${e.code ?? e.message})`, dir, e.code);
        });
        made = true;
      }
      // The base bytes go in a section of their own, not into the JSON (as base64).
      const base = history?.replay?.base ?? new Uint8Array(0);
      const withoutBase = history?.replay ? { ...history, replay: { ...history.replay, base: undefined } } : history;
      const historyJson = Buffer.from(withoutBase ? encodeTagged(withoutBase) : '', 'utf8');
      const header = Buffer.from(
        JSON.stringify({ ...meta, historyLength: historyJson.length, baseLength: base.length } satisfies Header),
        'utf8',
      );
      const len = Buffer.alloc(4);
      len.writeUInt32BE(header.length);
      await writeFileAtomic(fileOf(docId), [MAGIC, len, header, historyJson, base, ...(bytes instanceof Uint8Array ? [bytes] : bytes)], {
        mode: 0o600,
      });
    },
    async remove(docId) {
      await unlink(fileOf(docId)).catch(() => undefined);
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return [];
      }
      const out: RecoveryEntry[] = [];
      for (const n of names) {
        // Temp files of journal writes a crash cut short.
        if (n.startsWith('.') && n.endsWith('.tmp') && n.includes('.pdrec.')) {
          const st = await stat(join(dir, n)).catch(() => null);
          if (st && st.mtimeMs < PROCESS_START_MS) await unlink(join(dir, n)).catch(() => undefined);
          continue;
        }
        const m = NAME.exec(n);
        if (!m || `${m[1]}-${m[2]}` === sessionKey) continue;
        const pid = Number(m[1]);
        if (pid !== process.pid && isAlive(pid)) continue;
        try {
          const fh = await open(join(dir, n), 'r');
          try {
            const size = (await fh.stat()).size;
            const head = Buffer.alloc(Math.min(size, MAX_HEADER + MAGIC.length + 4));
            await fh.read(head, 0, head.length, 0);
            const { meta, start, history, base } = parseHeader(head);
            out.push({ id: n.slice(0, -'.pdrec'.length), meta, size: size - start - history - base });
          } finally {
            await fh.close();
          }
        } catch {
          // Unreadable or foreign: not offered.
        }
      }
      return out.sort((a, b) => b.meta.savedAt - a.meta.savedAt);
    },
    async read(id) {
      const buf = await readFile(entryFile(id));
      const { meta, start, history, base } = parseHeader(buf);
      const at = start + history + base;
      if (buf.length < at) throw new Error('truncated recovery file');
      const view = (from: number, to: number) => new Uint8Array(buf.buffer, buf.byteOffset + from, to - from);
      const bytes = view(at, buf.length);
      if (!history) return { meta, bytes };
      const h = decodeTagged<RecoveryHistory>(buf.subarray(start, start + history).toString('utf8'));
      if (h.replay) h.replay.base = view(start + history, at);
      return { meta, bytes, history: h };
    },
    async discard(id) {
      await unlink(entryFile(id)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
  };
}
