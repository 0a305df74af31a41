/**
 * The Chromium the end-to-end tests and UI benchmarks drive, brought by npm so that a fresh
 * machine needs no system browser:
 * - PROTODESK_CHROMIUM, when set, names a Chromium binary to use instead (any platform);
 * - on Linux x64, the headless Chromium inside the `@sparticuz/chromium` package (a
 *   devDependency), unpacked once per checkout into node_modules/.cache with the shared
 *   libraries and font it ships, so it runs without system packages;
 * - elsewhere (macOS, Windows, Linux arm64, which that package does not cover), Playwright's
 *   own Chromium where `npx playwright install chromium` put it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to launch the browser (Playwright launch options) and what to call it in logs. */
export interface TestBrowser {
  /** e.g. "@sparticuz/chromium 153.0.0 (Chromium 153)" */
  name: string;
  /** undefined: Playwright's own Chromium. */
  executablePath?: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * Flags for a headless Chromium on a machine that reaches no Google service: no sandbox (CI
 * runs as root), and no background networking (its connections would be refused).
 */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The browser for this machine (see the module comment); unpacks the npm Chromium on first use. */
export async function resolveTestBrowser(): Promise<TestBrowser> {
  const override = process.env['PROTODESK_CHROMIUM'];
  if (override) return { name: `Chromium at ${override} (PROTODESK_CHROMIUM)`, executablePath: override, args: BASE_ARGS };
  if (process.platform === 'linux' && process.arch === 'x64') return sparticuzChromium();
  return { name: `Playwright's own Chromium (no npm Chromium for ${process.platform}/${process.arch})`, args: BASE_ARGS };
}

/** Unpacks @sparticuz/chromium's brotli archives into node_modules/.cache (atomically: a half-written copy is never used). */
async function sparticuzChromium(): Promise<TestBrowser> {
  const require = createRequire(import.meta.url);
  const pkgDir = join(dirname(require.resolve('@sparticuz/chromium')), '..'); // build/index.js
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const cache = join(ROOT, 'node_modules', '.cache', 'protodesk-chromium');
  const dir = join(cache, `${version}-${process.arch}`);
  if (!existsSync(join(dir, 'chromium'))) {
    mkdirSync(cache, { recursive: true });
    const staging = mkdtempSync(join(cache, 'unpacking-'));
    // The package's inflate() writes into os.tmpdir(), which reads TMPDIR at each call.
    const savedTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = staging;
    try {
      const { inflate } = (await import('@sparticuz/chromium')) as unknown as { inflate(path: string): Promise<string> };
      const bin = join(pkgDir, 'bin');
      for (const archive of ['chromium.br', 'al2023.tar.br', 'fonts.tar.br', 'swiftshader.tar.br']) await inflate(join(bin, archive));
    } finally {
      if (savedTmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmp;
    }
    writeFileSync(join(staging, 'fonts.conf'), fontsConf(join(dir, 'fonts')));
    try {
      renameSync(staging, dir);
    } catch (e) {
      // Another process unpacked it first: use theirs.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, 'chromium'))) throw e;
    }
  }
  const libs = join(dir, 'al2023', 'lib');
  return {
    name: `@sparticuz/chromium ${version} (${join(dir, 'chromium')})`,
    executablePath: join(dir, 'chromium'),
    args: BASE_ARGS,
    env: {
      ...(process.env as Record<string, string>),
      // NSS, NSPR and expat as the package ships them, so no system package is needed.
      LD_LIBRARY_PATH: [libs, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

/** A fontconfig file with the package's font first, then whatever the system has. */
function fontsConf(fontDir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${fontDir}</dir>`,
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <cachedir>${fontDir}-cache</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}
