import { describe } from 'vitest';
import { conformanceTest } from './suite';

describe('conformance, editions 2023 (features per field, and inherited from file and enum) and 2024: protoc 36 and protobuf-es v2', () => {
  conformanceTest('editions 2023');
  conformanceTest('editions 2024');
});
