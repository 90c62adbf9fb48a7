import { describe, expect, it } from 'vitest';
import { alertDeliveries, slicePayloads } from '../../app/demo/sim-payloads.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { NodeLabel } from '../../src/model/graph.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { kubernetesManifests, simulate } from '../../src/sim/index.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';

describe('the demo graph', () => {
  it('holds exactly the services, workloads, pods and nodes of the simulated system, whatever telemetry names', async () => {
    const run = simulate({
      system: 'online-boutique',
      seed: 7,
      // Ending now, as the demo's own run does (the server refuses telemetry older than its past bound).
      start: Math.floor(Date.now() / 60_000) * 60_000 - 600_000,
      durationS: 600,
      stepS: 30,
      traceRatePerS: 1,
      faults: [{ type: 'cpu-hog', target: 'cartservice', startS: 300, durationS: 300 }],
    });
    const graph = await MemoryGraphStore.open();
    const app = await buildIngestServer({ graph, metrics: new BufferMetricSource() });
    try {
      const post = async (url: string, payload: unknown, contentType = 'application/json') => {
        const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const res = await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
        expect(res.json().rejectedCount, `${url}: ${res.body.slice(0, 300)}`).toBe(0);
      };
      await post('/v1/k8s', kubernetesManifests(run.topology), 'application/yaml');
      for (let m = 0; m < 10; m++) {
        const p = slicePayloads(run, m * 60, (m + 1) * 60);
        await post('/v1/metrics', p.metrics);
        await post('/v1/traces', p.traces);
        await post('/v1/logs', p.logs);
      }
      for (const d of alertDeliveries(run)) await post('/v1/alerts/alertmanager', d.payload);
      await app.ingest.flush();
      const names = async (label: NodeLabel) =>
        (await graph.findNodes({ label })).map((n) => String(n.props.name)).sort();
      const { topology } = run;
      expect(await names('Service')).toEqual(topology.services.map((s) => s.name).sort());
      expect(await names('Deployment')).toEqual(topology.services.map((s) => s.name).sort());
      expect(await names('Pod')).toEqual(topology.pods.map((p) => p.name).sort());
      expect(await names('Machine')).toEqual(topology.machines.map((m) => m.name).sort());
      // Every series hangs off one of those entities.
      const series = await graph.findNodes({ label: 'MetricSeries' });
      expect(series.length).toBeGreaterThan(0);
      const labels = new Set(
        (await Promise.all(series.map((s) => graph.getNode(String(s.props.entityUid))))).map((n) => n?.label),
      );
      expect([...labels].sort()).toEqual(['Machine', 'Pod', 'Service']);
    } finally {
      await app.close();
    }
  });
});
