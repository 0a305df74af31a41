/** The committed schemas/livekit files are exactly what scripts/make-livekit-schemas.ts writes. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLivekitSchemas } from '../scripts/make-livekit-schemas';
import { LIVEKIT_DIR, REPO_ROOT, listProtoFiles } from './schema-files';

const REFERENCE_DIR = join(REPO_ROOT, '../shared/reference-protos/livekit');

describe.runIf(existsSync(REFERENCE_DIR))('scripts/make-livekit-schemas.ts', () => {
  it('reproduces the committed files', async () => {
    const files = await generateLivekitSchemas(REFERENCE_DIR);
    expect([...files.keys()].sort()).toEqual(listProtoFiles(LIVEKIT_DIR));
    for (const [name, text] of files) expect(readFileSync(join(LIVEKIT_DIR, name), 'utf8'), name).toBe(text);
  });
});
