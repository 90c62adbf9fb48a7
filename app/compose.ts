import type { Config } from '../src/config.js';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { Neo4jGraphStore } from '../src/graph/neo4j/neo4j-graph-store.js';
import { BufferMetricSource } from '../src/metrics/buffer-metric-source.js';
import { CompositeMetricSource } from '../src/metrics/composite-metric-source.js';
import type { MetricSource } from '../src/ports/metric-source.js';
import { PrometheusMetricSource } from '../src/metrics/prometheus-metric-source.js';

/** The graph backend the configuration asks for: Neo4j when NEO4J_URI is set, else the embedded graph. */
export async function openGraphStore(config: Config): Promise<GraphStore> {
  if (config.neo4j) return Neo4jGraphStore.connect(config.neo4j);
  return MemoryGraphStore.open({ dataDir: config.dataDir, autosaveMs: 30_000 });
}

/**
 * Where metrics are read: Prometheus when PROMETHEUS_URL is set, the in-process ingest buffer (fed by
 * `POST /v1/metrics` and case files), or both. A worker in another process sees only Prometheus.
 */
export function openMetricSource(config: Config, buffer?: BufferMetricSource): MetricSource {
  const prometheus = PrometheusMetricSource.fromConfig(config);
  const sources = [prometheus, buffer].filter((s): s is PrometheusMetricSource | BufferMetricSource => s !== undefined);
  if (sources.length === 1) return sources[0];
  if (sources.length === 0) return new BufferMetricSource();
  return new CompositeMetricSource(sources);
}
