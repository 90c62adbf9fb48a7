import { describe, expect, it } from 'vitest';
import { runFeedbackJob } from '../../src/flow/feedback-job.js';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { loadRcaEvidence, rcaEvidenceUid, saveRcaEvidence } from '../../src/incidents/rca-evidence-store.js';
import { loadRcaModel } from '../../src/incidents/rca-model.js';
import type { MetricSource } from '../../src/ports/metric-source.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { applyFeedback } from '../../src/rca/feedback.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { FixtureMetrics, NOW, SVC, flowAlerts, flowGraph, flowProcess } from '../jobs/flow-fixture.js';

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
  const graph = await flowGraph();
  const { runner, incidents } = flowProcess(graph);
  await runner.enqueue('compress', { alerts: flowAlerts(), receivedAt: NOW });
  await runner.drained();
  await runner.close({ timeoutMs: 5_000 });
  const incident = (await incidents.get(1))!;
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
      maxBytes: 100,
    });
    expect(big).toMatchObject({ stored: false, reason: expect.stringMatching(/over 100/) });
    expect(await kept()).toEqual([4]);
  });
});
