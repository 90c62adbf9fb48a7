/**
 * Evaluation over offline cases (PetShop): each case replays a normal day, then the incident's
 * segment. Cheap detectors are online, so the normal day is judged out of sample by construction.
 * The VAE is trained once per system (cases sharing the same normal day); to judge that day out of
 * sample too, it is cross-fitted: a model trained on each half of the day scores the other half, and
 * the model trained on the whole day scores the incident's segment.
 */
import { runStatDetectors, type DetectorRun, type SeriesInput } from './detect-series.js';
import { judgeIncidents, medianStepS, type CaseInput, type DetectorName } from './detect-case.js';
import { withBudget, type DetectorModel } from './detector-model.js';
import { ensembleVaeBudget } from './ensemble.js';
import { emptyFigures, type EvalRow, type Figures } from './evaluate.js';
import type { MetricCube } from './graph-lstm-vae/model.js';
import { declareIncidents, ruleFor } from './incident-rule.js';
import { planReplay, type ReplayPlan } from './plan.js';
import { runVaeDetector, toCube } from './vae-detect.js';

/** Which model a case evaluation asks for: trained on the whole normal day, or on one half of it. */
export type ModelRole = 'full' | 'fold0' | 'fold1';

/** Supplies a system's trained model for `role`, trained on `cube` (the caller may cache it). */
export type ModelSource = (req: {
  system: string;
  role: ModelRole;
  cube: MetricCube;
  stepS: number;
}) => Promise<DetectorModel>;

/** A case with a name (CaseData fits). */
export interface NamedCase extends CaseInput {
  name: string;
}

/**
 * Figures per group (e.g. train/test) and row. `detectors` may include `graph-lstm-vae` only with
 * `models`. Models handed out by `models` are disposed at the end.
 */
export async function evaluateCases(opts: {
  cases: readonly NamedCase[];
  group: (name: string) => string;
  detectors: readonly DetectorName[];
  rows: readonly EvalRow[];
  models?: ModelSource;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
  onCase?: (name: string) => void;
}): Promise<Map<string, Map<string, Figures>>> {
  const out = new Map<string, Map<string, Figures>>();
  const systems = new Map<string, Promise<[SystemVae, SystemVae]>>();
  const held: DetectorModel[] = [];
  try {
    for (const c of opts.cases) {
      opts.onCase?.(c.name);
      const plan = planReplay(c.timestamps, c.incident.start);
      const edges = c.topology.map((e) => [e.source, e.target] as [string, string]);
      const stepS = medianStepS(c.timestamps);
      const runs = runStatDetectors(opts.detectors, {
        series: c.series,
        timestamps: c.timestamps,
        plan,
        entry: c.incident.entry,
        edges,
        incident: opts.incident,
      });
      // Ensemble rows see the VAE at its share of the budget (ensemble.ts), the VAE's own row at all of it.
      const ensembleRuns = new Map(runs);
      if (opts.detectors.includes('graph-lstm-vae')) {
        if (!opts.models) throw new Error('evaluateCases: the VAE needs a model source');
        const key = systemKey(c, plan);
        if (!systems.has(key)) {
          const models = systemModels({ c, plan, edges, stepS, system: key, models: opts.models, held });
          const share = (m: DetectorModel) => withBudget(m, ensembleVaeBudget(m.falsePerDay));
          const fit = async (): Promise<[SystemVae, SystemVae]> => {
            const m = await models;
            const alone = await crossFit({ c, plan, edges, models: m, adjust: (x) => x });
            return [alone, await crossFit({ c, plan, edges, models: m, adjust: share })];
          };
          systems.set(key, fit());
        }
        const [alone, shared] = await systems.get(key)!;
        runs.set('graph-lstm-vae', await caseVaeRun({ c, plan, edges, sys: alone, incident: opts.incident }));
        ensembleRuns.set('graph-lstm-vae', await caseVaeRun({ c, plan, edges, sys: shared, incident: opts.incident }));
      }
      const figures = out.get(opts.group(c.name)) ?? out.set(opts.group(c.name), new Map()).get(opts.group(c.name))!;
      for (const row of opts.rows) {
        const alarms = row.alarms(row.kind === 'ensemble' ? ensembleRuns : runs);
        const j = judgeIncidents(
          declareIncidents(alarms, { ...ruleFor(stepS), ...opts.incident, breaks: plan.breaks }),
          plan,
          c.timestamps,
          c.incident.start,
        );
        const f = figures.get(row.name) ?? figures.set(row.name, emptyFigures()).get(row.name)!;
        f.incidents++;
        if (j.declared) {
          f.found++;
          f.delaysS.push(j.declared.delayS);
        }
        f.falseIncidents += j.falseIncidents;
        f.normalDays += (plan.history * stepS) / 86_400;
        let early = false;
        for (let k = plan.history; k < alarms.length; k++)
          if (alarms[k] && c.timestamps[plan.order[k]] + stepS <= c.incident.start) early = true;
        if (early) f.alarmedBeforeStart++;
      }
    }
  } finally {
    for (const m of held) m.vae.dispose();
  }
  return out;
}

