import { describe, expect, it } from 'vitest';
import { ownFirst } from '../../src/rca/own-first.js';
import { readWritten } from '../cases/helpers/sim-case.js';
import { planSuite, simulate, toCaseFiles } from '../../src/sim/index.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

const NODES = ['frontend', 'checkout', 'email', 'cart'];
const order = (score: Float64Array) =>
  NODES.map((_, j) => j)
    .sort((x, y) => score[y] - score[x])
    .map((j) => NODES[j]);
const never = () => false;

describe('a first suspect that shows nothing of its own yields to one that does', () => {
  it('puts the best-ranked candidate with an own anomaly first; the rest keep their order', () => {
    // frontend leads on the graph alone; cart (own 5) ranks below checkout (own 0.5) and email (own 4).
    const score = Float64Array.from([0.9, 0.6, 0.5, 0.4]);
    ownFirst({ nodes: NODES, ownState: [0.2, 0.5, 4, 5] }, score, never);
    expect(order(score)).toEqual(['email', 'frontend', 'checkout', 'cart']);
  });

  it('leaves the ranking alone when the first suspect shows something of its own, or its own state is unknown', () => {
    for (const ownState of [
      [1.5, 0, 4, 5],
      [null, 0, 4, 5],
    ]) {
      const score = Float64Array.from([0.9, 0.6, 0.5, 0.4]);
      ownFirst({ nodes: NODES, ownState }, score, never);
      expect(order(score)).toEqual(NODES);
    }
  });

  it('leaves it alone when nobody shows an anomaly of their own', () => {
    const score = Float64Array.from([0.9, 0.6, 0.5, 0.4]);
    ownFirst({ nodes: NODES, ownState: [0.2, 2.9, 1, 0] }, score, never);
    expect(order(score)).toEqual(NODES);
  });

  it("reads the first suspect's whole workload: a Service whose Pod restarted is not ownless", () => {
    // frontend's Pod is `cart` here (workload index 0): its own 5 is the workload's.
    const workload = Int32Array.from([0, 1, 2, 0]);
    const score = Float64Array.from([0.9, 0.6, 0.5, 0.4]);
    ownFirst({ nodes: NODES, ownState: [0.2, 0.5, 4, 5], workload }, score, never);
    expect(order(score)).toEqual(NODES);
  });

  it('breaks an exact tie at the top as the ranking does (by name), and judges that suspect', () => {
    const nodes = ['Zeta', 'alpha', 'email'];
    const score = Float64Array.from([0.9, 0.9, 0.5]);
    // The ranking shows alpha first ('alpha' sorts before 'Zeta'); alpha is ownless, Zeta is not.
    ownFirst({ nodes, ownState: [2, 0.2, 4] }, score, never);
    expect(nodes.map((_, j) => j).sort((x, y) => score[y] - score[x] || nodes[x].localeCompare(nodes[y]))[0]).toBe(2);
  });

  it('does not move a first suspect engineers confirmed before', () => {
    const score = Float64Array.from([0.9, 0.6, 0.5, 0.4]);
    ownFirst({ nodes: NODES, ownState: [0.2, 0.5, 4, 5] }, score, (j) => NODES[j] === 'frontend');
    expect(order(score)).toEqual(NODES);
  });
});

describe('in the fused ranking', () => {
  it('a packet loss the front end only relays: the service whose logs show it leads', async () => {
    // The simulator's OTel suite case (`sim export-suite --signals resource --client-spans`, seed 1): CPU,
    // memory, network and restarts per service, latency only at the front end, sparse traces. The walk
    // and traversal stop at the front end, which shows nothing of its own; emailservice's logs surge.
    const [c] = planSuite({ seeds: [1], faults: ['packet-loss'], clientSpans: true }).filter(
      (x) => x.name === 'ob-packet-loss-emailservice-s1',
    );
    const files = toCaseFiles(simulate(c.options), { name: c.name, signals: 'resource' });
    const a = analyseCase(await readWritten(files));
    const ranked = rankRootCauses(a, defaultWeights(), { method: 'fused', rng: seededRng(1) });
    expect(ranked[0].entity).toBe('emailservice');
    expect(ranked[1].entity).toBe('frontend');
  });
});
