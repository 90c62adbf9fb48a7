/**
 * Which metrics are service-level indicators (SLIs) and which way they go bad. Latency, errors and
 * failures hurt when they rise; availability and success rates when they fall. Detection on an SLI
 * is one-sided: a faster or more available service is not an incident (Google SRE Workbook, ch. 2
 * "Implementing SLOs": an SLI is good events over valid events, so only one direction breaches).
 */
import type { Side } from './streaming.js';

/** Name patterns of SLIs and of the SLIs that breach downwards. */
export const DEFAULTS = {
  sliPattern: /latency|availability|error|fail|duration|response|success|p9\d/i,
  lowerPattern: /availability|success|apdex/i,
};

/** True when `metric` names an SLI. Pure. */
export function isSliMetric(metric: string, o: typeof DEFAULTS = DEFAULTS): boolean {
  return o.sliPattern.test(metric);
}

/** The side on which `metric` goes bad: `lower` for availability-like SLIs, `upper` for other SLIs, `both` otherwise. Pure. */
export function sideOf(metric: string, o: typeof DEFAULTS = DEFAULTS): Side {
  if (!isSliMetric(metric, o)) return 'both';
  return o.lowerPattern.test(metric) ? 'lower' : 'upper';
}
