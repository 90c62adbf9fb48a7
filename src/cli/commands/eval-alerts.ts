import type { Command } from 'commander';
import type { AlertEvent } from '../../alerts/alert-event.js';
import type { TopologyEdge } from '../../alerts/causal-distance.js';
import { AlertCompressor } from '../../alerts/compress-alerts.js';
import { adjustedRandIndex, compressionRatio, purity } from '../../alerts/grouping-quality.js';
import { parseAlertmanagerWebhook } from '../../ingest/alertmanager/parse-alertmanager-webhook.js';
import { uids } from '../../model/uid.js';
import { type FaultSpec, type SimAlert, type SimOptions, type SimRun, type Topology, simulate, topologyFor, upstreamOf } from '../../sim/index.js';

/** Alertmanager re-sends a firing group every group_interval (5 min by default): the "repeats" of a storm. */
const REPEAT_MS = 5 * 60_000;
const START = Date.UTC(2024, 0, 8);

/** One storm scenario: a simulated system, its faults, and how many hours to run. */
export interface AlertScenario {
  name: string;
  sim: Pick<SimOptions, 'system' | 'seed' | 'faults'> & { durationS: number };
}

const fault = (type: FaultSpec['type'], target: string, startMin: number, durationMin: number, severity?: number): FaultSpec => ({
  type, target, startS: startMin * 60, durationS: durationMin * 60, ...(severity === undefined ? {} : { severity }),
});

/** The storms `rootgraph eval alerts` runs: single faults, two concurrent faults, flapping, repeats, a larger system. */
export const SCENARIOS: AlertScenario[] = [
  { name: 'single: pod crash (boutique)', sim: { system: 'online-boutique', seed: 11, durationS: 3 * 3600, faults: [fault('pod-crash', 'cartservice', 60, 20)] } },
  { name: 'single: network delay (boutique)', sim: { system: 'online-boutique', seed: 12, durationS: 3 * 3600, faults: [fault('network-delay', 'productcatalogservice', 60, 30)] } },
  { name: 'single: error return (boutique)', sim: { system: 'online-boutique', seed: 13, durationS: 3 * 3600, faults: [fault('error-return', 'paymentservice', 70, 25)] } },
  { name: 'flapping: weak cpu hog (boutique)', sim: { system: 'online-boutique', seed: 14, durationS: 3 * 3600, faults: [fault('cpu-hog', 'currencyservice', 60, 40, 0.6)] } },
  { name: 'two concurrent (boutique)', sim: { system: 'online-boutique', seed: 15, durationS: 3 * 3600, faults: [fault('pod-crash', 'cartservice', 60, 20), fault('cpu-hog', 'adservice', 62, 20)] } },
  { name: 'two concurrent (60 services)', sim: { system: { generated: { services: 60 } }, seed: 16, durationS: 3 * 3600, faults: [] } },
  { name: 'two concurrent (200 services)', sim: { system: { generated: { services: 200 } }, seed: 17, durationS: 4 * 3600, faults: [] } },
];

/** Knowledge-graph edges of a simulated system: CALLS between services, SELECTS service→pod, RUNS_ON pod→machine. */
export function topologyEdges(t: Topology): TopologyEdge[] {
  const ns = new Map(t.services.map((s) => [s.name, s.namespace]));
  const svc = (name: string) => uids.service(name, ns.get(name) ?? 'default');
  return [
    ...t.edges.map((e) => ({ type: 'CALLS' as const, from: svc(e.source), to: svc(e.target) })),
    ...t.pods.flatMap((p) => {
      const pod = uids.pod(p.name, ns.get(p.service) ?? 'default');
      return [{ type: 'SELECTS' as const, from: svc(p.service), to: pod }, { type: 'RUNS_ON' as const, from: pod, to: uids.machine(p.machine) }];
    }),
  ];
}

/**
 * What Alertmanager would post for simulated alert episodes: a firing notification at the start,
 * repeated every 5 minutes while firing, a resolved one at the end; batched per instant into
 * version-4 webhook payloads. Deterministic.
 */
