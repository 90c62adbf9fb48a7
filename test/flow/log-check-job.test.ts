import { describe, expect, it } from 'vitest';
import { runLogCheckJob } from '../../src/flow/log-check-job.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import type { ServiceRef } from '../../src/logs/service-ref.js';
import type { LogLine } from '../../src/logs/template-windows.js';
import type { NodeRecord } from '../../src/model/graph.js';
import { uid, uids } from '../../src/model/uid.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);
const CUT = Math.floor(NOW / MIN) * MIN - MIN; // the checked window's start

/** An hour of ordinary traffic of each service in `of` (by default one `cart`), then `last` in the checked window. */
async function job(last: LogLine[], of: ServiceRef[] = [{ service: 'cart' }]) {
  const logs = new MemoryLogBuffer();
  const usual: LogLine[] = [];
  for (const service of of)
    for (let t = CUT - 60 * MIN; t < CUT + MIN; t += 2_000)
      usual.push({ ...service, timeMs: t, level: 'INFO', message: `GET /cart/${t % 97} 200 in ${t % 13} ms` });
  logs.append([...usual, ...last]);
  const graph = await MemoryGraphStore.open();
  const incidents = new IncidentStore(graph, () => NOW);
  const r = await runLogCheckJob({ windowMs: MIN, baselineMs: 60 * MIN }, { graph, incidents, logs, now: () => NOW });
  return { r, graph, incidents };
}

const burst = (level: string, message: string, n = 8, service: ServiceRef = { service: 'cart' }): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({
    ...service,
    timeMs: CUT + 1_000 + i * 500,
    level,
    message: `${message} ${i}`,
  }));

describe('the scheduled log check', () => {
  it('new templates of INFO lines are evidence in the graph, not an incident', async () => {
    const { r, graph } = await job(burst('INFO', 'cache warmed for shard'));
    expect(r.summary.anomalies).toBeGreaterThan(0);
    expect((await graph.findNodes({ label: 'Anomaly' })).length).toBeGreaterThan(0);
    expect(r.summary.incidents).toEqual([]);
  });

  it('new templates with error lines open an incident on the service', async () => {
    const { r } = await job(burst('ERROR', 'connection refused to redis-cart:6379 attempt'));
    expect(r.summary.incidents).toHaveLength(1);
  });

  it("files a namespaced service's findings and incident on the Service node the ingest path writes", async () => {
    const shopCart = { service: 'cart', namespace: 'shop', cluster: 'eu1' };
    const { r, graph, incidents } = await job(
      burst('ERROR', 'connection refused to redis-cart:6379 attempt', 8, shopCart),
      [shopCart],
    );
    const service = uid('Service', 'eu1', 'shop', 'cart');
    expect(uids.service('cart', 'shop', 'eu1')).toBe(service);
    expect(r.summary.incidents).toHaveLength(1);
    const incident = await incidents.get(r.summary.incidents[0]);
    expect(incident?.entry).toBe(service);
    expect(incident?.entities).toEqual([service]);
    const { templates, anomalies } = await attachedTo(graph, service);
    expect(templates.length).toBeGreaterThan(0);
    expect(anomalies.length).toBe(r.summary.anomalies);
    expect(await graph.getNode(uids.service('cart'))).toBeUndefined();
  });

  it('keeps two services of one name in two namespaces apart: only the one with the burst gets the incident', async () => {
    const shop = { service: 'cart', namespace: 'shop', cluster: 'eu1' };
    const outlet = { service: 'cart', namespace: 'outlet', cluster: 'eu1' };
    const { r, graph, incidents } = await job(
      burst('ERROR', 'connection refused to redis-cart:6379 attempt', 8, shop),
      [shop, outlet],
    );
    expect(r.summary.incidents).toHaveLength(1);
    expect((await incidents.get(r.summary.incidents[0]))?.entry).toBe(uids.service('cart', 'shop', 'eu1'));
    const atShop = await attachedTo(graph, uids.service('cart', 'shop', 'eu1'));
    const atOutlet = await attachedTo(graph, uids.service('cart', 'outlet', 'eu1'));
    expect(atShop.anomalies.length).toBeGreaterThan(0);
    expect(atOutlet.anomalies).toEqual([]);
    // Each has its own templates: the burst's error template is only the shop's.
    const texts = (ts: NodeRecord[]) => ts.map((t) => String(t.props.template));
    expect(texts(atShop.templates).some((t) => t.startsWith('connection refused'))).toBe(true);
    expect(texts(atOutlet.templates).some((t) => t.startsWith('connection refused'))).toBe(false);
    expect(atOutlet.templates.length).toBeGreaterThan(0);
  });

  it('names the service in the incident title as namespace/name, with the cluster when it is not the default', async () => {
    const refused = 'connection refused to redis-cart:6379 attempt';
    const shop = { service: 'cart', namespace: 'shop', cluster: 'eu1' };
    const outlet = { service: 'cart', namespace: 'outlet', cluster: 'eu1' };
    const both = await job(
      [...burst('ERROR', refused, 8, shop), ...burst('ERROR', refused, 8, outlet)],
      [shop, outlet],
    );
    expect((await titlesOf(both)).map((t) => t?.slice(0, t.indexOf(':')))).toEqual([
      'Log anomaly on outlet/cart in eu1',
      'Log anomaly on shop/cart in eu1',
    ]);
    const [title] = await titlesOf(await job(burst('ERROR', refused)));
    expect(title).toMatch(/^Log anomaly on cart: /);
  });

  it("stores each anomaly's namespace and cluster on its node", async () => {
    const shop = { service: 'cart', namespace: 'shop', cluster: 'eu1' };
    const outlet = { service: 'cart', namespace: 'outlet', cluster: 'eu1' };
    const refused = 'connection refused to redis-cart:6379 attempt';
    const { graph } = await job(
      [...burst('ERROR', refused, 8, shop), ...burst('INFO', 'cache warmed', 8, outlet)],
      [shop, outlet],
    );
    for (const [ref, id] of [
      [shop, uids.service('cart', 'shop', 'eu1')],
      [outlet, uids.service('cart', 'outlet', 'eu1')],
    ] as const) {
      const { anomalies } = await attachedTo(graph, id);
      expect(anomalies.length).toBeGreaterThan(0);
      for (const a of anomalies) expect(a.props).toMatchObject({ namespace: ref.namespace, cluster: ref.cluster });
    }
    const plain = await job(burst('ERROR', refused));
    const { anomalies } = await attachedTo(plain.graph, uids.service('cart'));
    expect(anomalies.length).toBeGreaterThan(0);
    for (const a of anomalies) expect(a.props).toMatchObject({ namespace: 'default', cluster: 'default' });
  });
});

/** The LogTemplate and Anomaly nodes linked to a service node (EMITTED_BY, FOUND_ON). */
async function attachedTo(graph: GraphStore, service: string) {
  const sub = await graph.neighbourhood([service], { hops: 1, direction: 'in', edges: ['EMITTED_BY', 'FOUND_ON'] });
  return {
    templates: sub.nodes.filter((n) => n.label === 'LogTemplate'),
    anomalies: sub.nodes.filter((n) => n.label === 'Anomaly'),
  };
}

/** The titles of the incidents a run opened or updated, in the run's order. */
async function titlesOf(run: Awaited<ReturnType<typeof job>>): Promise<Array<string | undefined>> {
  return Promise.all(run.r.summary.incidents.map(async (n) => (await run.incidents.get(n))?.title));
}
