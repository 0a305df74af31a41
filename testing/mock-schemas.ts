/**
 * Test support for the mock and replay tests: the bundled schemas, plus the Kik reference protos from the shared folder when
 * the bundled Kik family is not there yet.
 */
import { existsSync } from 'node:fs';
import type { Root } from 'protobufjs';
import { loadSchemas } from '../core-node/schema/load-schemas';

/** The shared reference copy (../shared beside the repository), used only while the bundled family is missing. */
const KIK_REFERENCE = new URL('../../shared/reference-protos/kik', import.meta.url).pathname;

/** A protobufjs Root with LiveKit and Kik video services (cached per process). */
let cached: Promise<Root> | undefined;
/** Loads (once) the schemas the mock tests use. */
export function testRoot(): Promise<Root> {
  cached ??= (async () => {
    const reg = await loadSchemas({ tolerant: true });
    if (reg.findService('mobile.video.v1.KikVideo') || !existsSync(KIK_REFERENCE)) return reg.root;
    const withKik = await loadSchemas({
      tolerant: true,
      importPaths: [KIK_REFERENCE],
      protoFiles: [`${KIK_REFERENCE}/video/v1/kik_video_service.proto`, `${KIK_REFERENCE}/mobile_video_service.proto`],
    });
    return withKik.root;
  })();
  return cached;
}

/** Directory holding the Kik video protos (bundled when present, else the reference copy) and its entry files. */
export function kikProtoDir(): string {
  const bundled = new URL('../schemas/kik-video/', import.meta.url).pathname;
  return existsSync(`${bundled}video/v1/kik_video_service.proto`) ? bundled : KIK_REFERENCE;
}
