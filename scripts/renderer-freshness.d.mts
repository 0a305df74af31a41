/** Types of scripts/renderer-freshness.mjs (plain JavaScript: scripts/build.mjs runs it without a TypeScript loader). */
/** The newest modification time (ms) of a file below `dir` of `root`; 0 when there is none. */
export declare function newestSource(root: string, dir: string): number;
/** The newest modification time (ms) of the renderer build's sources (renderer/, core/, vite.config.ts). */
export declare function rendererSourcesTime(root: string): number;
/** True when dist/renderer/index.html is missing or older than a source of it. */
export declare function rendererStale(root: string): boolean;
