import { describe, expect, it } from 'vitest';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import type { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { AlertRecord } from '../../src/model/alert-record.js';
import { uids } from '../../src/model/uid.js';
import { NOW, flowGraph, flowProcess } from './flow-fixture.js';

const MIN = 60_000;
const critical = (fp: string, name: string, service: string, startsAt: number): AlertRecord => ({
  fingerprint: fp,
  name,
  status: 'firing',
  labels: { alertname: name, service, severity: 'critical' },
  annotations: {},
  startsAt,
  endsAt: null,
  generatorURL: null,
  entity: uids.service(service),
});

/** One run of the compress flow on `graph` (a process's life): its own runner and alert state. */
function processOn(graph: MemoryGraphStore, state: AlertFlowState) {
  const { runner, incidents } = flowProcess(graph, state);
  return {
    incidents,
    send: async (alerts: AlertRecord[], receivedAt: number) => {
      await runner.enqueue('compress', { alerts, receivedAt });
      await runner.drained();
    },
    close: () => runner.close(),
  };
}

/** Alert A before a restart, alert B on a called service after it: the incidents that result. */
async function restartBetween(rebuild: boolean) {
  const graph = await flowGraph();
  const before = processOn(graph, new AlertFlowState());
  await before.send([critical('a1', 'PaymentErrors', 'payment', NOW - 10 * MIN)], NOW - 10 * MIN);
  await before.close();
  const state = new AlertFlowState();
  const replayed = rebuild ? await state.rebuild(graph, NOW - 8 * MIN) : 0;
  const after = processOn(graph, state);
  await after.send([critical('b1', 'CheckoutLatency', 'checkout', NOW - 7 * MIN)], NOW - 7 * MIN);
  await after.close();
  return { replayed, incidents: await after.incidents.list() };
}

describe('the alert correlator across a restart', () => {
  it('rebuilds its groups from the graph, so a related alert joins the ongoing incident instead of opening another', async () => {
    const { replayed, incidents } = await restartBetween(true);
    expect(replayed).toBe(1);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].alertFingerprints.sort()).toEqual(['a1', 'b1']);
  });

  it('without the rebuild, the same alert would open a second incident (what the rebuild prevents)', async () => {
    const { incidents } = await restartBetween(false);
    expect(incidents).toHaveLength(2);
  });
});
