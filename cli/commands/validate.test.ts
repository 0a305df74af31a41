import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCommand } from './validate';
import { reportError, type CliIO } from '../command';

const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Runs the command with captured output, as cli/main.ts would. */
async function run(argv: string[], stdin = new Uint8Array()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: {
      write: (c) => {
        out += String(c);
        return true;
      },
    },
    stderr: {
      write: (c) => {
        err += String(c);
        return true;
      },
    },
    readStdin: async () => stdin,
    cwd: REPO,
  };
  let code: number;
  try {
    code = await validateCommand.run(argv, io);
  } catch (e) {
    code = reportError(e, io, 'validate');
  }
  return { code, out, err };
}

describe('protodesk validate', () => {
  it('lists the violations of the invalid Kik sample and exits 1', async () => {
    const r = await run(['--type', 'mobile.video.v1.BatchedGetConvoStateRequest', 'samples/edge/kik-invalid-request.bin']);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([
      'convo_ids: 22 elements, at most 20 allowed (max_repetitions)',
      'convo_ids[0].one_to_one.users[1]: elements must be in ascending order; [1] {"amy"} comes after [0] {"zed"} (ordered)',
      'convo_ids[1].one_to_one.users: 1 element, at least 2 required (min_repetitions)',
      'convo_ids[2].group.local_part: value "not-a-group" does not match /^\\d{13}_g$/ (regex)',
      'convo_ids[3].one_to_one.users[0].local_part: value "Bad Name!" does not match /^[a-z_0-9\\.]{2,30}(_[a-z0-9]{3})?$/ (regex)',
    ]);
  });

  it('prints nothing and exits 0 for the valid Kik samples', async () => {
    const index = JSON.parse(readFileSync(join(REPO, 'samples/index.json'), 'utf8')) as {
      samples: { file: string; type: string; family: string; edgeCase?: string; framing: string }[];
    };
    const kik = index.samples.filter((s) => s.family === 'kik-video' && !s.edgeCase && s.framing === 'single');
    expect(kik.length).toBeGreaterThanOrEqual(8);
    for (const s of kik) {
      const r = await run(['--type', s.type, `samples/${s.file}`]);
      expect({ file: s.file, code: r.code, out: r.out }).toEqual({ file: s.file, code: 0, out: '' });
    }
  });

  it('reads standard input for "-" and prints JSON with --json', async () => {
    const bytes = new Uint8Array(readFileSync(join(REPO, 'samples/edge/kik-invalid-request.bin')));
    const r = await run(['--type', 'mobile.video.v1.BatchedGetConvoStateRequest', '--json', '-'], bytes);
    expect(r.code).toBe(1);
    const list = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(list[0]).toMatchObject({ path: 'convo_ids', rule: 'max_repetitions', limit: 20, actual: 22 });
    expect(list).toHaveLength(5);
  });

  it('exits 1 with a message for input that does not decode, 2 without --type', async () => {
    const bad = await run(['--type', 'livekit.Room', 'samples/edge/truncated.bin']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^protodesk validate: at byte \d+/);
    const usage = await run(['samples/edge/truncated.bin']);
    expect(usage.code).toBe(2);
  });
});
