import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START = 1_000_000 + 60 * 60;

/**
 * One case folder: front → db, an hour of minutely metrics, then db slows down at START; traces show
 * the slow db spans under front's. Deterministic (no random noise: a fixed wobble per row).
 */
async function writeCase(root: string, name: string): Promise<void> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const rows = ['timestamp,front|latency,db|latency'];
  for (let i = 0; i < 70; i++) {
    const t = 1_000_000 + i * 60;
    const wobble = (i % 5) * 0.3;
    const slow = t >= START ? 40 : 0;
    rows.push(`${t},${10 + wobble + slow},${5 + wobble + slow}`);
  }
  const spans = ['trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status'];
  for (let i = 0; i < 70; i++) {
    const t = (1_000_000 + i * 60) * 1e9;
    const slow = 1_000_000 + i * 60 >= START ? 40e6 : 0;
    spans.push(`t${i},f${i},,front,GET /,${t},${10e6 + slow},ok`);
    spans.push(`t${i},d${i},f${i},db,query,${t + 1e6},${5e6 + slow},${slow ? 'error' : 'ok'}`);
  }
  await writeFile(join(dir, 'metrics.csv'), `${rows.join('\n')}\n`);
  await writeFile(join(dir, 'traces.csv'), `${spans.join('\n')}\n`);
  await writeFile(join(dir, 'topology.csv'), 'source,target\nfront,db\n');
  await writeFile(
    join(dir, 'incident.json'),
    JSON.stringify({ start: START, entry: 'front', entry_metric: 'latency' }),
  );
}

/** Two like cases (db-slow-1, db-slow-2), their truth, and a suite fitting on -1 and reporting -2. */
export async function caseFolder(): Promise<{ cases: string; truth: string; suite: string }> {
  const cases = await mkdtemp(join(tmpdir(), 'rg-without-'));
  await writeCase(cases, 'db-slow-1');
  await writeCase(cases, 'db-slow-2');
  const truth = join(cases, 'truth.json');
  await writeFile(truth, JSON.stringify({ 'db-slow-1': { entity: 'db' }, 'db-slow-2': { entity: 'db' } }));
  const suite = join(cases, 'suite.json');
  await writeFile(suite, JSON.stringify({ datasets: [{ name: 'tiny', cases: '.', fit: '-1$', test: '-2$' }] }));
  return { cases, truth, suite };
}
