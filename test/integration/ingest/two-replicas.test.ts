import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { Neo4jGraphStore } from '../../../src/graph/neo4j/neo4j-graph-store.js';
import { traceStatParts } from '../../../src/ingest/traces/stat-parts.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { toOtlpTraces, type Trace } from '../../../src/sim/index.js';
import { NEO4J_URI, openNeo4j } from '../../helpers/services.js';
import { graphState, type GraphState } from '../../ingest/helpers/graph-state.js';
import { simRun } from '../../ingest/helpers/sim-telemetry.js';
import { deleteTagged, tag } from './stores.js';

/** A Neo4j store that writes as one of several ingest replicas (what ROOTGRAPH_REPLICA makes `serve` open). */
const replicaStore = (replica: string) =>
  Neo4jGraphStore.connect(
    { uri: NEO4J_URI, user: process.env.NEO4J_USER, password: process.env.NEO4J_PASSWORD, replica },
    { parts: traceStatParts },
  );

async function post(app: FastifyInstance, traces: Trace[]): Promise<void> {
  if (traces.length === 0) return;
  const res = await app.inject({
    method: 'POST',
    url: '/v1/traces',
    payload: toOtlpTraces(simRun().topology, traces),
  });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ rejectedCount: 0 });
}

/**
 * The graph a test wrote, comparable across cluster tags: the tag replaced, TracePatterns named by their
 * operations (their uid hashes the tagged operation uids), summed latencies to the millisecond (the
 * replicas add them in another order), nodes and edges sorted again.
 */
function normalised(state: GraphState, t: string): GraphState {
  let text = JSON.stringify(state).replaceAll(t, 'TAG');
  const raw = JSON.parse(text) as GraphState;
  for (const n of raw.nodes)
    if (n.label === 'TracePattern')
      text = text.replaceAll(n.uid, `TracePattern:${(n.props.operations as string[]).join('|')}`);
  const out = JSON.parse(text, (k, v: unknown) =>
    k === 'sumMs' && Array.isArray(v) ? v.map((x) => Math.round(x as number)) : v,
  ) as GraphState;
  const key = (x: { uid?: string; type?: string; from?: string; to?: string }) =>
    x.uid ?? `${x.type} ${x.from} ${x.to}`;
  const order = (x: object, y: object) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
  return { nodes: out.nodes.sort(order), edges: out.edges.sort(order) };
}

describe('two ingest replicas against one Neo4j', () => {
  it('with traces split by trace id, they build the graph one process builds', async () => {
    const split = tag();
    const solo = tag();
    const stores: GraphStore[] = [
      await replicaStore(`${split}-a`),
      await replicaStore(`${split}-b`),
      await openNeo4j(),
    ];
    // The simulated run is stamped January 2026: the replicas receive it as it ends.
    const { start, durationS } = simRun().options;
    const now = () => start + durationS * 1000;
    const [a, b, one] = await Promise.all([
      buildIngestServer({ graph: stores[0], cluster: split, traceIdleMs: 0, now }),
      buildIngestServer({ graph: stores[1], cluster: split, traceIdleMs: 0, now }),
      buildIngestServer({ graph: stores[2], cluster: solo, traceIdleMs: 0, now }),
    ]);
    try {
      const traces = [...simRun().traces()];
      expect(traces.length).toBeGreaterThan(500);
      // Requests of 40 traces, as a collector's batch; the load-balancing exporter's split is by trace id.
      for (let i = 0; i < traces.length; i += 40) {
        const batch = traces.slice(i, i + 40);
        const byReplica = [0, 1].map((r) => batch.filter((t) => parseInt(t.traceId.slice(-2), 16) % 2 === r));
        await Promise.all([post(a, byReplica[0]), post(b, byReplica[1]), post(one, batch)]);
      }
      await Promise.all([a.ingest.flush(), b.ingest.flush(), one.ingest.flush()]);

      const merged = await graphState(stores[2], split);
      const single = await graphState(stores[2], solo);
      expect(single.edges.filter((e) => e.type === 'CALLS').length).toBeGreaterThan(10);
      // Equal but for one thing: a slow root counts as anomalous against the latency history of its
      // operation, which each replica learns from the half of the traces it sees.
      const [m, o] = [normalised(merged, split), normalised(single, solo)];
      const counts = (n: GraphState['nodes'][number]) => [n.props.anomalousCount as number, n.props.count as number];
      for (const [i, n] of m.nodes.entries())
        if (n.label === 'TracePattern') {
          const [anomalous, count] = counts(n);
          const [anomalousOne, countOne] = counts(o.nodes[i]);
          expect(count).toBe(countOne);
          expect(Math.abs(anomalous - anomalousOne)).toBeLessThanOrEqual(Math.max(2, count * 0.02));
          for (const x of [n, o.nodes[i]]) for (const k of ['anomalousCount', 'normalCount']) delete x.props[k];
        }
      expect(m).toEqual(o);
      // Each replica saw only part of the traffic: its own part of a CALLS edge holds less than the merge.
      const calls = merged.edges
        .filter((e) => e.type === 'CALLS')
        .sort((x, y) => (y.props.count as number) - (x.props.count as number))[0];
      const parts = await stores[2].cypher(
        'MATCH (:Node {uid: $from})-[r:CALLS]->(:Node {uid: $to}) RETURN [k IN keys(r) WHERE k STARTS WITH "part." | k] AS parts',
        { params: { from: calls.from, to: calls.to }, timeoutMs: 10_000, maxRows: 1 },
      );
      expect([...(parts.rows[0][0] as string[])].sort()).toEqual([`part.${split}-a`, `part.${split}-b`]);
    } finally {
      await Promise.all([a.close(), b.close(), one.close()]);
      await deleteTagged(stores[2], split);
      await deleteTagged(stores[2], solo);
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
