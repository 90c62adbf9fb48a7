/**
 * The composition root: the one place where configuration becomes running parts. Graph (Neo4j or
 * embedded), jobs (BullMQ or in-process), metrics (Prometheus and/or the ingest buffer), chat (Slack or
 * console) and the roles asked for. Every entry point (serve, worker, chat, demo, the CLI commands)
 * gets its parts here; nothing else names a concrete adapter.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ConsoleNotifier } from '../bots/console/console-notifier.js';
import { buildWebServer } from '../bots/web/web-server.js';
import { createSlackApp, parseRoutingConfig, slackModeFromConfig, type SlackBot } from '../bots/slack/index.js';
import { PagerDutyEvents } from '../bots/pagerduty/pagerduty-events.js';
import { PagerDutyNotifier } from '../bots/pagerduty/pagerduty-notifier.js';
import { InProcessRunner } from '../jobs/in-process-runner.js';
import { JobJournal } from '../jobs/job-journal.js';
import { QueuedFeedbackSink } from '../jobs/queued-feedback-sink.js';
import { QueuedIncidentCorrections } from '../jobs/queued-incident-corrections.js';
import { BullmqRunner, type BullmqRunnerOptions } from '../jobs/workers/bullmq-runner.js';
import { Assistant } from '../src/assistant/assistant.js';
import { loadCardContext } from '../src/assistant/card-context.js';
import { CypherGate } from '../src/assistant/cypher-access.js';
import { createFreeFormModel } from '../src/assistant/llm/create-model.js';
import { loadConfig, type Config } from '../src/config.js';
import { InputError, RootgraphError } from '../src/errors.js';
import { loadAlertCorrections } from '../src/incidents/alert-correction-store.js';
import { AlertFlowState } from '../src/flow/alert-flow-state.js';
import { QUEUES, type QueueName } from '../src/flow/queues.js';
import { registerFlow } from '../src/flow/register-flow.js';
import type { GraphStore } from '../src/graph/graph-store.js';
import { MemoryGraphStore } from '../src/graph/memory/memory-graph-store.js';
import { Neo4jGraphStore } from '../src/graph/neo4j/neo4j-graph-store.js';
import { traceStatParts } from '../src/ingest/traces/stat-parts.js';
import { IncidentStore } from '../src/incidents/incident-store.js';
import { Intake } from '../src/ingest/durable/intake.js';
import { MemoryLogBuffer } from '../src/ingest/logs/memory-log-buffer.js';
import { MemorySpanBuffer } from '../src/ingest/traces/memory-span-buffer.js';
import type { Logger } from '../src/logger.js';
import { BufferMetricSource } from '../src/metrics/buffer-metric-source.js';
import { CompositeMetricSource } from '../src/metrics/composite-metric-source.js';
import { PrometheusMetricSource } from '../src/metrics/prometheus-metric-source.js';
import { SampleStore, type SampleKey } from '../src/metrics/sample-store.js';
import type { JobRunner } from '../src/ports/job-runner.js';
import type { MetricSource } from '../src/ports/metric-source.js';
import type { Notifier } from '../src/ports/notifier.js';
import { buildIngestServer } from '../src/server/ingest-server.js';
import { loadKubeConfig } from '../src/ingest/k8s-watch/kube-http.js';
import { startClusterWatch, type ClusterWatch } from '../src/ingest/k8s-watch/start-cluster-watch.js';
import { SerialWriter } from '../src/ingest/serial-writer.js';

/**
 * The graph backend the configuration asks for: Neo4j when NEO4J_URI is set, else the embedded graph
 * (`readOnly`: looked at, never written, so it is safe beside a running `serve`).
 */
export async function openGraphStore(config: Config, opts: { readOnly?: boolean } = {}): Promise<GraphStore> {
  if (config.neo4j) return Neo4jGraphStore.connect(config.neo4j, { parts: traceStatParts });
  return MemoryGraphStore.open({ dataDir: config.dataDir, autosaveMs: 30_000, readOnly: opts.readOnly });
}

/**
 * Where metrics are read: Prometheus when PROMETHEUS_URL is set, the in-process ingest buffer (fed by
 * `POST /v1/metrics` and case files), or both. A worker in another process sees only Prometheus.
 */
