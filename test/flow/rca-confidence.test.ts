import { describe, expect, it } from 'vitest';
import { renderIncidentText } from '../../bots/console/render-text.js';
import { PagerDutyEvents } from '../../bots/pagerduty/pagerduty-events.js';
import { incidentFallbackText, toIncidentBlocks } from '../../bots/slack/render/incident-blocks.js';
import { displayName } from '../../src/assistant/resolve-entity.js';
import { buildRcaInput } from '../../src/flow/rca-input.js';
import { rivalScores, sameWorkload } from '../../src/flow/rca-job.js';
import { uids } from '../../src/model/uid.js';
import { FixtureMetrics, NOW, SVC, flowGraph, flowProcess, diagnosedFlowIncident } from '../jobs/flow-fixture.js';

describe('a diagnosis says how far to trust it', () => {
  it('stores the ranking’s stated confidence and caveats on the incident, and every card shows them', async () => {
    const { incident } = await diagnosedFlowIncident();

    // The fixture has metrics but no spans and no logs: the diagnosis must say so.
    expect(incident.confidence).toBeDefined();
    expect(incident.confidence!.value).toBeGreaterThanOrEqual(0);
    expect(incident.confidence!.value).toBeLessThanOrEqual(1);
    expect(incident.confidence!.caveats).toEqual(expect.arrayContaining(['no traces', 'no logs']));

    const text = renderIncidentText(incident);
    expect(text).toMatch(/Confidence (low|medium|high) \(\d\.\d\d\): .*no traces; no logs/);
    const blocks = JSON.stringify(toIncidentBlocks(incident));
    expect(blocks).toMatch(
      /"type":"context","elements":\[\{"type":"mrkdwn","text":"_Confidence (low|medium|high) \(\d\.\d\d\)/,
    );
  });
});

describe('the confidence weighs rival workloads, not the top suspect’s own parts', () => {
  it('skips the top Service’s pods and Deployment when finding the runner-up', () => {
    const workloadOf = new Map([
      ['Pod:cart-1', 'Service:cart'],
      ['Deployment:cart', 'Service:cart'],
      ['Pod:front-1', 'Service:front'],
    ]);
    const ranked = [
      { entity: 'Service:cart', score: 1 },
      { entity: 'Pod:cart-1', score: 0.9 },
      { entity: 'Deployment:cart', score: 0.8 },
      { entity: 'Pod:front-1', score: 0.3 },
      { entity: 'Service:front', score: 0.2 },
    ];
    expect(rivalScores(ranked, workloadOf)).toEqual([1, 0.3, 0.2]);
    // Ranked first, the pod stands for its Service: the Service is not its rival either.
    expect(rivalScores([ranked[1], ranked[0], ranked[3]], workloadOf)).toEqual([0.9, 0.3]);
    expect(rivalScores([], workloadOf)).toEqual([]);
  });

  it('reads the top suspect’s own state on every node of its workload', () => {
    const workloadOf = new Map([
      ['Pod:cart-1', 'Service:cart'],
      ['Deployment:cart', 'Service:cart'],
      ['Pod:front-1', 'Service:front'],
    ]);
    const nodes = ['Service:front', 'Pod:cart-1', 'Service:cart', 'Pod:front-1', 'Deployment:cart', 'Node:vm1'];
    expect(sameWorkload(nodes, 'Pod:cart-1', workloadOf)).toEqual(['Pod:cart-1', 'Service:cart', 'Deployment:cart']);
    expect(sameWorkload(nodes, 'Service:cart', workloadOf)).toEqual(['Pod:cart-1', 'Service:cart', 'Deployment:cart']);
    expect(sameWorkload(nodes, 'Node:vm1', workloadOf)).toEqual(['Node:vm1']);
    expect(sameWorkload(nodes, undefined, workloadOf)).toEqual([]);
  });

  it('learns which candidates are one workload from the graph’s SELECTS edges', async () => {
    const graph = await flowGraph();
    const pod = uids.pod('payment-7d9-x1');
    await graph.upsert({
      nodes: [{ label: 'Pod', uid: pod, props: { name: 'payment-7d9-x1' } }],
      edges: [{ type: 'SELECTS', from: SVC.payment, to: pod, props: {} }],
    });
    const { incidents } = flowProcess(graph);
    const incident = await incidents.open({
      title: 'payment slow',
      severity: 'critical',
      entities: [SVC.payment],
      alertFingerprints: [],
      entry: SVC.frontend,
    });
    const built = await buildRcaInput(incident, { graph, metrics: new FixtureMetrics(), now: () => NOW });
    expect([...built.workloadOf]).toEqual([[pod, SVC.payment]]);
  });
});

describe('a notification names no single suspect on a low-confidence diagnosis', () => {
  it('lists the first three as leads when low, the top suspect otherwise, in Slack’s and PagerDuty’s text', async () => {
    const { incident } = await diagnosedFlowIncident();
    const names = incident.suspects.slice(0, 3).map((s) => displayName(s.entity));
    expect(names.length).toBeGreaterThan(1);

    const sure = { ...incident, confidence: { value: 0.7, caveats: [] } };
    const unsure = { ...incident, confidence: { value: 0.05, caveats: ['no traces'] } };
    expect(incidentFallbackText(sure)).toMatch(new RegExp(`— top suspect ${names[0]} \\(score \\d\\.\\d\\d\\)$`));
    expect(incidentFallbackText(unsure)).toMatch(new RegExp(`— leads \\(low confidence\\): ${names.join(', ')}$`));
    const pd = (i: typeof incident) =>
      (new PagerDutyEvents({ routingKey: 'k' }).body(i, 'trigger').payload as { summary: string }).summary;
    expect(pd(sure)).toMatch(new RegExp(`— top suspect ${names[0]}$`));
    expect(pd(unsure)).toMatch(/— leads \(low confidence\): /);
  });
});
