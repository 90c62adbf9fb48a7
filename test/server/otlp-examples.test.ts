import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';

// opentelemetry-proto's own examples (examples/{trace,logs,metrics}.json), kept outside the repository.
const DIR = process.env.ROOTGRAPH_OTLP_EXAMPLES ?? join('..', 'shared', 'data', 'otlp', 'examples');
const FILES = { '/v1/traces': 'trace.json', '/v1/logs': 'logs.json', '/v1/metrics': 'metrics.json' } as const;
const present = Object.values(FILES).every((f) => existsSync(join(DIR, f)));

describe.skipIf(!present)(`the official OTLP JSON examples (${DIR})`, () => {
  for (const [url, file] of Object.entries(FILES)) {
    it(`${file} is accepted whole at ${url}`, async () => {
      // The examples are stamped 2018: replayed as an operator replays old data, with the past bound off.
      const app = await buildIngestServer({
        graph: await MemoryGraphStore.open(),
        metrics: new BufferMetricSource(),
        maxPastMs: 0,
      });
      try {
        const res = await app.inject({
          method: 'POST',
          url,
          payload: JSON.parse(readFileSync(join(DIR, file), 'utf8')),
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ rejectedCount: 0 });
        expect(res.json().partialSuccess).toBeUndefined();
        expect(res.json().accepted).toBeGreaterThan(0);
      } finally {
        await app.close();
      }
    });
  }
});

if (!present)
  describe('the official OTLP JSON examples', () => {
    it.skip(`need opentelemetry-proto's examples/{trace,logs,metrics}.json in ${DIR} (or ROOTGRAPH_OTLP_EXAMPLES)`, () => {});
  });
