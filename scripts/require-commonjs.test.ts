/** How the CLI bundle loads protobufjs (require-commonjs.mjs): one prebundled CommonJS file, the same API and int64 handling. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type * as Protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCommonJs, bundleInputs, requireCommonJs, writeCommonJsLoader } from './require-commonjs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const requireHere = createRequire(import.meta.url);
mkdirSync(join(root, 'dist'), { recursive: true });
// Under dist/ (ignored by git), as the CLI bundle is.
const dir = mkdtempSync(join(root, 'dist', 'require-commonjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundleCommonJs and requireCommonJs', () => {
  it('give the bundle one protobufjs with its descriptor extension, the same API and int64 as Long, and no ESM import of it', async () => {
    const specifiers = ['protobufjs', 'protobufjs/ext/descriptor.js'];
    const packages = await bundleCommonJs(esbuild, specifiers, join(dir, 'commonjs-packages.cjs'), root);
    // The prebundled file is out of date when protobufjs or long (which it holds) is reinstalled.
    expect(packages.sort()).toEqual(['node_modules/long/package.json', 'node_modules/protobufjs/package.json']);

    writeFileSync(
      join(dir, 'entry.ts'),
      [
        "import protobuf, { Root, Type, parse } from 'protobufjs';",
        "import descriptor from 'protobufjs/ext/descriptor.js';",
        'export { protobuf, Root, Type, parse, descriptor };',
      ].join('\n'),
    );
    const { metafile } = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [join(dir, 'entry.ts')],
      outfile: join(dir, 'out.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      plugins: [requireCommonJs(specifiers, root, './commonjs-packages.cjs')],
    });
    expect(readFileSync(join(dir, 'out.mjs'), 'utf8')).not.toMatch(/from\s*["']protobufjs/);
    expect(bundleInputs(metafile).some((f) => f.includes('require-commonjs:'))).toBe(false);

    const out = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as {
      protobuf: typeof Protobuf & { descriptor?: unknown };
      Root: unknown;
      Type: unknown;
      parse: unknown;
      descriptor: { FileDescriptorSet: unknown };
    };
    const installed = requireHere('protobufjs') as object;
    expect(Object.keys(out.protobuf).sort()).toEqual(Object.keys(installed).sort());
    expect(out.Root).toBe(out.protobuf.Root);
    expect(out.Type).toBe(out.protobuf.Type);
    expect(out.parse).toBe(out.protobuf.parse);
    // The descriptor extension loads on first use: a method it adds, or its exports.
    expect(out.protobuf.descriptor).toBeUndefined();
    const fromSet = (out.Root as typeof Protobuf.Root).fromDescriptor({
      file: [{ name: 'x.proto', package: 'p', messageType: [{ name: 'M', field: [{ name: 'a', number: 1, label: 1, type: 5 }] }] }],
    });
    expect(fromSet.lookupType('p.M').fields.a.type).toBe('int32');
    expect(out.protobuf.descriptor).toBeDefined(); // the extension extended this protobufjs
    expect(out.descriptor.FileDescriptorSet).toBe((out.protobuf.descriptor as { FileDescriptorSet: unknown }).FileDescriptorSet);
    expect(out.descriptor.FileDescriptorSet).toBeInstanceOf(out.protobuf.Type);
    expect((fromSet.lookupType('p.M').toDescriptor('proto3') as { name: string }).name).toBe('M');

    const type = out.protobuf.parse('syntax = "proto3"; message M { int64 x = 1; }').root.lookupType('M');
    const bytes = type.encode(type.fromObject({ x: '9007199254740993' })).finish();
    expect(type.toObject(type.decode(bytes), { longs: String })).toEqual({ x: '9007199254740993' });
  });

  it('load the prebundled file with the code cache the build made, and without one as well', async () => {
    const specifiers = ['protobufjs', 'protobufjs/ext/descriptor.js'];
    const packagesFile = join(dir, 'cached', 'commonjs-packages.cjs');
    mkdirSync(dirname(packagesFile), { recursive: true });
    await bundleCommonJs(esbuild, specifiers, packagesFile, root);
    const loader = join(dirname(packagesFile), 'commonjs-loader.cjs');
    writeCommonJsLoader(loader, packagesFile);
    const script = Symbol.for('protodesk.commonjs-script');
    const withCache = requireHere(loader) as Record<string, typeof Protobuf> & Record<symbol, { cachedDataRejected?: boolean }>;
    expect(withCache[script].cachedDataRejected).toBe(false);
    const type = withCache.protobufjs.parse('syntax = "proto3"; message M { int64 x = 1; }').root.lookupType('M');
    expect(type.toObject(type.decode(type.encode(type.fromObject({ x: '9007199254740993' })).finish()), { longs: String })).toEqual({
      x: '9007199254740993',
    });
    // A cache that does not fit (here: none at all) only costs the compile.
    rmSync(`${packagesFile}.cache`);
    delete requireHere.cache[requireHere.resolve(loader)];
    const without = requireHere(loader) as Record<string, typeof Protobuf> & Record<symbol, { cachedDataRejected?: boolean }>;
    expect(without[script].cachedDataRejected).toBeUndefined();
    expect(Object.keys(without.protobufjs).sort()).toEqual(Object.keys(withCache.protobufjs).sort());
  });
});
