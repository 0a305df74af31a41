import { describe, expect, it } from 'vitest';
import { protocSchema } from '../testing/protoc';
import { generateMessage, Rng } from './generate';
import { esReferee } from './referees/protobuf-es';
import { CONFORMANCE_SCHEMAS } from './schemas';
import { conformanceTest } from './suite';

describe('conformance, proto3 and proto2: protoc 36 (text, encode) and protobuf-es v2 (JSON both ways)', () => {
  conformanceTest('proto3');
  conformanceTest('proto2');

  it('generates the same messages from the same seed, and different ones from another', () => {
    const schema = CONFORMANCE_SCHEMAS[0];
    const es = esReferee(protocSchema(schema.files).descriptorSet());
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => Buffer.from(generateMessage(es.message(schema.top), es.registry, rng)).toString('hex'));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});