export function openMetricSource(config: Config, buffer?: BufferMetricSource): MetricSource {
  const prometheus = PrometheusMetricSource.fromConfig(config);
  const sources = [prometheus, buffer].filter((s): s is PrometheusMetricSource | BufferMetricSource => s !== undefined);
  if (sources.length === 1) return sources[0];
  if (sources.length === 0) return new BufferMetricSource();
  return new CompositeMetricSource(sources);
}

/**
 * The runner the configuration asks for: BullMQ when REDIS_URL is set, else in-process — with its jobs
 * journaled in `durableIn` when given (the process that runs the workers), so they survive a crash.
 */
export function openJobRunner(
  config: Pick<Config, 'redisUrl' | 'queuePrefix'>,
  opts: Omit<BullmqRunnerOptions, 'redisUrl' | 'prefix'> & { durableIn?: string } = {},
): JobRunner {
  const { durableIn, ...bullmq } = opts;
  if (config.redisUrl) return new BullmqRunner({ ...bullmq, redisUrl: config.redisUrl, prefix: config.queuePrefix });
  return new InProcessRunner(durableIn ? { journal: JobJournal.open(durableIn) } : {});
}

/**
 * Opens the configured graph store for one CLI command and always closes it (snapshotting memory,
 * unless `readOnly`: commands that only read must not rewrite the folder a running `serve` owns).
 */
export async function withGraph<T>(
  work: (graph: GraphStore) => Promise<T>,
  opts: { readOnly?: boolean } = {},
): Promise<T> {
  const graph = await openGraphStore(loadConfig(), opts);
  try {
    return await work(graph);
  } finally {
    await graph.close();
  }
}

/**
 * Opens the shared job queues for one CLI command (`rootgraph jobs`, incident corrections) and closes
 * them after. Queued work lives in Redis; without REDIS_URL there is nothing shared to reach.
 */
export async function withSharedQueues<T>(
  what: string,
  work: (runner: JobRunner) => Promise<T>,
  opts: { hint?: string } = {},
): Promise<T> {
  const config = loadConfig();
  if (!config.redisUrl) {
    throw new RootgraphError('CONFIG_INVALID', `${what} needs the job queues on Redis, and REDIS_URL is not set.`, {
      hint: opts.hint ?? 'Set REDIS_URL to the Redis that rootgraph serve uses.',
    });
  }
  const runner = openJobRunner(config);
  try {
    return await work(runner);
  } finally {
    await runner.close({ timeoutMs: 1_000 });
  }
}

/** The parts a process can run; split across processes only with REDIS_URL (in-process jobs need their workers here). */
export const ROLES = ['ingest', 'worker', 'bot'] as const;
export type Role = (typeof ROLES)[number];

export interface RuntimeOptions {
  logger: Logger;
  /** Overrides the notifier the configuration implies (the demo prints cards its own way). */
  notifier?: Notifier;
  /** Recurring detection, log checks and the alert tick (default on for the worker role). */
  schedule?: boolean;
  /** The queues this process consumes as a worker (all by default). */
  queues?: readonly QueueName[];
  /** Parallel jobs per queue (compress and feedback stay serial). */
  concurrency?: number;
  /** Who may run Cypher through this process's assistant (default: the configured allowlist). */
  cypherAllow?: Config['cypherAllow'];
}

/** A composed process; `close()` shuts it down in the order that loses nothing. */
export interface Runtime {
  graph: GraphStore;
  runner: JobRunner;
  incidents: IncidentStore;
  assistant: Assistant;
  notifier: Notifier;
  ingest?: FastifyInstance;
  /** The read-only incident web UI (bots/web), beside ingest on its own port. */
  web?: FastifyInstance;
  bot?: SlackBot;
  /** Where each listener ended up (port 0 picks a free one). */
  addresses: { ingest?: string; web?: string; slack?: number };
  close(): Promise<void>;
}

/**
 * Composes one rootgraph process with exactly the `roles` given: `ingest` (HTTP endpoints), `worker`
 * (job processors for `opts.queues`), `bot` (the Slack listener, when Slack is configured). The graph,
 * the runner and the assistant are always there. Callers without Redis must include `worker` for the
 * queues they enqueue to (in-process jobs run where they are enqueued).
 */
