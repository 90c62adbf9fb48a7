import type { Command } from 'commander';
import type { TopologyEdge } from '../../alerts/causal-distance.js';
import { AlertCompressor, type CompressOptions } from '../../alerts/compress-alerts.js';
import { adjustedRandIndex, compressionRatio, purity } from '../../alerts/grouping-quality.js';
import { parseAlertmanagerWebhook } from '../../ingest/alertmanager/parse-alertmanager-webhook.js';
import { uids } from '../../model/uid.js';
import {
  type FaultSpec, type SimOptions, type SimRun, type Topology, simulate, toAlertmanagerWebhooks, topologyFor, upstreamOf,
} from '../../sim/index.js';

const START = Date.UTC(2024, 0, 8);

/**
 * How a scenario picks its faults on a generated system: `fan-in` puts one fault on the service with
 * the most transitive callers (a shared database or cache, where real storms come from); `two-unrelated`
 * puts two faults on services neither up- nor downstream of each other (see `withFaults`).
 */
export type FaultRule = { kind: 'fan-in'; type: FaultSpec['type']; startMin: number; durationMin: number } | { kind: 'two-unrelated' };

/** One storm scenario: a simulated system, its faults (given, or by a rule), and how long to run. */
export interface AlertScenario {
  name: string;
  sim: Pick<SimOptions, 'system' | 'seed' | 'faults'> & { durationS: number };
  rule?: FaultRule;
}

const fault = (type: FaultSpec['type'], target: string, startMin: number, durationMin: number, severity?: number): FaultSpec => ({
  type, target, startS: startMin * 60, durationS: durationMin * 60, ...(severity === undefined ? {} : { severity }),
});
const gen = (services: number) => ({ generated: { services } });

/**
 * The storms `rootgraph eval alerts` runs. Online Boutique faults last 45 min (long enough for
 * repeats and flapping); generated systems put the fault where fan-in is real (the most-called
 * service), which is how one fault becomes tens to hundreds of alerts. Targets are chosen by the
 * rule, never by how the compressor does on them.
 */
export const SCENARIOS: AlertScenario[] = [
  { name: 'single: pod crash (boutique)', sim: { system: 'online-boutique', seed: 11, durationS: 3 * 3600, faults: [fault('pod-crash', 'cartservice', 60, 45)] } },
  { name: 'single: network delay (boutique)', sim: { system: 'online-boutique', seed: 12, durationS: 3 * 3600, faults: [fault('network-delay', 'productcatalogservice', 60, 45)] } },
  { name: 'single: error return (boutique)', sim: { system: 'online-boutique', seed: 13, durationS: 3 * 3600, faults: [fault('error-return', 'paymentservice', 70, 45)] } },
  { name: 'flapping: weak cpu hog (boutique)', sim: { system: 'online-boutique', seed: 14, durationS: 3 * 3600, faults: [fault('cpu-hog', 'currencyservice', 60, 45, 0.6)] } },
  { name: 'single: packet loss, fan-in (60 svc)', sim: { system: gen(60), seed: 21, durationS: 3 * 3600, faults: [] }, rule: { kind: 'fan-in', type: 'packet-loss', startMin: 60, durationMin: 45 } },
  { name: 'single: pod crash, fan-in (120 svc)', sim: { system: gen(120), seed: 21, durationS: 3 * 3600, faults: [] }, rule: { kind: 'fan-in', type: 'pod-crash', startMin: 60, durationMin: 45 } },
  { name: 'single: dep. timeout, fan-in (200 svc)', sim: { system: gen(200), seed: 22, durationS: 3 * 3600, faults: [] }, rule: { kind: 'fan-in', type: 'dependency-timeout', startMin: 60, durationMin: 45 } },
  { name: 'two concurrent (boutique)', sim: { system: 'online-boutique', seed: 15, durationS: 3 * 3600, faults: [fault('pod-crash', 'cartservice', 60, 30), fault('cpu-hog', 'adservice', 62, 30)] } },
  { name: 'two concurrent (60 services)', sim: { system: gen(60), seed: 16, durationS: 3 * 3600, faults: [] }, rule: { kind: 'two-unrelated' } },
  { name: 'two concurrent (200 services)', sim: { system: gen(200), seed: 17, durationS: 4 * 3600, faults: [] }, rule: { kind: 'two-unrelated' } },
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
 * The scenario's simulator options with its faults filled in by its rule. For `two-unrelated`: the
 * service with the most transitive callers (under half the system), and the one with the most
 * callers among those neither upstream nor downstream of it — two storms that meet only at the entry.
 */
export function withFaults(s: AlertScenario): SimOptions {
  const base = { start: START, stepS: 30, ...s.sim };
  if (!s.rule) return base;
  const t = topologyFor(base);
  const up = new Map(t.services.map((x) => [x.name, upstreamOf(t, x.name)]));
  const byCallers = [...up.entries()].sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : 1));
  if (s.rule.kind === 'fan-in') return { ...base, faults: [fault(s.rule.type, byCallers[0][0], s.rule.startMin, s.rule.durationMin)] };
  const eligible = byCallers.filter(([, u]) => u.size > 0 && u.size < t.services.length / 2);
  const [a, upA] = eligible[0];
  const b = eligible.find(([n, u]) => n !== a && !upA.has(n) && !u.has(a))?.[0] ?? eligible[1][0];
  return { ...base, faults: [fault('pod-crash', a, 60, 25), fault('pod-crash', b, 63, 25)] };
}

