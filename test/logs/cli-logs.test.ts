// The `logs templates` and `eval logs` commands, run through commander as the CLI runs them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerEvalLogsCommand } from '../../app/cli/commands/eval-logs.js';
import { registerLogsCommand } from '../../app/cli/commands/logs.js';

let dir: string;
let out: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rootgraph-logs-'));
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  const program = new Command('rootgraph').exitOverride();
  registerLogsCommand(program);
  registerEvalLogsCommand(program.command('eval'));
  await program.parseAsync(args, { from: 'user' });
  return out.join('');
}

describe('rootgraph logs templates', () => {
  it('prints one JSON object per line with the cluster and template as they stand at the end', async () => {
    const file = join(dir, 'app.log');
    writeFileSync(
      file,
      [
        '2024-01-01 10:00:00 INFO conn from alice closed',
        '2024-01-01 10:00:01 ERROR disk 3 full',
        '2024-01-01 10:00:02 INFO conn from bob.example closed',
      ].join('\n'),
    );
    const text = await cli('logs', 'templates', file, '--format', '<Date> <Time> <Level> <Content>', '--json');
    const rows = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; cluster: string; template: string });
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(rows[0].cluster).toBe(rows[2].cluster);
    expect(rows[1].cluster).not.toBe(rows[0].cluster);
    // Line 1 was mined before line 3 generalised its template; it still reports the final text.
    expect(rows[0].template).toBe('conn from <*> closed');
    expect(rows[1].template).toBe('disk <*> full');
  });

  it('keeps template ids across runs with --state', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    const state = join(dir, 'state.json');
    writeFileSync(a, 'user 1 logged in\ncache miss on shard 4\n');
    writeFileSync(b, 'cache miss on shard 9\nuser 7 logged in\n');
    const first = (await cli('logs', 'templates', a, '--state', state, '--json'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).cluster);
    out.length = 0;
    const second = (await cli('logs', 'templates', b, '--state', state, '--json'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).cluster);
    expect(second).toEqual([first[1], first[0]]);
    expect(existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).version).toBe(2);
  });

  it('rejects a missing file with an InputError', async () => {
    await expect(cli('logs', 'templates', join(dir, 'nope.log'))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe.skipIf(!existsSync('../shared/data/loghub'))('rootgraph eval logs', () => {
  it('--json reports GA per dataset and the mean', async () => {
    const r = JSON.parse(await cli('eval', 'logs', '--dataset', '../shared/data/loghub/Apache', '--json')) as {
      datasets: Array<{ dataset: string; accuracy: number }>;
      meanGA: number;
    };
    expect(r.datasets.map((d) => d.dataset)).toEqual(['Apache']);
    expect(r.meanGA).toBe(r.datasets[0].accuracy);
  });
});
