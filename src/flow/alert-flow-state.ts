/**
 * The alert compressor's streaming state for one runner of the compress queue, with what it needs
 * from the graph (the topology around alerting entities) and the compressor-group → incident map.
 */
import type { AlertEvent } from '../alerts/alert-event.js';
import { AlertCompressor, type CompressOptions } from '../alerts/compress-alerts.js';
import type { TopologyEdge } from '../alerts/causal-distance.js';
import type { GraphStore } from '../graph/graph-store.js';
import { labelsOf } from '../model/label-strings.js';

/**
 * The compressor's streaming state for one runner. Not shared between processes: whoever consumes
 * the compress queue must consume it one job at a time (see jobs/queues.ts, SERIAL_QUEUES).
 */
export class AlertFlowState {
  readonly compressor: AlertCompressor;
  /** Compressor group id → incident number. */
  readonly incidentOfGroup = new Map<string, number>();
  private topologyReadAt = -Infinity;
  private readonly known = new Set<string>();
  private readonly edges = new Map<string, TopologyEdge>();

  private forgotAt = -Infinity;

  constructor(opts: CompressOptions = {}) {
    this.compressor = new AlertCompressor(opts);
  }

  /**
   * Rebuilds the compressor's groups after a restart from the alerts the graph holds (firing, or
   * ended within `retainMs`), replayed in time order on the topology around them, so a new alert
   * joins the group of an ongoing incident instead of opening another. The incident of each group is
   * found again by its alerts' fingerprints the first time the group changes. Returns the alerts replayed.
   */
  async rebuild(graph: GraphStore, now: number): Promise<number> {
    const since = now - DEFAULTS.retainMs;
    const alerts = (await graph.findNodes({ label: 'Alert' })).filter((a) => {
      const endsAt = a.props.endsAt as number | null;
      return a.props.status === 'firing' || (typeof endsAt === 'number' && endsAt >= since);
    });
    if (alerts.length === 0) return 0;
    const fired = await graph.neighbourhood(
      alerts.map((a) => a.uid),
      { hops: 1, edges: ['FIRED_ON'], maxNodes: alerts.length * 2 + 10 },
    );
    const entityOf = new Map(fired.edges.filter((e) => e.type === 'FIRED_ON').map((e) => [e.from, e.to]));
    const events: AlertEvent[] = [];
    for (const a of alerts) {
      const p = a.props;
      const labels = labelsOf(p.labels);
      const base = {
        fingerprint: String(p.fingerprint),
        name: String(p.name),
        labels,
        entity: entityOf.get(a.uid) ?? null,
      };
      const starts = ((p.occurrenceStarts as number[] | undefined) ?? [p.startsAt as number]).filter((t) => t >= since);
      for (const startsAt of starts.length > 0 ? starts : [p.startsAt as number])
        events.push({ ...base, status: 'firing', startsAt, endsAt: null, receivedAt: startsAt });
      if (p.status === 'resolved' && typeof p.endsAt === 'number')
        events.push({
          ...base,
          status: 'resolved',
          startsAt: p.startsAt as number,
          endsAt: p.endsAt,
          receivedAt: p.endsAt,
        });
    }
    events.sort((x, y) => (x.receivedAt ?? 0) - (y.receivedAt ?? 0));
    const entities = events.map((e) => e.entity).filter((e): e is string => e !== null);
    await this.learnTopology(graph, entities, now);
    for (const e of events) this.compressor.push(e);
    // Pending promotions stay pending: the flow finds the incident of one posted before the restart by its alerts.
    this.compressor.tick(now);
    return events.length;
  }

  /**
   * At most every `forgetEveryMs`, drops compressor groups quiet for `retainMs` (and their incident
   * numbers): the state stays the size of what is going on. A forgotten alert firing again opens a
   * new group, which finds its old incident by fingerprint (and reopens it unless long resolved).
   */
  forgetQuiet(now: number): void {
    if (now - this.forgotAt < DEFAULTS.forgetEveryMs) return;
    this.forgotAt = now;
    for (const id of this.compressor.forget(now - DEFAULTS.retainMs)) this.incidentOfGroup.delete(id);
  }

  /**
   * Makes sure the correlator knows the topology around `entities`: the relationships within
   * `hops` of each newly seen entity are read from the graph and added (a deploy or new calls are
   * picked up when the copy is older than `maxAgeMs`). Reads only around alerting entities, so a
   * large graph costs nothing more.
   */
  async learnTopology(
    graph: GraphStore,
    entities: readonly string[],
    now: number,
    opts: { hops?: number; maxAgeMs?: number } = {},
  ): Promise<void> {
    if (now - this.topologyReadAt > (opts.maxAgeMs ?? DEFAULTS.topologyMaxAgeMs)) {
      this.topologyReadAt = now;
      this.known.clear();
      this.edges.clear();
    }
    const fresh = [...new Set(entities)].filter((e) => !this.known.has(e));
    if (fresh.length === 0) return;
    fresh.forEach((e) => this.known.add(e));
    const sub = await graph.neighbourhood(fresh, {
      hops: opts.hops ?? DEFAULTS.topologyHops,
      edges: [...TOPOLOGY_EDGES],
      maxNodes: DEFAULTS.topologyMaxNodes,
    });
    for (const e of sub.edges) this.edges.set(`${e.type}|${e.from}|${e.to}`, { from: e.from, to: e.to, type: e.type });
    this.compressor.setTopology([...this.edges.values()]);
  }
}

export const DEFAULTS = {
  /** The compressor re-reads the topology at most this often (ms). */
  topologyMaxAgeMs: 5 * 60_000,
  /** How far around an alerting entity the topology is read (the correlator's hop limit). */
  topologyHops: 3,
  topologyMaxNodes: 2_000,
  /** Compressor groups with nothing for this long are forgotten (ms): a day, as long as a lone alert's item is kept for it. */
  retainMs: 24 * 3_600_000,
  forgetEveryMs: 10 * 60_000,
};

const TOPOLOGY_EDGES = ['CALLS', 'RUNS_ON', 'SELECTS', 'MANAGES'] as const;
