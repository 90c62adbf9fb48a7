/**
 * Which metrics are service-level indicators (SLIs) and which way they go bad. Latency, errors and
 * failures hurt when they rise; availability and success rates when they fall. Detection on an SLI
 * is one-sided: a faster or more available service is not an incident (Google SRE Workbook, ch. 2
 * "Implementing SLOs": an SLI is good events over valid events, so only one direction breaches).
 * The name is read once for the whole product (model/metric-semantics.ts): what detection calls an SLI
 * is what root-cause analysis treats as inclusive of its callees.
 */
import { metricSemantics, SLI_FAMILIES } from '../model/metric-semantics.js';
import type { Side } from './streaming.js';

/** The side on which `metric` goes bad: `lower` for availability-like SLIs, `upper` for other SLIs, `both` otherwise. Pure. */
export function sideOf(metric: string): Side {
  const { family, direction } = metricSemantics(metric);
  if (!SLI_FAMILIES.has(family)) return 'both';
  return direction === 'down' ? 'lower' : 'upper';
}
