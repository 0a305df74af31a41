// The bounded load test (testing/mock-load-test.ts) as a test: 10,000 mixed good and bad requests over every
// wire format against a mock in a child process on 127.0.0.1. Asserts correctness and flat
// memory; the throughput is printed for the note, never asserted.
import { describe, expect, it } from 'vitest';
import { formatLoadReport, runLoadTest } from '../../testing/mock-load-test';

const REQUESTS = Number(process.env.PROTODESK_LOAD_REQUESTS ?? 10_000);

describe('the mock under load', () => {
  it(`${REQUESTS} mixed requests: no server errors, every answer as deserved, still up, heap flat`, async () => {
    const report = await runLoadTest({ requests: REQUESTS, concurrency: 32, seed: 7, maxSeconds: 150 });
    console.log(`mock load test\n${formatLoadReport(report)}`);
    expect(report.gc).toBe(true);
    expect(report.requests).toBeGreaterThan(0);
    expect(report.serverErrors).toBe(0);
    expect(report.goodFailed).toBe(0);
    expect(report.mismatches).toEqual([]);
    expect(report.stillUp).toBe(true);
    expect(report.heapGrowthBytes).toBeLessThan(50 * 1024 * 1024);
  }, 240_000);
});
