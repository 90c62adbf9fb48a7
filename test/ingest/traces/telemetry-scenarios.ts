import { expect, it } from 'vitest';
import type { GraphStore } from '../../../src/graph/graph-store.js';
import { LogIngestor } from '../../../src/ingest/logs/log-ingestor.js';
import { parseOtlpLogs } from '../../../src/ingest/otel/parse-otlp-logs.js';
import { parseOtlpTraces } from '../../../src/ingest/otel/parse-otlp-traces.js';
import { TraceIngestor } from '../../../src/ingest/traces/trace-ingestor.js';
import { uids } from '../../../src/model/uid.js';
import { graphState } from '../helpers/graph-state.js';
import { simOtlpLogs, simOtlpTraces } from '../helpers/sim-telemetry.js';

/** Trace and log ingest scenarios every graph store must pass; `cluster()` isolates each test. */
export function telemetryScenarios(open: () => Promise<GraphStore>, cluster: () => string): void {
  it('traces become windowed CALLS edges, operations and trace patterns', async () => {
    const graph = await open();
    const c = cluster();
    const ingestor = new TraceIngestor(graph, { cluster: c });
    const spans = parseOtlpTraces(simOtlpTraces(600)).accepted;
    await ingestor.ingest(spans);
    const report = await ingestor.flush();
    expect(report?.rejected).toEqual([]);
    const front = uids.service('frontend', 'boutique', c);
    const sub = await graph.neighbourhood([front], { hops: 1, edges: ['CALLS'], direction: 'out' });
    const toCart = sub.edges.find((e) => e.to === uids.service('cartservice', 'boutique', c));
    expect(toCart?.props.windowStarts).toHaveLength(10);
    expect(toCart?.props.count as number).toBeGreaterThan(10);
    expect(toCart?.props.errorCount as number).toBeGreaterThan(0); // the injected error-return fault
    expect((toCart?.props.p99 as number) >= (toCart?.props.p50 as number)).toBe(true);
    const patterns = (await graph.findNodes({ label: 'TracePattern' })).filter((n) => n.uid.includes(c));
    expect(patterns.length).toBeGreaterThan(1);
    const total = patterns.reduce((a, p) => a + (p.props.count as number), 0);
    expect(total).toBe(new Set(spans.map((s) => s.traceId)).size);
    expect(patterns.some((p) => (p.props.anomalousCount as number) > 0)).toBe(true);
    const ops = await graph.neighbourhood([patterns[0].uid], { hops: 1, edges: ['TOUCHES'] });
    expect(ops.nodes.filter((n) => n.label === 'Operation')).toHaveLength(patterns[0].props.size as number);
    await graph.close();
  });

  it('replaying the same traces and logs leaves the graph unchanged', async () => {
    const graph = await open();
    const c = cluster();
    const traces = new TraceIngestor(graph, { cluster: c });
    const logs = new LogIngestor(graph, { cluster: c });
    const spans = parseOtlpTraces(simOtlpTraces(180)).accepted;
    const lines = parseOtlpLogs(simOtlpLogs(180)).accepted;
    await traces.ingest(spans);
    await traces.flush();
    await logs.ingest(lines);
    const before = await graphState(graph, c);
    expect(before.nodes.length).toBeGreaterThan(20);
    const again = await traces.ingest(spans);
    expect(again).toMatchObject({ accepted: 0, late: spans.length });
    expect(await traces.flush()).toBeNull();
    expect(await logs.ingest(lines)).toMatchObject({ accepted: 0, duplicates: lines.length, upsert: null });
    expect(await graphState(graph, c)).toEqual(before);
    await graph.close();
  });

  it('logs become LogTemplate counts per service and window, EMITTED_BY the service', async () => {
    const graph = await open();
    const c = cluster();
    const logs = new LogIngestor(graph, { cluster: c });
    const lines = parseOtlpLogs(simOtlpLogs(600)).accepted;
    const r = await logs.ingest(lines);
    expect(r.upsert?.rejected).toEqual([]);
    const cart = uids.service('cartservice', 'boutique', c);
    const sub = await graph.neighbourhood([cart], { hops: 1, edges: ['EMITTED_BY'] });
    const templates = sub.nodes.filter((n) => n.label === 'LogTemplate');
    expect(templates.length).toBeGreaterThan(0);
    const all = (await graph.findNodes({ label: 'LogTemplate' })).filter((n) => n.uid.includes(c));
    expect(all.reduce((a, t) => a + (t.props.count as number), 0)).toBe(lines.length);
    expect(templates.some((t) => (t.props.errorCount as number) > 0)).toBe(true);
    await graph.close();
  });
}