/** One scenario's figures. */
export interface ScenarioResult {
  name: string;
  faults: number;
  /** Firing episodes the simulator's rules produced (fault and background). */
  simEpisodes: number;
  /** Distinct firing episodes (fingerprint × start) that reached the compressor: the items without compression. */
  episodes: number;
  /** Of those, background noise (belonging to no fault). */
  noiseEpisodes: number;
  /** Alert entries in webhook payloads: firing, repeats and resolutions. */
  notifications: number;
  /** Webhook deliveries (Alertmanager's own grouping by alertname and service). */
  messages: number;
  /** Distinct fingerprints. */
  alerts: number;
  incidents: number;
  /** Incidents holding only background noise (each counts as an item out). */
  noiseIncidents: number;
  /** 1 − incidents / episodes: the goal's measure. */
  compression: number;
  /** 1 − incidents / notifications. */
  compressionVsNotifications: number;
  /** 1 − incidents / webhook deliveries: the gain over Alertmanager's grouping alone. */
  compressionVsMessages: number;
  purity: number;
  ari: number;
  /** For multi-fault storms: every fault's alerts mostly land in an incident of their own. */
  separated: boolean | null;
}

/**
 * Runs one scenario: the simulator's alerts go through its Alertmanager model (group by alertname
 * and service, group_wait 30 s, group_interval 5 min, repeat_interval 1 h), each webhook through
 * parse → dedup → flap → correlate, and the incidents are scored per firing episode against the
 * simulator's truth (noise episodes are labelled by fingerprint, fault episodes by fault).
 */
