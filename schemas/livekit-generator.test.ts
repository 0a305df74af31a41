/**
 * The committed schemas/livekit files are exactly what scripts/make-livekit-schemas.ts writes:
 * always from the package metadata with our own files as the reference for services, reserved
 * numbers and options (a fixed point), and, where the upstream copies are at hand, from them too.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLivekitSchemas } from '../scripts/make-livekit-schemas';
import { LIVEKIT_DIR, UPSTREAM_PROTOS_DIR, listProtoFiles } from './schema-files';

const UPSTREAM = join(UPSTREAM_PROTOS_DIR, 'livekit');

async function expectReproduced(referenceDir: string): Promise<void> {
  const files = await generateLivekitSchemas(referenceDir);
  expect([...files.keys()].sort()).toEqual(listProtoFiles(LIVEKIT_DIR));
  for (const [name, text] of files) expect(readFileSync(join(LIVEKIT_DIR, name), 'utf8'), name).toBe(text);
}

describe('scripts/make-livekit-schemas.ts', () => {
  it('reproduces the committed files from @livekit/protocol with them as the reference (every message and enum as the package has it)', async () => {
    await expectReproduced(LIVEKIT_DIR);
  });

  it('reproduces the committed files from the upstream copies', async (ctx) => {
    if (!existsSync(UPSTREAM)) {
      const why = `upstream LiveKit .proto copies not found at ${UPSTREAM} (set PROTODESK_UPSTREAM_PROTOS); the fixed-point check above still ran`;
      console.log(`skipped: ${why}`);
      ctx.skip(why);
    }
    await expectReproduced(UPSTREAM);
  });
});
