import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const START = 1_700_000_000 + 60 * 60;

// front → db; metrics stamped in milliseconds with a cumulative request counter and one row written
// twice; spans named by pod. db slows down at START.
async function exportedCase(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'rg-read-as-')), 'db-slow');
  await mkdir(dir);
  const rows = ['timestamp,front|latency,db|latency,db|requests_total'];
  let requests = 5_000;
  for (let i = 0; i < 70; i++) {
    const t = 1_700_000_000 + i * 60;
    const slow = t >= START ? 40 : 0;
    requests += 600 + (i % 3);
    const row = `${t * 1000},${10 + (i % 5) * 0.3 + slow},${5 + (i % 5) * 0.3 + slow},${requests}`;
    rows.push(row);
    if (i === 10) rows.push(row);
  }
  const spans = ['trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status'];
  for (let i = 0; i < 70; i++) {
    const t = (1_700_000_000 + i * 60) * 1e9;
    const slow = t >= START * 1e9 ? 40e6 : 0;
    spans.push(`t${i},f${i},,front-6b8d9c7f5-q2w4r,GET /,${t},${10e6 + slow},ok`);
    spans.push(`t${i},d${i},f${i},db-7c9d8f6b5-zx9kp,query,${t + 1e6},${5e6 + slow},ok`);
  }
  await writeFile(join(dir, 'metrics.csv'), `${rows.join('\n')}\n`);
  await writeFile(join(dir, 'traces.csv'), `${spans.join('\n')}\n`);
  await writeFile(join(dir, 'topology.csv'), 'source,target\nfront,db\n');
  await writeFile(join(dir, 'incident.json'), JSON.stringify({ start: START, entry: 'front' }));
  return dir;
}

describe('rca says how it read an export', () => {
  it('lists pod names read as services, time units, merged rows and counters, and ranks the slow db first', async () => {
    const dir = await exportedCase();
    const text = await runCli('rca', '--case', dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('names read as the ones other files use: db-7c9d8f6b5-zx9kp → db');
    expect(text.stdout).toContain('times read in ms: metrics.csv timestamp');
    expect(text.stdout).toContain('metrics.csv: 1 row of a repeated timestamp merged');
    expect(text.stdout).toContain('1 cumulative counter read as per-second rates (db|requests_total)');
    expect(text.stdout).toMatch(/\n\s+1\. db /);
    // Evidence as a person reads it: normal → peak and how many spreads, no unit the name does not give.
    expect(text.stdout).toMatch(/\n\s+1\. db .*· \S.* [\d.,]+ → [\d.,]+ \([\d.,]+σ above normal\)/);
    expect(text.stdout).not.toMatch(/z=/);
    expect(text.stdout).toMatch(/entry front ·/);
    const json = JSON.parse((await runCli('rca', '--case', dir, '--json')).stdout) as {
      renamed: Array<{ from: string; to: string }>;
      timeUnits: Array<{ unit: string }>;
      metricRows: { mergedRows: number };
      counters: string[];
      ranking: Array<{ entity: string }>;
    };
    expect(json.renamed.map((r) => r.to).sort()).toEqual(['db', 'front']);
    expect(json.timeUnits.map((u) => u.unit)).toEqual(['ms']);
    expect(json.metricRows.mergedRows).toBe(1);
    expect(json.counters).toEqual(['db|requests_total']);
    expect(json.ranking[0].entity).toBe('db');
  });

  it('takes feedback that names the pod, as the files did, for its service', async () => {
    const dir = await exportedCase();
    const weights = join(dir, '..', 'weights.json');
    const run = await runCli('rca', '--case', dir, '--weights', weights, '--confirm', 'db-7c9d8f6b5-zx9kp');
    expect(run.stderr).not.toMatch(/not a candidate/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rca: (weights updated|no weight change)/);
  });
});
