/**
 * The scheduled log-check job: mines the last window and its baseline (src/logs), writes templates
 * and log anomalies to the graph, and opens or updates an incident for a service whose latest window
 * shows an error burst or new error templates. A service is its name, namespace and cluster as the
 * lines carry them (the ingest path's), so findings land on the Service node ingestion built.
 */
import type { GraphStore } from '../graph/graph-store.js';
import { detectLogAnomalies } from '../logs/log-checks.js';
import type { LogAnomaly } from '../logs/log-checks.js';
import { sameService, serviceKey, serviceTitle } from '../logs/service-ref.js';
import { mineTemplateWindows, type TemplateWindow } from '../logs/template-windows.js';
import { toLogGraphBatch } from '../logs/to-graph.js';
import { uids } from '../model/uid.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { z } from 'zod';
import type { FlowResult, FollowUp } from './flow-result.js';
import type { LogLineSource } from '../ports/log-line-source.js';
import { openOrUpdateIncident } from './open-or-update.js';

/** Scheduled log checks: the last `windowMs` against the `baselineMs` before it. */
export const LogCheckPayload = z.object({
  windowMs: z.number().int().positive(),
  baselineMs: z.number().int().positive(),
});
export type LogCheckJobInput = z.infer<typeof LogCheckPayload>;

export type LogCheckSummary = { lines: number; anomalies: number; incidents: number[] };

/** Runs the checks on [now − windowMs, now) against the `baselineMs` before it. */
export async function runLogCheckJob(
  input: LogCheckJobInput,
  ports: { graph: GraphStore; incidents: IncidentStore; logs: LogLineSource; now: () => number },
): Promise<FlowResult<LogCheckSummary>> {
  const end = Math.floor(ports.now() / input.windowMs) * input.windowMs;
  const cut = end - input.windowMs;
  const lines = await ports.logs.lines(cut - input.baselineMs, end);
  const mined = mineTemplateWindows(lines, { windowMs: input.windowMs });
  const current = mined.windows.filter((w) => w.start >= cut);
  const anomalies = detectLogAnomalies({
    baseline: mined.windows.filter((w) => w.start < cut),
    current,
    templates: mined.templates,
  });
  await ports.graph.upsert(
    toLogGraphBatch({ templates: mined.templates.values(), anomalies, observedAt: ports.now() }),
  );
  const serious = anomalies.filter((a) => opensIncident(a, current));
  const next: FollowUp[] = [];
  const incidents: number[] = [];
  for (const key of [...new Set(serious.map(serviceKey))].sort()) {
    const mine = serious.filter((a) => serviceKey(a) === key);
    const { service, namespace, cluster } = mine[0];
    const entry = uids.service(service, namespace, cluster);
    const r = await openOrUpdateIncident(ports.incidents, {
      source: 'logs',
      entry,
      entities: [entry],
      // Two `cart`s in two namespaces or clusters must read as two services on the incident list.
      title: `Log anomaly on ${serviceTitle(mine[0])}: ${mine[0].summary}`,
      severity: 'warning',
      at: cut,
    });
    incidents.push(r.incident.number);
    next.push(...r.next);
  }
  return { summary: { lines: lines.length, anomalies: anomalies.length, incidents }, next };
}

/**
 * Whether a finding is worth an incident: an error burst, or new templates that carry error lines.
 * New templates of INFO lines alone stay evidence in the graph (a deploy's new start-up messages are not an outage).
 */
export function opensIncident(a: LogAnomaly, windows: readonly TemplateWindow[]): boolean {
  if (a.kind === 'error-burst') return true;
  if (a.kind !== 'new-template') return false;
  const w = windows.find((x) => sameService(x, a) && x.start === a.start);
  return a.allTemplateIds.some((id) => (w?.errorCounts.get(id) ?? 0) > 0);
}
