import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let available = true;
let backend = 'gnome_libsecret';
vi.mock('electron', () => ({
  app: { getPath: () => tmpdir() },
  safeStorage: {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
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

  it.runIf(process.platform === 'linux')(
    "treats Linux's basic_text backend (no keyring: a hard-coded key) as unable to encrypt: memory only, and says so",
    async () => {
      const file = join(dir, 'basic.json');
      // What an earlier version stored with basic_text: not read back as a secret any more.
      const before = new SafeStorageSecretStore(file);
      await before.set('old', 'old-value');
      backend = 'basic_text';
      const s = new SafeStorageSecretStore(file);
      expect(s.persistent).toBe(false);
      expect(s.note).toMatch(/No OS keyring was found .* kept in memory only/);
      await s.set('k', 'typed-now');
      expect(await s.get('k')).toBe('typed-now');
      expect(readFileSync(file, 'utf8')).not.toContain('"k"');
      expect(await s.names()).toEqual(['k']);
      expect(await s.get('old')).toBeUndefined();
      backend = 'gnome_libsecret';
      expect(new SafeStorageSecretStore(file).note).toBeUndefined();
    },
  );
});
