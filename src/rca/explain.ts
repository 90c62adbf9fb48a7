/** Per-candidate explanation: why a candidate sits where it does in the ranking. Pure. */
import { propagationPath } from './behaviour-graph.js';
import type { CaseAnalysis } from './analyse-case.js';
import type { ChangeIn } from './change-evidence.js';
import type { LogTemplateHit } from './log-evidence.js';
import type { MetricMove } from './metric-evidence.js';
import type { OperationScore } from './microrank.js';
import { DEFAULTS as NODE_EVIDENCE } from './node-evidence.js';
import { FELT } from './node-states.js';
import type { ExplainedTraceShift } from '../model/trace-shift-words.js';
import { COMPONENTS, type Component } from './weights.js';

export const DEFAULTS = {
  /** How many metric moves and log templates to show. */
  top: 3,
};

/** JSON-friendly explanation of one candidate. */
export interface Explanation {
  /** Normalised component scores in [0, 1]. */
  components: Record<Component, number>;
  /** The metrics that moved most harmfully: robust z, normal level, the window peak, and the evidence size. */
  metrics: MetricMove[];
  logTemplates: LogTemplateHit[];
  /** MicroRank's most suspicious operation of the candidate. */
  trace: Pick<OperationScore, 'operation' | 'score'> | null;
  /** The candidate's own trace shift (trace-shift.ts) when it clears the trace noise margin. */
  traceShift: ExplainedTraceShift | null;
  changes: ChangeIn[];
  /** Propagation path from the candidate to the entry, inclusive; null when not connected. */
  path: string[] | null;
  /** How the behaviour graph was obtained (`pc-skeleton` means learned from metrics). */
  graph: CaseAnalysis['graph']['source'];
  /** Caveats of the whole analysis (missing modality, short baseline, guessed entry); empty when none. */
  notes: string[];
  /** True when its SLIs are measured and stayed normal (node-states.ts FELT.calm: its callers saw nothing of it). */
  slisNormal?: boolean;
}

/** Builds node j's explanation. */
export function explain(a: CaseAnalysis, j: number, comp: Record<Component, Float64Array>): Explanation {
  const entity = a.graph.nodes[j];
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, round(comp[c][j])])) as Record<Component, number>;
  const op = a.traces?.entities.get(entity);
  const shift = a.traceShift?.entities.get(entity);
  return {
    components,
    metrics: a.moves[j].slice(0, DEFAULTS.top).map((m) => ({
      metric: m.metric,
      z: round(m.z),
      normal: significant(m.normal),
      peak: significant(m.peak),
      harm: round(m.harm),
      ...(m.of !== undefined && { of: m.of }),
      ...(m.lessCalledBy !== undefined && { lessCalledBy: m.lessCalledBy }),
      ...(m.echoOf !== undefined && { echoOf: m.echoOf }),
    })),
    logTemplates: (a.logs.get(entity)?.templates ?? []).slice(0, DEFAULTS.top),
    trace: op ? { operation: op.operation, score: round(op.score) } : null,
    traceShift:
      shift && shift.score >= NODE_EVIDENCE.traceNoiseZ
        ? {
            operation: shift.op.operation,
            kind: shift.op.kind,
            latencyZ: round(shift.op.latencyZ),
            errorZ: round(shift.op.errorZ),
            callsZ: round(shift.op.callsZ),
            ...(shift.op.calls && {
              calls: { ...shift.op.calls, normal: round(shift.op.calls.normal), window: round(shift.op.calls.window) },
            }),
          }
        : null,
    changes: a.changes.get(entity)?.changes ?? [],
    path: propagationPath(a.graph, entity, a.graph.nodes[a.entry]),
    graph: a.graph.source,
    notes: a.notes,
    ...(a.felt?.[j] === FELT.calm && { slisNormal: true }),
  };
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x;
}

/** A measured value to 6 significant digits: a latency of 4.4e-5 s must not print as 0 → 0. */
function significant(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}
