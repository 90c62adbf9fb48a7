// Synthetic RCA scenarios (a review's, session 24): series with a shift from the fault's start, spans, logs.
import type { RcaInput } from '../../../src/rca/analyse-case.js';
import type { LogIn } from '../../../src/rca/log-evidence.js';
import type { SpanIn } from '../../../src/rca/microrank.js';
import { seededRng } from '../../../src/rca/rng.js';

export const N_NORMAL = 120,
  N_ANOM = 20,
  STEP = 60,
  T0 = 1_700_000_000;
export type Shape = 'step' | 'ramp' | 'silent' | 'zero' | 'spike';
export interface MetricSpec {
  base: number;
  sd: number;
  shift?: number;
  shape?: Shape;
  scale?: number;
}
// shift is in units of sd (absolute shift = shift*sd); 'silent' = NaN after start; 'zero' = 0 after start.
export type Ent = Record<string, MetricSpec>;

export function gauss(rng: () => number) {
  const u = Math.max(1e-12, rng()),
    v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const SLI = (
  o: { lat?: number; err?: number; latSd?: number; latShape?: Shape; errShape?: Shape } = {},
): Ent => ({
  latency_p99: { base: 100, sd: o.latSd ?? 5, shift: o.lat ?? 0, shape: o.latShape },
  error_rate: { base: 0.01, sd: 0.002, shift: o.err ?? 0, shape: o.errShape },
});
export const RES = (
  o: {
    cpu?: number;
    mem?: number;
    req?: number;
    net?: number;
    memShape?: Shape;
    reqShape?: Shape;
    restarts?: number;
  } = {},
): Ent => {
  const e: Ent = {
    cpu_usage: { base: 0.3, sd: 0.02, shift: o.cpu ?? 0 },
    memory_usage: { base: 500, sd: 5, shift: o.mem ?? 0, shape: o.memShape ?? 'ramp' },
    request_rate: { base: 100, sd: 3, shift: o.req ?? 0, shape: o.reqShape },
  };
  if (o.net !== undefined) e.network_transmit_bytes = { base: 1e6, sd: 2e4, shift: o.net };
  if (o.restarts !== undefined) e.container_restarts = { base: 0, sd: 0, shift: o.restarts, scale: 1 };
  return e;
};

export function build(
  seed: number,
  ents: Record<string, Ent>,
  topology: Array<[string, string]>,
  incident: RcaInput['incident'] | null = null,
  extra: Partial<RcaInput> = {},
): RcaInput {
  const rng = seededRng(seed);
  const n = N_NORMAL + N_ANOM;
  const timestamps = Float64Array.from({ length: n }, (_, i) => T0 + i * STEP);
  const start = T0 + N_NORMAL * STEP;
  const series = Object.entries(ents).flatMap(([entity, ms]) =>
    Object.entries(ms).map(([metric, m]) => {
      const values = Float64Array.from({ length: n }, (_, i) => {
        const noise = m.sd * gauss(rng);
        let v = m.base + noise;
        if (m.sd === 0) v = m.base;
        if (i >= N_NORMAL) {
          const k = i - N_NORMAL;
          const abs = (m.shift ?? 0) * (m.sd || m.scale || 1);
          switch (m.shape ?? 'step') {
            case 'step':
              v += abs;
              break;
            case 'ramp':
              v += (abs * (k + 1)) / N_ANOM;
              break;
            case 'spike':
              v += k < 3 ? abs : 0;
              break;
            case 'silent':
              return NaN;
            case 'zero':
              return 0;
          }
        }
        return Math.max(0, v);
      });
      return { entity, metric, values };
    }),
  );
  return {
    timestamps,
    series,
    topology: topology.map(([source, target]) => ({ source, target })),
    incident: incident ?? { start, entry: 'fe', entryMetric: 'latency_p99' },
    ...extra,
  };
}
export const START = T0 + N_NORMAL * STEP;

/** Spans: per step, `per` traces walking the call tree from `root`; self time from latency spec. */
export function spans(
  seed: number,
  calls: Record<string, string[]>,
  self: Record<
    string,
    { ms: number; sd: number; shiftMs?: number; errP?: number; errShift?: number; skipAfter?: boolean }
  >,
  root = 'fe',
  per = 6,
) {
  const rng = seededRng(seed + 1000);
  const out: SpanIn[] = [];
  let id = 0;
  for (let i = 0; i < N_NORMAL + N_ANOM; i++) {
    const anom = i >= N_NORMAL;
    for (let t = 0; t < per; t++) {
      const traceId = `t${i}-${t}`;
      const startNs = (T0 + i * STEP + t * 5) * 1e9;
      const walk = (e: string, parent: string | null, at: number): number => {
        const s = self[e];
        const spanId = `s${id++}`;
        let dur = Math.max(1, s.ms + s.sd * gauss(rng) + (anom ? (s.shiftMs ?? 0) : 0));
        const err = rng() < (s.errP ?? 0.005) + (anom ? (s.errShift ?? 0) : 0);
        let childAt = at + dur * 1e6 * 0.1;
        for (const c of calls[e] ?? []) {
          if (anom && self[c]?.skipAfter) continue;
          const d = walk(c, spanId, childAt);
          childAt += d * 1e6;
          dur += d;
        }
        out.push({
          traceId,
          spanId,
          parentSpanId: parent,
          entity: e,
          operation: `${e}/op`,
          startNs: at,
          durationNs: dur * 1e6,
          status: err ? 'error' : 'ok',
        });
        return dur;
      };
      walk(root, null, startNs);
    }
  }
  return out;
}

export function logs(entity: string, message: string, perStepNormal: number, perStepAnom: number, level = 'error') {
  const out: LogIn[] = [];
  for (let i = 0; i < N_NORMAL + N_ANOM; i++) {
    const c = i >= N_NORMAL ? perStepAnom : perStepNormal;
    if (c > 0) out.push({ timestamp: T0 + i * STEP + 1, entity, level, message, count: c });
  }
  return out;
}
