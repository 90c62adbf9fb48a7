import { describe, expect, it } from 'vitest';
import { readingKinds, readingNotes } from '../../src/cases/reading-notes.js';
import { ingestCase } from '../../src/ingest/cases/ingest-case.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { podOf } from '../../src/cases/export-slips.js';
import { editColumns, simCaseFiles } from './helpers/sim-case.js';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('readingKinds', () => {
  it('names each kind of change in a word, nothing for a case read as written', () => {
    expect(readingKinds({})).toEqual([]);
    expect(
      readingKinds({
        renamed: [{ from: 'a-0', to: 'a', replica: '0' }],
        counters: [],
        sharedHosts: [{ host: 'host of a, b', entities: ['a', 'b'], metrics: ['node_cpu'] }],
        notUtf8: [{ file: 'logs.csv', lines: 1, firstLine: 2 }],
      }),
    ).toEqual(['names', 'shared hosts', 'not UTF-8']);
  });
});

describe('readingNotes', () => {
  it('says, one line per kind, what the reader did to an export', () => {
    expect(readingNotes({})).toEqual([]);
    expect(
      readingNotes({
        renamed: ['a', 'b', 'c', 'd'].map((x) => ({ from: `${x}-0`, to: x, replica: '0' })),
        timeUnits: [{ what: 'metrics.csv timestamp', unit: 'ms' }],
        metricRows: { mergedRows: 1, gridStepS: 30 },
        counters: ['a|requests_total'],
      }),
    ).toEqual([
      'names read as the ones other files use: a-0 → a, b-0 → b, c-0 → c, and 1 more',
      'times read in ms: metrics.csv timestamp',
      'metrics.csv: 1 row of a repeated timestamp merged; series sampled at their own times put on a 30 s grid',
      '1 cumulative counter read as per-second rates (a|requests_total)',
    ]);
  });

  it('is part of what ingest case reports', async () => {
    const files = simCaseFiles({ type: 'cpu-hog', target: 'cartservice' }, 2, { logs: false });
    const dir = join(await mkdtemp(join(tmpdir(), 'rg-ingest-read-')), 'case');
    await mkdir(dir);
    for (const [name, text] of Object.entries(files))
      await writeFile(join(dir, name), name === 'traces.csv' ? editColumns(text, [3], podOf) : text);
    const r = await ingestCase(dir, { graph: await MemoryGraphStore.open() });
    expect(r.read).toHaveLength(1);
    expect(r.read[0]).toMatch(/^names read as the ones other files use: .*-\w+-\w+ → /);
  });
});

describe('bytes that are not UTF-8', () => {
  it('are counted per file with the first line, and the reading says so', async () => {
    const files = simCaseFiles({ type: 'cpu-hog', target: 'cartservice' }, 2, {});
    const dir = join(await mkdtemp(join(tmpdir(), 'rg-latin1-')), 'case');
    await mkdir(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    // A Latin-1 export: "café" written as the single byte 0xE9 on lines 3 and 6 of logs.csv.
    const lines = files['logs.csv'].split('\n').map((l) => Buffer.from(l, 'utf8'));
    for (const i of [2, 5]) lines[i] = Buffer.concat([lines[i], Buffer.from(' café', 'latin1')]);
    await writeFile(
      join(dir, 'logs.csv'),
      Buffer.concat(lines.flatMap((b, i) => (i > 0 ? [Buffer.from('\n'), b] : [b]))),
    );
    const { readCase } = await import('../../src/cases/read-case.js');
    const c = await readCase(dir);
    expect(c.notUtf8).toEqual([{ file: 'logs.csv', lines: 2, firstLine: 3 }]);
    expect(readingNotes(c)).toContain(
      'logs.csv: 2 lines held bytes that are not UTF-8 (the first is line 3), read with � in their place: export it as UTF-8',
    );
    // Nothing else is lost: every line is read.
    expect(c.logs.some((l) => l.message.endsWith(' caf\uFFFD'))).toBe(true);
  });
});
