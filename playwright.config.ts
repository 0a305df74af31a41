// Playwright: the "browser" project runs the e2e specs against the browser-served mode in
// Debian's Chromium; the "electron" project runs the same specs in Electron where its runtime
// is installed (and skips them, saying why, where it is not).
import { defineConfig } from '@playwright/test';

// A port of its own for each run (set in the environment so Playwright's workers agree on it),
// so two runs on one machine do not collide; PROTODESK_E2E_PORT fixes it.
process.env.PROTODESK_E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const PORT = Number(process.env.PROTODESK_E2E_PORT);

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure' },
  webServer: {
    command: `node scripts/build.mjs --if-needed --only=renderer && node bin/protodesk serve --port ${PORT} --no-state`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
  },
  projects: [
    {
      name: 'browser',
      use: {
        baseURL: `http://127.0.0.1:${PORT}/`,
        viewport: { width: 1400, height: 850 },
        launchOptions: {
          executablePath: process.env.PROTODESK_CHROMIUM ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        },
      },
    },
    { name: 'electron', use: {} },
  ],
});
