import { describe, expect, it } from 'vitest';
import { confirmedCauses, runFeedbackJob } from '../../src/flow/feedback-job.js';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { loadRcaModel } from '../../src/incidents/rca-model.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankOf } from '../../src/rca/feedback.js';
import { FixtureMetrics, NOW, SVC, diagnosedFlowIncident } from '../jobs/flow-fixture.js';

describe('feedback never lowers a cause confirmed earlier', () => {
  it('reads confirmed causes from applied verdict keys, newest first, once each, entities with | kept whole', () => {
    expect(
      confirmedCauses(
        [
          '1|Service:a|U1|root-cause',
          '2|Service:b|U1|not-root-cause',
          '3|weird|name|U2|root-cause',
          'junk',
          '1|Service:a|U3|root-cause',
        ],
        10,
      ),
    ).toEqual([
      { incident: 1, entity: 'Service:a' },
      { incident: 3, entity: 'weird|name' },
    ]);
    expect(confirmedCauses(['1|a|U|root-cause', '2|b|U|root-cause'], 1)).toEqual([{ incident: 2, entity: 'b' }]);
  });

  it('later verdicts for another candidate never push the confirmed cause down', async () => {
    const { graph, incidents, incident } = await diagnosedFlowIncident();
    expect(incident.suspects[0].entity).toBe(SVC.payment);
    const ports = { graph, incidents, metrics: new FixtureMetrics(), now: () => NOW };
    const verdict = (entity: string, by: string) =>
      runFeedbackJob({ incident: 1, entity, verdict: 'root-cause', by, source: 'button', at: NOW }, ports);

    await verdict(SVC.payment, 'U1');
    // Five others then name checkout: each step may lift checkout, never above the confirmed payment.
    let last;
    for (const by of ['U2', 'U3', 'U4', 'U5', 'U6']) last = await verdict(SVC.checkout, by);

    const analysis = analyseCase((await buildRcaInput(incident, ports)).input);
    const weights = (await loadRcaModel(graph)).weights;
    expect(rankOf(analysis, weights, 'fused', SVC.payment, 1)).toBe(1);
    expect(last?.summary.reason).toMatch(/weights (updated|unchanged)/);
  });
});
