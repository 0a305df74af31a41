/** Types of scripts/require-commonjs.mjs (plain JavaScript: scripts/build.mjs runs it without a TypeScript loader). */
import type * as Esbuild from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
/** Bundles the packages `specifiers` name into one CommonJS file; returns the package.json files (from `root`) of what it holds. */
export declare function bundleCommonJs(
  esbuild: typeof Esbuild,
  specifiers: readonly string[],
  outfile: string,
  root: string,
): Promise<string[]>;
/** A bundle's input files from its metafile, without the plugin's own modules. */
export declare function bundleInputs(metafile: Metafile): string[];
/** The plugin: imports of `specifiers` require them from `file` (relative to the bundle's import.meta.url), bundled by bundleCommonJs. */
export declare function requireCommonJs(specifiers: readonly string[], root: string, file: string): Plugin;
/** Writes a loader for `packagesFile` (beside it) that compiles it with V8's code cache, and makes that cache. */
export declare function writeCommonJsLoader(loaderFile: string, packagesFile: string): void;
