import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDetectorModel } from '../../src/incidents/detector-model-store.js';
import { runDetectJob } from '../../src/flow/detect-job.js';
import { runTrainDetectorJob, whyTrain } from '../../src/flow/train-detector-job.js';
import { readCallTopology } from '../../src/flow/read-call-topology.js';
import { parsePayload } from '../../src/flow/queues.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { FixtureMetrics, NOW, SVC, T0 } from '../jobs/flow-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The fixture's services and calls, in a store that keeps its data in `dataDir`. */
async function openGraph(dataDir: string, now: () => number): Promise<MemoryGraphStore> {
  const graph = await MemoryGraphStore.open({ dataDir, now });
  await graph.upsert({
    nodes: Object.entries(SVC).map(([name, uid]) => ({ label: 'Service' as const, uid, props: { name } })),
    edges: [
      { type: 'CALLS', from: SVC.frontend, to: SVC.checkout, props: {} },
      { type: 'CALLS', from: SVC.checkout, to: SVC.payment, props: {} },
    ],
  });
  return graph;
}

describe('train and detect jobs', () => {
  it('trains when there is no model, reports progress, leaves a fresh model alone, and says when to retrain', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rootgraph-train-job-'));
    dirs.push(dataDir);
    const now = () => T0 - 60_000; // before the fixture's fault: normal data
    const graph = await openGraph(dataDir, now);
    const metrics = new FixtureMetrics();
    const input = parsePayload('train', { system: 'shop', lookbackS: 4 * 3600, stepS: 60, epochs: 2 });
    const progress: number[] = [];
    const first = await runTrainDetectorJob(input, { graph, metrics, now, progress: (p) => void progress.push(p) });
    expect(first.summary).toMatchObject({ system: 'shop', trained: true, reason: 'no-model', version: 1, nodes: 3 });
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThan(1);

    const second = await runTrainDetectorJob(input, { graph, metrics, now });
    expect(second.summary).toEqual({ system: 'shop', trained: false, reason: 'fresh' });

    // When to retrain, against the saved model: a new call, another resolution, age, a new service.
    const model = (await loadDetectorModel(graph, 'shop'))!;
    const entities = ['checkout', 'frontend', 'payment'];
    const topo = await readCallTopology(graph);
    expect(whyTrain(input, model, topo, entities, now())).toBe('fresh');
    expect(whyTrain(input, model, { ...topo, edges: [...topo.edges, ['frontend', 'payment']] }, entities, now())).toBe(
      'topology-changed',
    );
    expect(whyTrain(input, model, topo, [...entities, 'cart'], now())).toBe('topology-changed');
    expect(whyTrain({ ...input, stepS: 30 }, model, topo, entities, now())).toBe('other-resolution');
    expect(whyTrain(input, model, topo, entities, now() + 2 * 86_400_000)).toBe('stale');
    expect(whyTrain({ ...input, force: true }, model, topo, entities, now())).toBe('forced');
    model.vae.dispose();
    await graph.close();
  }, 240_000);

  it('after a restart the detect job scores with the saved model instead of starting untrained', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rootgraph-detect-job-'));
    dirs.push(dataDir);
    const metrics = new FixtureMetrics();
    const before = await openGraph(dataDir, () => T0 - 60_000);
    const detect = parsePayload('detect', { lookbackS: 3 * 3600, stepS: 60, system: 'shop' });
    // Untrained: the ensemble runs without the VAE and says so.
    const untrained = await runDetectJob(detect, {
      graph: before,
      incidents: new IncidentStore(before, () => NOW),
      metrics,
      now: () => T0 - 60_000,
    });
    expect(untrained.summary.model).toBe('none');
    await runTrainDetectorJob(parsePayload('train', { system: 'shop', lookbackS: 4 * 3600, stepS: 60, epochs: 2 }), {
      graph: before,
      metrics,
      now: () => T0 - 60_000,
    });
    await before.flush();
    await before.close();

    const graph = await MemoryGraphStore.open({ dataDir, now: () => NOW }); // a restart
    expect((await loadDetectorModel(graph, 'shop'))?.version).toBe(1);
    const r = await runDetectJob(detect, {
      graph,
      incidents: new IncidentStore(graph, () => NOW),
      metrics,
      now: () => NOW,
    });
    expect(r.summary.detector).toMatch(/^ensemble \(/);
    expect(r.summary.model).toEqual({ version: 1, topology: 'none' });
    // The fixture's fault (latency ×2 on the front door at T0) opens an incident.
    expect(r.summary.opened).toBe(true);
    await graph.close();
  }, 240_000);
});