export function runScenario(s: AlertScenario, opts: CompressOptions = {}): ScenarioResult {
  const run: SimRun = simulate(withFaults(s));
  const endMs = START + run.options.durationS * 1000;
  const compressor = new AlertCompressor({ topology: topologyEdges(run.topology), ...opts });
  let notifications = 0;
  const deliveries = toAlertmanagerWebhooks(run.alerts, endMs);
  for (const { at, payload } of deliveries) {
    const { accepted } = parseAlertmanagerWebhook(payload);
    for (const r of accepted) {
      compressor.push({ ...r, receivedAt: at });
      notifications++;
    }
  }
  // Scored on the final grouping, episode by episode: what the engineer sees once the storm is over.
  const predicted = new Map<string, string>();
  for (const inc of compressor.incidents()) for (const e of inc.episodes) predicted.set(e, inc.id);
  const truth = new Map<string, string>();
  for (const a of run.alerts) truth.set(`${a.fingerprint}@${a.startsAt}`, a.incident === null ? `noise:${a.fingerprint}` : `fault:${a.incident}`);
  const noiseEpisodes = [...predicted.keys()].filter((k) => truth.get(k)?.startsWith('noise:')).length;
  const byIncident = new Map<string, string[]>();
  for (const [k, inc] of predicted) byIncident.set(inc, [...(byIncident.get(inc) ?? []), truth.get(k) ?? 'noise:?']);
  const noiseIncidents = [...byIncident.values()].filter((ts) => ts.every((t) => t.startsWith('noise:'))).length;
  const episodes = predicted.size;
  const out = byIncident.size;
  return {
    name: s.name, faults: run.truth.faults.length, simEpisodes: run.alerts.length, episodes, noiseEpisodes, notifications, messages: deliveries.length,
    alerts: compressor.stats().alerts, incidents: out, noiseIncidents,
    compression: compressionRatio(episodes, out), compressionVsNotifications: compressionRatio(notifications, out),
    compressionVsMessages: compressionRatio(deliveries.length, out), purity: purity(predicted, truth), ari: adjustedRandIndex(predicted, truth),
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

/** Totals over scenarios, and whether issue 8's goal is met. */
export function summarise(results: readonly ScenarioResult[]) {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const episodes = sum((r) => r.episodes);
  const notifications = sum((r) => r.notifications);
  const messages = sum((r) => r.messages);
  const incidents = sum((r) => r.incidents);
  const summary = {
    episodes, notifications, messages, incidents, noiseIncidents: sum((r) => r.noiseIncidents),
    compression: compressionRatio(episodes, incidents), compressionVsNotifications: compressionRatio(notifications, incidents),
    compressionVsMessages: compressionRatio(messages, incidents),
    /** Oracle view, not the goal: items holding only background noise left out of the count (as if noise were filtered perfectly). */
    compressionWithoutNoiseItems: compressionRatio(episodes, incidents - sum((r) => r.noiseIncidents)),
    meanPurity: sum((r) => r.purity) / Math.max(1, results.length), minPurity: Math.min(...results.map((r) => r.purity)),
    meanAri: sum((r) => r.ari) / Math.max(1, results.length),
    concurrentSeparated: results.filter((r) => r.separated !== null).every((r) => r.separated),
  };
  // The goal is judged on firing episodes (the stricter base: repeats and resolutions do not count as items in).
  const goal = { compressionAtLeast: 0.95, purityAtLeast: 0.95, met: summary.compression >= 0.95 && summary.minPurity >= 0.95 && summary.concurrentSeparated };
  return { summary, goal };
}

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
      const { summary, goal } = summarise(results);
      if (opts.json) {
        console.log(JSON.stringify({ scenarios: results, summary, goal }, null, 2));
        return;
      }
      console.log('items in = distinct firing episodes delivered (fingerprint × start); notifications = every alert entry in a webhook (firing, repeats, resolutions);');
      console.log('messages = webhook deliveries after Alertmanager grouping; items out = incidents, standalone noise included. Goal judged on episodes.');
      console.log(`${'scenario'.padEnd(40)} ${'faults'.padStart(6)} ${'episodes'.padStart(8)} ${'noise'.padStart(5)} ${'notif.'.padStart(6)} ${'msgs'.padStart(5)} ${'incid.'.padStart(6)} ${'(noise)'.padStart(7)} `
        + `${'vs episodes'.padStart(11)} ${'vs notif.'.padStart(9)} ${'vs msgs'.padStart(7)} ${'purity'.padStart(6)} ${'ARI'.padStart(6)}  separated`);
      for (const r of results) {
        console.log(`${r.name.padEnd(40)} ${String(r.faults).padStart(6)} ${String(r.episodes).padStart(8)} ${String(r.noiseEpisodes).padStart(5)} ${String(r.notifications).padStart(6)} `
          + `${String(r.messages).padStart(5)} ${String(r.incidents).padStart(6)} ${String(r.noiseIncidents).padStart(7)} ${pct(r.compression).padStart(11)} `
          + `${pct(r.compressionVsNotifications).padStart(9)} ${pct(r.compressionVsMessages).padStart(7)} ${r.purity.toFixed(3).padStart(6)} ${r.ari.toFixed(3).padStart(6)}  `
          + (r.separated === null ? '-' : r.separated ? 'yes' : 'NO'));
      }
      console.log(`total: ${summary.episodes} episodes in (${summary.notifications} notifications, ${summary.messages} messages) → ${summary.incidents} incidents `
        + `(${summary.noiseIncidents} of them standalone noise): ${pct(summary.compression)} fewer than episodes, ${pct(summary.compressionVsNotifications)} fewer than notifications, `
        + `${pct(summary.compressionVsMessages)} fewer than messages; purity mean ${summary.meanPurity.toFixed(3)} min ${summary.minPurity.toFixed(3)}, ARI mean ${summary.meanAri.toFixed(3)}; `
        + `concurrent faults separated: ${summary.concurrentSeparated ? 'yes' : 'NO'}`);
      console.log(`oracle view (not the goal): leaving out the ${summary.noiseIncidents} items that hold only background noise, ${pct(summary.compressionWithoutNoiseItems)} fewer than episodes`);
      console.log(`goal (≥ 95% fewer than episodes, every scenario's purity ≥ 0.95, concurrent faults separated): ${goal.met ? 'MET' : 'NOT met'}`);
    });
}
