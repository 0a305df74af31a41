import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { writeError } from './file-errors';

const posix = process.platform !== 'win32';
const root = posix && process.getuid?.() === 0;
const dirOf = () => mkdtempSync(join(tmpdir(), 'pd-inplace-'));
const bytes = (...b: number[]) => new Uint8Array(b);

const CHILD = join(import.meta.dirname, '../../testing/atomic-save-child.ts');
const ROOT = join(import.meta.dirname, '..', '..');
/** Saves `kib` KiB of 0x5a to `target` in a child process running as another user; resolves with what it printed. */
function saveAs(uid: number, target: string, kib: string, confirm = ''): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, kib, '0', confirm], {
    cwd: ROOT,
    uid,
    gid: uid,
    env: { ...process.env, HOME: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((ok) => child.on('exit', (code) => ok({ code, out })));
}

describe.skipIf(!posix)('saving in place keeps what the file is', () => {
  it('writes through a symbolic link to its target: the link stays a link (it was replaced by a regular file)', async () => {
    const dir = dirOf();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'm.bin');
    writeFileSync(target, 'old');
    symlinkSync('real/m.bin', join(dir, 'link.bin')); // relative link
    symlinkSync(join(dir, 'link.bin'), join(dir, 'link2.bin')); // a link to the link
    const r = await writeFileAtomic(join(dir, 'link2.bin'), bytes(1, 2, 3));
    expect(r.file).toBe(target);
    expect(lstatSync(join(dir, 'link.bin')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'link2.bin')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.bin'))).toBe('real/m.bin');
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    // A dangling link: its target is created.
    symlinkSync('made.bin', join(dir, 'dangling.bin'));
    await writeFileAtomic(join(dir, 'dangling.bin'), bytes(9));
    expect(lstatSync(join(dir, 'dangling.bin')).isSymbolicLink()).toBe(true);
    expect([...readFileSync(join(dir, 'made.bin'))]).toEqual([9]);
  });

  it('keeps hard links: every name sees the saved bytes, the inode stays, no backup is left (a rename broke the link)', async () => {
    const dir = dirOf();
    const a = join(dir, 'a.bin');
    writeFileSync(a, 'the old content, longer than the new one');
    linkSync(a, join(dir, 'b.bin'));
    const ino = statSync(a).ino;
    const r = await writeFileAtomic(a, [bytes(1, 2), bytes(3)]);
    expect(r.how).toBe('in-place');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect(statSync(a)).toMatchObject({ ino, nlink: 2, size: 3 });
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'b.bin']);
  });

  it('refuses to overwrite a read-only file unless the user agreed, and keeps it read-only', async () => {
    const dir = dirOf();
    const p = join(dir, 'ro.bin');
    writeFileSync(p, 'old');
    chmodSync(p, 0o444);
    const refused = await writeFileAtomic(p, bytes(1)).catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'ReadOnlyFileError' });
    expect((refused as Error).message).toBe(
      `${p} is read-only: it was not overwritten. Save again and confirm to overwrite it, or use Save As.`,
    );
    expect(readFileSync(p, 'utf8')).toBe('old');
    await writeFileAtomic(p, bytes(1), { overwriteReadOnly: true });
    expect([...readFileSync(p)]).toEqual([1]);
    expect(statSync(p).mode & 0o777).toBe(0o444);
  });

  it('refuses to replace an existing file for a Save As the user has not agreed to', async () => {
    const dir = dirOf();
    const p = join(dir, 'there.bin');
    writeFileSync(p, 'old');
    await expect(writeFileAtomic(p, bytes(1), { refuseExisting: true })).rejects.toMatchObject({ name: 'FileExistsError' });
    expect(readFileSync(p, 'utf8')).toBe('old');
    await writeFileAtomic(join(dir, 'new.bin'), bytes(2), { refuseExisting: true });
    expect([...readFileSync(join(dir, 'new.bin'))]).toEqual([2]);
  });

  it.skipIf(!root)('keeps the owner and group of a file it replaces (it became the saving user)', async () => {
    const dir = dirOf();
    const p = join(dir, 'theirs.bin');
    writeFileSync(p, 'old');
    chownSync(p, 1234, 2345);
    const r = await writeFileAtomic(p, bytes(5));
    expect(r).toMatchObject({ how: 'replaced', warnings: [] });
    expect(statSync(p)).toMatchObject({ uid: 1234, gid: 2345 });
  });

  it.skipIf(!root)(
    'a user who may not give files away writes a shared file in place, so its owner stays; a read-only one it overwrites says the owner changed',
    async () => {
      const dir = dirOf();
      chmodSync(dir, 0o777);
      const shared = join(dir, 'shared.bin');
      writeFileSync(shared, 'old');
      chmodSync(shared, 0o666);
      chownSync(shared, 1234, 1234);
      const ino = statSync(shared).ino;
      const r = await saveAs(65534, shared, '1');
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('"how":"in-place"');
      expect(statSync(shared)).toMatchObject({ uid: 1234, gid: 1234, ino, size: 1024 });
      expect(readdirSync(dir)).toEqual(['shared.bin']);
      const ro = join(dir, 'ro.bin');
      writeFileSync(ro, 'old');
      chmodSync(ro, 0o444);
      chownSync(ro, 1234, 1234);
      const refused = await saveAs(65534, ro, '1');
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain(`${ro} is read-only: it was not overwritten.`);
      const agreed = await saveAs(65534, ro, '1', 'overwrite-read-only');
      expect(agreed.code, agreed.out).toBe(0);
      expect(agreed.out).toContain(`${ro} is now owned by you (user 65534, group 65534), no longer by user 1234, group 1234`);
      expect(statSync(ro)).toMatchObject({ uid: 65534, size: 1024 });
      expect(statSync(ro).mode & 0o777).toBe(0o444);
    },
    30_000,
  );

  it('says what failed, which file and what to do, never the temp file or errno text', async () => {
    const dir = dirOf();
    const missing = join(dir, 'no-such-folder', 'x.bin');
    const e1 = (await writeFileAtomic(missing, bytes(1)).catch((e: Error) => e)) as Error;
    expect(e1.message).toBe(
      `Could not save ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist. Choose an existing folder with Save As.`,
    );
    mkdirSync(join(dir, 'folder.bin'));
    const e2 = (await writeFileAtomic(join(dir, 'folder.bin'), bytes(1)).catch((e: Error) => e)) as Error;
    expect(e2.message).toBe(`Could not save ${join(dir, 'folder.bin')}: it is a folder. Give the name of a file.`);
    const p = join(dir, 'p.bin');
    for (const [code, says] of [
      ['EACCES', 'permission was denied. Check that you may write to the folder'],
      ['EROFS', 'its file system is read-only. Save it elsewhere with Save As.'],
      ['ENOSPC', 'the disk is full. Free some space and save again; your changes are still open here.'],
      ['EXDEV', 'the file and its temporary copy are on different file systems'],
    ] as const) {
      const raw = Object.assign(new Error(`${code}: oops, open '${join(dir, '.p.bin.0123456789ab.tmp')}'`), { code });
      const e = writeError(raw, p);
      expect(e.message).toContain(`Could not save ${p}: ${says}`);
      expect(e.message).not.toMatch(/\.tmp|oops/);
      expect(e).toMatchObject({ code, path: p });
    }
  });
});
