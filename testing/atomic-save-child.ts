/**
 * A child process for core-node/workbench/atomic-file.test.ts: saves a large buffer with writeFileAtomic, slowly
 * (a pause before each chunk), so the test can SIGKILL it midway. Args: target path, size in MiB.
 */
import { writeFileAtomic } from '../core-node/workbench/atomic-file';

const [target, mib] = process.argv.slice(2);
const bytes = new Uint8Array(Number(mib) * 1024 * 1024).fill(0x5a);
await writeFileAtomic(target, bytes, { beforeChunk: () => new Promise((ok) => setTimeout(ok, 40)) });
process.stdout.write('saved\n');
