import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { k8sManifestScenarios } from './scenarios.js';

describe('ingestK8sManifests (memory store)', () => {
  k8sManifestScenarios(
    () => MemoryGraphStore.open(),
    () => `t${randomUUID().slice(0, 8)}`,
  );
});
