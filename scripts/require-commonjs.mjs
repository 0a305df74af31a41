// How the CLI bundle (scripts/build.mjs) loads the CommonJS packages it names (protobufjs and its
// descriptor extension). An ESM import of CommonJS is slow in Node 20: the ESM loader lexes the
// package's sources for named exports, and every one of its files (protobufjs has about 50) is
// looked up, read and compiled on its own. So the packages are bundled into one CommonJS file
// beside the CLI bundle (bundleCommonJs), and each import of them is replaced by a module that
// require()s that file and exports the package's module.exports as default and each of its own
// enumerable keys by name, as Node's interop does, read once when it loads (requireCommonJs).
// An extension of protobufjs (EXTENSIONS) is loaded on first use instead: see there.
// The file is compiled with V8's code cache, written by the build (writeCommonJsLoader).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';

/**
 * Packages that extend protobufjs, loaded when first used rather than with it: the descriptor
 * extension builds a whole Root of descriptor.proto as it loads (about 10 ms at every start of
 * the CLI, which most commands never use). Its import gives a stand-in for its exports that
 * loads it on first access (import its default export; it has no named ones then), and until
 * then the methods it adds to protobufjs's classes are stubs that load it and call the real one.
 */
const EXTENSIONS = {
  'protobufjs/ext/descriptor.js': {
    base: 'protobufjs',
    classes: ['Root', 'Type', 'Field', 'Enum', 'OneOf', 'Service', 'Method'],
    statics: ['fromDescriptor'],
    methods: ['toDescriptor'],
  },
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NAMESPACE = 'require-commonjs';

/** The package.json files (paths from `root`) of the packages that the node_modules files among `inputs` belong to. */
function packageFiles(inputs) {
  const files = new Set();
  for (const input of inputs) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m) files.add(`${m[1]}/package.json`);
  }
  return [...files];
}

/**
 * Bundles the packages `specifiers` name into one CommonJS file, `outfile`, whose exports map
 * each specifier to its module.exports (one module instance: the descriptor extension extends the
 * protobufjs next to it). Returns the package.json files (paths from `root`) of the packages it
 * holds: the file is out of date once one of them is reinstalled.
 */
export async function bundleCommonJs(esbuild, specifiers, outfile, root) {
  const lines = [];
  const entries = [];
  specifiers.forEach((s, i) => {
    const ext = Object.hasOwn(EXTENSIONS, s) ? EXTENSIONS[s] : undefined;
    if (!ext) {
      entries.push(`${JSON.stringify(s)}: require(${JSON.stringify(s)})`);
      return;
    }
    const load = `load${i}`;
    lines.push(
      `let ext${i};`,
      `function ${load}() { return ext${i} ??= require(${JSON.stringify(s)}); }`,
      `{`,
      `  const base = require(${JSON.stringify(ext.base)});`,
      `  const stub = (owner, name) => {`,
      `    if (Object.hasOwn(owner, name)) return;`,
      `    const self = (owner[name] = function (...args) {`,
      `      ${load}();`,
      `      if (owner[name] === self) throw new Error(${JSON.stringify(`${s} did not define `)} + name);`,
      `      return owner[name].apply(this, args);`,
      `    });`,
      `  };`,
      `  for (const c of ${JSON.stringify(ext.classes)}) {`,
      `    for (const name of ${JSON.stringify(ext.statics)}) stub(base[c], name);`,
      `    for (const name of ${JSON.stringify(ext.methods)}) stub(base[c].prototype, name);`,
      `  }`,
      `}`,
    );
    entries.push(`get ${JSON.stringify(s)}() { return ${load}(); }`);
  });
  const contents = [...lines, `module.exports = { ${entries.join(', ')} };`].join('\n');
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, sourcefile: 'commonjs-packages.cjs' },
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  return packageFiles(Object.keys(metafile.inputs));
}

