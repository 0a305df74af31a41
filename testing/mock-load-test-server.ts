/**
 * The mock for the load test, in its own process (started by mock-load-test.ts with
 * `node --expose-gc --import tsx`), so its heap can be measured after a full gc. Talks over IPC:
 * sends { type: 'ready', httpUrl, grpcUrl, maxRequestBytes }; answers { type: 'memory' } with
 * { type: 'memory', heapUsed, rss } after gc, and { type: 'close' } by stopping.
 */
import { startMockServer } from '../core-node/mock/mock-server';
import { testRoot } from './mock-schemas';

/** IPC messages from the load test to this process. */
export type LoadServerCommand = { type: 'memory' } | { type: 'close' };

/** IPC messages from this process to the load test. */
export type LoadServerMessage =
  | { type: 'ready'; httpUrl: string; grpcUrl: string; maxRequestBytes: number }
  | { type: 'memory'; heapUsed: number; rss: number; gc: boolean };

async function fullGc(): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('mock-load-test-server.ts runs as a child of mock-load-test.ts (IPC channel needed)');
  const maxRequestBytes = Number(process.env.PROTODESK_LOAD_MAX_REQUEST_BYTES ?? 16 * 1024);
  const mock = await startMockServer({
    root: await testRoot(),
    port: 0,
    maxRequestBytes,
    fixture: { livekit: { rooms: [{ name: 'load', participants: [{ identity: 'p' }] }] } },
  });
  const send = (m: LoadServerMessage): void => {
    process.send?.(m);
  };
  process.on('message', (m: LoadServerCommand) => {
    if (m.type === 'memory') {
      void fullGc().then((gc) => {
        const mem = process.memoryUsage();
        send({ type: 'memory', heapUsed: mem.heapUsed, rss: mem.rss, gc });
      });
    } else if (m.type === 'close') {
      void mock.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => {
    void mock.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', httpUrl: mock.httpUrl, grpcUrl: mock.grpcUrl, maxRequestBytes });
}

main().catch((e: unknown) => {
  process.stderr.write(`mock-load-test-server: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