export async function composeRuntime(config: Config, roles: readonly Role[], opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const has = new Set<Role>(roles);
  const graph = await openGraphStore(config);
  // The ingest process journals what it accepts; its metric buffer keeps its samples beside the journal.
  const intake = has.has('ingest') ? Intake.open(config.dataDir) : undefined;
  const samples = intake?.openDB<number, SampleKey>('metric-samples');
  const buffer = samples ? BufferMetricSource.open(new SampleStore(samples)) : new BufferMetricSource();
  const metrics = openMetricSource(config, buffer);
  const runner = openJobRunner(config, {
    onError: (err, where) => log.warn({ err: err.message, where }, 'redis trouble; reconnecting'),
    ...(has.has('worker') ? { durableIn: config.dataDir } : {}),
  });
  const incidents = new IncidentStore(graph);
  const feedback = new QueuedFeedbackSink(runner);
  const model = config.llm ? await createFreeFormModel(config.llm) : undefined;
  // Cards go out through one notifier per transport; with PagerDuty configured, each is wrapped once.
  const pagerDuty = PagerDutyEvents.fromConfig(config);
  const wrapped = new Map<Notifier, Notifier>();
  const outbound = (n: Notifier): Notifier => {
    if (!pagerDuty) return n;
    if (!wrapped.has(n))
      wrapped.set(
        n,
        new PagerDutyNotifier(n, pagerDuty, (err, incident) =>
          log.warn({ err: String(err), incident }, 'PagerDuty event not sent'),
        ),
      );
    return wrapped.get(n)!;
  };
  const assistantWith = (groups?: ConstructorParameters<typeof CypherGate>[0]['groups'], notifier?: Notifier) =>
    new Assistant({
      graph,
      incidents,
      feedback,
      model,
      metrics,
      notifier,
      links: { ...config.links, page: config.web },
      ownerLabels: config.ownerLabels,
      cypher: new CypherGate({ graph, allow: opts.cypherAllow ?? config.cypherAllow, groups, limits: config.cypher }),
    });
  // A worker posts cards through Slack's Web API too; only the bot role listens for Slack's requests.
  const bot =
    config.slack && (has.has('bot') || has.has('worker'))
      ? createSlackApp({
          ...slackModeFromConfig(config),
          incidents,
          feedback,
          corrections: new QueuedIncidentCorrections(runner),
          slackApiUrl: config.slack.apiUrl,
          routing: routingFrom(config),
          logLevel: 'warn',
          assistant: ({ groups, notifier }) => assistantWith(groups, outbound(notifier)),
        })
      : undefined;
  const cardContext = (i: Parameters<Notifier['publish']>[0]) =>
    loadCardContext({ graph, links: { ...config.links, page: config.web }, ownerLabels: config.ownerLabels }, i);
  const notifier: Notifier = outbound(
    opts.notifier ?? bot?.notifier ?? new ConsoleNotifier(process.stdout, cardContext),
  );
  const assistant = bot?.assistant ?? assistantWith(undefined, notifier);
  const addresses: Runtime['addresses'] = {};

  // The lines this process's ingest accepts are what its scheduled log checks read.
  const recentLogs = new MemoryLogBuffer();
  // And the spans it accepts are what its root-cause analyses judge operations by.
  const recentSpans = new MemorySpanBuffer();
  if (has.has('worker')) {
    const queues = opts.queues ?? QUEUES;
    const concurrency = opts.concurrency ?? 1;
    registerFlow(
      runner,
      {
        graph,
        metrics,
        notifier,
        limiter: runner.channelRateLimiter(),
        logs: recentLogs,
        spans: recentSpans,
        alertFlow: queues.includes('compress') ? await restoreAlertFlow(graph, log) : undefined,
        incidents,
      },
      { queues, concurrency: Object.fromEntries(queues.map((q) => [q, concurrency])) },
    );
    if (opts.schedule ?? true) await scheduleRecurringJobs(runner, config);
    await runner.ready();
    log.info({ runner: runner.kind, queues }, 'workers ready');
  }

  let ingest: FastifyInstance | undefined;
  // One writer for every ingest path of this process (HTTP and the cluster watch): read-diff-writes never interleave.
  const writer = new SerialWriter(graph);
  if (has.has('ingest')) {
    ingest = await buildIngestServer({
      graph,
      writer,
      metrics: buffer,
      logger: log,
      token: config.ingest.token,
      maxFutureMs: config.ingest.maxFutureMs,
      maxPastMs: config.ingest.maxPastMs,
      cluster: config.ingest.cluster,
      recentLogs,
      recentSpans,
      intake,
      checkpointMs: config.checkpointMs,
      // The compress job owns the alerts' write: it stores them with the incident update they cause.
      alertOwner: async (alerts, receivedAt) => {
        await runner.enqueue('compress', { alerts, receivedAt });
      },
    });
    addresses.ingest = await ingest.listen({ host: config.ingest.host, port: config.ingest.port });
    log.info({ address: addresses.ingest }, 'ingest server listening');
  }

  // The ingest process follows a live cluster when credentials exist (KUBECONFIG or in-cluster).
  let clusterWatch: ClusterWatch | undefined;
  const k8s = config.k8sWatch;
  const kc = has.has('ingest') && k8s ? loadKubeConfig(k8s) : undefined;
  if (k8s && kc) {
    clusterWatch = startClusterWatch({
      kc,
      writer,
      logger: log,
      cluster: k8s.cluster,
      retentionMs: k8s.retentionMs,
      filters: {
        includeNamespaces: k8s.includeNamespaces,
        excludeNamespaces: k8s.excludeNamespaces,
        ...(k8s.labelSelector ? { labelSelector: k8s.labelSelector } : {}),
      },
    });
  }

  let web: FastifyInstance | undefined;
  if (has.has('ingest')) {
    web = await buildWebServer(
      { graph, incidents, metrics, feedback },
      { token: config.ingest.token, secret: config.web.secret, linkTtlS: config.web.linkTtlS },
    );
    addresses.web = await web.listen({ host: config.ingest.host, port: config.web.port });
    log.info({ address: addresses.web, publicUrl: config.web.publicUrl }, 'incident web UI listening');
  }

  if (bot && has.has('bot')) {
    const started = await bot.start(
      config.slack?.appToken ? undefined : { port: config.slack?.port ?? 3000, host: config.ingest.host },
    );
    addresses.slack = started.port;
    log.info({ mode: config.slack?.appToken ? 'socket' : 'http', port: started.port }, 'slack bot started');
  }

  return {
    graph,
    runner,
    incidents,
    assistant,
    notifier,
    ingest,
    web,
    bot,
    addresses,
    async close() {
      // Stop taking input first, then let in-flight jobs finish, then make the graph durable.
      await clusterWatch?.stop();
      await ingest?.close();
      await web?.close();
      if (has.has('bot'))
        await bot?.stop().catch((err: unknown) => log.warn({ err: String(err) }, 'slack stop failed'));
      await runner.close({ timeoutMs: config.shutdownGraceMs });
      await graph.close();
      await intake?.close();
      log.info('stopped');
    },
  };
}

