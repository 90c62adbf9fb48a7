import { describe } from 'vitest';
import { openNeo4j } from '../../helpers/services.js';
import { k8sManifestScenarios } from '../../ingest/k8s/scenarios.js';
import { telemetryScenarios } from '../../ingest/traces/telemetry-scenarios.js';
import { tag } from './stores.js';

// The same scenarios the unit suite runs on the memory store, against the real Neo4j.
describe('ingest scenarios (Neo4j)', () => {
  k8sManifestScenarios(openNeo4j, tag);
  telemetryScenarios(openNeo4j, tag);
});
