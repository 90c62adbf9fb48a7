// `npm run bench -- sim [--quick]`: simulator generation throughput (spans/s, log lines/s, metric points/s)
// for Online Boutique and a generated 3,000-service system.
import { simulate, type SimOptions } from '../src/sim/index.js';
import { printTable, timeMs } from './table.js';

interface Row {
  system: string;
  services: number;
  simulatedS: number;
  setupMs: number;
  series: number;
  points: number;
  spans: number;
  spanMs: number;
  logs: number;
  logMs: number;
}

async function measure(label: string, opts: SimOptions, window: { fromS: number; toS: number }): Promise<Row> {
  let run = simulate(opts);
  const setupMs = await timeMs(() => {
    run = simulate(opts);
  });
  let spans = 0;
  const spanMs = await timeMs(() => {
    for (const t of run.traces(window)) spans += t.spans.length;
  });
  let logs = 0;
  const logMs = await timeMs(() => {
    for (const _ of run.logs(window)) logs++;
  });
  const points = run.metrics.series.size * run.metrics.timestamps.length;
  return {
    system: label,
    services: run.topology.services.length,
    simulatedS: window.toS - window.fromS,
    setupMs,
    series: run.metrics.series.size,
    points,
    spans,
    spanMs,
    logs,
    logMs,
  };
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const start = Date.UTC(2024, 2, 5, 12);
  const ob: SimOptions = {
    system: 'online-boutique',
    seed: 1,
    start,
    durationS: quick ? 3_600 : 6 * 3_600,
    stepS: 30,
    faults: [{ type: 'cpu-hog', target: 'cartservice', startS: 1_800, durationS: 900 }],
    traceRatePerS: 20,
    logsPerRequest: 0.05,
  };
  const big: SimOptions = {
    system: { generated: { services: 3_000 } },
    seed: 1,
    start,
    durationS: quick ? 1_800 : 3_600,
    stepS: 30,
    faults: [{ type: 'error-return', target: 'postgres-orders', startS: 900, durationS: 600 }],
    traceRatePerS: 20,
    logsPerRequest: 0.002,
  };
  // The generated system's back-end names depend on the seed; aim the fault at whatever serves as a shared database.
  const { generateSystem } = await import('../src/sim/index.js');
  const db = generateSystem({ services: 3_000, seed: 1 }).services.find((s) => s.kind === 'database')!.name;
  big.faults = [{ ...big.faults[0], target: db }];
  const rows = [
    await measure('online-boutique', ob, { fromS: 0, toS: quick ? 1_800 : 3_600 }),
    await measure('generated', big, { fromS: 600, toS: quick ? 900 : 1_200 }),
  ];
  printTable(
    'sim: generation throughput (traces at 20/s peak; metrics = engine + series for the whole run)',
    [
      'system',
      'services',
      'telemetry window s',
      'simulate() ms',
      'metric points/s',
      'spans',
      'spans/s',
      'log lines',
      'log lines/s',
    ],
    rows.map((r) => [
      r.system,
      String(r.services),
      r.simulatedS,
      r.setupMs,
      r.points / (r.setupMs / 1000),
      r.spans,
      r.spans / (r.spanMs / 1000),
      r.logs,
      r.logs / (r.logMs / 1000),
    ]),
  );
}
