import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ConsoleNotifier } from '../../bots/console/console-notifier.js';
import { createSlackApp, parseRoutingConfig, slackModeFromConfig, type SlackBot } from '../../bots/slack/index.js';
import { registerFlow } from '../../src/flow/register-flow.js';
import type { JobRunner } from '../../src/ports/job-runner.js';
import { channelRateLimiterFor, openJobRunner } from '../open-runner.js';
import { QUEUES, type QueueName } from '../../src/flow/queues.js';
import { QueuedFeedbackSink } from '../../jobs/queued-feedback-sink.js';
import { QueuedIncidentCorrections } from '../../jobs/queued-incident-corrections.js';
import { BullmqRunner } from '../../jobs/workers/bullmq-runner.js';
import { Assistant } from '../../src/assistant/assistant.js';
import { CypherGate } from '../../src/assistant/cypher-access.js';
import { createFreeFormModel } from '../../src/assistant/llm/create-model.js';
import type { Config } from '../../src/config.js';
import { openGraphStore, openMetricSource } from '../compose.js';
import { InputError } from '../../src/errors.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import { loadAlertCorrections } from '../../src/incidents/alert-correction-store.js';
import { AlertFlowState } from '../../src/flow/alert-flow-state.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { MemoryLogBuffer } from '../../src/ingest/logs/memory-log-buffer.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { Logger } from '../../src/logger.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { buildIngestServer } from '../../src/server/ingest-server.js';

export const ROLES = ['ingest', 'worker', 'bot'] as const;
export type Role = (typeof ROLES)[number];

export interface RuntimeOptions {
  config: Config;
  roles: readonly Role[];
  logger: Logger;
  /** Overrides the notifier the configuration implies (the demo prints cards its own way). */
  notifier?: Notifier;
  /** Recurring detection and log checks (default on for the worker role). */
  schedule?: boolean;
  /** The queues this process consumes as a worker (all by default). */
  queues?: readonly QueueName[];
  /** Parallel jobs per queue (compress and feedback stay serial). */
  concurrency?: number;
}

/** What `rootgraph serve` runs; `close()` shuts it down in the order that loses nothing. */
export interface Runtime {
  graph: GraphStore;
  runner: JobRunner;
  incidents: IncidentStore;
  assistant: Assistant;
  notifier: Notifier;
  ingest?: FastifyInstance;
  bot?: SlackBot;
  /** Where each listener ended up (port 0 picks a free one). */
  addresses: { ingest?: string; slack?: number };
  close(): Promise<void>;
}

/**
 * The composition root of the long-running process: graph (Neo4j or embedded), jobs (BullMQ or
 * in-process), metrics (Prometheus and/or the ingest buffer), chat (Slack or console), and the roles
 * asked for. Without Redis every role runs here, because in-process jobs need their workers in-process.
 */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger: log } = opts;
  const roles = new Set<Role>(config.redisUrl ? opts.roles : ROLES);
  const graph = await openGraphStore(config);
  const buffer = new BufferMetricSource();
  const metrics = openMetricSource(config, buffer);
  const runner = openJobRunner(config, {
    prefix: config.queuePrefix,
    onError: (err, where) => log.warn({ err: err.message, where }, 'redis trouble; reconnecting'),
  });
  const incidents = new IncidentStore(graph);
  const feedback = new QueuedFeedbackSink(runner);
  const model = config.llm ? await createFreeFormModel(config.llm) : undefined;
  const cypherLimits = config.cypher;
  let bot: SlackBot | undefined;
  let assistant: Assistant;
  // A worker posts cards through Slack's Web API too; only the bot role listens for Slack's requests.
  if (config.slack && (roles.has('bot') || roles.has('worker'))) {
    const { botToken, mode } = slackModeFromConfig(config);
    bot = createSlackApp({
      botToken,
      mode,
      incidents,
      feedback,
      corrections: new QueuedIncidentCorrections(runner),
      slackApiUrl: config.slack.apiUrl,
      routing: routingFrom(config),
      logLevel: 'warn',
      assistant: ({ groups }) =>
        new Assistant({
          graph,
          incidents,
          feedback,
          model,
          cypher: new CypherGate({ graph, allow: config.cypherAllow, groups, limits: cypherLimits }),
        }),
    });
    assistant = bot.assistant;
  } else {
    assistant = new Assistant({
      graph,
      incidents,
      feedback,
      model,
      cypher: new CypherGate({ graph, allow: config.cypherAllow, limits: cypherLimits }),
    });
  }
  const notifier: Notifier = opts.notifier ?? bot?.notifier ?? new ConsoleNotifier();
  const addresses: Runtime['addresses'] = {};

  if (roles.has('worker')) {
    const queues = opts.queues ?? QUEUES;
    const concurrency = opts.concurrency ?? 1;
    registerFlow(
      runner,
      {
        graph,
        metrics,
        notifier,
        limiter: channelRateLimiterFor(runner),
        logs: new MemoryLogBuffer(),
        alertFlow: queues.includes('compress')
          ? new AlertFlowState({ corrections: await loadAlertCorrections(graph) })
          : undefined,
        incidents,
      },
      { queues, concurrency: Object.fromEntries(queues.map((q) => [q, concurrency])) },
    );
    if (opts.schedule ?? true) {
      await runner.schedule('detect', 'detect-every-minute', 60_000, {
        lookbackS: 3_600,
        stepS: 30,
        detector: 'robust-z',
      });
      await runner.schedule('logcheck', 'logcheck-every-minute', 60_000, { windowMs: 60_000, baselineMs: 3_600_000 });
      // Watch items that keep firing become incidents on time, even when no other notification arrives.
      await runner.schedule('compress', 'compress-tick-every-minute', 60_000, { tick: true });
    }
    if (runner instanceof BullmqRunner) await runner.ready();
    log.info({ runner: config.redisUrl ? 'bullmq' : 'in-process', queues }, 'workers ready');
  }

  let ingest: FastifyInstance | undefined;
  if (roles.has('ingest')) {
    ingest = await buildIngestServer({
      graph,
      metrics: buffer,
      logger: log,
      token: config.ingest.token,
      onAlerts: async (alerts) => {
        if (alerts.length > 0) await runner.enqueue('compress', { alerts, receivedAt: Date.now() });
      },
    });
    addresses.ingest = await ingest.listen({ host: config.ingest.host, port: config.ingest.port });
    log.info({ address: addresses.ingest }, 'ingest server listening');
  }

  if (bot && roles.has('bot')) {
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
    bot,
    addresses,
    async close() {
      // Stop taking input first, then let in-flight jobs finish, then make the graph durable.
      await ingest?.close();
      if (roles.has('bot'))
        await bot?.stop().catch((err: unknown) => log.warn({ err: String(err) }, 'slack stop failed'));
      await runner.close({ timeoutMs: config.shutdownGraceMs });
      await graph.close();
      log.info('stopped');
    },
  };
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
