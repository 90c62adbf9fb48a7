// Two writers of LogTemplate nodes, one service: the ingest aggregator's long-lived miner and the
// log-check job's miner of each run number their templates independently from 1. A template's node
// is its service and text, so neither writer can put its template on the other's node, and the
// same template from both is one node.
import { describe, expect, it } from 'vitest';
import { runLogCheckJob } from '../../src/flow/log-check-job.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { LogIngestor } from '../../src/ingest/logs/log-ingestor.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import type { LogRecordIn } from '../../src/ingest/otel/parse-otlp-logs.js';
import type { LogLine } from '../../src/logs/template-windows.js';
import type { NodeRecord } from '../../src/model/graph.js';
import { uids } from '../../src/model/uid.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);
const CUT = Math.floor(NOW / MIN) * MIN - MIN;
const CART = uids.service('cart', 'shop', 'eu1');

const X = (i: number) => `payment declined for order ${1000 + i}`;
const Y = (i: number) => `GET /cart/${i % 97} 200 in ${i % 13} ms`;

/** Lines of cart in eu1/shop, one every 2 s from `from`, as the ingest path receives them. */
function received(n: number, from: number, message: (i: number) => string): LogRecordIn[] {
  return Array.from({ length: n }, (_, i) => ({
    service: 'cart',
    namespace: 'shop',
    pod: 'cart-1',
    machine: null,
    timeMs: from + i * 2_000,
    level: 'WARN',
    message: message(i),
  }));
}

/** The same lines as the log checks read them. */
const asLogLines = (rs: LogRecordIn[]): LogLine[] =>
  rs.map((r) => ({
    service: r.service,
    namespace: r.namespace,
    cluster: 'eu1',
    timeMs: r.timeMs,
    level: r.level,
    message: r.message,
  }));

async function templatesOfCart(graph: GraphStore): Promise<NodeRecord[]> {
  const sub = await graph.neighbourhood([CART], { hops: 1, edges: ['EMITTED_BY'], direction: 'in' });
  return sub.nodes.filter((n) => n.label === 'LogTemplate');
}

async function runJob(graph: GraphStore, lines: LogLine[]) {
  const logs = new MemoryLogBuffer();
  logs.append(lines);
  const incidents = new IncidentStore(graph, () => NOW);
  return runLogCheckJob({ windowMs: MIN, baselineMs: 60 * MIN }, { graph, incidents, logs, now: () => NOW });
}

describe('LogTemplate nodes written by the ingest aggregator and the log-check job', () => {
  it("keep each writer's template: the job's first template does not overwrite the aggregator's first", async () => {
    const graph = await MemoryGraphStore.open();
    const ingestor = new LogIngestor(graph, { cluster: 'eu1' });
    await ingestor.ingest(received(20, CUT - 30 * MIN, X));
    const [x] = await templatesOfCart(graph);
    expect(x.props.template).toBe('payment declined for order <*>');
    expect(x.props.count).toBe(20);

    // The job's miner sees Y first: its template 1 is Y, where the aggregator's template 1 is X.
    await runJob(graph, asLogLines(received(60, CUT - 10 * MIN, Y)));

    const after = await templatesOfCart(graph);
    const texts = after.map((n) => String(n.props.template)).sort();
    expect(texts).toEqual(['GET <*> in <*>', 'payment declined for order <*>']);
    const xNow = after.find((n) => n.uid === x.uid);
    expect(xNow?.props.template).toBe('payment declined for order <*>');
    expect(xNow?.props.count).toBe(20);
    expect(xNow?.props.counts).toEqual(x.props.counts);
    await graph.close();
  });

  it('put the same template from both writers on one node', async () => {
    const graph = await MemoryGraphStore.open();
    const ingestor = new LogIngestor(graph, { cluster: 'eu1' });
    await ingestor.ingest(received(20, CUT - 30 * MIN, X));
    const [x] = await templatesOfCart(graph);
    await runJob(graph, asLogLines([...received(60, CUT - 50 * MIN, Y), ...received(20, CUT - 30 * MIN, X)]));
    const after = await templatesOfCart(graph);
    expect(after).toHaveLength(2);
    expect(after.filter((n) => n.props.template === 'payment declined for order <*>').map((n) => n.uid)).toEqual([
      x.uid,
    ]);
    await graph.close();
  });

  it("leave the aggregator's running count alone: the job's count of its own run is its own property", async () => {
    const graph = await MemoryGraphStore.open();
    const ingestor = new LogIngestor(graph, { cluster: 'eu1' });
    const lines = received(20, CUT - 30 * MIN, X);
    await ingestor.ingest(lines);
    const [x] = await templatesOfCart(graph);
    expect(x.props.count).toBe(20);
    // The job reads fewer lines than the aggregator counted (its buffer restarted; the aggregator's state did not).
    await runJob(graph, asLogLines(lines.slice(12)));
    const after = await graph.getNode(x.uid);
    expect(after?.props.count).toBe(20);
    expect(after?.props.counts).toEqual(x.props.counts);
    expect(after?.props.checkCount).toBe(8);
    await graph.close();
  });

  it('move a template the aggregator learned more of to its new text, the old node marked and emptied', async () => {
    const graph = await MemoryGraphStore.open();
    const ingestor = new LogIngestor(graph, { cluster: 'eu1' });
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const opened = (i: number) => `session opened for user ${users[i % users.length]}`;
    // One line at a time: each drain writes the template as the miner has it then.
    for (const l of received(12, CUT - 30 * MIN, opened)) await ingestor.ingest([l]);
    const nodes = await templatesOfCart(graph);
    const live = nodes.filter((n) => n.props.mergedInto === undefined);
    expect(live.map((n) => [n.props.template, n.props.count])).toEqual([['session opened for user <*>', 12]]);
    for (const n of nodes.filter((m) => m.props.mergedInto !== undefined)) {
      expect(n.props.mergedInto).toBe(live[0].uid);
      expect(n.props.count).toBe(0);
      expect(n.props.template).not.toBe('session opened for user <*>');
    }
    // The job mining the generalised template writes to the live node, not to a retired one.
    await runJob(graph, asLogLines(received(12, CUT - 20 * MIN, opened)));
    const again = await templatesOfCart(graph);
    expect(again.filter((n) => n.props.template === 'session opened for user <*>').map((n) => n.uid)).toEqual([
      live[0].uid,
    ]);
    await graph.close();
  });
});
