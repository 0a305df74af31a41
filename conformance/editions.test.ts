import { describe } from 'vitest';
import { CONFORMANCE_SCHEMAS } from './schemas';
import { conformanceTest } from './suite';

describe('conformance, editions 2023 features (per field, and inherited from file and enum): protoc 36 and protobuf-es v2', () => {
  for (const schema of CONFORMANCE_SCHEMAS.filter((s) => s.syntax.startsWith('editions'))) conformanceTest(schema);
});
