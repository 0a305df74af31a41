/**
 * The history of sent requests, on disk as JSON lines (history.jsonl in the given directory),
 * newest last, capped at `maxEntries`. Entries hold no secrets: authorization headers are
 * redacted and LiveKit tokens are never stored.
 */
import { mkdir, readFile, writeFile, appendFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayHistoryEntry } from '../../core/api/replay-contract';

interface StoredEntry extends Omit<ReplayHistoryEntry, 'requestBytes' | 'responseBytes'> {
  request: string;
  response?: string;
}

function toStored(e: ReplayHistoryEntry): StoredEntry {
  const { requestBytes, responseBytes, ...rest } = e;
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
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(fromStored(JSON.parse(line) as StoredEntry));
      } catch {
        // a torn line (crash mid-append) is skipped
      }
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
