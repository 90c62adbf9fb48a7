import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MemoryGraphStore } from '../../../src/graph/memory/memory-graph-store.js';
import { telemetryScenarios } from './telemetry-scenarios.js';

describe('trace and log ingest (memory store)', () => {
  telemetryScenarios(
    () => MemoryGraphStore.open(),
    () => `t${randomUUID().slice(0, 8)}`,
  );
});
