import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanStaleTempFiles, writeFileAtomic } from './atomic-file';

const CHILD = join(import.meta.dirname, '../../testing/atomic-save-child.ts');
// Node itself runs the child (with tsx as a loader), so the SIGKILL reaches the process that writes.
const ROOT = join(import.meta.dirname, '..', '..');
const run = (target: string, kib: string, options: { uid?: number; gid?: number; pause?: string } = {}) =>
  spawn(process.execPath, ['--import', 'tsx', CHILD, target, kib, options.pause ?? '40'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-atomic-'));
    const p = join(dir, 'm.bin');
    writeFileSync(p, 'old');
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['m.bin']);
  });

  it('writes bytes given as parts in order, without joining them first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-atomic-'));
    const p = join(dir, 'm.bin');
    const source = new Uint8Array([10, 11, 12, 13, 14]);
    // Views of a source around a re-encoded middle, and an empty part, as an encode returns them.
    const offsets: number[] = [];
    await writeFileAtomic(p, [source.subarray(0, 2), new Uint8Array([99]), new Uint8Array(0), source.subarray(3)], {
      beforeChunk: (n) => void offsets.push(n),
    });
    expect([...readFileSync(p)]).toEqual([10, 11, 99, 13, 14]);
    expect(offsets).toEqual([0, 2, 3]);
    expect(readdirSync(dir)).toEqual(['m.bin']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(tmpdir(), 'no-such-dir-pd', 'x.bin'), new Uint8Array(1))).rejects.toThrow();
  });

  it.skipIf(process.platform === 'win32')('keeps the mode of the file it replaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-atomic-'));
    const p = join(dir, 'private.bin');
    writeFileSync(p, 'old');
    chmodSync(p, 0o600);
    await writeFileAtomic(p, new Uint8Array([7]));
    expect(statSync(p).mode & 0o777).toBe(0o600);
    const q = join(dir, 'shared.bin');
    writeFileSync(q, 'old');
    chmodSync(q, 0o664);
    await writeFileAtomic(q, new Uint8Array([8]));
    expect(statSync(q).mode & 0o777).toBe(0o664);
  });

  it('removes temp files a crashed save left, but not fresh ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-atomic-'));
    const p = join(dir, 'm.bin');
    writeFileSync(p, 'old');
    const stale = join(dir, '.m.bin.0123456789ab.tmp');
    const fresh = join(dir, '.m.bin.ba9876543210.tmp');
    const other = join(dir, '.other.bin.0123456789ab.tmp');
    for (const f of [stale, fresh, other]) writeFileSync(f, 'partial');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    utimesSync(other, old, old);
    expect(await cleanStaleTempFiles(p, Date.now() - 60_000)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['.m.bin.ba9876543210.tmp', '.other.bin.0123456789ab.tmp', 'm.bin']);
  });

  it.skipIf(process.platform === 'win32')(
    'a save killed with SIGKILL midway leaves the old file intact',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pd-atomic-kill-'));
      const target = join(dir, 'big.bin');
      const old = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
      writeFileSync(target, old);
      const child = run(target, String(200 * 1024));
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)));
      // Wait until the temp file exists and is growing, but not complete.
      let seen = 0;
      const deadline = Date.now() + 25_000;
      for (;;) {
        const tmp = readdirSync(dir).find((n) => n.startsWith('.big.bin.') && n.endsWith('.tmp'));
        const size = tmp ? statSync(join(dir, tmp)).size : 0;
        if (size > 0 && seen > 0 && size > seen) break;
        if (size > 0) seen = size;
        if (Date.now() > deadline) throw new Error(`the child never started writing: ${out}`);
        await sleep(5);
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(out).not.toContain('saved');
      // The target is byte-identical to the old content; only a partial temp file remains.
      expect(new Uint8Array(readFileSync(target))).toEqual(old);
      const left = readdirSync(dir).filter((n) => n !== 'big.bin');
      expect(left).toHaveLength(1);
      expect(statSync(join(dir, left[0])).size).toBeLessThan(200 * 1024 * 1024);
      // The next save (by a process started after the crash) removes the stale temp file.
      const next = run(target, '1024');
      expect(await new Promise<number | null>((ok) => next.on('exit', (code) => ok(code)))).toBe(0);
      expect(readdirSync(dir)).toEqual(['big.bin']);
      expect(statSync(target).size).toBe(1024 * 1024);
    },
    60_000,
  );
});
