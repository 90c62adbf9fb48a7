import type { RcaInput } from '../../src/rca/analyse-case.js';
import { seededRng } from '../../src/rca/rng.js';

/**
 * A small synthetic incident: fe → {a, b}, a → c. 60 normal steps then 6 incident steps; each entity
 * has `latency` and `errors`. `moves` says how far (in normal std units) each entity's metric moves.
 */
export function syntheticCase(seed: number, moves: Record<string, { latency?: number; errors?: number }>): RcaInput {
  const rng = seededRng(seed);
  const entities = ['fe', 'a', 'b', 'c'];
  const n = 66,
    start = 1_000_000 + 60 * 60;
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_000_000 + i * 60);
  const series = entities.flatMap((entity) =>
    (['latency', 'errors'] as const).map((metric) => {
      const values = Float64Array.from(
        { length: n },
        (_, i) => 10 + rng() * 2 + (i >= 60 ? (moves[entity]?.[metric] ?? 0) : 0),
      );
      return { entity, metric, values };
    }),
  );
  return {
    timestamps,
    series,
    topology: [
      { source: 'fe', target: 'a' },
      { source: 'fe', target: 'b' },
      { source: 'a', target: 'c' },
    ],
    incident: { start, entry: 'fe', entryMetric: 'latency' },
  };
}

/** A series for `entity` that sits near `base` (a 0–4 % sawtooth) and moves by `move` from the incident's start. */
export function steppedSeries(input: RcaInput, entity: string, metric: string, base: number, move: number) {
  return {
    entity,
    metric,
    values: Float64Array.from(
      input.timestamps,
      (t, i) => base * (1 + (i % 5) * 0.01) + (t >= input.incident.start ? move : 0),
    ),
  };
}
