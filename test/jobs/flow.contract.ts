/** The incident flow, end to end, on any JobRunner: both runners must pass the same suite. */
import { describe, expect, it } from 'vitest';
import { registerFlow } from '../../src/flow/register-flow.js';
import type { JobRunner } from '../../src/ports/job-runner.js';
import { QueuedFeedbackSink } from '../../jobs/queued-feedback-sink.js';
import { MemoryChannelRateLimiter } from '../../jobs/memory-channel-rate-limiter.js';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { loadRcaModel } from '../../src/incidents/rca-model.js';
import { FixtureMetrics, NOW, RecordingNotifier, SVC, flowAlerts, flowGraph, waitFor } from './flow-fixture.js';

export function flowContract(name: string, open: () => Promise<JobRunner>): void {
  describe(`incident flow (${name})`, () => {
    it('alerts → compressed incident → RCA suspects → one card; re-delivery posts nothing; feedback reweights', async () => {
      const runner = await open();
      const graph = await flowGraph();
      const notifier = new RecordingNotifier();
      const incidents = new IncidentStore(graph, () => NOW);
      registerFlow(
        runner,
        {
          graph,
          incidents,
          alertFlow: new AlertFlowState(),
          metrics: new FixtureMetrics(),
          notifier,
          limiter: new MemoryChannelRateLimiter(1_000),
          now: () => NOW,
        },
        { queues: ['compress', 'rca', 'notify', 'feedback'] },
      );
      try {
        const alerts = flowAlerts();
        const first = await runner.enqueue('compress', { alerts, receivedAt: NOW });
        expect(await runner.enqueue('compress', { alerts: [...alerts], receivedAt: NOW })).toBe(first); // same content, same job

        const done = await waitFor(
          async () => {
            const j = await runner.job('notify', 'notify-1-r1');
            return j?.state === 'completed' ? j : undefined;
          },
          30_000,
          'the card of incident 1',
        );
        expect(done.result).toMatchObject({ outcome: 'published' });
        const incident = await incidents.get(1);
        expect(incident).toMatchObject({
          number: 1,
          revision: 1,
          diagnosedRevision: 1,
          publishedRevision: 1,
          source: 'alerts',
        });
        expect(incident?.alertFingerprints.sort()).toEqual(['fp-frontend-latency', 'fp-payment-cpu']);
        expect(incident?.suspects.length).toBeGreaterThan(0);
        expect(incident?.suspects[0].entity).toBe(SVC.payment);
        expect(incident?.suspects[0].why).toMatch(/σ (above|below) normal/);
        expect((await runner.job('rca', 'rca-1-r1'))?.progress).toBe(100);
        expect(notifier.posts).toEqual([{ incident: 1, revision: 1, top: SVC.payment }]);

        // A re-delivered notify job (a new job id, same revision) and a re-delivered RCA post nothing.
        await runner.enqueue('notify', { incident: 1, revision: 1 }, { jobId: 'notify-1-r1-redelivered' });
        await runner.enqueue('rca', { incident: 1, revision: 1 }, { jobId: 'rca-1-r1-redelivered' });
        const again = await waitFor(
          async () => {
            const j = await runner.job('notify', 'notify-1-r1-redelivered');
            return j?.state === 'completed' ? j : undefined;
          },
          30_000,
          'the re-delivered notify job',
        );
        expect(again.result).toMatchObject({ outcome: 'already-published' });
        await waitFor(async () =>
          (await runner.job('rca', 'rca-1-r1-redelivered'))?.state === 'completed' ? true : undefined,
        );
        expect((await runner.job('rca', 'rca-1-r1-redelivered'))?.result).toMatchObject({
          outcome: 'already-diagnosed',
        });
        expect(notifier.posts).toHaveLength(1);

        // Feedback through the sink: stored, and the weights persisted in the graph move once.
        const sink = new QueuedFeedbackSink(runner);
        const verdict = {
          incident: 1,
          entity: SVC.checkout,
          verdict: 'root-cause' as const,
          by: 'U1',
          source: 'button' as const,
          at: NOW,
        };
        expect((await sink.submit(verdict)).stored).toBe(true);
        expect((await sink.submit(verdict)).stored).toBe(true);
        await waitFor(
          async () => ((await loadRcaModel(graph)).version >= 1 ? true : undefined),
          30_000,
          'the RCA model update',
        );
        const model = await loadRcaModel(graph);
        expect(model.version).toBe(1);
        expect(model.weights.entityPriors[SVC.checkout]).toBeGreaterThan(0);
        expect(await graph.findNodes({ label: 'Feedback' })).toHaveLength(1);
      } finally {
        await runner.close({ timeoutMs: 5_000 });
      }
    });
  });
}
