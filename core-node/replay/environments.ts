/**
 * Replay environments: named sets of variables (`{{host}}`, `{{apiKey}}`) a send's URL, headers,
 * JSON body and credentials refer to, stored per user beside the history (environments.json,
 * readable by the user only, replaced atomically). Secret variables never touch that file: their
 * values go to the SecretStore (safeStorage in Electron) under "env/<environment>/<variable>", and
 * only their names are listed. Substitution happens in the host; the page never gets a secret back.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../core/api/api-error';
import type { SecretStore } from './secret-store';

/** An environment as listed: its plain variables, and the names of its secret ones. */
export interface ReplayEnvironment {
  name: string;
  variables: Record<string, string>;
  secretVariables: string[];
}

interface StoredEnvironments {
  environments: { name: string; variables: Record<string, string>; secretVariables: string[] }[];
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]{1,64})\s*\}\}/g;

function secretName(environment: string, variable: string): string {
  return `env/${environment}/${variable}`;
}

function checkName(what: string, name: string): void {
  if (!NAME.test(name)) throw new ApiError('invalid-input', `${what} "${name}" must be 1 to 64 letters, digits, "_", "." or "-"`);
}

/** Environments kept in a directory, their secrets in a SecretStore. */
export class EnvironmentStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = join(dir, 'environments.json');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async read(): Promise<StoredEnvironments> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return { environments: [] };
    }
    try {
      const parsed = JSON.parse(text) as StoredEnvironments;
      return Array.isArray(parsed.environments) ? parsed : { environments: [] };
    } catch {
      throw new ApiError('failed', `${this.file} is not JSON: fix or remove it (nothing was changed)`);
    }
  }

  private async write(data: StoredEnvironments): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }

  /** Every environment, by name. */
  list(): Promise<ReplayEnvironment[]> {
    return this.serial(async () => (await this.read()).environments.map((e) => ({ ...e, variables: { ...e.variables } })));
  }

  /**
   * Creates or replaces an environment: its plain variables, and secret ones (stored in the
   * SecretStore; a secret variable given an empty value keeps its stored value, one left out is removed).
   */
  save(name: string, variables: Record<string, string>, secrets: Record<string, string> = {}): Promise<void> {
    checkName('environment', name);
    for (const k of [...Object.keys(variables), ...Object.keys(secrets)]) checkName('variable', k);
    return this.serial(async () => {
      const data = await this.read();
      const before = data.environments.find((e) => e.name === name);
      for (const [k, v] of Object.entries(secrets)) if (v !== '') await this.secrets.set(secretName(name, k), v);
      for (const old of before?.secretVariables ?? []) if (!Object.hasOwn(secrets, old)) await this.secrets.delete(secretName(name, old));
      const entry = { name, variables: { ...variables }, secretVariables: Object.keys(secrets).sort() };
      data.environments = [...data.environments.filter((e) => e.name !== name), entry].sort((a, b) => a.name.localeCompare(b.name));
      await this.write(data);
    });
  }

  /** Removes an environment and its secrets. */
  delete(name: string): Promise<boolean> {
    return this.serial(async () => {
      const data = await this.read();
      const found = data.environments.find((e) => e.name === name);
      if (!found) return false;
      for (const k of found.secretVariables) await this.secrets.delete(secretName(name, k));
      data.environments = data.environments.filter((e) => e.name !== name);
      await this.write(data);
      return true;
    });
  }

  /** A function hiding the environment's secret values in text (each becomes "<secret>"), for what is shown or kept. */
  async masker(name: string): Promise<(text: string) => string> {
    const env = (await this.list()).find((e) => e.name === name);
    const values: string[] = [];
    for (const k of env?.secretVariables ?? []) {
      const v = await this.secrets.get(secretName(name, k));
      if (v) values.push(v);
    }
    // Longest first, so a secret holding another is hidden whole.
    values.sort((a, b) => b.length - a.length);
    return (text) => values.reduce((t, v) => t.split(v).join('<secret>'), text);
  }

  /** A function replacing `{{variable}}` in text with the environment's values (secrets included); unknown names are invalid input. */
  async substitution(name: string): Promise<(text: string) => string> {
    const env = (await this.list()).find((e) => e.name === name);
    if (!env) throw new ApiError('not-found', `no environment named "${name}"`);
    const values = new Map(Object.entries(env.variables));
    for (const k of env.secretVariables) {
      const v = await this.secrets.get(secretName(name, k));
      if (v !== undefined) values.set(k, v);
    }
    return (text) =>
      text.replace(VARIABLE, (_m, v: string) => {
        const value = values.get(v);
        if (value === undefined) throw new ApiError('invalid-input', `{{${v}}} is not set in environment "${name}"`);
        return value;
      });
  }
}
