import { describe, expect, it } from 'vitest';
import { runFeedbackJob } from '../../src/flow/feedback-job.js';
import { runRcaJob } from '../../src/flow/rca-job.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import type { GraphBatch } from '../../src/model/graph.js';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { loadRcaEvidence, rcaEvidenceUid, saveRcaEvidence } from '../../src/incidents/rca-evidence-store.js';
import { loadRcaModel } from '../../src/incidents/rca-model.js';
import type { MetricSource } from '../../src/ports/metric-source.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { applyFeedback } from '../../src/rca/feedback.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { FixtureMetrics, NOW, SVC, T0, flowGraph, diagnosedFlowIncident } from '../jobs/flow-fixture.js';

/** A metric store whose retention has passed: it knows nothing any more. */
const emptyMetrics: MetricSource = { kind: 'buffer', query: async () => [], listSeries: async () => [] };

const verdict = {
  incident: 1,
  entity: SVC.checkout,
  verdict: 'root-cause' as const,
  by: 'U1',
  source: 'button' as const,
};

/**
 * One diagnosed incident (#1, payment first) on a fresh graph, flow closed, and the weights the verdict
 * gives when judged on the analysis its card was ranked on.
 */
async function diagnosed() {
  const { graph, incidents, incident } = await diagnosedFlowIncident();
  const ports = { graph, incidents, metrics: new FixtureMetrics(), now: () => NOW };
  const shown = analyseCase((await buildRcaInput(incident, ports)).input);
  const onShown = applyFeedback(defaultWeights(), [{ ...verdict, caseId: '1', at: NOW }], new Map([['1', shown]]));
  return { graph, incident, ports, onShown };
}

describe('feedback reweights on the evidence the card was ranked on', () => {
  it('uses the stored analysis after the metrics are gone, as if they were still there', async () => {
    const { graph, incident, ports, onShown: expected } = await diagnosed();
    expect(incident.diagnosedRevision).toBe(incident.revision);

    const res = await runFeedbackJob({ ...verdict, at: NOW }, { ...ports, metrics: emptyMetrics });

    expect(res.summary.reanalysed).toBeUndefined();
    expect(res.summary.applied).toBe(expected.accepted);
    expect((await loadRcaModel(graph)).weights).toEqual(expected.weights);
  });

  it('without stored evidence it re-analyses current data, and says so', async () => {
    const { graph, ports, onShown } = await diagnosed();
    await graph.deleteNodes([rcaEvidenceUid(1)]);

    const res = await runFeedbackJob({ ...verdict, at: NOW }, { ...ports, metrics: emptyMetrics });

    expect(res.summary.reanalysed).toEqual([1]);
    // Judged on no metrics, the step differs from the one the card's evidence gives.
    expect((await loadRcaModel(graph)).weights).not.toEqual(onShown.weights);
  });

  it('reads evidence only for the revision the card shows', async () => {
    const { graph, incident } = await diagnosed();
    const rev = incident.diagnosedRevision!;
    expect(await loadRcaEvidence(graph, 1, rev)).toBeDefined();
    expect(await loadRcaEvidence(graph, 1, rev + 1)).toBeUndefined();
  });

  it('keeps evidence for the most recent incidents only, and skips an analysis over the size cap', async () => {
    const { graph } = await diagnosed();
    const analysis = (await loadRcaEvidence(graph, 1, 1))!;
    const opts = { keepIncidents: 2, sweep: 5 };
    for (const n of [2, 3, 4]) await saveRcaEvidence(graph, { incident: n, revision: 1, now: NOW }, analysis, opts);
    const kept = async () => {
      const out: number[] = [];
      for (const n of [1, 2, 3, 4]) if (await graph.getNode(rcaEvidenceUid(n))) out.push(n);
      return out;
    };
    expect(await kept()).toEqual([3, 4]);

    const big = await saveRcaEvidence(graph, { incident: 5, revision: 1, now: NOW }, analysis, {
      ...opts,
      maxChars: 100,
    });
    expect(big).toMatchObject({ stored: false, reason: expect.stringMatching(/over 100/) });
    expect(await kept()).toEqual([4]);
  });
});

