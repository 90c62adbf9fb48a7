/**
 * Wires the incident flow's plain job functions (src/incidents) to a JobRunner: each processor runs
 * its job, then enqueues the follow-ups the job asked for (before reporting success, so a crash in
 * between re-runs the job and the content-derived ids keep the follow-ups single).
 */
import type { GraphStore } from '../graph/graph-store.js';
import { AlertFlowState } from './alert-flow-state.js';
import { runCompressJob } from './compress-job.js';
import type { ChannelRateLimiter } from '../ports/channel-rate-limiter.js';
import { runDetectJob } from './detect-job.js';
import { seriesOwners } from './series-owners.js';
import { runFeedbackJob } from './feedback-job.js';
import { IncidentStore } from '../incidents/incident-store.js';
import { runIngestBatchJob } from './ingest-batch-job.js';
import type { FlowResult } from './flow-result.js';
import { runLogCheckJob } from './log-check-job.js';
import type { LogLineSource } from '../ports/log-line-source.js';
import type { Notifier } from '../ports/notifier.js';
import { runNotifyJob } from './notify-job.js';
import { runRcaJob } from './rca-job.js';
import { runTrainDetectorJob } from './train-detector-job.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { SpanSource } from '../ports/span-source.js';
import { RootgraphError } from '../errors.js';
import type { JobContext, JobRunner, ProcessOptions } from '../ports/job-runner.js';
import { QUEUES, type JobData, type QueueName } from './queues.js';

/** Everything the flow's jobs read and write. */
export interface FlowPorts {
  graph: GraphStore;
  metrics: MetricSource;
  notifier: Notifier;
  limiter: ChannelRateLimiter;
  /** Needed only by the logcheck queue. */
  logs?: LogLineSource;
  /** Recent spans for the rca and feedback queues (trace evidence); absent = none. */
  spans?: SpanSource;
  /** The compressor's state; one per runner process (a fresh one when omitted; it learns the topology around alerting entities). */
  alertFlow?: AlertFlowState;
  incidents?: IncidentStore;
  now?: () => number;
}

type FlowProcessor<Q extends QueueName> = (data: JobData<Q>, ctx: JobContext) => Promise<FlowResult<unknown>>;

/** The plain job function behind each queue, given the ports. */
export function flowJobs(ports: FlowPorts): { [Q in QueueName]: FlowProcessor<Q> } {
  const now = ports.now ?? Date.now;
  const incidents = ports.incidents ?? new IncidentStore(ports.graph, now);
  const state = ports.alertFlow ?? new AlertFlowState();
  const base = { graph: ports.graph, incidents, metrics: ports.metrics, now };
  const traced = ports.spans ? { ...base, spans: ports.spans } : base;
  return {
    ingest: (d) => runIngestBatchJob(d, base),
    compress: (d) => runCompressJob(d, { ...base, state }),
    detect: async (d) => runDetectJob(d, { ...base, entityUid: await seriesOwners(ports.graph) }),
    logcheck: (d) => {
      if (!ports.logs)
        throw new RootgraphError('CONFIG_INVALID', 'log checks need a log source', {
          hint: 'Run the logcheck queue where ingestion buffers logs.',
        });
      return runLogCheckJob(d, { ...base, logs: ports.logs });
    },
    rca: (d, ctx) => runRcaJob(d, { ...traced, progress: (p) => ctx.progress(p) }),
    notify: (d) => runNotifyJob(d, { incidents, notifier: ports.notifier, limiter: ports.limiter }),
    feedback: (d) => runFeedbackJob(d, traced),
    train: (d, ctx) => runTrainDetectorJob(d, { ...base, progress: (p) => ctx.progress(p) }),
  };
}

/**
 * Registers the flow's processors on `runner` for `queues` (all by default). The result a job stores
 * is its summary; follow-ups are enqueued on the same runner.
 */
export function registerFlow(
  runner: JobRunner,
  ports: FlowPorts,
  opts: { queues?: readonly QueueName[]; concurrency?: Partial<Record<QueueName, number>> } = {},
): void {
  const jobs = flowJobs(ports);
  for (const q of opts.queues ?? QUEUES) {
    const job = jobs[q] as FlowProcessor<QueueName>;
    const popts: ProcessOptions = { concurrency: opts.concurrency?.[q] ?? 1 };
    runner.process(
      q,
      async (data, ctx) => {
        const { summary, next } = await job(data, ctx);
        for (const f of next) await runner.enqueue(f.queue, f.data);
        return summary;
      },
      popts,
    );
  }
}
