import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotRegularFileError, readRegularFile, readRegularFileSync } from './regular-file';

const canFifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'protodesk-regular-'));
  writeFileSync(join(dir, 'a.bin'), Uint8Array.from([1, 2, 3]));
  mkdirSync(join(dir, 'folder'));
  if (canFifo) spawnSync('mkfifo', [join(dir, 'pipe')]);
  symlinkSync(join(dir, 'a.bin'), join(dir, 'link.bin'));
});

describe('readRegularFile', () => {
  it('reads a regular file, also through a symbolic link', async () => {
    expect([...(await readRegularFile(join(dir, 'a.bin')))]).toEqual([1, 2, 3]);
    expect([...(await readRegularFile(join(dir, 'link.bin')))]).toEqual([1, 2, 3]);
    expect([...readRegularFileSync(join(dir, 'link.bin'))]).toEqual([1, 2, 3]);
  });

  it('refuses a directory, saying what it is', async () => {
    await expect(readRegularFile(join(dir, 'folder'))).rejects.toThrow(`${join(dir, 'folder')}: is a directory, not a regular file`);
    expect(() => readRegularFileSync(join(dir, 'folder'))).toThrow(NotRegularFileError);
  });

  it.skipIf(!canFifo)('refuses a FIFO without waiting for a writer (open would block the thread for good)', async () => {
    await expect(readRegularFile(join(dir, 'pipe'))).rejects.toThrow('is a named pipe (FIFO), not a regular file');
    expect(() => readRegularFileSync(join(dir, 'pipe'))).toThrow('is a named pipe (FIFO)');
  });

  it.skipIf(!existsSync('/dev/zero'))('refuses a device that never ends', async () => {
    await expect(readRegularFile('/dev/zero')).rejects.toMatchObject({ code: 'ENOTREGULAR', kind: 'a character device' });
  });

  it('passes other errors on (a missing file keeps ENOENT)', async () => {
    await expect(readRegularFile(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
