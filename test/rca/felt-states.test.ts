import { describe, expect, it } from 'vitest';
import { FELT } from '../../src/rca/node-states.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { steppedSeries, syntheticCase } from './helpers.js';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';
import { whyLine } from '../../src/assistant/why-line.js';

const { unknown, calm, troubled } = FELT;

describe('felt states from a case', () => {
  // fe → a, fe → b, a → c: b's memory runs away while it serves as always; a starts failing, its CPU
  // moving a little with it. The alarm is fe's latency.
  const bystander = () => {
    const input = syntheticCase(3, { fe: { latency: 30 }, a: { errors: 30 } });
    for (const e of ['fe', 'a', 'b', 'c'])
      input.series = [
        ...input.series,
        steppedSeries(input, e, 'cpu_usage', 1, e === 'a' ? 0.1 : 0),
        steppedSeries(input, e, 'memory_usage', 100, e === 'b' ? 300 : 0),
      ];
    return input;
  };

  it('reads a service with measured, normal SLIs as calm and one whose SLI moved as in trouble', () => {
    const a = analyseCase(bystander());
    const felt = (e: string) => a.felt?.[a.graph.index.get(e) as number];
    expect([felt('a'), felt('b'), felt('c')]).toEqual([troubled, calm, calm]);
  });

  it("the card says a bystander's SLIs stayed normal, and the stored explanation keeps it", () => {
    const ranked = rankRootCauses(analyseCase(bystander()), defaultWeights(), { rng: seededRng(1) });
    const b = ranked.find((r) => r.entity === 'b');
    expect(b?.explanation.slisNormal).toBe(true);
    expect(ranked.find((r) => r.entity === 'a')?.explanation.slisNormal).toBeUndefined();
    // An incident stores the explanation as JSON; the mark survives the round trip and reaches the card.
    const stored = parseSuspectExplanation(JSON.parse(JSON.stringify(b?.explanation)));
    expect(stored.slisNormal).toBe(true);
    expect(whyLine(b!.explanation)).toContain('memory');
    expect(whyLine(b!.explanation)).toContain('its own latency and errors stayed normal');
  });

  it('reads a service whose network moved as not calm: a delay on its network lies outside its SLIs', () => {
    // fe → a → c; a delay on c's network: its callers' latency rises, its own does not, its bytes fall.
    const input = syntheticCase(4, { fe: { latency: 30 }, a: { latency: 30 } });
    for (const e of ['fe', 'a', 'b', 'c'])
      input.series = [
        ...input.series,
        steppedSeries(input, e, 'network_transmit_bytes', 100, e === 'c' ? -60 : 0),
        steppedSeries(input, e, 'cpu_usage', 1, 0),
      ];
    const a = analyseCase(input);
    expect(a.felt?.[a.graph.index.get('c') as number]).toBe(unknown);
    expect(rankRootCauses(a, defaultWeights(), { rng: seededRng(1) })[0].entity).toBe('c');
  });

  it("reads a service whose SLIs went silent, fell to 0 or crept past normal's range as not calm", () => {
    // `requests`: the step of a request series near `usual`, or the series itself by row.
    const feltOf = (
      e: string,
      change: (v: number, i: number) => number,
      requests?: number | ((i: number) => number),
      usual = 50,
    ) => {
      const input = bystander();
      for (const s of input.series)
        if (s.entity === e && (s.metric === 'latency' || s.metric === 'errors'))
          s.values = s.values.map((v, i) => (i >= 60 ? change(v, i) : v));
      if (typeof requests === 'number')
        input.series = [...input.series, steppedSeries(input, e, 'request_rate', usual, requests)];
      else if (requests)
        input.series = [
          ...input.series,
          { entity: e, metric: 'request_rate', values: Float64Array.from(input.timestamps, (_, i) => requests(i)) },
        ];
      const a = analyseCase(input);
      return a.felt?.[a.graph.index.get(e) as number];
    };
    // A crash: its SLIs stop being reported and its requests stop with them.
    expect(feltOf('b', () => Number.NaN, -50)).toBe(unknown);
    // Averages over no requests scraped as 0.
    expect(feltOf('b', () => 0)).toBe(unknown);
    // Above anything normal operation reached, though under the 3σ that counts as trouble.
    expect(feltOf('b', (_, i) => 12.5 + (i % 2) * 0.2)).toBe(unknown);
    // Silent after the window's first sample: a crash part way through.
    expect(feltOf('b', (v, i) => (i === 60 ? v : Number.NaN))).toBe(unknown);
    // The same service left alone is calm, with or without a request series.
    expect(feltOf('b', (v) => v)).toBe(calm);
    expect(feltOf('b', (v) => v, 0)).toBe(calm);
    // SLIs that repeat normal while its requests stop (a stale exporter over a crash) say nothing.
    expect(feltOf('b', (v) => v, -50)).toBe(unknown);
    // A service idle before and after (no requests in either) has not stopped: its SLIs still count.
    expect(feltOf('b', (v) => v, 0, 0)).toBe(calm);
    // A sparse service (requests in 2 of 5 minutes: a median of 0) whose requests stop has stopped too.
    expect(
      feltOf(
        'b',
        (v) => v,
        (i) => (i >= 60 ? 0 : i % 5 < 2 ? 5 : 0),
      ),
    ).toBe(unknown);
    // The same sparse service serving as before has not stopped, though both medians are 0.
    expect(
      feltOf(
        'b',
        (v) => v,
        (i) => (i % 3 === 0 ? 5 : 0),
      ),
    ).toBe(calm);
  });

  it("ranks a failing caller above its calm callee's runaway memory: its callers felt nothing of it", () => {
    // fe → a → c: a fails (its CPU moving a little with it); c's memory runs away while it serves as
    // always. The traversal used to step past a to c, an anomalous callee, and rank c first.
    const input = syntheticCase(5, { fe: { errors: 30 }, a: { errors: 30 } });
    input.incident.entryMetric = 'errors';
    for (const e of ['fe', 'a', 'b', 'c'])
      input.series = [
        ...input.series,
        steppedSeries(input, e, 'memory_usage', 100, e === 'c' ? 80 : 0),
        steppedSeries(input, e, 'cpu_usage', 1, e === 'a' ? 0.2 : 0),
      ];
    const a = analyseCase(input);
    expect(a.felt?.[a.graph.index.get('c') as number]).toBe(calm);
    expect(rankRootCauses(a, defaultWeights(), { rng: seededRng(1) })[0].entity).toBe('a');
  });

  it('needs both ways a caller feels a callee measured: a service with flat errors and no latency is not calm', () => {
    const input = bystander();
    input.series = input.series.filter((s) => !(s.entity === 'b' && s.metric === 'latency'));
    const a = analyseCase(input);
    expect(a.felt?.[a.graph.index.get('b') as number]).toBe(unknown);
  });
});
