import { describe, expect, it } from 'vitest';
import { leadingQuantity, limitRow, medianOfProcesses, notMeasuredRow, ratioRow, valueRow, type Row } from './report';
import { summarize } from './stats';

const t = (ms: number) => summarize([ms]);
const ratio = (ours: number, base: number) => ratioRow('9c', 'decode', t(ours), t(base), 'protobufjs', 1);
const limit = (ms: number) => limitRow('10d', 'send start', t(ms), 250);

describe('medianOfProcesses', () => {
  it('takes the middle process of three by ratio, and says what each process measured', () => {
    const rows = medianOfProcesses([[ratio(100, 80)], [ratio(100, 150)], [ratio(100, 120)]]);
    expect(rows).toHaveLength(1);
    expect(rows[0].ratio).toBeCloseTo(1.2);
    expect(rows[0].met).toBe(true);
    expect(rows[0].notes[0]).toBe('median of 3 processes (each: 0.80x, 1.50x, 1.20x); target met in 2 of 3');
  });

  it('takes the middle time for a limit row and the worse middle one of an even count', () => {
    expect(medianOfProcesses([[limit(260)], [limit(240)], [limit(245)]])[0].ours).toBe('245 ms');
    const even = medianOfProcesses([[limit(240)], [limit(260)]])[0];
    expect(even.ours).toBe('260 ms');
    expect(even.met).toBe(false);
  });

  it('compares values across units and keeps rows per id in the first process order', () => {
    const mem = (v: string, met: boolean) => valueRow('1-mem', 'memory', v, '≤ 4x input', met);
    const a: Row[] = [limit(240), mem('900.0 KB', true)];
    const b: Row[] = [limit(250), mem('1.2 MB', true)];
    const c: Row[] = [limit(230), mem('1.1 MB', true)];
    const rows = medianOfProcesses([a, b, c]);
    expect(rows.map((r) => r.id)).toEqual(['10d', '1-mem']);
    expect(rows[1].ours).toBe('1.1 MB');
  });

  it('judges by the measured processes when one could not measure, and keeps a row no process measured', () => {
    const failed = notMeasuredRow('10d', 'send start', '≤ 250 ms', 'its process failed (exit 1)');
    const judged = medianOfProcesses([[failed], [limit(240)], [limit(300)]])[0];
    expect(judged.ours).toBe('300 ms');
    expect(judged.notes[0]).toBe('median of 3 processes (each: not measured, 240 ms, 300 ms); target met in 1 of 3');
    expect(medianOfProcesses([[failed], [failed]])[0]).toBe(failed);
  });

  it('returns one process unchanged', () => {
    const only = [limit(240)];
    expect(medianOfProcesses([only])).toEqual(only);
  });
});

describe('leadingQuantity', () => {
  it('reads the quantities formatMs and formatBytes print', () => {
    expect(leadingQuantity('243 ms')).toBe(243);
    expect(leadingQuantity('1.08 s')).toBe(1080);
    expect(leadingQuantity('850.0 µs')).toBeCloseTo(0.85);
    expect(leadingQuantity('90.5 MB (8.2 B/row)')).toBe(90.5 * 1024 ** 2);
    expect(leadingQuantity('> 2.00 s')).toBe(2000);
    expect(leadingQuantity('not measured')).toBeNaN();
  });
});
