// Playwright: the "browser" project runs the e2e specs against the browser-served mode in a
// Chromium that npm brought (testing/browser.ts: @sparticuz/chromium on Linux x64, Playwright's
// own elsewhere); the "electron" project runs the same specs in Electron where its runtime is
// installed (and skips them, saying why, where it is not).
import { defineConfig } from '@playwright/test';
import { resolveTestBrowser } from './testing/browser';

// A port of its own for each run (set in the environment so Playwright's workers agree on it),
// so two runs on one machine do not collide; PROTODESK_E2E_PORT fixes it.
process.env.PROTODESK_E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const PORT = Number(process.env.PROTODESK_E2E_PORT);

const browser = await resolveTestBrowser();
// Said once, by the runner (workers load this file too).
if (!process.env.TEST_WORKER_INDEX) console.log(`e2e browser: ${browser.name}`);

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
  // Starts `node bin/protodesk serve --port PORT --no-state` and keeps the links it prints (a
  // one-time key each): the tests sign in by opening one, as a user does (e2e/served-app.ts).
  globalSetup: './e2e/served-app.ts',
  projects: [
    {
      name: 'browser',
      use: {
        baseURL: `http://127.0.0.1:${PORT}/`,
        viewport: { width: 1400, height: 850 },
        launchOptions: { executablePath: browser.executablePath, args: browser.args, env: browser.env },
      },
    },
    { name: 'electron', use: {} },
  ],
});