export function webhookPayloads(alerts: readonly SimAlert[], endMs: number): Array<{ at: number; payload: unknown }> {
  const byAt = new Map<number, unknown[]>();
  const post = (at: number, a: SimAlert, status: 'firing' | 'resolved') => {
    const list = byAt.get(at) ?? [];
    list.push({ status, labels: a.labels, annotations: a.annotations, startsAt: new Date(a.startsAt).toISOString(),
      endsAt: status === 'resolved' ? new Date(a.endsAt!).toISOString() : '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: a.fingerprint });
    byAt.set(at, list);
  };
  for (const a of alerts) {
    const until = a.endsAt ?? endMs;
    for (let t = a.startsAt; t < until; t += REPEAT_MS) post(t, a, 'firing');
    if (a.endsAt !== null) post(a.endsAt, a, 'resolved');
  }
  return [...byAt.keys()].sort((x, y) => x - y).map((at) => ({ at, payload: { version: '4', status: 'firing', receiver: 'rootgraph', alerts: byAt.get(at) } }));
}

/**
 * For generated systems: two faults in different parts of the system — the service with the most
 * transitive callers, and the one with the most callers among those neither upstream nor downstream
 * of it — so each raises a storm and the two storms meet only at the entry services.
 */
export function withFaults(s: AlertScenario): SimOptions {
  const base = { start: START, stepS: 30, ...s.sim };
  if (s.sim.faults.length > 0) return base;
  const t = topologyFor(base);
  const up = new Map(t.services.map((x) => [x.name, upstreamOf(t, x.name)]));
  const byCallers = [...up.entries()].filter(([, u]) => u.size > 0 && u.size < t.services.length / 2)
    .sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : 1));
  const [a, upA] = byCallers[0];
  const b = byCallers.find(([n, u]) => n !== a && !upA.has(n) && !u.has(a))?.[0] ?? byCallers[1][0];
  return { ...base, faults: [fault('pod-crash', a, 60, 25), fault('pod-crash', b, 63, 25)] };
}

/** One scenario's figures. */
export interface ScenarioResult {
  name: string;
  faults: number;
  episodes: number;
  notifications: number;
  alerts: number;
  incidents: number;
  /** 1 − incidents / alert episodes (each firing episode an item). */
  compression: number;
  /** 1 − incidents / notifications (every webhook alert, repeats and resolutions included). */
  compressionVsNotifications: number;
  purity: number;
  ari: number;
  /** For multi-fault storms: every fault's alerts mostly land in an incident of their own. */
  separated: boolean | null;
}

/** Runs one scenario through parse → dedup → flap → correlate and scores it against the simulator's truth. */
export function runScenario(s: AlertScenario): ScenarioResult {
  const run: SimRun = simulate(withFaults(s));
  const endMs = START + run.options.durationS * 1000;
  const compressor = new AlertCompressor({ topology: topologyEdges(run.topology) });
  const predicted = new Map<string, string>();
  let notifications = 0;
  for (const { at, payload } of webhookPayloads(run.alerts, endMs)) {
    const { accepted } = parseAlertmanagerWebhook(payload);
    for (const r of accepted) {
      const ev: AlertEvent = { ...r, receivedAt: at };
      const res = compressor.push(ev);
      notifications++;
      if (r.status === 'firing' && res.incident !== undefined) predicted.set(`${r.fingerprint}@${r.startsAt}`, res.incident);
    }
  }
  const truth = new Map<string, string>();
  for (const a of run.alerts) truth.set(`${a.fingerprint}@${a.startsAt}`, a.incident === null ? `noise:${a.fingerprint}` : `fault:${a.incident}`);
  const incidents = compressor.incidents().length;
  return {
    name: s.name, faults: run.truth.faults.length, episodes: run.alerts.length, notifications, alerts: compressor.stats().alerts, incidents,
    compression: compressionRatio(run.alerts.length, incidents), compressionVsNotifications: compressionRatio(notifications, incidents), purity: purity(predicted, truth), ari: adjustedRandIndex(predicted, truth),
    separated: run.truth.faults.length < 2 ? null : separated(predicted, truth, run.truth.faults.length),
  };
}

