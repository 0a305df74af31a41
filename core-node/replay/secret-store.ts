/**
 * Where API secrets live. The Electron host uses safeStorage (app/main/safe-storage-secrets.ts);
 * other hosts (browser mode, tests) keep them in memory for the session only. Secrets are never
 * written to plain files or logs, and never returned over the process contract.
 */

/** A store of named secrets. */
export interface SecretStore {
  /** True when secrets survive a restart (encrypted on disk). */
  readonly persistent: boolean;
  /** When not persistent: why, in a sentence the UI can show. */
  readonly note?: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
  names(): Promise<string[]>;
}

/** A SecretStore that keeps secrets in memory only (lost on exit). */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  readonly note = 'Secrets are kept in memory only here and forgotten when Protodesk stops.';
  private readonly map = new Map<string, string>();

  /** The stored secret, if any. */
  async get(name: string): Promise<string | undefined> {
    return this.map.get(name);
  }

  /** Stores a secret. */
  async set(name: string, value: string): Promise<void> {
    this.map.set(name, value);
  }

  /** Forgets a secret. */
  async delete(name: string): Promise<boolean> {
    return this.map.delete(name);
  }

  /** Names of the stored secrets. */
  async names(): Promise<string[]> {
    return [...this.map.keys()].sort();
  }
}