/** The compress job's state: corrections from the graph, and the groups of the alerts it holds (after a restart). */
async function restoreAlertFlow(graph: GraphStore, log: Logger): Promise<AlertFlowState> {
  const state = new AlertFlowState({ corrections: await loadAlertCorrections(graph) });
  const replayed = await state.rebuild(graph, Date.now());
  if (replayed > 0) log.info({ replayed }, 'alert groups rebuilt from the graph');
  return state;
}

/** The recurring jobs (kept in the queue backend, so any worker may take them). Idempotent: schedules update in place. */
async function scheduleRecurringJobs(runner: JobRunner, config: Config): Promise<void> {
  // The evaluated ensemble (cheap SLI detectors confirmed by the system's GraphLSTM-VAE), over 4 hours.
  await runner.schedule('detect', 'detect-every-minute', 60_000, {
    lookbackS: 14_400,
    stepS: 30,
    detector: 'ensemble',
    system: 'default',
  });
  // Trains the VAE when there is none, the topology changed, or it is a day old (else a no-op), off-thread.
  await runner.schedule('train', 'train-detector-every-15-minutes', 900_000, {
    system: 'default',
    lookbackS: 86_400,
    stepS: 30,
    maxAgeS: 86_400,
    falsePerDay: config.detect.falsePerDay,
  });
  await runner.schedule('logcheck', 'logcheck-every-minute', 60_000, { windowMs: 60_000, baselineMs: 3_600_000 });
  // Watch items that keep firing become incidents on time, even when no other notification arrives.
  await runner.schedule('compress', 'compress-tick-every-minute', 60_000, { tick: true });
}

function routingFrom(config: Config) {
  const raw = config.slack?.routes;
  if (!raw) return parseRoutingConfig({ defaultChannel: config.slack?.defaultChannel ?? '#incidents' });
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  try {
    return parseRoutingConfig({ defaultChannel: config.slack?.defaultChannel, ...(JSON.parse(text) as object) });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError('ROOTGRAPH_SLACK_ROUTES', `not valid JSON: ${(err as Error).message}`);
  }
}