/** True when each fault's most common incident is different from every other fault's. */
function separated(predicted: Map<string, string>, truth: Map<string, string>, faults: number): boolean | null {
  const homes = new Set<string>();
  const alerting = Array.from({ length: faults }, (_, k) => k).filter((k) => [...truth.values()].includes(`fault:${k}`));
  // A fault that raised no alert cannot be told apart; the check needs two that did.
  if (alerting.length < 2) return null;
  for (const k of alerting) {
    const counts = new Map<string, number>();
    for (const [item, t] of truth) if (t === `fault:${k}` && predicted.has(item)) counts.set(predicted.get(item)!, (counts.get(predicted.get(item)!) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    if (!top) return false;
    homes.add(top[0]);
  }
  return homes.size === alerting.length;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** `rootgraph eval alerts`: simulated alert storms in, incidents out, compression and grouping quality. */
export function registerEvalAlertsCommand(evalCmd: Command): void {
  evalCmd
    .command('alerts')
    .description('Compress simulated alert storms and score the incidents against ground truth (compression, purity, ARI)')
    .option('--json', 'print JSON on stdout')
    .option('--only <text>', 'run only scenarios whose name contains this')
    .action((opts: { json?: boolean; only?: string }) => {
      const chosen = SCENARIOS.filter((s) => !opts.only || s.name.includes(opts.only));
      const results: ScenarioResult[] = [];
      for (const s of chosen) {
        process.stderr.write(`eval alerts: ${s.name}\n`);
        results.push(runScenario(s));
      }
      const episodes = results.reduce((n, r) => n + r.episodes, 0);
      const notifications = results.reduce((n, r) => n + r.notifications, 0);
      const incidents = results.reduce((n, r) => n + r.incidents, 0);
      const summary = {
        episodes, notifications, incidents, compression: compressionRatio(episodes, incidents),
        compressionVsNotifications: compressionRatio(notifications, incidents),
        meanPurity: results.reduce((n, r) => n + r.purity, 0) / Math.max(1, results.length),
        minPurity: Math.min(...results.map((r) => r.purity)),
        concurrentSeparated: results.filter((r) => r.separated !== null).every((r) => r.separated),
      };
      // The goal is judged on alert episodes, the stricter base; notifications are printed alongside.
      const goal = { compressionAtLeast: 0.95, purityAtLeast: 0.95, met: summary.compression >= 0.95 && summary.minPurity >= 0.95 && summary.concurrentSeparated };
      if (opts.json) {
        console.log(JSON.stringify({ scenarios: results, summary, goal }, null, 2));
        return;
      }
      for (const r of results) {
        console.log(`${r.name.padEnd(36)} faults ${r.faults}  alerts in ${String(r.episodes).padStart(5)} (notifications ${r.notifications}, distinct ${r.alerts})`
          + `  incidents ${String(r.incidents).padStart(3)}  compression ${pct(r.compression)} (vs notifications ${pct(r.compressionVsNotifications)})  purity ${r.purity.toFixed(3)}  ARI ${r.ari.toFixed(3)}`
          + (r.separated === null ? '' : `  separated ${r.separated ? 'yes' : 'NO'}`));
      }
      console.log(`total: ${episodes} alerts in (${notifications} notifications) → ${incidents} incidents (${pct(summary.compression)} fewer; `
        + `${pct(summary.compressionVsNotifications)} fewer than notifications), mean purity ${summary.meanPurity.toFixed(3)}, `
        + `min purity ${summary.minPurity.toFixed(3)}, concurrent faults separated: ${summary.concurrentSeparated ? 'yes' : 'NO'}; goal ${goal.met ? 'met' : 'NOT met'}`);
    });
}
