/**
 * What a metric's move means, from its name. A fault makes latency and errors go up and
 * availability go down (PetShop's issues "increase latency and reduce availability": Hardt et al.,
 * "The PetShop Dataset — Finding Causes of Performance Issues across Microservices", CLeaR 2024);
 * request volume may move either way. A move in the harmless direction (latency falling,
 * availability rising from an idle 0 % to 100 %) is weak evidence of a fault, so it counts only
 * `benignShare` of its size. Families group a metric with its statistics (latency_p50, latency_p99
 * → latency) so the entry's alarming SLI can focus the analysis on the same kind of signal. Pure.
 */

export const DEFAULTS = {
  /** Share of a move in the harmless direction that still counts as evidence. */
  benignShare: 0,
};

/**
 * Families an alarm's SLI comes from. Their series are inclusive: a service's latency, errors and
 * availability move when anything it calls moves.
 */
export const SLI_FAMILIES: ReadonlySet<string> = new Set(['latency', 'errors', 'availability']);

/** Which way a metric moves when something is wrong. */
export type Direction = 'up' | 'down' | 'both';

/**
 * The series RCA derives for a caller from a callee's request rate per request the caller serves
 * (rca/call-volume.ts): its fall means the caller stopped making some of its calls.
 */
export const CALL_SHARE_METRIC = 'callee_requests_per_request';

/**
 * Name patterns, first match wins; checked against the normalised name (lower-case words joined by
 * "_", see `normaliseMetricName`). Short or common words (rx, tx, rt, mem, gc, rate, sum, count,
 * calls, health, err, succ, tcp, load1) match whole words only: "consumer" holds "sum", "generated" holds "rate",
 * "syscalls" holds "calls", "unhealthy" holds "health".
 */
const RULES: ReadonlyArray<{ family: string; direction: Direction; re: RegExp }> = [
  { family: 'call-share', direction: 'down', re: new RegExp(`^${CALL_SHARE_METRIC}$`) },
  // Page faults, cAdvisor's memory_failures and free memory are a machine's memory, not requests.
  {
    family: 'memory',
    direction: 'both',
    re: /pg(maj)?fault|page_?fault|memory_failures|mem(ory)?_?avail|avail(able)?_?mem/,
  },
  // A NIC's or a TCP stack's errors, drops and retransmits are the network's state, not requests failing.
  {
    family: 'network',
    direction: 'both',
    re: /retrans|(^|_)(network|netstat|tcp|udp|nic|interface|rx|tx)(_[a-z0-9]+)*_(errs?|errors|drops?|dropped)(_|$)/,
  },
  // Before availability: an unhealthy host count or a failing health check rises when things break.
  {
    family: 'errors',
    direction: 'up',
    re: /error|fail|fault|(?<![0-9])[45]xx(?![a-z])|exception|timeout|reject|(un|non|not)_?healthy|un_?availab|(^|_)errs?_(rate|ratio|count|total|cnt|num|pct|percent)(_|$)|(^|_)errs?$/,
  },
  // A disk's own latency and byte counts are its state, not a request's inclusive time or traffic
  // (whole words only: diskcache_request_duration_seconds is a request's latency).
  { family: 'disk', direction: 'both', re: /(^|_)(disk|diskio|disk_io|fs|filesystem)(_|$)/ },
  // A garbage collector's pauses (go_gc_duration_seconds) are the process's memory, not a request's time.
  { family: 'memory', direction: 'both', re: /heap|(^|_)(mem|memstats|gc)(_|$)/ },
  // Before availability: SuccessfulRequestLatency is a latency.
  { family: 'latency', direction: 'up', re: /latency|duration|response_?time|(^|_)rt(_|$)|elapsed/ },
  // Uptime is not availability: it rises steadily and a restart resets it (restarts has its own family).
  { family: 'availability', direction: 'down', re: /availab|success|apdex|(^|_)(health(y)?|succ|ok_rate)(_|$)/ },
  { family: 'restarts', direction: 'up', re: /restart|crash|oom/ },
  // node_memory_Percpu_bytes is memory.
  { family: 'memory', direction: 'both', re: /memory/ },
  // A machine's load average (node_load1, system.load.average.1m) is its CPU's queue; a page's load time is not.
  {
    family: 'cpu',
    direction: 'both',
    re: /cpu|throttl|(^|_)load(1|5|15)(_|$)|(^|_)(system|node|host|os)_load_?(avg|average)(_|$)/,
  },
  {
    family: 'requests',
    direction: 'both',
    re: /request|throughput|(^|_)(rate|qps|rps|tps|workload|counts?|sum|calls)(_|$)/,
  },
  {
    family: 'network',
    direction: 'both',
    re: /network|receive|transmit|bytes|socket|retrans|(^|_)(rx|tx|net|tcp)(_|$)/,
  },
  // Last: a percentile of nothing else named (p99, http_p95_ms) is a latency statistic; cpu_p95 is cpu.
  { family: 'latency', direction: 'up', re: /(^|_)(p50|p90|p95|p99|p999)(_|$)/ },
];

