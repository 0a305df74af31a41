#!/usr/bin/env node
// `npm run security:electron`: runs @doyensec/electronegativity over the Electron sources (app/) and
// the built bundle (dist/electron), prints every finding, and exits 1 on any HIGH or MEDIUM one.
//
// How it is run, and why:
// - Through the package's own run() (what its CLI calls with -i/-e/-x), reading the findings it
//   returns: offline, its CLI prints no table at all, and its -o CSV writer has been seen to leave
//   stale bytes in the file.
// - The bundle is staged as .js (electronegativity skips .cjs) and lowered to ES2019 (its scope
//   analyser stops at class private fields, and a file it cannot analyse would silently pass).
//   Findings in the bundle are mapped back through the source maps to the TypeScript line, so an
//   `eng-disable <CHECK>` comment there (always with its reason beside it) suppresses them the
//   same way it does in the app/ scan.
// - AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out: it downloads Electron's release list with no
//   timeout, which makes the run hang or flip with the network. Keeping Electron current is
//   checked by hand (docs/security.md, item 15).
// - CSP_GLOBAL_CHECK ("no CSP detected") cannot see our CSP, which the app:// protocol handler
//   sets as a response header (app/main/main.ts). Instead of trusting that finding either way,
//   the CSP constant is evaluated here with the same evaluator (@doyensec/csp-evaluator) and the
//   same mapping electronegativity uses (HIGH/MEDIUM → fails, *_MAYBE → LOW); the constant must
//   also appear in the built bundle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const csp = require('@doyensec/csp-evaluator');
const esbuild = await import('esbuild');

const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];
const FAILING = new Set(['HIGH', 'MEDIUM']);
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

/** Runs electronegativity over a directory; returns its findings and parse errors. */
async function scan(input) {
  const log = console.log;
  console.log = () => {}; // its progress and translation notices
  try {
    return await run(
      {
        input,
        customScan: [],
        excludeFromScan: EXCLUDED.map((c) => c.toLowerCase()),
        isRelative: false,
        isVerbose: false,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  } finally {
    console.log = log;
  }
}

/** True when the source line carries `eng-disable` naming this check. */
function disabledByComment(line, id) {
  const m = /(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+([\w \t]+)/.exec(line ?? '');
  return (
    !!m &&
    m[1]
      .trim()
      .split(/[\s,]+/)
      .some((c) => c.toUpperCase() === id.toUpperCase())
  );
}

// 1. The bundle, built if it is older than its sources.
const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-needed', '--only=electron'], { cwd: root, stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

// 2. Staged for the scanner, with a chain of source maps back to the TypeScript.
const stage = mkdtempSync(join(tmpdir(), 'protodesk-electronegativity-'));
const maps = new Map();
for (const name of ['main', 'preload']) {
  const bundle = join(root, 'dist/electron', `${name}.cjs`);
  const lowered = await esbuild.transform(readFileSync(bundle, 'utf8'), {
    loader: 'js',
    format: 'cjs',
    target: 'es2019',
    sourcemap: 'external',
    sourcefile: `${name}.cjs`,
  });
  writeFileSync(join(stage, `${name}.js`), lowered.code);
  maps.set(join(stage, `${name}.js`), {
    lowered: new SourceMap(JSON.parse(lowered.map)),
    bundle: new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8'))),
    bundleDir: dirname(bundle),
  });
}

/** Where a finding in the staged bundle comes from: the TypeScript file and line, when the maps know. */
function original(file, location) {
  const m = maps.get(file);
  if (!m || !location?.line) return null;
  const a = m.lowered.findEntry(location.line - 1, location.column ?? 0);
  if (a?.originalLine === undefined) return null;
  const o = m.bundle.findEntry(a.originalLine, a.originalColumn);
  if (!o?.originalSource) return null;
  const path = o.originalSource.startsWith('file:') ? fileURLToPath(o.originalSource) : resolve(m.bundleDir, o.originalSource);
  return { path, line: o.originalLine + 1 };
}

const findings = [];
const errors = [];
try {
  for (const [label, input] of [
    ['app', join(root, 'app')],
    ['dist/electron', stage],
  ]) {
    const r = await scan(input);
    for (const e of r.errors) if (!e.tolerable) errors.push(`${label}: cannot analyse ${relative(input, e.file)}: ${e.message}`);
    for (const i of r.issues) {
      const f = {
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        where: i.file === 'N/A' ? `${label} (global)` : `${label}/${relative(input, i.file)}:${i.location.line}`,
        description: i.description,
        suppressed: false,
      };
      if (input === stage) {
        const src = original(i.file, i.location);
        if (src) {
          f.where += ` ← ${relative(root, src.path)}:${src.line}`;
          f.suppressed = disabledByComment(readFileSync(src.path, 'utf8').split('\n')[src.line - 1], i.id);
        }
      }
      if (i.id === 'CSP_GLOBAL_CHECK' && i.file === 'N/A') {
        f.suppressed = true;
        f.description += ' (set as a header by the app:// handler: evaluated below)';
      }
      findings.push(f);
    }
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}

// 3. The CSP itself.
const source = readFileSync(join(root, 'app/main/main.ts'), 'utf8');
const cspMatch = /^const CSP =\s*"([^"]+)";$/m.exec(source);
if (!cspMatch) errors.push('app/main/main.ts: no `const CSP = "..."` found to evaluate');
else {
  if (!readFileSync(join(root, 'dist/electron/main.cjs'), 'utf8').includes(cspMatch[1]))
    errors.push('dist/electron/main.cjs does not carry the CSP of app/main/main.ts (stale build?)');
  const parsed = new csp.CspParser(cspMatch[1]);
  for (const x of new csp.CspEvaluator(parsed.csp, csp.Version.CSP3).evaluate()) {
    const s = csp.severities;
    const severity = [s.HIGH, s.MEDIUM, s.SYNTAX].includes(x.severity)
      ? 'MEDIUM'
      : [s.HIGH_MAYBE, s.MEDIUM_MAYBE].includes(x.severity)
        ? 'LOW'
        : 'INFORMATIONAL';
    findings.push({
      id: 'CSP (csp-evaluator)',
      severity,
      confidence: 'CERTAIN',
      where: `app/main/main.ts CSP ${x.directive}`,
      description: x.description,
      suppressed: false,
    });
  }
}

const rank = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
findings.sort((a, b) => rank[a.severity] - rank[b.severity] || a.id.localeCompare(b.id));
for (const f of findings)
  console.log(
    `${f.suppressed ? 'suppressed ' : ''}${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.where}\n    ${f.description}`,
  );
for (const e of errors) console.error(`error: ${e}`);
const failing = findings.filter((f) => !f.suppressed && FAILING.has(f.severity));
const count = (s) => findings.filter((f) => !f.suppressed && f.severity === s).length;
console.log(
  `electronegativity (Electron ${electronVersion}): ${count('HIGH')} high, ${count('MEDIUM')} medium, ${count('LOW')} low, ${count('INFORMATIONAL')} informational; ${findings.filter((f) => f.suppressed).length} suppressed with a reason; ${errors.length} errors`,
);
process.exit(failing.length || errors.length ? 1 : 0);
