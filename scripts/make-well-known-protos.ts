/**
 * Writes core/schema/well-known-protos.ts: Google's .proto files from the include directory of
 * the pinned protoc npm package (google/protobuf/*.proto and google/protobuf/compiler/*.proto),
 * embedded verbatim, so imports of them resolve without the user having them and the copy is
 * the one protoc itself compiles against. core/schema/well-known-protos.test.ts checks that the
 * embedded text equals the package's files; after updating protoc, run this again.
 *
 * Usage: npx tsx scripts/make-well-known-protos.ts [--check]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOC_INCLUDE, protocVersion } from '../testing/protoc';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'core/schema/well-known-protos.ts');

/** Every .proto under include/google/protobuf, as import names, sorted. */
export function wellKnownFileNames(include = PROTOC_INCLUDE): string[] {
  const names: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(join(include, dir), { withFileTypes: true })) {
      const name = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(name);
      else if (entry.name.endsWith('.proto')) names.push(name);
    }
  };
  visit('google/protobuf');
  return names.sort();
}

/** A string as a template literal body: backslashes, backticks and `${` escaped. */
function templateBody(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** The generated module's text. */
export function wellKnownModule(): string {
  const version = protocVersion().replace(/^libprotoc /, '');
  const entries = wellKnownFileNames().map((name) => {
    const text = readFileSync(join(PROTOC_INCLUDE, name), 'utf8');
    return `  '${name}': \`${templateBody(text)}\`,\n`;
  });
  return `/**
 * Google's well-known .proto files, verbatim from the include directory of protoc ${version} (the
 * protoc npm package), so imports of "google/protobuf/*.proto" resolve without the user having
 * them, descriptor.proto included (FeatureSet and the other editions types).
 *
 * Generated data, not code: written by scripts/make-well-known-protos.ts, checked against the
 * package by well-known-protos.test.ts. It is exempt from the 500-line limit for modules; change
 * it only by running the script again, never by hand.
 */

/** Source text of each well-known file, keyed by its import name. */
export const WELL_KNOWN_PROTOS: Readonly<Record<string, string>> = {
${entries.join('')}};
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = wellKnownModule();
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error(`${OUT} is out of date: run npx tsx scripts/make-well-known-protos.ts`);
      process.exit(1);
    }
    console.log(`${OUT} is up to date`);
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT}`);
  }
}
