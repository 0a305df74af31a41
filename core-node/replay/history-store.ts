/**
 * The history of sent requests, on disk as JSON lines (history.jsonl in the given directory),
 * newest last, capped at `maxEntries`. Entries hold no secrets, whoever adds them: every entry
 * is redacted on the way in (credential headers, URL credentials and secret query parameters:
 * redact.ts), and LiveKit tokens and secrets are never stored. Entries an older version wrote
 * with secrets are redacted when read and the file is rewritten without them once.
 */
import { mkdir, readFile, writeFile, appendFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayHistoryEntry } from '../../core/api/replay-contract';
import { redactHeaders, redactUrl } from './redact';

interface StoredEntry extends Omit<ReplayHistoryEntry, 'requestBytes' | 'responseBytes'> {
  request: string;
  response?: string;
}

/** An entry without secrets in its headers or URL. */
function redacted<T extends { url: string; headers: [string, string][] }>(e: T): T {
  return { ...e, url: redactUrl(e.url), headers: redactHeaders(e.headers ?? []) };
}

function toStored(e: ReplayHistoryEntry): StoredEntry {
  const { requestBytes, responseBytes, ...rest } = redacted(e);
  return {
    ...rest,
    request: Buffer.from(requestBytes).toString('base64'),
    ...(responseBytes ? { response: Buffer.from(responseBytes).toString('base64') } : {}),
  };
}

function fromStored(s: StoredEntry): ReplayHistoryEntry {
  const { request, response, ...rest } = s;
  return {
    ...rest,
    requestBytes: new Uint8Array(Buffer.from(request, 'base64')),
    ...(response !== undefined ? { responseBytes: new Uint8Array(Buffer.from(response, 'base64')) } : {}),
  };
}

/** History kept in a directory. */
export class HistoryStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Whether the file was checked for secrets an older version stored (and rewritten without them). */
  private scrubbed = false;

  constructor(
    readonly dir: string,
    readonly maxEntries = 500,
  ) {
    this.file = join(dir, 'history.jsonl');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async readAll(): Promise<ReplayHistoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: ReplayHistoryEntry[] = [];
    let secretsFound = false;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const stored = JSON.parse(line) as StoredEntry;
        const clean = redacted(stored);
        if (!this.scrubbed && JSON.stringify(clean) !== JSON.stringify(stored)) secretsFound = true;
        out.push(fromStored(clean));
      } catch {
        // a torn line (crash mid-append) is skipped
      }
    }
    if (!this.scrubbed) {
      this.scrubbed = true;
      if (secretsFound) await this.writeAll(out);
    }
    return out;
  }

  /** Appends an entry (rewrites the file, atomically, when it grows past twice the cap). */
  add(entry: ReplayHistoryEntry): Promise<void> {
    return this.serial(async () => {
      await mkdir(this.dir, { recursive: true });
      await appendFile(this.file, `${JSON.stringify(toStored(entry))}\n`, { mode: 0o600 });
      const all = await this.readAll();
      if (all.length > this.maxEntries * 2) await this.writeAll(all.slice(-this.maxEntries));
    });
  }

  private async writeAll(entries: ReplayHistoryEntry[]): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, entries.map((e) => `${JSON.stringify(toStored(e))}\n`).join(''), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  /** Newest first, at most `limit` (default the cap). */
  list(limit = this.maxEntries): Promise<ReplayHistoryEntry[]> {
    return this.serial(async () => (await this.readAll()).slice(-limit).reverse());
  }

  /** Removes every entry; returns how many there were. */
  clear(): Promise<number> {
    return this.serial(async () => {
      const n = (await this.readAll()).length;
      await mkdir(this.dir, { recursive: true });
      await this.writeAll([]);
      return n;
    });
  }
}