describe('evidence that cannot be kept or read never costs a diagnosis or a verdict', () => {
  it('keeps nothing for an incident re-diagnosed after it fell out of the most recent ones', async () => {
    const { graph } = await diagnosed();
    const analysis = (await loadRcaEvidence(graph, 1, 1))!;
    for (let k = 0; k < 5; k++) await graph.nextSequence('incident'); // incidents 2–6 opened since
    const late = await saveRcaEvidence(graph, { incident: 1, revision: 2, now: NOW }, analysis, {
      keepIncidents: 2,
      sweep: 5,
    });
    expect(late).toEqual({ stored: false, reason: 'incident 1 is older than the 2 most recent (latest 6)' });
    expect(await graph.getNode(rcaEvidenceUid(1))).toBeUndefined();
  });

  it('re-analyses when the stored evidence is corrupt, and says which', async () => {
    const { graph, ports, onShown } = await diagnosed();
    const node = (await graph.getNode(rcaEvidenceUid(1)))!;
    await graph.upsert({ nodes: [{ ...node, props: { ...node.props, analysis: 'bm90IGd6aXA=' } }], edges: [] });

    const res = await runFeedbackJob({ ...verdict, at: NOW }, { ...ports, metrics: emptyMetrics });

    expect(res.summary.reanalysed).toEqual([1]);
    expect(res.summary.unreadable?.[0]).toMatch(/^incident 1: /);
    expect((await loadRcaModel(graph)).weights).not.toEqual(onShown.weights);
  });

  it('diagnoses even when the graph refuses the evidence, and says why it was not kept', async () => {
    const inner = await flowGraph();
    const graph = new Proxy(inner, {
      get(target, key, receiver) {
        if (key !== 'upsert') return Reflect.get(target, key, receiver);
        return async (batch: GraphBatch) => {
          if (batch.nodes.some((n) => n.label === 'RcaEvidence')) throw new Error('disk full');
          return target.upsert(batch);
        };
      },
    });
    const incidents = new IncidentStore(graph, () => NOW);
    const incident = await incidents.open({
      title: 'payment slow',
      severity: 'critical',
      entities: [SVC.payment],
      alertFingerprints: [],
      entry: SVC.frontend,
      openedAt: T0,
    });
    const res = await runRcaJob(
      { incident: incident.number, revision: 1 },
      { graph, incidents, metrics: new FixtureMetrics(), now: () => NOW },
    );
    expect(res.summary).toMatchObject({ outcome: 'diagnosed', evidence: 'not stored: disk full' });
    expect((await incidents.get(incident.number))?.diagnosedRevision).toBe(1);
  });

  it('reports evidence the graph rejected (rather than threw on) as not stored', async () => {
    const { graph } = await diagnosed();
    const analysis = (await loadRcaEvidence(graph, 1, 1))!;
    const refusing = new Proxy(graph, {
      get(target, key, receiver) {
        if (key !== 'upsert') return Reflect.get(target, key, receiver);
        return async () => ({
          nodesCreated: 0,
          nodesUpdated: 0,
          edgesCreated: 0,
          edgesUpdated: 0,
          rejected: [{ kind: 'node' as const, index: 0, where: 'nodes[0].props.analysis', reason: 'too large' }],
        });
      },
    });
    expect(await saveRcaEvidence(refusing, { incident: 2, revision: 1, now: NOW }, analysis)).toEqual({
      stored: false,
      reason: 'refused by the graph: nodes[0].props.analysis: too large',
    });
  });

  it('keeps a newer revision’s evidence when an older RCA job finishes last', async () => {
    const { graph } = await diagnosed();
    const analysis = (await loadRcaEvidence(graph, 1, 1))!;
    await saveRcaEvidence(graph, { incident: 1, revision: 3, now: NOW }, analysis);
    const late = await saveRcaEvidence(graph, { incident: 1, revision: 2, now: NOW }, analysis);
    expect(late).toEqual({ stored: false, reason: 'revision 3 is stored already' });
    expect(await loadRcaEvidence(graph, 1, 3)).toBeDefined();
  });
});
