/**
 * Detection accuracy measures: event-level precision/recall/F1 over declared incidents, point-wise
 * F1 without point-adjust (Kim et al., "Towards a Rigorous Evaluation of Time-series Anomaly
 * Detection", AAAI 2022, on why point-adjust inflates scores), detection delay, false incidents per day.
 */

/** A labelled fault window, as step indices (inclusive). */
export interface TruthWindow {
  start: number;
  end: number;
}

/** One run's predictions: declared incidents (step indices) and per-step system alarms. */
export interface RunPrediction {
  incidents: Array<{ firstAlarm: number; declaredAt: number; lastAlarm: number }>;
  alarms: ArrayLike<number>;
  /** Steps before this index are history (warm-up) and are not judged. */
  judgedFrom: number;
  faults: TruthWindow[];
  stepS: number;
}

/** Running totals across runs; `summarise` turns them into rates. */
export interface DetectionTally {
  faults: number;
  detected: number;
  incidents: number;
  trueIncidents: number;
  delaysS: number[];
  tp: number;
  fp: number;
  fn: number;
  judgedS: number;
}

export const emptyTally = (): DetectionTally => ({
  faults: 0,
  detected: 0,
  incidents: 0,
  trueIncidents: 0,
  delaysS: [],
  tp: 0,
  fp: 0,
  fn: 0,
  judgedS: 0,
});

/**
 * Adds one run to `t`. An incident is true when it is declared within a fault window extended by
 * `graceSteps`; a fault is detected by its first true incident (delay = declaredAt − start).
 */
export function tallyRun(t: DetectionTally, p: RunPrediction, graceSteps: number): void {
  const within = (s: number, f: TruthWindow) => s >= f.start && s <= f.end + graceSteps;
  const judged = p.incidents.filter((i) => i.declaredAt >= p.judgedFrom);
  t.incidents += judged.length;
  t.trueIncidents += judged.filter((i) =>
    p.faults.some((f) => within(i.declaredAt, f) || (i.firstAlarm <= f.end && i.lastAlarm >= f.start)),
  ).length;
  for (const f of p.faults) {
    t.faults++;
    const hit = judged.find((i) => within(i.declaredAt, f) || (i.declaredAt < f.start && i.lastAlarm >= f.start));
    if (hit) {
      t.detected++;
      t.delaysS.push(Math.max(0, hit.declaredAt - f.start) * p.stepS);
    }
  }
  for (let s = p.judgedFrom; s < p.alarms.length; s++) {
    const label = p.faults.some((f) => s >= f.start && s <= f.end);
    const pred = !!p.alarms[s];
    if (pred && label) t.tp++;
    else if (pred) t.fp++;
    else if (label) t.fn++;
  }
  t.judgedS += (p.alarms.length - p.judgedFrom) * p.stepS;
}

/** Rates from a tally: event P/R/F1, point-wise F1, mean delay, false incidents per day. */
export function summarise(t: DetectionTally) {
  const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
  const precision = t.incidents > 0 ? t.trueIncidents / t.incidents : 0;
  const recall = t.faults > 0 ? t.detected / t.faults : 0;
  const pp = t.tp + t.fp > 0 ? t.tp / (t.tp + t.fp) : 0;
  const pr = t.tp + t.fn > 0 ? t.tp / (t.tp + t.fn) : 0;
  return {
    eventPrecision: precision,
    eventRecall: recall,
    eventF1: f1(precision, recall),
    pointF1: f1(pp, pr),
    meanDelayS: t.delaysS.length ? t.delaysS.reduce((a, b) => a + b, 0) / t.delaysS.length : NaN,
    falseIncidentsPerDay: t.judgedS > 0 ? ((t.incidents - t.trueIncidents) * 86_400) / t.judgedS : 0,
    detected: `${t.detected}/${t.faults}`,
  };
}
