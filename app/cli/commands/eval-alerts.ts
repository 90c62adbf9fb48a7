import type { Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import type { TopologyEdge } from '../../../src/alerts/causal-distance.js';
import { AlertCompressor, type CompressOptions } from '../../../src/alerts/compress-alerts.js';
import type { AlertGroup } from '../../../src/alerts/correlate-alerts.js';
import { parseEpisode } from '../../../src/alerts/alert-group.js';
import { adjustedRandIndex, compressionRatio, purity } from '../../../src/alerts/grouping-quality.js';
import { parseAlertmanagerWebhook } from '../../../src/ingest/alertmanager/parse-alertmanager-webhook.js';
import { uids } from '../../../src/model/uid.js';
import {
  type FaultSpec,
  type SimOptions,
  type SimRun,
  type Topology,
  simulate,
  toAlertmanagerWebhooks,
  topologyFor,
  upstreamOf,
} from '../../../src/sim/index.js';

const START = Date.UTC(2024, 0, 8);
const TICK_MS = 60_000;

/**
 * How a scenario picks its faults on a generated system: `fan-in` puts one fault on the service with
 * the most transitive callers (a shared database or cache, where real storms come from); `two-unrelated`
 * puts two faults on services neither up- nor downstream of each other (see `withFaults`).
 */
export type FaultRule =
  { kind: 'fan-in'; type: FaultSpec['type']; startMin: number; durationMin: number } | { kind: 'two-unrelated' };

/** One storm scenario: a simulated system, its faults (given, or by a rule), and how long to run. */
export interface AlertScenario {
  name: string;
  sim: Pick<SimOptions, 'system' | 'seed' | 'faults'> & { durationS: number };
  rule?: FaultRule;
}

const fault = (
  type: FaultSpec['type'],
  target: string,
  startMin: number,
  durationMin: number,
  severity?: number,
): FaultSpec => ({
  type,
  target,
  startS: startMin * 60,
  durationS: durationMin * 60,
  ...(severity === undefined ? {} : { severity }),
});
const gen = (services: number) => ({ generated: { services } });

/**
 * The storms `rootgraph eval alerts` runs. Online Boutique faults last 45 min (long enough for
 * repeats and flapping); generated systems put the fault where fan-in is real (the most-called
 * service), which is how one fault becomes tens to hundreds of alerts. Targets are chosen by the
 * rule, never by how the compressor does on them.
 */
export const SCENARIOS: AlertScenario[] = [
  {
    name: 'single: pod crash (boutique)',
    sim: {
      system: 'online-boutique',
      seed: 11,
      durationS: 3 * 3600,
      faults: [fault('pod-crash', 'cartservice', 60, 45)],
    },
  },
  {
    name: 'single: network delay (boutique)',
    sim: {
      system: 'online-boutique',
      seed: 12,
      durationS: 3 * 3600,
      faults: [fault('network-delay', 'productcatalogservice', 60, 45)],
    },
  },
  {
    name: 'single: error return (boutique)',
    sim: {
      system: 'online-boutique',
      seed: 13,
      durationS: 3 * 3600,
      faults: [fault('error-return', 'paymentservice', 70, 45)],
    },
  },
  {
    name: 'flapping: weak cpu hog (boutique)',
    sim: {
      system: 'online-boutique',
      seed: 14,
      durationS: 3 * 3600,
      faults: [fault('cpu-hog', 'currencyservice', 60, 45, 0.6)],
    },
  },
  {
    name: 'single: packet loss, fan-in (60 svc)',
    sim: { system: gen(60), seed: 21, durationS: 3 * 3600, faults: [] },
    rule: { kind: 'fan-in', type: 'packet-loss', startMin: 60, durationMin: 45 },
  },
  {
    name: 'single: pod crash, fan-in (120 svc)',
    sim: { system: gen(120), seed: 21, durationS: 3 * 3600, faults: [] },
    rule: { kind: 'fan-in', type: 'pod-crash', startMin: 60, durationMin: 45 },
  },
  {
    name: 'single: dep. timeout, fan-in (200 svc)',
    sim: { system: gen(200), seed: 22, durationS: 3 * 3600, faults: [] },
    rule: { kind: 'fan-in', type: 'dependency-timeout', startMin: 60, durationMin: 45 },
  },
  {
    name: 'two concurrent (boutique)',
    sim: {
      system: 'online-boutique',
      seed: 15,
      durationS: 3 * 3600,
      faults: [fault('pod-crash', 'cartservice', 60, 30), fault('cpu-hog', 'adservice', 62, 30)],
    },
  },
  {
    name: 'two concurrent (60 services)',
    sim: { system: gen(60), seed: 16, durationS: 3 * 3600, faults: [] },
    rule: { kind: 'two-unrelated' },
  },
  {
    name: 'two concurrent (200 services)',
    sim: { system: gen(200), seed: 17, durationS: 4 * 3600, faults: [] },
    rule: { kind: 'two-unrelated' },
  },
];

/** Knowledge-graph edges of a simulated system: CALLS between services, SELECTS service→pod, RUNS_ON pod→machine. */
export function topologyEdges(t: Topology): TopologyEdge[] {
  const ns = new Map(t.services.map((s) => [s.name, s.namespace]));
  const svc = (name: string) => uids.service(name, ns.get(name) ?? 'default');
  return [
    ...t.edges.map((e) => ({ type: 'CALLS' as const, from: svc(e.source), to: svc(e.target) })),
    ...t.pods.flatMap((p) => {
      const pod = uids.pod(p.name, ns.get(p.service) ?? 'default');
      return [
        { type: 'SELECTS' as const, from: svc(p.service), to: pod },
        { type: 'RUNS_ON' as const, from: pod, to: uids.machine(p.machine) },
      ];
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
  if (s.rule.kind === 'fan-in')
    return { ...base, faults: [fault(s.rule.type, byCallers[0][0], s.rule.startMin, s.rule.durationMin)] };
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
  /** Groups posted as incidents: the items out, the ones someone has to look at. */
  incidents: number;
  /** Incidents holding only background noise. */
  noiseIncidents: number;
  /** Watch items: groups of one alert below critical, kept but not posted (see src/alerts/actionable.ts). */
  watchItems: number;
  /** Faults whose main group (most of their episodes) is a watch item, never posted: a fault nobody was shown (must be 0). */
  hiddenFaults: number;
  /** Longest wait, over faults, from a fault's first alert to the incident holding most of its alerts being posted, minutes. */
  maxPostDelayMin: number | null;
  /** The fewest items any grouping with purity 1 can give: one per fault plus one per distinct noise alert. */
  oracleItems: number;
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
  let clock = START;
  for (const { at, payload } of deliveries) {
    // The live flow ticks the compressor every minute (watch items that keep firing become incidents on time).
    for (; clock + TICK_MS <= at; clock += TICK_MS) compressor.tick(clock + TICK_MS);
    const { accepted } = parseAlertmanagerWebhook(payload);
    for (const r of accepted) {
      compressor.push({ ...r, receivedAt: at });
      notifications++;
    }
  }
  // Scored on the final grouping, episode by episode: what the engineer sees once the storm is over.
  const groups = compressor.incidents();
  const predicted = new Map<string, string>();
  for (const inc of groups) for (const e of inc.episodes) predicted.set(e, inc.id);
  const truth = new Map<string, string>();
  for (const a of run.alerts)
    truth.set(`${a.fingerprint}@${a.startsAt}`, a.incident === null ? `noise:${a.fingerprint}` : `fault:${a.incident}`);
  const noiseEpisodes = [...predicted.keys()].filter((k) => truth.get(k)?.startsWith('noise:')).length;
  const classes = (inc: AlertGroup) => inc.episodes.map((e) => truth.get(e) ?? 'noise:?');
  const posted = groups.filter((g) => g.actionable);
  const noiseIncidents = posted.filter((g) => classes(g).every((t) => t.startsWith('noise:'))).length;
  const hiddenFaults = [...mainGroups(groups, truth).values()].filter((g) => !g.actionable).length;
  const episodes = predicted.size;
  const out = posted.length;
  const deliveredClasses = new Set([...predicted.keys()].map((k) => truth.get(k) ?? 'noise:?'));
  return {
    name: s.name,
    faults: run.truth.faults.length,
    simEpisodes: run.alerts.length,
    episodes,
    noiseEpisodes,
    notifications,
    messages: deliveries.length,
    alerts: compressor.stats().alerts,
    incidents: out,
    noiseIncidents,
    watchItems: groups.length - posted.length,
    hiddenFaults,
    maxPostDelayMin: maxPostDelay(groups, truth),
    oracleItems: deliveredClasses.size,
    compression: compressionRatio(episodes, out),
    compressionVsNotifications: compressionRatio(notifications, out),
    compressionVsMessages: compressionRatio(deliveries.length, out),
    purity: purity(predicted, truth),
    ari: adjustedRandIndex(predicted, truth),
    separated: run.truth.faults.length < 2 ? null : separated(predicted, truth, run.truth.faults.length),
  };
}

/** Each fault's main group: the one holding most of its episodes. */
function mainGroups(groups: readonly AlertGroup[], truth: Map<string, string>): Map<string, AlertGroup> {
  const counts = new Map<string, Map<AlertGroup, number>>();
  for (const g of groups) {
    for (const e of g.episodes) {
      const t = truth.get(e);
      if (!t?.startsWith('fault:')) continue;
      const c = counts.get(t) ?? new Map<AlertGroup, number>();
      c.set(g, (c.get(g) ?? 0) + 1);
      counts.set(t, c);
    }
  }
  return new Map([...counts].map(([t, c]) => [t, [...c.entries()].sort((a, b) => b[1] - a[1])[0][0]]));
}

/** Over faults: minutes from the fault's first delivered episode to when its main group became an incident (∞ if never). */
function maxPostDelay(groups: readonly AlertGroup[], truth: Map<string, string>): number | null {
  const first = new Map<string, number>();
  for (const g of groups) {
    for (const e of g.episodes) {
      const t = truth.get(e);
      if (t?.startsWith('fault:')) first.set(t, Math.min(first.get(t) ?? Infinity, parseEpisode(e).startsAt));
    }
  }
  let worst: number | null = null;
  for (const [t, main] of mainGroups(groups, truth)) {
    const delay = main.actionableSince === null ? Infinity : Math.max(0, main.actionableSince - first.get(t)!) / 60_000;
    worst = Math.max(worst ?? 0, delay);
  }
  return worst;
}

/** True when each fault's most common incident is different from every other fault's. */
function separated(predicted: Map<string, string>, truth: Map<string, string>, faults: number): boolean | null {
  const homes = new Set<string>();
  const alerting = Array.from({ length: faults }, (_, k) => k).filter((k) =>
    [...truth.values()].includes(`fault:${k}`),
  );
  // A fault that raised no alert cannot be told apart; the check needs two that did.
  if (alerting.length < 2) return null;
  for (const k of alerting) {
    const counts = new Map<string, number>();
    for (const [item, t] of truth)
      if (t === `fault:${k}` && predicted.has(item))
        counts.set(predicted.get(item)!, (counts.get(predicted.get(item)!) ?? 0) + 1);
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
  const watchItems = sum((r) => r.watchItems);
  const oracleItems = sum((r) => r.oracleItems);
  const delays = results.map((r) => r.maxPostDelayMin).filter((d): d is number => d !== null);
  const summary = {
    episodes,
    notifications,
    messages,
    incidents,
    noiseIncidents: sum((r) => r.noiseIncidents),
    watchItems,
    hiddenFaults: sum((r) => r.hiddenFaults),
    compression: compressionRatio(episodes, incidents),
    compressionVsNotifications: compressionRatio(notifications, incidents),
    compressionVsMessages: compressionRatio(messages, incidents),
    /** Counting every watch item as an item too (as if each were posted). */
    compressionWithWatchItems: compressionRatio(episodes, incidents + watchItems),
    /** The best any grouping with purity 1 can do when every group is posted: one item per fault and per distinct noise alert. */
    oracleItems,
    compressionOracle: compressionRatio(episodes, oracleItems),
    meanPurity: sum((r) => r.purity) / Math.max(1, results.length),
    minPurity: Math.min(...results.map((r) => r.purity)),
    meanAri: sum((r) => r.ari) / Math.max(1, results.length),
    maxPostDelayMin: delays.length === 0 ? null : Math.max(...delays),
    concurrentSeparated: results.filter((r) => r.separated !== null).every((r) => r.separated),
  };
  // Judged on firing episodes (the stricter base: repeats and resolutions do not count as items in), and no fault may be left only in watch items.
  const goal = {
    compressionAtLeast: 0.95,
    purityAtLeast: 0.95,
    met:
      summary.compression >= 0.95 &&
      summary.minPurity >= 0.95 &&
      summary.concurrentSeparated &&
      summary.hiddenFaults === 0,
  };
  return { summary, goal };
}

/** `rootgraph eval alerts`: simulated alert storms in, incidents out, compression and grouping quality. */
export function registerEvalAlertsCommand(evalCmd: Command): void {
  evalCmd
    .command('alerts')
    .description(
      'Compress simulated alert storms and score the incidents against ground truth (compression, purity, ARI)',
    )
    .option('--json', 'print JSON on stdout')
    .option('--only <text>', 'run only scenarios whose name contains this')
    .option(
      '--seed-offset <n>',
      "add this to every scenario's seed: the same storms on systems and noise not seen while tuning",
      '0',
    )
    .action((opts: { json?: boolean; only?: string; seedOffset: string }) => {
      const offset = Number(opts.seedOffset);
      if (!Number.isInteger(offset))
        throw new InputError('--seed-offset', `expected an integer, got "${opts.seedOffset}"`);
      const chosen = SCENARIOS.filter((s) => !opts.only || s.name.includes(opts.only)).map((s) => ({
        ...s,
        sim: { ...s.sim, seed: s.sim.seed + offset },
      }));
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
      printTable(results);
      const s = summary;
      console.log(
        `total: ${s.episodes} episodes in (${s.notifications} notifications, ${s.messages} messages) → ${s.incidents} incidents posted ` +
          `(${s.noiseIncidents} of them only background noise) + ${s.watchItems} watch items; ${pct(s.compression)} fewer than episodes, ` +
          `${pct(s.compressionVsNotifications)} fewer than notifications, ${pct(s.compressionVsMessages)} fewer than messages; ` +
          `purity mean ${s.meanPurity.toFixed(3)} min ${s.minPurity.toFixed(3)}, ARI mean ${s.meanAri.toFixed(3)}; ` +
          `concurrent faults separated: ${s.concurrentSeparated ? 'yes' : 'NO'}; faults whose main group stayed a watch item: ${s.hiddenFaults}; ` +
          `longest wait from a fault's first alert to its incident: ${s.maxPostDelayMin === null ? '-' : `${s.maxPostDelayMin.toFixed(1)} min`}`,
      );
      console.log(
        `counting watch items as items too: ${s.incidents + s.watchItems} items, ${pct(s.compressionWithWatchItems)} fewer than episodes ` +
          `(the best any fully pure grouping can do that way: ${s.oracleItems} items, ${pct(s.compressionOracle)})`,
      );
      console.log(
        `goal (≥ 95% fewer incidents than episodes, every scenario's purity ≥ 0.95, concurrent faults separated, every fault's main group posted): ${goal.met ? 'MET' : 'NOT met'}`,
      );
    });
}

function printTable(results: readonly ScenarioResult[]): void {
  console.log(
    'items in = distinct firing episodes delivered (fingerprint × start); notifications = every alert entry in a webhook (firing, repeats, resolutions);',
  );
  console.log(
    'messages = webhook deliveries after Alertmanager grouping; items out = incidents posted (groups of 2+ alerts or with a critical one);',
  );
  console.log(
    'watch items = lone warnings kept aside, not posted; purity and ARI are over every group, watch items included. Goal judged on episodes.',
  );
  const head: Array<[string, number]> = [
    ['scenario', 38],
    ['faults', 6],
    ['episodes', 8],
    ['noise', 5],
    ['notif.', 6],
    ['msgs', 5],
    ['incid.', 6],
    ['(noise)', 7],
    ['watch', 5],
    ['vs episodes', 11],
    ['vs notif.', 9],
    ['purity', 6],
    ['ARI', 6],
    ['wait min', 8],
    ['separated', 9],
  ];
  console.log(head.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join(' '));
  for (const r of results) {
    const cells = [
      r.name,
      r.faults,
      r.episodes,
      r.noiseEpisodes,
      r.notifications,
      r.messages,
      r.incidents,
      r.noiseIncidents,
      r.watchItems,
      pct(r.compression),
      pct(r.compressionVsNotifications),
      r.purity.toFixed(3),
      r.ari.toFixed(3),
      r.maxPostDelayMin === null ? '-' : r.maxPostDelayMin.toFixed(1),
      r.separated === null ? '-' : r.separated ? 'yes' : 'NO',
    ];
    console.log(
      cells.map((c, i) => (i === 0 ? String(c).padEnd(head[i][1]) : String(c).padStart(head[i][1]))).join(' '),
    );
  }
}
