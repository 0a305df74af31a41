/**
 * SecretStore on Electron's safeStorage: each secret is encrypted with the OS keychain-backed
 * key (DPAPI, Keychain, libsecret, KWallet) and only the ciphertext is written (base64, in a
 * 0600 JSON file under userData). When safeStorage cannot encrypt, secrets stay in memory for
 * the session and nothing is written: never a plain file. On Linux without a keyring,
 * safeStorage "encrypts" with its basic_text backend, whose key is hard-coded in Chromium: that
 * is a plain file in disguise, so it counts as unable to encrypt.
 */
import { app, safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../../core-node/replay/secret-store';

/** A SecretStore backed by safeStorage. */
export class SafeStorageSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();
  private loaded = false;
  private cipher: Record<string, string> = {};

  /** `file` defaults to <userData>/replay-secrets.json. */
  constructor(private readonly file: string = join(app.getPath('userData'), 'replay-secrets.json')) {}

  /** True when secrets are encrypted on disk with a key the OS keeps (not basic_text's hard-coded one). */
  get persistent(): boolean {
    return safeStorage.isEncryptionAvailable() && !hardCodedKey();
  }

  /** Why secrets are kept in memory only, for the UI to say; undefined when they are encrypted on disk. */
  get note(): string | undefined {
    if (this.persistent) return undefined;
    return hardCodedKey()
      ? 'No OS keyring was found (Electron would encrypt with a key anyone can read), so secrets are kept in memory only and forgotten when Protodesk quits.'
      : 'This system offers no encryption for stored secrets, so they are kept in memory only and forgotten when Protodesk quits.';
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      this.cipher = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      this.cipher = {};
    }
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(this.cipher), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  /** The secret, decrypted. */
  async get(name: string): Promise<string | undefined> {
    if (this.memory.has(name)) return this.memory.get(name);
    await this.load();
    const c = this.cipher[name];
    if (c === undefined || !this.persistent) return undefined;
    return safeStorage.decryptString(Buffer.from(c, 'base64'));
  }

  /** Stores a secret: encrypted on disk when possible, else in memory only. */
  async set(name: string, value: string): Promise<void> {
    if (!this.persistent) {
      this.memory.set(name, value);
      return;
    }
    await this.load();
    this.cipher[name] = safeStorage.encryptString(value).toString('base64');
    await this.save();
  }

  /** Forgets a secret. */
  async delete(name: string): Promise<boolean> {
    await this.load();
    const had = this.memory.delete(name) || name in this.cipher;
    if (name in this.cipher) {
      delete this.cipher[name];
      await this.save();
    }
    return had;
  }

  /** Names of the stored secrets (those on disk only while they can be decrypted). */
  async names(): Promise<string[]> {
    await this.load();
    const onDisk = this.persistent ? Object.keys(this.cipher) : [];
    return [...new Set([...onDisk, ...this.memory.keys()])].sort();
  }
}

/** True on Linux when safeStorage's backend is basic_text: no keyring, a key hard-coded in Chromium. */
function hardCodedKey(): boolean {
  if (process.platform !== 'linux') return false;
  const backend = (safeStorage as { getSelectedStorageBackend?: () => string }).getSelectedStorageBackend?.();
  return backend === 'basic_text';
}
