import type { NodeRecord } from '../../model/graph.js';
import type { AssistantContext } from '../context.js';
import { describeNode, nodeTime, toEvidence } from '../describe-node.js';
import { formatMetricValue, metricInfo, plural } from '../format.js';
import type { Evidence, Reply } from '../reply.js';
import { displayName, siblings } from '../resolve-entity.js';
import { describeWindow, type TimeWindow } from '../time-phrases.js';

/** Knobs: the default window of a metric question and its resolution. */
export const DEFAULTS = { windowMs: 30 * 60_000, stepS: 30 };

/**
 * "What is the memory of X": the metric's latest value, range and mean over the window from the live
 * metric source when there is one, and the moves recorded as anomalies (detectors, incident evidence),
 * each with its unit.
 */
export async function answerMetric(
  ctx: AssistantContext,
  node: NodeRecord,
  metric: string,
  asked?: TimeWindow,
): Promise<Reply> {
  const now = ctx.now();
  const w = asked ?? { from: now - DEFAULTS.windowMs, to: now, phrase: '' };
  const name = displayName(node);
  const info = metricInfo(metric);
  const period = describeWindow(w, now);
  const lines: string[] = [];
  const evidence: Evidence[] = [];
  const live = ctx.metrics
    ? await ctx.metrics
        .query({
          entities: [name],
          metrics: [metric],
          from: Math.floor(w.from / 1000),
          to: Math.floor(w.to / 1000),
          stepS: DEFAULTS.stepS,
        })
        .catch(() => [])
    : [];
  for (const s of live) {
    const values = [...s.values].filter(Number.isFinite);
    if (values.length === 0) continue;
    const v = (x: number) => formatMetricValue(metric, x);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const line = `${info.label} of \`${name}\` now ${v(values[values.length - 1])}; in ${period}: min ${v(Math.min(...values))}, mean ${v(mean)}, max ${v(Math.max(...values))} (${plural(values.length, 'sample')})`;
    lines.push(line);
    evidence.push({ uid: `MetricSeries#${name}/${metric}`, label: 'MetricSeries', summary: line });
  }
  const own = await siblings(ctx.graph, node);
  const found = await ctx.graph.neighbourhood(
    own.map((n) => n.uid),
    { hops: 1, edges: ['FOUND_ON'], direction: 'in' },
  );
  const recorded = found.nodes
    .filter((n) => n.label === 'Anomaly' && n.props.metric === metric)
    .sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0))
    .slice(0, 5);
  for (const a of recorded) {
    lines.push(describeNode(a, now));
    evidence.push(toEvidence(a, now));
  }
  if (lines.length === 0)
    lines.push(
      ctx.metrics
        ? `No ${info.label} samples of ${name} in ${period}, and no recorded anomaly of it.`
        : `This assistant has no live metric source, and no anomaly of ${info.label} is recorded on ${name}.`,
    );
  return {
    title: `${info.label[0].toUpperCase()}${info.label.slice(1)} of ${name}`,
    sections: [{ lines }],
    evidence,
    actions: [{ label: `What is wrong with ${name}`, command: `what is wrong with ${name}` }],
    about: { entity: node.uid },
  };
}
