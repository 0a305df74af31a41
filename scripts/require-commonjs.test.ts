/** The CLI bundle's require-commonjs plugin: a required package gives the bundle the same objects its ESM import did. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleInputs, requireCommonJs } from './require-commonjs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const requireHere = createRequire(import.meta.url);
// Under dist/ (ignored by git) so that the bundle resolves packages from the repository's node_modules.
mkdirSync(join(root, 'dist'), { recursive: true });
const dir = mkdtempSync(join(root, 'dist', 'require-commonjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('requireCommonJs', () => {
  it('requires protobufjs and its descriptor extension: the same default and named exports, no ESM import left', async () => {
    writeFileSync(
      join(dir, 'entry.ts'),
      [
        "import protobuf, { Root, Type, parse } from 'protobufjs';",
        "import descriptor from 'protobufjs/ext/descriptor.js';",
        'export { protobuf, Root, Type, parse, descriptor };',
      ].join('\n'),
    );
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: [join(dir, 'entry.ts')],
      outfile: join(dir, 'out.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      plugins: [requireCommonJs(['protobufjs', 'protobufjs/ext/descriptor.js'], root)],
    });
    const text = readFileSync(join(dir, 'out.mjs'), 'utf8');
    expect(text).not.toMatch(/from\s*["']protobufjs/);
    const out = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as Record<string, unknown>;
    const pb = requireHere('protobufjs') as Record<string, unknown>;
    expect(out.protobuf).toBe(pb);
    expect(out.Root).toBe(pb.Root);
    expect(out.Type).toBe(pb.Type);
    expect(out.parse).toBe(pb.parse);
    expect(out.descriptor).toBe(requireHere('protobufjs/ext/descriptor.js'));
    // The bundle's inputs name the package's package.json (its version), not the plugin's module.
    const inputs = bundleInputs(metafile, root);
    expect(inputs).toContain('node_modules/protobufjs/package.json');
    expect(inputs.some((f) => f.includes('require-commonjs:'))).toBe(false);
  });
});
