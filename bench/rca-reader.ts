// `npm run bench -- rca --part reader`: what reading a wide metrics.csv costs after parsing, step by
// step (normalise-case.ts), on a synthetic case of many entities whose rows also carry their node's figures.
import { countersAsRates } from '../src/cases/counter-rates.js';
import { alignMetricRows } from '../src/cases/metric-grid.js';
import { normaliseCase } from '../src/cases/normalise-case.js';
import { sharedSeriesAsHosts } from '../src/cases/shared-host-series.js';
import type { CaseData, CaseSeries } from '../src/cases/types.js';
import { unifyEntityNames } from '../src/cases/unify-entity-names.js';
import { printTable, timeMs } from './table.js';

/** Entities per node: each node's two columns repeat on this many entities' rows. */
const PER_NODE = 10;
const OWN = ['cpu_usage', 'memory_usage', 'network_receive', 'network_transmit', 'latency_p99', 'requests_total'];

function wideCase(entities: number, rows: number): CaseData {
  const timestamps = Float64Array.from({ length: rows }, (_, i) => 1_700_000_000 + i * 30);
  let x = 1;
  const noise = () => ((x = Math.imul(x, 48271) % 2147483647) / 2147483647) * 0.1;
  const series: CaseSeries[] = [];
  const nodes = Math.ceil(entities / PER_NODE);
  const node = Array.from({ length: nodes }, (_, k) =>
    ['NodeCpuUsageRate(%)', 'NodeMemoryUsageRate(%)'].map((m) => ({
      metric: m,
      values: Float64Array.from({ length: rows }, () => 30 + k + 10 * noise()),
    })),
  );
  for (let e = 0; e < entities; e++) {
    const entity = `svc-${e}`;
    for (const metric of OWN) {
      // requests_total is a running total, as a dump without rate() holds it.
      let total = 1e6;
      const values = Float64Array.from({ length: rows }, () =>
        metric === 'requests_total' ? (total += 50 + noise()) : 1 + noise(),
      );
      series.push({ key: `${entity}|${metric}`, entity, metric, values });
    }
    for (const s of node[Math.floor(e / PER_NODE)]) series.push({ key: `${entity}|${s.metric}`, entity, ...s });
  }
  return {
    name: 'wide',
    timestamps,
    series,
    topology: [],
    spans: [],
    logs: [],
    incident: { start: timestamps[rows - 20] },
    has: { metrics: true, topology: false, traces: false, logs: false },
  };
}

/** Median and min of three runs of each step. */
export async function readerSteps(sizes: number[], rows = 600): Promise<void> {
  const table: Array<Array<string | number>> = [];
  for (const entities of sizes) {
    const c = wideCase(entities, rows);
    const steps: Array<[string, () => unknown]> = [
      ['entity names (unify-entity-names.ts)', () => unifyEntityNames(c)],
      ['rows on one grid (metric-grid.ts)', () => alignMetricRows(c)],
      ['counters as rates (counter-rates.ts)', () => countersAsRates(c)],
      ['shared series as hosts (shared-host-series.ts)', () => sharedSeriesAsHosts(c)],
      ['all of normaliseCase', () => normaliseCase(c)],
    ];
    for (const [step, fn] of steps) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await timeMs(fn));
      times.sort((a, b) => a - b);
      table.push([step, entities, c.series.length, times[1], times[0]]);
    }
  }
  printTable(
    `Reading a wide metrics.csv after parsing (${rows} rows, ${OWN.length} own series per entity, a node's 2 on every ${PER_NODE}), median of 3`,
    ['step', 'entities', 'series', 'median ms', 'min ms'],
    table,
  );
}
