import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/model/alert-record.js';
import { uids } from '../../../src/model/uid.js';
import { buildIngestServer } from '../../../src/server/ingest-server.js';
import { ALERTMANAGER_URL } from '../../helpers/services.js';
import { deleteTagged, STORES, tag } from './stores.js';
import { waitFor } from './wait-for.js';

// scripts/services.sh configures Alertmanager to post every group to this address.
const WEBHOOK = { host: '127.0.0.1', port: 18080 };

async function postAlert(labels: Record<string, string>, at: { startsAt: string; endsAt?: string }): Promise<void> {
  const res = await fetch(`${ALERTMANAGER_URL}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { labels, annotations: { summary: 'cart is failing' }, generatorURL: 'http://prometheus/graph', ...at },
    ]),
  });
  expect(res.status).toBe(200);
}

describe('real Alertmanager → webhook → graph', () => {
  for (const [storeName, open] of Object.entries(STORES)) {
    it(`fired, resolved and re-fired alerts land on one Alert node FIRED_ON the service (${storeName})`, async () => {
      const graph = await open();
      const ns = tag();
      const received: AlertRecord[] = [];
      const app = await buildIngestServer({
        graph,
        onAlerts: (rs) => {
          received.push(...rs);
        },
      });
      await app.listen(WEBHOOK);
      const labels = { alertname: 'RootgraphIngestTest', service: 'cartservice', namespace: ns, severity: 'critical' };
      const svc = uids.service('cartservice', ns);
      const alertNode = async (status: string) => {
        const sub = await graph.neighbourhood([svc], { hops: 1, edges: ['FIRED_ON'] });
        const alerts = sub.nodes.filter((n) => n.label === 'Alert');
        return alerts.length === 1 && alerts[0].props.status === status ? alerts[0] : undefined;
      };
      try {
        const t0 = Date.now();
        await postAlert(labels, { startsAt: new Date(t0).toISOString() });
        const fired = await waitFor('the firing alert in the graph', () => alertNode('firing'));
        expect(fired.props).toMatchObject({
          name: 'RootgraphIngestTest',
          severity: 'critical',
          summary: 'cart is failing',
        });
        await postAlert(labels, {
          startsAt: new Date(t0).toISOString(),
          endsAt: new Date(Date.now() - 1000).toISOString(),
        });
        const resolved = await waitFor('the resolved notification', () => alertNode('resolved'));
        expect(resolved.uid).toBe(fired.uid);
        await postAlert(labels, { startsAt: new Date(Date.now()).toISOString() });
        const refired = await waitFor('the re-fired alert', () => alertNode('firing'));
        expect(refired.uid).toBe(fired.uid);
        const mine = received.filter((r) => r.labels.namespace === ns);
        expect(new Set(mine.map((r) => r.status))).toEqual(new Set(['firing', 'resolved']));
        expect(new Set(mine.map((r) => r.fingerprint))).toEqual(new Set([fired.props.fingerprint]));
      } finally {
        // Resolve it in Alertmanager so it stops repeating to whoever listens next.
        await postAlert(labels, {
          startsAt: new Date(Date.now() - 5000).toISOString(),
          endsAt: new Date(Date.now() - 1000).toISOString(),
        });
        await app.close();
        const sub = await graph.neighbourhood([svc], { hops: 1, edges: ['FIRED_ON'] });
        await graph.deleteNodes(sub.nodes.filter((n) => n.label === 'Alert').map((n) => n.uid));
        await deleteTagged(graph, ns);
        await graph.close();
      }
    });
  }
});