/**
 * A metric name as lower-case words joined by "_": PodWorkload(Ops) → pod_workload_ops,
 * http.server.duration → http_server_duration, HTTPCode_Target_5XX_Count → http_code_target_5xx_count.
 * A digit does not start a word before capitals (5XX stays one word); a two-letter tail stays with
 * its capitals (numGCs → num_gcs).
 */
export function normaliseMetricName(metric: string): string {
  return metric
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([0-9])([A-Z][a-z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z]{2,})/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Names already read: RCA asks once per series, and a large system has 30,000 series of a few names. */
const SEEN = new Map<string, { family: string; direction: Direction }>();
/** A stream of ever-new names (a label in the name) must not grow the memo without end. */
const SEEN_MAX = 10_000;

/** The direction and family of a metric name; unknown names move either way, family = the normalised name. */
export function metricSemantics(metric: string): { family: string; direction: Direction } {
  const known = SEEN.get(metric);
  if (known) return known;
  const name = normaliseMetricName(metric);
  const rule = RULES.find((r) => r.re.test(name));
  const read = Object.freeze(
    rule ? { family: rule.family, direction: rule.direction } : { family: name, direction: 'both' as const },
  );
  if (SEEN.size >= SEEN_MAX) SEEN.clear();
  SEEN.set(metric, read);
  return read;
}

/**
 * True when `metric` is a service-level indicator (latency, errors, availability): inclusive of
 * what the service calls for root-cause analysis, one-sided for detection.
 */
export function isSliMetric(metric: string): boolean {
  return SLI_FAMILIES.has(metricSemantics(metric).family);
}

/** Words of a requests-family name that make it a per-request or per-instance figure, not a flow. */
const INTENSIVE =
  /(^|_)(avg|average|mean|max|min|ratio|percent|pct|limit|size|bytes|per_connection|hit|miss|sampling|bucket|quantile)(_|$)/;

/**
 * True when `metric` counts a flow of requests (request_rate, requests_total, qps, PodWorkload(Ops)),
 * which adds up over a service's instances; not an average, maximum, ratio, size or limit that the
 * requests family's words also name (`http_server_requests_seconds_max`, `request_size_avg`, `rate_limit`).
 */
export function isLoadMetric(metric: string): boolean {
  return metricSemantics(metric).family === 'requests' && !INTENSIVE.test(normaliseMetricName(metric));
}

/** Evidence carried by a signed robust z under `direction`: full size when harmful, a share otherwise. */
export function harmfulMagnitude(z: number, direction: Direction, benignShare = DEFAULTS.benignShare): number {
  if (direction === 'both') return Math.abs(z);
  const harmful = direction === 'up' ? z > 0 : z < 0;
  return harmful ? Math.abs(z) : benignShare * Math.abs(z);
}
