import { describe, expect, it } from 'vitest';
import type { OpenDocument } from './document-state';
import { hashLater, knowDisk, knownHash } from './file-stamps';

describe('hashLater', () => {
  it('hashes only once started, once however often it is started, and settles with the hash', async () => {
    const calls: Uint8Array[] = [];
    const bytes = new Uint8Array([1, 2, 3]);
    const later = hashLater(async (b) => {
      calls.push(b);
      return 'abc';
    }, bytes);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]);
    later.start();
    later.start();
    expect(await later.result).toBe('abc');
    expect(calls).toEqual([bytes]);
  });

  it('stops: never begins when stopped first, and tells a hash under way that it is no longer needed', async () => {
    let calls = 0;
    const never = hashLater(async () => {
      calls++;
      return 'abc';
    }, new Uint8Array(1));
    never.stop();
    never.start();
    expect(await never.result).toBeNull();
    expect(calls).toBe(0);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = hashLater(async (_b, options) => {
      await gate;
      if (options.stopped()) throw new Error('stopped');
      return 'abc';
    }, new Uint8Array(1));
    running.start();
    await Promise.resolve();
    running.stop();
    expect(await running.result).toBeNull(); // at once, not when the hash under way next looks
    release();
  });

  it('settles with null when hashing fails, so a save compares against an unknown hash instead of hanging', async () => {
    const later = hashLater(async () => {
      throw new Error('read error');
    }, new Uint8Array(1));
    later.start();
    expect(await later.result).toBeNull();
  });

  it('begins when the hash is asked for (knownHash), and is stopped once the disk holds other bytes (knowDisk)', async () => {
    const calls: Uint8Array[] = [];
    const hash = (b: Uint8Array) => (calls.push(b), Promise.resolve(`h${b.length}`));
    const d = { disk: null, diskHash: null } as unknown as OpenDocument;
    const opened = hashLater(hash, new Uint8Array(3));
    knowDisk(d, { size: 3, mtimeMs: 1 }, opened.result);
    d.needHash = opened.start;
    d.stopHash = opened.stop;
    expect(await knownHash(d)).toBe('h3');
    const put = hashLater(hash, new Uint8Array(5));
    d.needHash = put.start;
    d.stopHash = put.stop;
    knowDisk(d, { size: 7, mtimeMs: 2 }, 'saved'); // saved or reloaded before that hash began: it never does
    expect(await knownHash(d)).toBe('saved');
    expect(await put.result).toBeNull();
    expect(calls.map((b) => b.length)).toEqual([3]);
  });
});
