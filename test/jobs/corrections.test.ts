import { describe, expect, it } from 'vitest';
import { QueuedIncidentCorrections } from '../../jobs/queued-incident-corrections.js';
import { loadAlertCorrections } from '../../src/incidents/alert-correction-store.js';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import { alertUid } from '../../src/incidents/incident.js';
import { NOW, SVC, flowAlerts, flowGraph, flowProcess } from './flow-fixture.js';

/** The incident flow on the in-process runner, with the correction queue in front of it. */
async function harness() {
  const graph = await flowGraph();
  const { runner, incidents, state } = flowProcess(graph);
  return { runner, graph, incidents, state, corrections: new QueuedIncidentCorrections(runner) };
}

describe('merge and split on live incidents (through the compress queue)', () => {
  it('merging moves the alerts and resolves the other; splitting opens a new incident; the correlator learns both', async () => {
    const { runner, graph, incidents, state, corrections } = await harness();
    try {
      // Two batches three hours apart: two incidents.
      const [a, b] = flowAlerts();
      await runner.enqueue('compress', { alerts: [a], receivedAt: NOW });
      const later = { ...b, startsAt: b.startsAt + 3 * 3_600_000 };
      await runner.enqueue('compress', { alerts: [later], receivedAt: NOW + 3 * 3_600_000 });
      await runner.drained();
      expect((await incidents.list()).map((i) => i.number).sort()).toEqual([1, 2]);

      expect((await corrections.merge({ into: 1, from: 2, by: 'U1', at: NOW + 4 * 3_600_000 })).message).toContain(
        '#2 into #1',
      );
      await runner.drained();
      const merged = await incidents.get(1);
      const gone = await incidents.get(2);
      expect(merged?.alertFingerprints.sort()).toEqual([a.fingerprint, b.fingerprint].sort());
      expect(gone).toMatchObject({ status: 'resolved', mergedInto: 1, alertFingerprints: [] });
      expect(state.compressor.correlator.corrections.map((c) => c.kind)).toEqual(['merge']);
      const groups = await graph.neighbourhood(['Incident:1'], { hops: 1, edges: ['GROUPS'] });
      expect(groups.edges.map((e) => e.to).sort()).toEqual([alertUid(a.fingerprint), alertUid(b.fingerprint)].sort());

      await corrections.split({ incident: 1, fingerprints: [b.fingerprint], by: 'U1', at: NOW + 5 * 3_600_000 });
      await runner.drained();
      const all = await incidents.list();
      const fresh = all.find((i) => i.alertFingerprints.includes(b.fingerprint) && i.number !== 1);
      expect(fresh?.number).toBe(3);
      expect((await incidents.get(1))?.alertFingerprints).toEqual([a.fingerprint]);
      expect(state.compressor.correlator.corrections.map((c) => c.kind)).toEqual(['merge', 'split']);
      // The split alert no longer GROUPS under incident 1 in the graph.
      const after = await graph.neighbourhood(['Incident:1'], { hops: 1, edges: ['GROUPS'] });
      expect(after.edges.map((e) => e.to)).toEqual([alertUid(a.fingerprint)]);

      // Both corrections are kept in the graph: a compressor rebuilt from them (a restart) has learned the same.
      const kept = await loadAlertCorrections(graph);
      expect(kept.map((c) => c.kind)).toEqual(['merge', 'split']);
      const restarted = new AlertFlowState({ corrections: kept });
      expect(restarted.compressor.correlator.currentWeights()).toEqual(state.compressor.correlator.currentWeights());
      expect(restarted.compressor.correlator.currentWeights()).not.toEqual(
        new AlertFlowState().compressor.correlator.currentWeights(),
      );

      // A bad correction fails as bad input, naming what is wrong.
      await runner.enqueue('compress', { correction: { kind: 'merge', into: 1, from: 99, by: 'U1', at: NOW } });
      await runner.drained();
      const failed = await runner.failed(['compress']);
      expect(failed[0]?.failedReason).toContain('incident 99 does not exist');
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });

  it('after merging an older incident into a newer one, the survivor can still be split; merging into an incident without a group keeps the other merged', async () => {
    const { runner, incidents, state, corrections } = await harness();
    try {
      const [a, b] = flowAlerts();
      await runner.enqueue('compress', { alerts: [a], receivedAt: NOW });
      await runner.enqueue('compress', {
        alerts: [{ ...b, startsAt: b.startsAt + 3 * 3_600_000 }],
        receivedAt: NOW + 3 * 3_600_000,
      });
      await runner.drained();
      await corrections.merge({ into: 2, from: 1, by: 'U1', at: NOW + 4 * 3_600_000 });
      await runner.drained();
      await corrections.split({ incident: 2, fingerprints: [a.fingerprint], by: 'U1', at: NOW + 5 * 3_600_000 });
      await runner.drained();
      expect(await runner.failed(['compress'])).toEqual([]);
      expect(state.compressor.correlator.corrections.map((c) => c.kind)).toEqual(['merge', 'split']);
      expect((await incidents.get(2))?.alertFingerprints).toEqual([b.fingerprint]);

      // A detection incident has no compressor group: merging an alert incident into it keeps that one merged.
      const detected = await incidents.open({
        title: 'detected',
        severity: 'warning',
        entities: [SVC.payment],
        alertFingerprints: [],
        entry: SVC.payment,
        openedAt: NOW,
        source: 'detect',
      });
      const fresh = (await incidents.list()).find((i) => i.number === 3)!;
      await corrections.merge({ into: detected.number, from: fresh.number, by: 'U1', at: NOW + 6 * 3_600_000 });
      await runner.drained();
      const again = { ...a, startsAt: a.startsAt + 6 * 3_600_000 + 60_000 };
      await runner.enqueue('compress', { alerts: [again], receivedAt: again.startsAt });
      await runner.drained();
      expect(await incidents.get(fresh.number)).toMatchObject({
        status: 'resolved',
        mergedInto: detected.number,
        alertFingerprints: [],
      });
      expect((await incidents.get(detected.number))?.alertFingerprints).toContain(a.fingerprint);
    } finally {
      await runner.close({ timeoutMs: 2_000 });
    }
  });
});