/**
 * Writes `loaderFile`, which loads the CommonJS file `packagesFile` (beside it) as require()
 * would, but compiled with V8's code cache when there is one (`packagesFile`.cache, which a
 * different Node or a changed file makes V8 reject: then it compiles as usual); then makes that
 * cache by loading it once in a child process and using protobufjs a little, so the functions a
 * start runs are in it too. Compiling the ~350 KB file costs ~10 ms at every start otherwise.
 */
export function writeCommonJsLoader(loaderFile, packagesFile) {
  if (dirname(loaderFile) !== dirname(packagesFile)) throw new Error('the loader goes beside the packages file');
  const name = basename(packagesFile);
  // esbuild writes ASCII (it escapes the rest): read as Latin-1, which skips UTF-8 decoding. Checked, not assumed.
  const encoding = readFileSync(packagesFile).every((b) => b < 0x80) ? 'latin1' : 'utf8';
  const loader = `'use strict';
// Loads ${name} with V8's code cache (${name}.cache): see scripts/require-commonjs.mjs.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { Script } = require('node:vm');
const file = require('node:path').join(__dirname, ${JSON.stringify(name)});
let cachedData;
try {
  cachedData = readFileSync(file + '.cache');
} catch {
  // no cache: compile as usual
}
const script = new Script('(function (exports, require, module, __filename, __dirname) {' + readFileSync(file, '${encoding}') + '\\n})', {
  filename: file,
  cachedData,
});
const loaded = { exports: {} };
script.runInThisContext()(loaded.exports, createRequire(file), loaded, file, __dirname);
module.exports = loaded.exports;
module.exports[Symbol.for('protodesk.commonjs-script')] = script;
`;
  writeFileSync(loaderFile, loader);
  const make = `
    const m = require(${JSON.stringify(loaderFile)});
    const pb = m.protobufjs;
    const type = pb.parse('syntax = "proto3"; package p; message M { int64 a = 1; string s = 2; repeated M m = 3; map<string, int32> k = 4; }').root.lookupType('p.M');
    type.decode(type.encode(type.fromObject({ a: '1', s: 'x', m: [{}], k: { a: 1 } })).finish());
    require('node:fs').writeFileSync(${JSON.stringify(`${packagesFile}.cache`)}, m[Symbol.for('protodesk.commonjs-script')].createCachedData());
  `;
  execFileSync(process.execPath, ['-e', make], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The files a bundle was built from, from its metafile's inputs, without the plugin's own modules. */
export function bundleInputs(metafile) {
  return Object.keys(metafile.inputs).filter((f) => !f.startsWith(`${NAMESPACE}:`));
}

/**
 * The plugin: imports of `specifiers` (exact) require them from the file bundleCommonJs wrote;
 * `file` names it relative to import.meta.url as the bundle sees it. Export names are read from
 * the packages installed under `root` at build time.
 */
export function requireCommonJs(specifiers, root, file) {
  const requireAtRoot = createRequire(`${root}/package.json`);
  const wanted = new Set(specifiers);
  return {
    name: 'require-commonjs',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!wanted.has(args.path) || args.namespace === NAMESPACE) return undefined;
        return { path: args.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const from = `createRequire(import.meta.url)(${JSON.stringify(file)})`;
        if (Object.hasOwn(EXTENSIONS, args.path)) {
          // A stand-in that loads the extension on first access (see EXTENSIONS).
          const contents = [
            "import { createRequire } from 'node:module';",
            `const load = () => ${from}[${JSON.stringify(args.path)}];`,
            'export default new Proxy({}, { get: (_, k) => Reflect.get(load(), k), has: (_, k) => Reflect.has(load(), k) });',
          ].join('\n');
          return { contents, loader: 'js', resolveDir: root };
        }
        const names = Object.keys(requireAtRoot(args.path)).filter((k) => IDENTIFIER.test(k) && k !== 'default');
        const contents = [
          "import { createRequire } from 'node:module';",
          `const m = ${from}[${JSON.stringify(args.path)}];`,
          'export default m;',
          names.length ? `export const { ${names.join(', ')} } = m;` : '',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}
