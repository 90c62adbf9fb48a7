import { z } from 'zod';
import { RootgraphError } from './errors.js';

/** Everything rootgraph reads from the environment; the only module that touches process.env. */
const EnvSchema = z.object({
  NEO4J_URI: z.string().url().optional(),
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().optional(),
  /** This ingest replica's stable name when several write one Neo4j (docs/architecture.md). */
  ROOTGRAPH_REPLICA: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, "-" or "_"')
    .optional(),
  REDIS_URL: z.string().url().optional(),
  ROOTGRAPH_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('rootgraph'),
  PROMETHEUS_URL: z.string().url().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().url().optional(),
  ROOTGRAPH_SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ROOTGRAPH_SLACK_CHANNEL: z.string().default('#incidents'),
  ROOTGRAPH_SLACK_ROUTES: z.string().optional(),
  ROOTGRAPH_CYPHER_USERS: z.string().default(''),
  ROOTGRAPH_CYPHER_GROUPS: z.string().default(''),
  ROOTGRAPH_SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(30_000),
  ROOTGRAPH_CHECKPOINT_MS: z.coerce.number().int().positive().default(15_000),
  ROOTGRAPH_DATA_DIR: z.string().default('var/data'),
  ROOTGRAPH_INGEST_TOKEN: z.string().optional(),
  ROOTGRAPH_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ROOTGRAPH_HOST: z.string().default('127.0.0.1'),
  ROOTGRAPH_WEB_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ROOTGRAPH_PUBLIC_URL: z.string().url().optional(),
  ROOTGRAPH_WEB_SECRET: z.string().min(16).optional(),
  ROOTGRAPH_WEB_LINK_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 86_400),
  ROOTGRAPH_LLM: z.string().optional(),
  ROOTGRAPH_CYPHER_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  ROOTGRAPH_CYPHER_MAX_ROWS: z.coerce.number().int().positive().default(1_000),
  ROOTGRAPH_DETECT_FALSE_PER_DAY: z.coerce.number().positive().max(100).default(1),
  ROOTGRAPH_METRICS_URL: z.string().url().optional(),
  ROOTGRAPH_TRACES_URL: z.string().url().optional(),
  ROOTGRAPH_LOGS_URL: z.string().url().optional(),
  ROOTGRAPH_ALERTMANAGER_URL: z.string().url().optional(),
  ROOTGRAPH_RUNBOOK_URL: z.string().url().optional(),
  ROOTGRAPH_PROMQL: z.string().optional(),
  ROOTGRAPH_OWNER_LABELS: z.string().default('owner,team,app.kubernetes.io/part-of'),
  ROOTGRAPH_PAGERDUTY_ROUTING_KEY: z.string().optional(),
  ROOTGRAPH_PAGERDUTY_URL: z.string().url().default('https://events.pagerduty.com/v2/enqueue'),
  KUBECONFIG: z.string().optional(),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  ROOTGRAPH_K8S_WATCH: z.enum(['auto', 'off']).default('auto'),
  /** The cluster's name in the graph: every uid ingested (telemetry, alerts, manifests, the watch) carries it. */
  ROOTGRAPH_CLUSTER: z.string().min(1).optional(),
  /** Older name of ROOTGRAPH_CLUSTER, still read when that is unset. */
  ROOTGRAPH_K8S_CLUSTER: z.string().min(1).optional(),
  ROOTGRAPH_K8S_NAMESPACES: z.string().default(''),
  ROOTGRAPH_K8S_EXCLUDE_NAMESPACES: z.string().default(''),
  ROOTGRAPH_K8S_LABEL_SELECTOR: z.string().optional(),
  ROOTGRAPH_K8S_RETENTION_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** How far in the future a record's time may be, ms (default src/ingest/input-limits.ts: 10 min). */
  ROOTGRAPH_MAX_FUTURE_MS: z.coerce.number().int().positive().optional(),
  /** How far in the past, ms; `0` or `off` accepts any age (replaying old data). Default there: 7 days. */
  ROOTGRAPH_MAX_PAST_MS: z
    .string()
    .regex(/^(off|\d+)$/, 'a number of milliseconds, or "off" (0) to accept any age')
    .transform((v) => (v === 'off' ? 0 : Number(v)))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

/** Resolved configuration: which backends are on and how to reach them. */
export interface Config {
  neo4j?: { uri: string; user: string; password: string; database?: string; replica?: string };
  redisUrl?: string;
  /** Redis key prefix of the queues: one rootgraph deployment per prefix. */
  queuePrefix: string;
  prometheusUrl?: string;
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    /** Web API base URL; Slack's own when unset (tests point it at a local stand-in). */
    apiUrl?: string;
    /** HTTP mode's listening port (Slack's Events/Interactivity request URL: /slack/events). */
    port: number;
    defaultChannel: string;
    /** Routing JSON (inline, or @path to a file): see bots/slack/routing.ts. */
    routes?: string;
  };
  /** Who may run Cypher from chat: Slack user ids and user-group ids. */
  cypherAllow: { users: string[]; groups: string[] };
  shutdownGraceMs: number;
  /** How often the ingest state is checkpointed beside its journal (bounds what a restart re-applies). */
  checkpointMs: number;
  dataDir: string;
  /**
   * The ingest server: where it listens, its bearer token, and the skew it allows a record's time
   * (ms; undefined = INPUT_LIMITS' default; maxPastMs 0 = any age).
   */
  ingest: { host: string; port: number; token?: string; maxFutureMs?: number; maxPastMs?: number; cluster: string };
  /**
   * The read-only incident web page (bots/web): its port (default the ingest port + 1, or 0 when that is
   * 0), the public URL links are built from, and the secret signing those links (default the ingest
   * token; without either the page is as open as ingest). Signed links live `linkTtlS` seconds.
   */
  web: { port: number; publicUrl?: string; secret?: string; linkTtlS: number };
  llm?: string;
  cypher: { timeoutMs: number; maxRows: number };
  /** Metric detection: the false-alarm budget, in false incidents a day on normal data. */
  detect: { falsePerDay: number };
  logLevel: Env['LOG_LEVEL'];
  /**
   * URL templates for the links on incident cards (see src/assistant/links.ts for the placeholders). The
   * metrics link defaults to the Prometheus graph page when PROMETHEUS_URL is set.
   */
  links: {
    metrics?: string;
    traces?: string;
    logs?: string;
    alertmanager?: string;
    runbook?: string;
    /** PromQL template per metric name. */
    promql?: Record<string, string>;
  };
  /** Label keys (on services, workloads, pods and alerts) that name an entity's owner or team. */
  ownerLabels: string[];
  /** PagerDuty Events API v2 outbound (trigger/acknowledge/resolve per incident); off unless a routing key is set. */
  pagerDuty?: { routingKey: string; url: string };
  /**
   * The live cluster watch of `serve` (src/ingest/k8s-watch): on when a kubeconfig (KUBECONFIG, its first
   * path) or in-cluster credentials (KUBERNETES_SERVICE_HOST) exist, unless ROOTGRAPH_K8S_WATCH=off.
   */
  k8sWatch?: {
    kubeconfig?: string;
    inCluster: boolean;
    cluster: string;
    includeNamespaces: string[];
    excludeNamespaces: string[];
    labelSelector?: string;
    /** How long deleted objects stay in the graph, ms. */
    retentionMs: number;
  };
}

