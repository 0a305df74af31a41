/** The fixture the mock starts with when it is given none (fixtures/default.json). */
import fixture from './fixtures/default.json';
import type { MockFixture } from './fixture';

/** A copy of the default fixture (the mock's state starts from it; nothing shared is changed). */
export function defaultFixture(): MockFixture {
  return structuredClone(fixture) as MockFixture;
}
