import { afterAll, describe } from 'vitest';
import { openNeo4j } from '../../helpers/services.js';
import { k8sManifestScenarios } from '../../ingest/k8s/scenarios.js';
import { telemetryScenarios } from '../../ingest/traces/telemetry-scenarios.js';
import { deleteTagged, tag } from './stores.js';

// The same scenarios the unit suite runs on the memory store, against the real Neo4j.
describe('ingest scenarios (Neo4j)', () => {
  const used: string[] = [];
  const tagged = () => {
    const t = tag();
    used.push(t);
    return t;
  };
  afterAll(async () => {
    const graph = await openNeo4j();
    for (const t of used) await deleteTagged(graph, t);
    await graph.close();
  });
  k8sManifestScenarios(openNeo4j, tagged);
  telemetryScenarios(openNeo4j, tagged);
});
