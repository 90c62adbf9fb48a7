import { describe, expect, it } from 'vitest';
import { renderIncidentText } from '../../bots/console/render-text.js';
import { toIncidentBlocks } from '../../bots/slack/render/incident-blocks.js';
import { NOW, flowAlerts, flowGraph, flowProcess } from '../jobs/flow-fixture.js';

describe('a diagnosis says how far to trust it', () => {
  it('stores the ranking’s stated confidence and caveats on the incident, and every card shows them', async () => {
    const graph = await flowGraph();
    const { runner, incidents } = flowProcess(graph);
    await runner.enqueue('compress', { alerts: flowAlerts(), receivedAt: NOW });
    await runner.drained();
    await runner.close({ timeoutMs: 5_000 });
    const incident = (await incidents.get(1))!;

    // The fixture has metrics but no spans and no logs: the diagnosis must say so.
    expect(incident.confidence).toBeDefined();
    expect(incident.confidence!.value).toBeGreaterThanOrEqual(0);
    expect(incident.confidence!.value).toBeLessThanOrEqual(1);
    expect(incident.confidence!.caveats).toEqual(expect.arrayContaining(['no traces', 'no logs']));

    const text = renderIncidentText(incident);
    expect(text).toMatch(/Confidence (low|medium|high) \(\d\.\d\d\): .*no traces; no logs/);
    const blocks = JSON.stringify(toIncidentBlocks(incident));
    expect(blocks).toMatch(/_Confidence (low|medium|high) \(\d\.\d\d\)/);
  });
});