/** Parses the environment (process.env by default); throws CONFIG_INVALID naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" so `FOO= rootgraph …` behaves like no FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RootgraphError('CONFIG_INVALID', `${issue.path.join('.')}: ${issue.message}`, {
      hint: 'Fix the environment variable and restart; see the configuration table in README.md.',
    });
  }
  const e = parsed.data;
  return {
    neo4j: e.NEO4J_URI
      ? {
          uri: e.NEO4J_URI,
          user: e.NEO4J_USER,
          password: e.NEO4J_PASSWORD,
          database: e.NEO4J_DATABASE,
          replica: e.ROOTGRAPH_REPLICA,
        }
      : undefined,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.ROOTGRAPH_QUEUE_PREFIX,
    prometheusUrl: e.PROMETHEUS_URL,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          port: e.ROOTGRAPH_SLACK_PORT,
          defaultChannel: e.ROOTGRAPH_SLACK_CHANNEL,
          routes: e.ROOTGRAPH_SLACK_ROUTES,
        }
      : undefined,
    cypherAllow: { users: list(e.ROOTGRAPH_CYPHER_USERS), groups: list(e.ROOTGRAPH_CYPHER_GROUPS) },
    shutdownGraceMs: e.ROOTGRAPH_SHUTDOWN_GRACE_MS,
    checkpointMs: e.ROOTGRAPH_CHECKPOINT_MS,
    dataDir: e.ROOTGRAPH_DATA_DIR,
    ingest: {
      host: e.ROOTGRAPH_HOST,
      port: e.ROOTGRAPH_PORT,
      token: e.ROOTGRAPH_INGEST_TOKEN,
      maxFutureMs: e.ROOTGRAPH_MAX_FUTURE_MS,
      maxPastMs: e.ROOTGRAPH_MAX_PAST_MS,
      cluster: clusterName(e),
    },
    web: {
      port: e.ROOTGRAPH_WEB_PORT ?? (e.ROOTGRAPH_PORT === 0 ? 0 : e.ROOTGRAPH_PORT + 1),
      publicUrl: e.ROOTGRAPH_PUBLIC_URL,
      secret: e.ROOTGRAPH_WEB_SECRET ?? e.ROOTGRAPH_INGEST_TOKEN,
      linkTtlS: e.ROOTGRAPH_WEB_LINK_TTL_S,
    },
    llm: e.ROOTGRAPH_LLM,
    cypher: { timeoutMs: e.ROOTGRAPH_CYPHER_TIMEOUT_MS, maxRows: e.ROOTGRAPH_CYPHER_MAX_ROWS },
    detect: { falsePerDay: e.ROOTGRAPH_DETECT_FALSE_PER_DAY },
    logLevel: e.LOG_LEVEL,
    links: {
      metrics: e.ROOTGRAPH_METRICS_URL ?? (e.PROMETHEUS_URL ? prometheusGraph(e.PROMETHEUS_URL) : undefined),
      traces: e.ROOTGRAPH_TRACES_URL,
      logs: e.ROOTGRAPH_LOGS_URL,
      alertmanager: e.ROOTGRAPH_ALERTMANAGER_URL,
      runbook: e.ROOTGRAPH_RUNBOOK_URL,
      promql: e.ROOTGRAPH_PROMQL ? promqlTemplates(e.ROOTGRAPH_PROMQL) : undefined,
    },
    ownerLabels: list(e.ROOTGRAPH_OWNER_LABELS),
    pagerDuty: e.ROOTGRAPH_PAGERDUTY_ROUTING_KEY
      ? { routingKey: e.ROOTGRAPH_PAGERDUTY_ROUTING_KEY, url: e.ROOTGRAPH_PAGERDUTY_URL }
      : undefined,
    k8sWatch:
      e.ROOTGRAPH_K8S_WATCH !== 'off' && (e.KUBECONFIG || e.KUBERNETES_SERVICE_HOST)
        ? {
            ...(e.KUBECONFIG ? { kubeconfig: e.KUBECONFIG.split(':')[0] } : {}),
            inCluster: !e.KUBECONFIG && Boolean(e.KUBERNETES_SERVICE_HOST),
            cluster: clusterName(e),
            includeNamespaces: list(e.ROOTGRAPH_K8S_NAMESPACES),
            excludeNamespaces: list(e.ROOTGRAPH_K8S_EXCLUDE_NAMESPACES),
            ...(e.ROOTGRAPH_K8S_LABEL_SELECTOR ? { labelSelector: e.ROOTGRAPH_K8S_LABEL_SELECTOR } : {}),
            retentionMs: e.ROOTGRAPH_K8S_RETENTION_MS,
          }
        : undefined,
  };
}

// Placeholders are filled by src/assistant/links.ts; the template is kept verbatim here.
function prometheusGraph(url: string): string {
  return `${url.replace(/\/$/, '')}/graph?g0.expr={promql}&g0.tab=0&g0.range_input={rangeS}s&g0.end_input={toProm}`;
}

function promqlTemplates(json: string): Record<string, string> {
  const r = z.record(z.string(), z.string()).safeParse(safeJson(json));
  if (!r.success)
    throw new RootgraphError('CONFIG_INVALID', 'ROOTGRAPH_PROMQL: expected a JSON object of metric name → PromQL.', {
      hint: 'For example {"latency_p99":"histogram_quantile(0.99, rate(http_duration_seconds_bucket{service=\\"{service}\\"}[5m]))"}.',
    });
  return r.data;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function list(csv: string): string[] {
  return csv
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** ROOTGRAPH_CLUSTER, or the older ROOTGRAPH_K8S_CLUSTER when only that is set; `default` otherwise. */
function clusterName(e: Env): string {
  return e.ROOTGRAPH_CLUSTER ?? e.ROOTGRAPH_K8S_CLUSTER ?? 'default';
}
