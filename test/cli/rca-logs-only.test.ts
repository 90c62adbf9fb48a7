import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const START = 1_700_000_000 + 2_000;

// Logs alone, no alarm entity: web logs every request; db starts refusing connections at START.
async function logsOnlyCase(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'rg-logs-only-')), 'db-refuses');
  await mkdir(dir);
  const rows = ['timestamp,entity,level,message'];
  for (let t = 1_700_000_000; t < START + 600; t += 10) {
    rows.push(`${t},web,info,served request id=${t}`, `${t + 1},web,info,rendered page ${t % 7}`);
    rows.push(
      t < START ? `${t},db,info,query ok in ${t % 5} ms` : `${t},db,error,connection refused from 10.0.0.${t % 9}`,
    );
  }
  await writeFile(join(dir, 'logs.csv'), `${rows.join('\n')}\n`);
  await writeFile(join(dir, 'incident.json'), JSON.stringify({ start: START }));
  return dir;
}

describe('rca on a case with logs only', () => {
  it('guesses the entry among the writers (no invented entity) and says the suspect is in its logs', async () => {
    const dir = await logsOnlyCase();
    const text = await runCli('rca', '--case', dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('entry web (guessed)');
    expect(text.stdout).toMatch(/1\. db .*log: connection refused from <\*>/);

    const json = await runCli('rca', '--case', dir, '--json');
    const out = JSON.parse(json.stdout) as { entry: string; ranking: Array<{ entity: string }> };
    expect(out.entry).toBe('web');
    expect(out.ranking.map((r) => r.entity).sort()).toEqual(['db', 'web']);
  });
});
