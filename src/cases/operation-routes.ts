/**
 * Span names read as routes (model/operation-template.ts): an export whose instrumentation named spans
 * by their raw URLs holds an operation per request; the reader folds them into one per route. Pure.
 */
import { operationTemplate } from '../model/operation-template.js';
import type { CaseData } from './types.js';

/** What the folding did: distinct names that held identifiers, the routes they became, one example. */
export interface OperationRoutes {
  names: number;
  routes: number;
  example: { from: string; to: string };
}

/** `c` with every span's operation as its route; `routes` null when no name changed. */
export function readOperationsAsRoutes(c: CaseData): { data: CaseData; routes: OperationRoutes | null } {
  const route = new Map<string, string>();
  let changed = false;
  for (const s of c.spans) {
    if (route.has(s.operation)) continue;
    const r = operationTemplate(s.operation);
    route.set(s.operation, r);
    changed ||= r !== s.operation;
  }
  if (!changed) return { data: c, routes: null };
  const folded = [...route].filter(([from, to]) => from !== to);
  const [from, to] = folded[0];
  return {
    data: { ...c, spans: c.spans.map((s) => ({ ...s, operation: route.get(s.operation) as string })) },
    routes: { names: folded.length, routes: new Set(folded.map(([, r]) => r)).size, example: { from, to } },
  };
}
