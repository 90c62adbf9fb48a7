/**
 * Text similarity of alerts: Jaccard similarity of word tokens of the alert name (camelCase and
 * snake_case split) blended with Jaccard similarity of the non-identity labels — the
 * "alert signature" similarity of event-correlation systems (e.g. Lin et al., "Correlating events
 * with time series for incident diagnosis", KDD 2016, uses textual event similarity the same way).
 */

/** Knobs for text similarity. */
export const DEFAULTS = {
  /** Share of the score given to the alert name; the rest goes to labels. */
  nameWeight: 0.7,
  /** Labels that name the entity or the scrape, not the kind of problem: left out of label similarity. */
  identityLabels: [
    'alertname',
    'pod',
    'pod_name',
    'kubernetes_pod_name',
    'exported_pod',
    'instance',
    'node',
    'kubernetes_node',
    'nodename',
    'container',
    'service',
    'service_name',
    'deployment',
    'job',
    'endpoint',
    'uid',
    'namespace',
    'cluster',
    'prometheus',
    'replica',
    'id',
    'ip',
  ] as readonly string[],
} as const;

/** The comparable form of an alert: its name tokens and its non-identity `key=value` labels. */
export interface AlertSignature {
  name: ReadonlySet<string>;
  labels: ReadonlySet<string>;
}

/** `HighHTTPErrorRate_5m` → {high, http, error, rate, 5m}. Pure. */
export function nameTokens(name: string): Set<string> {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return new Set(
    spaced
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t.length > 0),
  );
}

/** Builds an alert's signature once, so comparisons are set operations only. Pure. */
export function alertSignature(
  name: string,
  labels: Readonly<Record<string, string>>,
  identity = DEFAULTS.identityLabels,
): AlertSignature {
  const skip = new Set(identity);
  const pairs = new Set<string>();
  for (const [k, v] of Object.entries(labels)) if (!skip.has(k)) pairs.add(`${k}=${v}`);
  return { name: nameTokens(name), labels: pairs };
}

/** |a ∩ b| / |a ∪ b|, and 1 for two empty sets (nothing tells them apart). Pure. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let both = 0;
  for (const t of small) if (large.has(t)) both++;
  return both / (a.size + b.size - both);
}

/** Similarity of two alert signatures in [0, 1]; 1 for identical names and labels. Pure and symmetric. */
export function signatureSimilarity(
  a: AlertSignature,
  b: AlertSignature,
  nameWeight: number = DEFAULTS.nameWeight,
): number {
  return nameWeight * jaccard(a.name, b.name) + (1 - nameWeight) * jaccard(a.labels, b.labels);
}
