// `npm run bench -- alerts [sizes…]`: alert notifications per second through parse → dedup → flap → correlate,
// for storms over a generated 500-service system (default sizes 10,000 and 100,000 notifications).
import { topologyEdges } from '../app/cli/commands/eval-alerts.js';
import { AlertCompressor } from '../src/alerts/compress-alerts.js';
import { parseAlertmanagerWebhook } from '../src/ingest/alertmanager/parse-alertmanager-webhook.js';
import { createRng, topologyFor, upstreamOf, type Topology } from '../src/sim/index.js';
import { printTable, timeMs } from './table.js';

const RULES = [
  'HighErrorRate',
  'HighRequestLatency',
  'KubePodCrashLooping',
  'CPUThrottlingHigh',
  'ContainerMemoryNearLimit',
];
const START = Date.UTC(2024, 0, 8);
const MIN = 60_000;

/**
 * A storm of `target` notifications: faults at random services every few minutes, each alerting on
 * the root's pods and service and on its transitive callers, with flapping episodes and 5-minute
 * repeats, batched into webhook payloads of up to 20 alerts (JSON text, as it arrives over HTTP).
 */
function storm(t: Topology, target: number, seed: number): string[] {
  const rng = createRng(seed, 'bench-alerts');
  const ns = t.services[0].namespace;
  const podsOf = new Map<string, string[]>();
  for (const p of t.pods) podsOf.set(p.service, [...(podsOf.get(p.service) ?? []), p.name]);
  const payloads: string[] = [];
  let batch: unknown[] = [];
  let produced = 0;
  const send = (a: unknown) => {
    batch.push(a);
    produced++;
    if (batch.length === 20) {
      payloads.push(JSON.stringify({ version: '4', status: 'firing', receiver: 'bench', alerts: batch }));
      batch = [];
    }
  };
  for (let f = 0; produced < target; f++) {
    const root = rng.pick(t.services).name;
    const t0 = START + f * 4 * MIN;
    const affected = [root, ...[...upstreamOf(t, root)].slice(0, 12)];
    for (const [i, svc] of affected.entries()) {
      const pods = i === 0 ? (podsOf.get(svc) ?? []) : [];
      for (const target2 of [undefined, ...pods]) {
        const labels: Record<string, string> = {
          alertname: rng.pick(RULES),
          namespace: ns,
          service: svc,
          severity: rng.next() < 0.5 ? 'warning' : 'critical',
        };
        if (target2) labels.pod = target2;
        // Each alert fires 1–4 episodes (flapping) and is re-sent every 5 minutes while firing.
        let s = t0 + i * 30_000;
        for (let ep = 1 + rng.int(4); ep > 0 && produced < target; ep--) {
          const e = s + (1 + rng.int(8)) * MIN;
          for (let r = s; r < e && produced < target; r += 5 * MIN)
            send({
              status: 'firing',
              labels,
              annotations: {},
              startsAt: new Date(s).toISOString(),
              endsAt: '0001-01-01T00:00:00Z',
            });
          if (produced < target)
            send({
              status: 'resolved',
              labels,
              annotations: {},
              startsAt: new Date(s).toISOString(),
              endsAt: new Date(e).toISOString(),
            });
          s = e + (1 + rng.int(4)) * MIN;
        }
      }
    }
  }
  if (batch.length > 0) payloads.push(JSON.stringify({ version: '4', alerts: batch }));
  return payloads;
}

export async function run(args: string[]): Promise<void> {
  const sizes = args.length > 0 ? args.map(Number) : [10_000, 100_000];
  const topology = topologyFor({ system: { generated: { services: 500 } }, seed: 7 });
  const edges = topologyEdges(topology);
  const rows: Array<Array<string | number>> = [];
  for (const n of sizes) {
    const payloads = storm(topology, n, n);
    let notifications = 0;
    let stats = { alerts: 0, incidents: 0, watchItems: 0, flapsSuppressed: 0 };
    const parseMs = await timeMs(() => {
      for (const p of payloads) parseAlertmanagerWebhook(JSON.parse(p));
    });
    const totalMs = await timeMs(() => {
      const c = new AlertCompressor({ topology: edges });
      for (const p of payloads) {
        for (const r of parseAlertmanagerWebhook(JSON.parse(p)).accepted) {
          c.push(r);
          notifications++;
        }
      }
      stats = c.stats();
    });
    rows.push([
      n.toLocaleString('en-US'),
      stats.alerts,
      stats.flapsSuppressed,
      stats.incidents,
      stats.watchItems,
      Math.round(parseMs),
      Math.round(totalMs),
      Math.round(notifications / (parseMs / 1000)),
      Math.round(notifications / (totalMs / 1000)),
    ]);
  }
  printTable(
    `alert compression, generated system of ${topology.services.length} services / ${topology.pods.length} pods / ${topology.machines.length} machines`,
    [
      'notifications',
      'distinct alerts',
      'flaps held',
      'incidents',
      'watch items',
      'parse ms',
      'parse+compress ms',
      'parse alerts/s',
      'end-to-end alerts/s',
    ],
    rows,
  );
}
