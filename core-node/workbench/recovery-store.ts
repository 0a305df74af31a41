/**
 * The crash-recovery journal on disk: one file per unsaved document in the recovery directory
 * (default ~/.config/protodesk/recovery/), written atomically, named after the session that
 * wrote it (`<pid>-<random>-<docId>.pdrec`). Entries of sessions whose process is gone are
 * offered back at the next start; a live process's entries are left alone.
 *
 * File layout: `PDREC1\n`, a 4-byte big-endian header length, the JSON header (RecoveryMeta),
 * then the document's file bytes.
 */
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RecoveryEntry, RecoveryMeta, RecoveryStore } from '../../core/workbench/engine';
import { PROCESS_START_MS, writeFileAtomic } from './atomic-file';

const MAGIC = Buffer.from('PDREC1\n', 'latin1');
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

function parseHeader(buf: Buffer): { meta: RecoveryMeta; start: number } {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a Protodesk recovery file');
  const len = buf.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4 + len;
  if (len > MAX_HEADER || buf.length < start) throw new Error('truncated recovery file');
  const meta = JSON.parse(buf.subarray(MAGIC.length + 4, start).toString('utf8')) as RecoveryMeta;
  if (typeof meta.name !== 'string') throw new Error('recovery file without a name');
  return { meta, start };
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
    async write(docId, meta, bytes) {
      if (!made) {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        made = true;
      }
      const header = Buffer.from(JSON.stringify(meta), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(header.length);
      await writeFileAtomic(fileOf(docId), Buffer.concat([MAGIC, len, header, bytes]), { mode: 0o600 });
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
            const { meta, start } = parseHeader(head);
            out.push({ id: n.slice(0, -'.pdrec'.length), meta, size: size - start });
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
      const { meta, start } = parseHeader(buf);
      return { meta, bytes: new Uint8Array(buf.buffer, buf.byteOffset + start, buf.length - start) };
    },
    async discard(id) {
      await unlink(entryFile(id)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
  };
}
