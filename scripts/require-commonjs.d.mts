/** Types of scripts/require-commonjs.mjs (plain JavaScript: scripts/build.mjs runs it without a TypeScript loader). */
import type { Metafile, Plugin } from 'esbuild';
/** The plugin: the exact import specifiers to load with require() instead of an ESM import; `root` resolves them at build time. */
export declare function requireCommonJs(specifiers: readonly string[], root: string): Plugin;
/** A bundle's input files from its metafile, each required package as its package.json. */
export declare function bundleInputs(metafile: Metafile, root: string): string[];
