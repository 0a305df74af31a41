/** Types of bin/cli-bundle.mjs (plain JavaScript: bin/protodesk runs it before any TypeScript loader). */
export declare const BUNDLE_DIR: string;
/** The bundle's entry (a file URL) when every input it was built from is unchanged; otherwise null. */
export declare function freshBundle(dir?: string): string | null;
/** Marks the bundle as out of date (before it is rebuilt). */
export declare function forgetInputs(dir?: string): void;
/** Records a build's inputs; returns a file modified since shortly before `startedMs` (recording nothing), else null. */
export declare function recordInputs(files: readonly string[], startedMs: number, dir?: string): string | null;
