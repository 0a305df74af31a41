/**
 * A child process for core-node/workbench/atomic-file.test.ts: saves a buffer of 0x5a bytes with writeFileAtomic,
 * slowly (a pause before each chunk), so the test can SIGKILL it midway, or as another user.
 * Args: target path, size in KiB, pause per chunk in ms (default 40), and `overwrite-read-only` to
 * overwrite a read-only file. Prints what the save did.
 */
import { writeFileAtomic } from '../core-node/workbench/atomic-file';

const [target, kib, pause = '40', confirm] = process.argv.slice(2);
const bytes = new Uint8Array(Math.round(Number(kib) * 1024)).fill(0x5a);
const r = await writeFileAtomic(target, bytes, {
  beforeChunk: () => new Promise((ok) => setTimeout(ok, Number(pause))),
  overwriteReadOnly: confirm === 'overwrite-read-only',
});
process.stdout.write(`saved ${JSON.stringify({ how: r.how, warnings: r.warnings })}\n`);
