import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { listCases, readCase, readTruth } from '../../src/cases/read-case.js';

async function caseDir(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'rg-case-'));
  const dir = join(root, 'demo-case');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const INCIDENT = JSON.stringify({ start: 200, entry: 'front', entry_metric: 'latency' });

describe('readCase', () => {
  it('reads a wide metrics file, sorts rows by time and keeps empty cells as NaN', async () => {
    const dir = await caseDir({
      'incident.json': INCIDENT,
      'metrics.csv': 'timestamp,front|latency,db|cpu\n300,5,\n100,1,0.5\n200,2,0.7\n',
    });
    const c = await readCase(dir);
    expect(c.name).toBe('demo-case');
    expect(Array.from(c.timestamps)).toEqual([100, 200, 300]);
    expect(c.series.map((s) => [s.entity, s.metric])).toEqual([
      ['front', 'latency'],
      ['db', 'cpu'],
    ]);
    expect(Array.from(c.series[0].values)).toEqual([1, 2, 5]);
    expect(c.series[1].values[2]).toBeNaN();
    expect(c.incident).toEqual({ start: 200, entry: 'front', entryMetric: 'latency' });
    expect(c.has).toEqual({ metrics: true, topology: false, traces: false, logs: false });
    expect(c.spans).toEqual([]);
  });

  it('reads topology, traces and logs', async () => {
    const dir = await caseDir({
      'incident.json': JSON.stringify({ start: 1 }),
      'topology.csv': 'source,target\nfront,db\n',
      'traces.csv':
        'trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status\nt1,s1,,front,GET /,1000,50,ok\nt1,s2,s1,db,query,1010,30,500\n',
      'logs.csv': 'timestamp,entity,level,message\n1.5,db,ERROR,"connection refused, retrying"\n',
    });
    const c = await readCase(dir);
    expect(c.topology).toEqual([{ source: 'front', target: 'db' }]);
    expect(c.spans[0].parentSpanId).toBeNull();
    expect(c.spans[1]).toMatchObject({ parentSpanId: 's1', entity: 'db', durationNs: 30, status: '500' });
    expect(c.logs[0]).toEqual({
      timestamp: 1.5,
      entity: 'db',
      level: 'ERROR',
      message: 'connection refused, retrying',
    });
    expect(c.timestamps.length).toBe(0);
    expect(c.incident.entry).toBeUndefined();
  });

  it("reads a root span's all-zero parent id (Jaeger, Zipkin) as no parent", async () => {
    const dir = await caseDir({
      'incident.json': JSON.stringify({ start: 1 }),
      'traces.csv':
        'trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status\nt1,s1,0000000000000000,front,GET /,1000,50,ok\nt1,s2,s1,db,q,1010,30,ok\n',
    });
    const c = await readCase(dir);
    expect(c.spans.map((s) => s.parentSpanId)).toEqual([null, 's1']);
  });

  it('reads ISO 8601 times in logs.csv, metrics.csv and incident.json as unix seconds', async () => {
    const dir = await caseDir({
      'incident.json': JSON.stringify({ start: '2023-11-14T22:13:20Z' }),
      'metrics.csv': 'timestamp,db|cpu\n2023-11-14T22:12:20Z,1\n2023-11-14T22:13:20Z,2\n',
      'logs.csv': 'timestamp,entity,level,message\n2023-11-14 22:13:21.5,db,ERROR,boom\n',
    });
    const c = await readCase(dir);
    expect(c.incident.start).toBe(1_700_000_000);
    expect(Array.from(c.timestamps)).toEqual([1_699_999_940, 1_700_000_000]);
    expect(c.logs[0].timestamp).toBe(1_700_000_001.5);
  });

  it("reads a log line's level from its message when the level cell is empty", async () => {
    const dir = await caseDir({
      'incident.json': INCIDENT,
      'logs.csv':
        'timestamp,entity,level,message\n' +
        '1,db,,"2022-08-22 03:42:01.123 ERROR 1 --- [main] c.e.Db : connection refused"\n' +
        '2,db,,java.net.ConnectException: Connection refused\n' +
        '3,db,info,ERROR as a word at info level\n' +
        '4,db,,query took 3ms\n',
    });
    const c = await readCase(dir);
    expect(c.logs.map((l) => l.level)).toEqual(['ERROR', 'ERROR', 'info', '']);
  });

  it('names file, row and column for a bad cell', async () => {
    const dir = await caseDir({
      'incident.json': INCIDENT,
      'metrics.csv': 'timestamp,front|latency\n100,1\n200,abc\n',
    });
    await expect(readCase(dir)).rejects.toThrow(/metrics\.csv › row 3 › column front\|latency/);
  });

  it('rejects a negative or endless span duration, a repeated metrics column and a folder that does not exist', async () => {
    const spans = (duration: string) =>
      caseDir({
        'incident.json': INCIDENT,
        'traces.csv': `trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status\nt1,s1,,front,GET /,1000,${duration},ok\n`,
      });
    await expect(readCase(await spans('-50'))).rejects.toThrow(
      /traces\.csv › row 2 › column duration_ns: expected a duration of 0 or more, got "-50"/,
    );
    await expect(readCase(await spans('Infinity'))).rejects.toThrow(/column duration_ns/);
    const twice = await caseDir({ 'incident.json': INCIDENT, 'metrics.csv': 'timestamp,a|b,c|d,a|b\n1,2,3,4\n' });
    await expect(readCase(twice)).rejects.toThrow(/metrics\.csv › row 1 › column 4: "a\|b" repeats column 2/);
    await expect(readCase(join(tmpdir(), 'rg-no-such-case'))).rejects.toThrow(/no such file or folder/);
  });

  it('rejects a header without entity|metric, a short row, a missing column and a bad incident', async () => {
    const bad1 = await caseDir({ 'incident.json': INCIDENT, 'metrics.csv': 'timestamp,latency\n1,2\n' });
    await expect(readCase(bad1)).rejects.toThrow(/row 1 › column 2/);
    const bad2 = await caseDir({ 'incident.json': INCIDENT, 'metrics.csv': 'timestamp,a|b,c|d\n1,2\n' });
    await expect(readCase(bad2)).rejects.toThrow(/row 2/);
    const bad3 = await caseDir({ 'incident.json': INCIDENT, 'topology.csv': 'from,to\na,b\n' });
    await expect(readCase(bad3)).rejects.toThrow(/missing column "source"/);
    const bad4 = await caseDir({ 'incident.json': '{"entry":"x"}' });
    await expect(readCase(bad4)).rejects.toBeInstanceOf(InputError);
    const noIncident = await caseDir({ 'metrics.csv': 'timestamp,a|b\n1,2\n' });
    await expect(readCase(noIncident)).rejects.toThrow(/incident\.json/);
  });

  it('rejects a span that names itself as its parent, naming the row', async () => {
    const dir = await caseDir({
      'incident.json': JSON.stringify({ start: 1 }),
      'traces.csv':
        'trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status\nt1,s1,,front,GET /,1000,50,ok\nt1,s2,s2,db,query,1010,30,ok\n',
    });
    await expect(readCase(dir)).rejects.toThrow(/traces\.csv › row 3 › column parent_span_id: the span names itself/);
  });

  it('reads an incident.json that starts with a byte-order mark', async () => {
    const dir = await caseDir({
      'incident.json': `\ufeff${INCIDENT}`,
      'metrics.csv': 'timestamp,front|latency\n200,1\n',
    });
    expect((await readCase(dir)).incident.start).toBe(200);
  });

  it('rejects a case with nothing to rank by: no telemetry, no rows, or none within a day of the start', async () => {
    const empty = await caseDir({ 'incident.json': INCIDENT, 'topology.csv': 'source,target\na,b\n' });
    await expect(readCase(empty)).rejects.toThrow(/no telemetry/);
    const headerOnly = await caseDir({ 'incident.json': INCIDENT, 'metrics.csv': 'timestamp,a|b\n' });
    await expect(readCase(headerOnly)).rejects.toThrow(/no telemetry/);
    const far = await caseDir({
      'incident.json': JSON.stringify({ start: 1_700_000_000 + 30 * 86_400 }),
      'metrics.csv': 'timestamp,a|b\n1700000000,1\n1700000060,2\n',
    });
    await expect(readCase(far)).rejects.toThrow(/incident\.json › start: .*more than a day from every sample/);
    const negative = await caseDir({ 'incident.json': '{"start":-5}', 'metrics.csv': 'timestamp,a|b\n1,2\n' });
    await expect(readCase(negative)).rejects.toThrow(/start/);
  });

  it('lists case folders and reads truth', async () => {
    const dir = await caseDir({ 'incident.json': INCIDENT });
    const root = join(dir, '..');
    await writeFile(join(root, 'truth.json'), JSON.stringify({ 'demo-case': { entity: 'db', part: 'test' } }));
    expect(await listCases(root)).toEqual([dir]);
    expect((await readTruth(join(root, 'truth.json')))['demo-case'].entity).toBe('db');
    await writeFile(join(root, 'bad.json'), JSON.stringify({ x: { entity: 3 } }));
    await expect(readTruth(join(root, 'bad.json'))).rejects.toThrow(/bad\.json › x\.entity/);
  });
});
