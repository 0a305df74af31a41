import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{core,core-node,cli,server,app,renderer,scripts,schemas,samples,fuzz,conformance}/**/*.test.ts',
      'bench/*.test.ts',
      'renderer/**/*.test.tsx',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
