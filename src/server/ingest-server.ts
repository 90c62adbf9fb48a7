import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphStore } from '../graph/graph-store.js';
import type { AlertRecord } from '../model/alert-record.js';
import { Intake, type RecoveryReport } from '../ingest/durable/intake.js';
import { LogIngestor } from '../ingest/logs/log-ingestor.js';
import { toAlertGraphBatch } from '../ingest/alertmanager/to-alert-graph-batch.js';
import { SerialWriter } from '../ingest/serial-writer.js';
import { TraceIngestor } from '../ingest/traces/trace-ingestor.js';
import type { LogLine } from '../logs/template-windows.js';
import type { SpanRecord } from '../model/span-record.js';
import type { BufferMetricSource } from '../metrics/buffer-metric-source.js';
import { registerBodyParsers } from './body-parsers.js';
import { handleError } from './http-errors.js';
import { registerIngestRoutes } from './ingest-routes.js';
import { registerOtlpRoutes } from './otlp-routes.js';
import { registerMetricRoutes } from './metric-routes.js';
import { MetricIngestor } from '../ingest/metrics/metric-ingestor.js';
import { INPUT_LIMITS, type ReceiveOptions } from '../ingest/input-limits.js';

/** Knobs of the ingest server. */
export const DEFAULTS = {
  /** Largest accepted body after decompression (OTLP exporters batch 512 spans ≈ 0.5 MB). */
  bodyLimitBytes: 16 * 1024 * 1024,
  /** How often idle traces are folded into the graph (ms). */
  tickMs: 1_000,
  /** A trace is complete after this long without new spans (ms). */
  traceIdleMs: 5_000,
  /** The longest a request (headers and body) may take to arrive (ms). */
  requestTimeoutMs: 30_000,
  /** How often the ingest state is checkpointed, bounding what a restart re-applies (ms). */
  checkpointMs: 15_000,
};

export interface IngestServerOptions {
  graph: GraphStore;
  /** The process's one graph writer, when other ingest paths (the cluster watch) share it; a new one by default. */
  writer?: SerialWriter;
  /** Where OTLP metrics, remote-write and the JSON push keep samples; those endpoints answer 400 without it. */
  metrics?: BufferMetricSource;
  /** A pino logger (e.g. createLogger()), or false for none. */
  logger?: FastifyBaseLogger | false;
  /** Bearer token required on every route but /healthz and /readyz (ROOTGRAPH_INGEST_TOKEN). */
  token?: string;
  /**
   * Takes the accepted alerts of each Alertmanager webhook and owns writing them (the runtime enqueues
   * them for the compress job, which stores them with the incident update). By default the server's
   * own writer stores them.
   */
  alertOwner?: (records: AlertRecord[], receivedAt: number) => Promise<void>;
  /** Observes the alerts of each accepted webhook once the owner has taken them. */
  onAlerts?: (records: AlertRecord[]) => void | Promise<void>;
  /** Cluster name in uids (default `default`). */
  cluster?: string;
  /** Keeps the log lines the aggregator counted (no replays, no late lines) for the scheduled log checks (embedded mode). */
  recentLogs?: { append(lines: readonly LogLine[]): void };
  /** Keeps the spans this server accepts, for the live analyses of this process. */
  recentSpans?: { append(spans: readonly SpanRecord[]): void };
  bodyLimitBytes?: number;
  requestTimeoutMs?: number;
  tickMs?: number;
  traceIdleMs?: number;
  /** Window length of CALLS and LogTemplate statistics (ms, default 60 000). */
  windowMs?: number;
  /**
   * Where accepted inputs are journaled before they are answered, and the ingest state checkpointed
   * (`Intake.open(dataDir)`); the caller owns it and closes it after the server. Volatile when omitted.
   */
  intake?: Intake;
  checkpointMs?: number;
  /** The receiving clock records' times are checked against (ms since epoch; `Date.now` by default). */
  now?: () => number;
  /** How far in the future a record's time may be, ms (ROOTGRAPH_MAX_FUTURE_MS; INPUT_LIMITS.maxFutureMs). */
  maxFutureMs?: number;
  /** How far in the past, ms; 0 = no bound (ROOTGRAPH_MAX_PAST_MS; INPUT_LIMITS.maxPastMs). */
  maxPastMs?: number;
}

