import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupingAccuracy } from '../../src/logs/grouping-accuracy.js';
import { leaveOneDatasetOut } from '../../src/logs/lodo.js';
import { parseLoghubStructured } from '../../src/logs/loghub.js';
import { loghubToCaseRows, rowTime, toCaseLogsCsv } from '../../src/logs/loghub-case.js';
import { normaliseTemplate, parsingAccuracy } from '../../src/logs/parsing-accuracy.js';

describe('FGA', () => {
  it('is the F1 of correct groups over parsed groups and true events', () => {
    // Truth a a b b c; parser: {a a} right, {b b c} wrong → 1 correct of 2 parsed, of 3 true.
    const r = groupingAccuracy(['a', 'a', 'b', 'b', 'c'], ['1', '1', '2', '2', '2']);
    expect(r.correctGroups).toBe(1);
    expect(r.fga).toBeCloseTo((2 * (1 / 2) * (1 / 3)) / (1 / 2 + 1 / 3), 12);
    expect(groupingAccuracy(['a', 'b'], ['x', 'y']).fga).toBe(1);
  });
});

describe('PA', () => {
  it('normalises runs of <*> joined by punctuation and whitespace', () => {
    expect(normaliseTemplate('<*>:<*> open  through <*> <*>')).toBe('<*> open through <*>');
    expect(normaliseTemplate('size <*>, free <*>)')).toBe('size <*>, free <*>)');
  });

  it('counts lines whose template matches the truth', () => {
    const r = parsingAccuracy(['a <*>', 'b <*>:<*>', 'c'], ['a <*>', 'b <*>', 'c <*>']);
    expect(r.correctLines).toBe(2);
    expect(() => parsingAccuracy(['a'], [])).toThrow();
  });
});

describe('Loghub as case-format logs', () => {
  it('reads the time of each sample layout', () => {
    expect(rowTime({ Timestamp: '1117838570' })).toBe(1117838570);
    expect(rowTime({ Date: '081109', Time: '203615' })).toBe(Date.UTC(2008, 10, 9, 20, 36, 15) / 1000);
    expect(rowTime({ Date: '2015-10-18', Time: '18:01:47,978' })).toBeCloseTo(
      Date.UTC(2015, 9, 18, 18, 1, 47) / 1000 + 0.978,
      3,
    );
    expect(rowTime({ Date: '17/06/09', Time: '20:10:40' })).toBe(Date.UTC(2017, 5, 9, 20, 10, 40) / 1000);
    expect(rowTime({ Time: 'Sun Dec 04 04:47:44 2005' })).toBe(Date.UTC(2005, 11, 4, 4, 47, 44) / 1000);
    expect(rowTime({ Time: '10.30 16:49:06' })).toBe(Date.UTC(2000, 9, 30, 16, 49, 6) / 1000);
    expect(rowTime({ Time: 'yesterday' })).toBeNaN();
  });

  it('never carries the label into the case rows, and quotes messages', () => {
    const truth = parseLoghubStructured(
      'LineId,Label,Timestamp,Component,Level,Content,EventId\n1,KERNDTLB,1117838570,KERNEL,FATAL,"a, ""b""",E1\n',
      'x',
    );
    const rows = loghubToCaseRows('BGL', truth);
    expect(rows).toEqual([{ timestamp: 1117838570, entity: 'KERNEL', level: 'FATAL', message: 'a, "b"' }]);
    expect(toCaseLogsCsv(rows)).toBe('timestamp,entity,level,message\n1117838570,KERNEL,FATAL,"a, ""b"""\n');
    expect(toCaseLogsCsv(rows)).not.toContain('KERNDTLB');
  });
});

const DATA = '../shared/data/loghub';
describe.skipIf(!existsSync(DATA))('leave-one-dataset-out on the Loghub samples', () => {
  it('scores each dataset with knobs chosen on the others; mean GA at least 0.95', () => {
    const names = ['HDFS', 'BGL', 'Hadoop', 'Spark', 'Zookeeper', 'OpenStack', 'Apache', 'Proxifier'];
    const truths = new Map(
      names.map((n) => [n, parseLoghubStructured(readFileSync(`${DATA}/${n}/${n}_2k.log_structured.csv`, 'utf8'), n)]),
    );
    // A small grid keeps the test quick; the CLI runs the full one.
    const grid = [{ wordVariableAfter: 5 }, { wordVariableAfter: 3 }, { similarity: 0.7 }];
    const r = leaveOneDatasetOut(truths, grid);
    expect(r.rows.map((x) => x.dataset)).toEqual(names);
    for (const row of r.rows) expect(row.othersGA).toBeGreaterThan(0.9);
    expect(r.meanGA).toBeGreaterThanOrEqual(0.95);
  });
});
