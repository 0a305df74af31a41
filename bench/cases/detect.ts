/** Case 5: detect (rank every bundled message type) for a ~1 KB message. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Type } from 'protobufjs';
import { rankRegistryTypes } from '../../core/detect/detect-type';
import { loadSchemas } from '../../core-node/schema/load-schemas';
import type { BenchCase } from '../case';
import { limitRow } from '../report';
import { formatBytes, formatMs, measure } from '../stats';

const EXPECTED = 'livekit.ParticipantInfo';

/** A livekit.ParticipantInfo of at least `size` bytes: the bundled sample with tracks and attributes added. */
function participantOfSize(type: Type, size: number): Uint8Array {
  const sample = readFileSync('samples/livekit/participant-info.bin');
  const obj = type.toObject(type.decode(sample), { longs: String, enums: String, bytes: Array }) as {
    tracks?: Record<string, unknown>[];
    attributes?: Record<string, string>;
  };
  const track = obj.tracks?.[0] ?? {};
  obj.tracks ??= [];
  obj.attributes ??= {};
  for (let i = 0; ; i++) {
    const bytes = type.encode(type.fromObject(obj)).finish();
    if (bytes.length >= size) return bytes;
    if (i % 2) obj.tracks.push({ ...track, sid: `TR_bench${i}`, name: `track ${i}` });
    else obj.attributes[`bench.key.${i}`] = `value ${i}`;
  }
}

/** Runs case 5. */
export const detectCase: BenchCase = async (config) => {
  const registry = await loadSchemas({ bundled: true });
  const types = registry.messageTypes();
  const type = registry.findMessage(EXPECTED);
  if (!type) throw new Error(`${EXPECTED} is not in the bundled schemas`);
  const bytes = participantOfSize(type, config.detectBytes);

  const t0 = performance.now();
  rankRegistryTypes(bytes, registry);
  const coldMs = performance.now() - t0;
  const warm = await measure(() => rankRegistryTypes(bytes, registry), {
    runs: config.detectRuns,
    warmup: 3,
    gcBetween: false,
    inspect: (ranks) => ranks.slice(0, 3).map((r) => `${r.typeName} ${r.score.toFixed(3)}`),
  });
  const top = warm.info ?? [];
  return [
    limitRow('5', `detect over ${types.length} bundled types, ${formatBytes(bytes.length)} message`, warm.timing, 50, [
      `median per call over ${warm.timing.runs} calls (after 3 warm-up); first (cold) call ${formatMs(coldMs)} (compiles the per-type plans)`,
      `top 3: ${top.join(', ')} (expected ${EXPECTED} first: ${top[0]?.startsWith(EXPECTED + ' ') ? 'yes' : 'NO'})`,
    ]),
  ];
};