/** The ingestors behind the routes: tests and `rootgraph serve` flush them on shutdown. */
export interface IngestPipelines {
  traces: TraceIngestor;
  logs: LogIngestor;
  /** Folds every buffered trace into the graph now. */
  flush(): Promise<void>;
  /** What the start-up recovery restored and re-applied. */
  recovery: RecoveryReport;
  /** Checkpoints the ingest state once the graph holds everything emitted so far. */
  checkpoint(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestPipelines;
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const [a, b] = [Buffer.from(m[1].trim()), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The HTTP ingest server (not started): OTLP/HTTP `POST /v1/traces` and `/v1/logs` (JSON and
 * protobuf), `POST /v1/alerts/alertmanager` (webhook v4), `POST /v1/metrics` (JSON push),
 * `POST /v1/k8s` (YAML / kubectl JSON), `GET /healthz` (process up) and `GET /readyz` (graph
 * answers). Bad input gets a 4xx whose body names what and where; partly bad batches keep the good
 * records and list the rest. Closing the app flushes buffered traces. Call `listen()` to start.
 */
export async function buildIngestServer(opts: IngestServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
    // A client that sends its body slowly is cut off, so slow connections cannot pile up forever.
    serverFactory: (handler) => {
      const requestTimeout = opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
      return createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(requestTimeout, 60_000),
          // Node checks the deadlines on this interval (30 s by default): keep it well under the timeout.
          connectionsCheckingInterval: Math.max(100, Math.min(30_000, requestTimeout / 4)),
        },
        handler,
      );
    },
  }) as unknown as FastifyInstance;
  const cluster = opts.cluster ?? 'default';
  const windowMs = opts.windowMs;
  // One writer for every ingest path, so graph writes of this process land in arrival order.
  const writer = opts.writer ?? new SerialWriter(opts.graph);
  const intake = opts.intake ?? Intake.volatile();
  const traces = new TraceIngestor(opts.graph, {
    writer,
    intake,
    cluster,
    traceIdleMs: opts.traceIdleMs ?? DEFAULTS.traceIdleMs,
    // Under load one graph write carries many requests' statistics; the intake already keeps what was answered.
    writeEveryMs: opts.tickMs ?? DEFAULTS.tickMs,
    ...(opts.recentSpans ? { recent: opts.recentSpans } : {}),
    ...(windowMs ? { windowMs } : {}),
  });
  const logs = new LogIngestor(opts.graph, {
    writer,
    intake,
    cluster,
    ...(opts.recentLogs ? { recent: opts.recentLogs } : {}),
    ...(windowMs ? { windowMs } : {}),
  });
  const metrics = opts.metrics ? new MetricIngestor(opts.metrics, writer, { intake }) : undefined;
  // Before the first request: the state of the last checkpoint, then the inputs accepted after it.
  const recovery = intake.recover();
  if (recovery.replayed > 0 || recovery.skipped.length > 0)
    app.log.info({ ...recovery, skipped: recovery.skipped.slice(0, 10) }, 'ingest state recovered');
  await Promise.all([traces.tick(), logs.write()]);
  // Inside the writer: every batch emitted before the snapshots is in the graph when they are stored.
  const checkpoint = () => writer.run(async () => void (await intake.checkpoint()));
  app.decorate('ingest', {
    traces,
    logs,
    recovery,
    checkpoint,
    flush: async () => {
      await traces.flush();
    },
  });
  registerBodyParsers(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
        hint: 'Routes: POST /v1/traces, /v1/logs, /v1/metrics (OTLP), /v1/push/metrics, /api/v1/write (remote-write), /v1/alerts/alertmanager, /v1/k8s; GET /healthz, /readyz.',
      },
    }),
  );

  if (opts.token) {
    const token = opts.token;
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/healthz' || req.url === '/readyz') return;
      if (!tokenMatches(req.headers.authorization, token)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({
            error: {
              code: 'NOT_ALLOWED',
              message: 'missing or wrong bearer token',
              hint: 'Send "Authorization: Bearer $ROOTGRAPH_INGEST_TOKEN".',
            },
          });
      }
    });
  }

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await opts.graph.counts();
      return { status: 'ready', graph: opts.graph.kind, pendingSpans: traces.aggregator.pendingSpans };
    } catch (err) {
      return reply.status(503).send({
        status: 'unavailable',
        error: {
          code: 'UNAVAILABLE',
          message: `graph (${opts.graph.kind}) does not answer: ${(err as Error).message}`,
        },
      });
    }
  });
  // Each request's records are checked against the clock when it arrived and the configured skew.
  const bounds = {
    maxFutureMs: opts.maxFutureMs ?? INPUT_LIMITS.maxFutureMs,
    maxPastMs: opts.maxPastMs ?? INPUT_LIMITS.maxPastMs,
  };
  const now = opts.now ?? Date.now;
  const clock = (): Required<ReceiveOptions> => ({ nowMs: now(), ...bounds });
  registerOtlpRoutes(app, { traces, logs, metrics, cluster, clock });
  registerMetricRoutes(app, { metrics, cluster, clock });
  registerIngestRoutes(app, {
    writer,
    cluster,
    clock,
    alertOwner: opts.alertOwner ?? (async (alerts, at) => void (await writer.write(toAlertGraphBatch(alerts, at)))),
    onAlerts: opts.onAlerts,
  });

  const timer = setInterval(() => {
    traces.tick().catch((err: unknown) => app.log.error({ err }, 'writing trace statistics failed'));
  }, opts.tickMs ?? DEFAULTS.tickMs);
  timer.unref();
  const checkpoints = setInterval(() => {
    checkpoint().catch((err: unknown) => app.log.error({ err }, 'ingest checkpoint failed'));
  }, opts.checkpointMs ?? DEFAULTS.checkpointMs);
  checkpoints.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    clearInterval(checkpoints);
    await traces.flush();
    await checkpoint();
  });
  return app;
}