/** Cases with the same normal history (the same rows at the same times) are one system. */
function systemKey(c: NamedCase, plan: ReplayPlan): string {
  const ts = (j: number) => c.timestamps[plan.order[j]];
  return `h${plan.history}-${ts(0)}-${ts(Math.max(0, plan.history - 1))}-${c.series.length}`;
}

/** A system's full model and its out-of-sample alarms on the normal day, per path. */
interface SystemVae {
  full: DetectorModel;
  history: Record<'system' | 'spread', Uint8Array>;
}

/** The system's models: trained on its whole normal day, and on each half (for the out-of-sample day). */
async function systemModels(a: {
  c: NamedCase;
  plan: ReplayPlan;
  edges: Array<[string, string]>;
  stepS: number;
  system: string;
  models: ModelSource;
  held: DetectorModel[];
}): Promise<Record<'full' | 'fold0' | 'fold1', DetectorModel>> {
  const hist = a.plan.order.slice(0, a.plan.history);
  const half = a.plan.history >> 1;
  const get = async (role: ModelRole, rows: number[]) => {
    const m = await a.models({ system: a.system, role, cube: toCube(a.c.series, rows, a.edges), stepS: a.stepS });
    a.held.push(m);
    return m;
  };
  return {
    full: await get('full', hist),
    fold0: await get('fold0', hist.slice(0, half)),
    fold1: await get('fold1', hist.slice(half)),
  };
}

/** The full model and the normal day's out-of-sample alarms, with thresholds set by `adjust`. */
async function crossFit(a: {
  c: NamedCase;
  plan: ReplayPlan;
  edges: Array<[string, string]>;
  models: Record<'full' | 'fold0' | 'fold1', DetectorModel>;
  adjust: (m: DetectorModel) => DetectorModel;
}): Promise<SystemVae> {
  const h = a.plan.history;
  const hist = a.plan.order.slice(0, h);
  const half = h >> 1;
  const full = a.adjust(a.models.full);
  const fold0 = a.adjust(a.models.fold0);
  const fold1 = a.adjust(a.models.fold1);
  const history = { system: new Uint8Array(h), spread: new Uint8Array(h) };
  // fold0 scores the second half (the first half as context); fold1 scores the first half after the second (a day wraps).
  const legs: Array<{ model: DetectorModel; order: number[]; from: number; to: number }> = [
    { model: fold0, order: hist, from: half, to: half },
    { model: fold1, order: [...hist.slice(half), ...hist.slice(0, half)], from: h - half, to: 0 },
  ];
  for (const leg of legs) {
    const plan: ReplayPlan = {
      order: leg.order,
      history: leg.from,
      segments: [],
      breaks: leg.to === 0 ? [leg.from] : [],
    };
    const run = await runVaeDetector({
      series: a.c.series,
      timestamps: a.c.timestamps,
      plan,
      edges: a.edges,
      model: leg.model,
      learnFrom: leg.from,
      scoreFrom: leg.from,
    });
    for (const p of ['system', 'spread'] as const)
      history[p].set(run.parts[p].subarray(leg.from, leg.from + (leg.to === 0 ? half : h - half)), leg.to);
  }
  return { full, history };
}

async function caseVaeRun(a: {
  c: NamedCase;
  plan: ReplayPlan;
  edges: Array<[string, string]>;
  sys: SystemVae;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
}): Promise<DetectorRun> {
  const h = a.plan.history;
  const seg = await runVaeDetector({
    series: a.c.series as readonly SeriesInput[],
    timestamps: a.c.timestamps,
    plan: a.plan,
    edges: a.edges,
    model: a.sys.full,
    learnFrom: h,
    scoreFrom: h,
  });
  const parts = {
    system: Uint8Array.from(seg.parts.system, (v, j) => (j < h ? a.sys.history.system[j] : v)),
    spread: Uint8Array.from(seg.parts.spread, (v, j) => (j < h ? a.sys.history.spread[j] : v)),
  };
  const alarms = Uint8Array.from(parts.system, (v, j) => v | parts.spread[j]);
  return {
    detector: 'graph-lstm-vae',
    anomalies: [],
    parts,
    alarms,
    incidents: declareIncidents(alarms, {
      ...ruleFor(medianStepS(a.c.timestamps)),
      ...a.incident,
      breaks: a.plan.breaks,
    }),
  };
}
