/**
 * Writes schemas/bundled-schemas.image.json: the bundled schemas (schemas/livekit and
 * schemas/kik-video) parsed, resolved and checked by the loader once, saved as an object image,
 * so the CLI, the server and the app restore them at start instead of parsing the .proto text.
 * The loader uses the image only while the .proto files and protobufjs are what it was made
 * from; schemas/bundled-image.test.ts checks that the committed image is this script's output
 * and restores to the registry a parse builds. After changing a bundled .proto file, the schema
 * code or protobufjs, run this again.
 *
 * Usage: npx tsx scripts/make-schema-image.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_IMAGE_FILE, bundledImageText as imageFileText, makeBundledImage } from '../core-node/schema/bundled-image';
import { bundledEntries, defaultSchemasDir, loadSchemas } from '../core-node/schema/load-schemas';

/** The image file's text for the bundled schemas in `schemasDir`, parsed afresh. */
export async function bundledImageText(schemasDir = defaultSchemasDir()): Promise<string> {
  const registry = await loadSchemas({ schemasDir, precompiled: false });
  return imageFileText(makeBundledImage(registry, bundledEntries(schemasDir)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = join(defaultSchemasDir(), BUNDLED_IMAGE_FILE);
  const text = await bundledImageText();
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {
      // missing: out of date
    }
    if (old !== text) {
      console.error(`${out} is out of date: run npx tsx scripts/make-schema-image.ts`);
      process.exit(1);
    }
    console.log(`${out} is up to date`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out} (${text.length} bytes)`);
  }
}
