import type { PropValue } from './graph.js';

/** Reads `k=v` label strings (how ingest stores labels on Alert and Kubernetes nodes) into a record. */
export function labelsOf(v: PropValue | undefined): Record<string, string> {
  if (!Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const kv of v) {
    if (typeof kv !== 'string') continue;
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
