import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let available = true;
vi.mock('electron', () => ({
  app: { getPath: () => tmpdir() },
  safeStorage: {
    isEncryptionAvailable: () => available,
    // A stand-in cipher: reversible, and never the plain text.
    encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  },
}));

const { SafeStorageSecretStore } = await import('./safe-storage-secrets');
const dir = mkdtempSync(join(tmpdir(), 'protodesk-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SafeStorageSecretStore', () => {
  it('writes only ciphertext, reads it back in a new instance, deletes', async () => {
    const file = join(dir, 's.json');
    const a = new SafeStorageSecretStore(file);
    expect(a.persistent).toBe(true);
    await a.set('prod', 'very-secret-value');
    expect(readFileSync(file, 'utf8')).not.toContain('very-secret-value');
    const b = new SafeStorageSecretStore(file);
    expect(await b.names()).toEqual(['prod']);
    expect(await b.get('prod')).toBe('very-secret-value');
    expect(await b.delete('prod')).toBe(true);
    expect(await new SafeStorageSecretStore(file).names()).toEqual([]);
  });

  it('keeps secrets in memory only when safeStorage cannot encrypt', async () => {
    available = false;
    const file = join(dir, 'none.json');
    const s = new SafeStorageSecretStore(file);
    expect(s.persistent).toBe(false);
    await s.set('k', 'v');
    expect(await s.get('k')).toBe('v');
    expect(() => readFileSync(file)).toThrow();
    available = true;
  });
});
