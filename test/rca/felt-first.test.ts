import { describe, expect, it } from 'vitest';
import { feltFirst } from '../../src/rca/felt-first.js';
import { FELT } from '../../src/rca/node-states.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { steppedSeries, syntheticCase } from './helpers.js';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';
import { whyLine } from '../../src/flow/rca-job.js';

const NODES = ['shipping', 'frontend', 'checkout', 'cart'];
const { unknown, calm, troubled } = FELT;
const order = (score: Float64Array) =>
  NODES.map((_, j) => j)
    .sort((x, y) => score[y] - score[x])
    .map((j) => NODES[j]);
const never = () => false;
const scores = () => Float64Array.from([0.9, 0.6, 0.5, 0.4]);

describe('a first suspect its callers cannot feel yields to one they do', () => {
  it('puts the best-ranked candidate in trouble just above a calm first suspect; the rest keep their order', () => {
    const score = scores();
    feltFirst({ nodes: NODES, felt: Uint8Array.from([calm, calm, troubled, troubled]) }, score, never);
    expect(order(score)).toEqual(['checkout', 'shipping', 'frontend', 'cart']);
    expect(score[2] - score[0]).toBeLessThan(1e-6);
  });

  it('leaves the ranking alone when the first suspect is in trouble, or what its callers saw is unknown', () => {
    for (const first of [troubled, unknown]) {
      const score = scores();
      feltFirst({ nodes: NODES, felt: Uint8Array.from([first, calm, troubled, calm]) }, score, never);
      expect(order(score)).toEqual(NODES);
    }
  });

  it('leaves it alone when nobody is in trouble, and when the analysis kept no felt states', () => {
    const score = scores();
    feltFirst({ nodes: NODES, felt: Uint8Array.from([calm, calm, unknown, calm]) }, score, never);
    expect(order(score)).toEqual(NODES);
    feltFirst({ nodes: NODES }, score, never);
    expect(order(score)).toEqual(NODES);
  });

  it('does not move a suspect engineers confirmed', () => {
    const score = scores();
    feltFirst({ nodes: NODES, felt: Uint8Array.from([calm, calm, troubled, calm]) }, score, (j) => j === 0);
    expect(order(score)).toEqual(NODES);
  });

  it("reads the first suspect's whole workload: a Service whose Pod is in trouble is not calm", () => {
    // shipping's Pod is `cart` here (workload index 0).
    const workload = Int32Array.from([0, 1, 2, 0]);
    const score = scores();
    feltFirst({ nodes: NODES, felt: Uint8Array.from([calm, calm, troubled, troubled]), workload }, score, never);
    expect(order(score)).toEqual(NODES);
  });
});

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

  it('ranks the failing service above the bystander whose memory its callers never felt, and the card says why', () => {
    const ranked = rankRootCauses(analyseCase(bystander()), defaultWeights(), { rng: seededRng(1) });
    expect(ranked[0].entity).toBe('a');
    const b = ranked.find((r) => r.entity === 'b');
    expect(b?.explanation.slisNormal).toBe(true);
    expect(ranked[0].explanation.slisNormal).toBeUndefined();
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
});
