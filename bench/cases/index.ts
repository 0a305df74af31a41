/** The benchmark cases in table order, each loaded only in the process that runs it. */
import type { BenchCase } from '../case';

/** A case as the runner sees it. */
export interface CaseEntry {
  /** Name on the command line (--only=NAME). */
  name: string;
  /** Case number, as the README table and bench/README.md number them. */
  id: string;
  title: string;
  load: () => Promise<BenchCase>;
  /** --max-old-space-size for its process, in MB. */
  heapMb: number;
}

/** Every case, in table order. */
export const CASES: readonly CaseEntry[] = [
  { name: 'decode', id: '1', title: 'decode with spans', load: async () => (await import('./decode')).decodeCase, heapMb: 8192 },
  { name: 'save', id: '2', title: 'save and edit', load: async () => (await import('./save')).saveCase, heapMb: 8192 },
  { name: 'raw', id: '3', title: 'schema-less decode', load: async () => (await import('./raw')).rawCase, heapMb: 4096 },
  { name: 'stream', id: '4', title: 'stream engine', load: async () => (await import('./stream')).streamCase, heapMb: 4096 },
  { name: 'detect', id: '5', title: 'detect', load: async () => (await import('./detect')).detectCase, heapMb: 2048 },
  { name: 'ui-stream', id: '4b', title: 'stream UI', load: async () => (await import('./ui-stream')).uiStreamCase, heapMb: 2048 },
  { name: 'ui-tree', id: '6', title: 'tree UI', load: async () => (await import('./ui-tree')).uiTreeCase, heapMb: 2048 },
  { name: 'diff', id: '7', title: 'message diff', load: async () => (await import('./diff')).diffCase, heapMb: 2048 },
  { name: 'json', id: '9', title: 'JSON output', load: async () => (await import('./json')).jsonCase, heapMb: 4096 },
  { name: 'capture', id: '8', title: 'HAR capture', load: async () => (await import('./capture')).captureCase, heapMb: 4096 },
  { name: 'big', id: '11', title: 'big and hostile inputs', load: async () => (await import('./big-inputs')).bigInputsCase, heapMb: 8192 },
  { name: 'startup', id: '10', title: 'CLI start-up', load: async () => (await import('./startup')).startupCase, heapMb: 1024 },
];
