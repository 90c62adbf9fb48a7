import { simulate, toOtlpLogs, toOtlpTraces, type SimRun } from '../../../src/sim/index.js';

let cached: SimRun | undefined;

/** A small deterministic Online Boutique run (10 minutes, one error fault) shared by the ingest tests. */
export function simRun(): SimRun {
  cached ??= simulate({
    system: 'online-boutique',
    seed: 7,
    start: Date.UTC(2026, 0, 5, 10),
    durationS: 600,
    stepS: 30,
    faults: [{ type: 'error-return', target: 'cartservice', startS: 300, durationS: 200 }],
    traceRatePerS: 2,
  });
  return cached;
}

/** OTLP JSON traces of the run's first `seconds`. */
export function simOtlpTraces(seconds = 600): { resourceSpans: unknown[] } {
  const run = simRun();
  return toOtlpTraces(run.topology, run.traces({ toS: seconds }));
}

/** OTLP JSON logs of the run's first `seconds`. */
export function simOtlpLogs(seconds = 600): { resourceLogs: unknown[] } {
  const run = simRun();
  return toOtlpLogs(run.topology, run.logs({ toS: seconds }));
}
