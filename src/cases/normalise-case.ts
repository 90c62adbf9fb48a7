/**
 * A case as the format means it, from a case as an export wrote it: one name per entity across files
 * (unify-entity-names.ts), times in the format's units (time-units.ts), metric rows on one time grid
 * (metric-grid.ts), cumulative counters as rates (counter-rates.ts), series several entities share as their host's
 * (shared-host-series.ts), span names as routes (operation-routes.ts). Each step lists what it changed, so the ranking can say how the data was read.
 * Pure.
 */
import { countersAsRates } from './counter-rates.js';
import { alignMetricRows } from './metric-grid.js';
import { readOperationsAsRoutes } from './operation-routes.js';
import { sharedSeriesAsHosts } from './shared-host-series.js';
import { normaliseTimeUnits } from './time-units.js';
import type { CaseData } from './types.js';
import { unifyEntityNames } from './unify-entity-names.js';

export function normaliseCase(raw: CaseData): CaseData {
  const { data: named, renamed } = unifyEntityNames(raw);
  const { data: timed, fixed } = normaliseTimeUnits(named);
  const { data: aligned, fix } = alignMetricRows(timed);
  const { data: rated, converted } = countersAsRates(aligned);
  const { data: hosted, hosts } = sharedSeriesAsHosts(rated);
  const { data, routes } = readOperationsAsRoutes(hosted);
  return {
    ...data,
    ...(renamed.length > 0 ? { renamed } : {}),
    ...(fixed.length > 0 ? { timeUnits: fixed } : {}),
    ...(fix ? { metricRows: fix } : {}),
    ...(converted.length > 0 ? { counters: converted } : {}),
    ...(hosts.length > 0 ? { sharedHosts: hosts } : {}),
    ...(routes ? { operationRoutes: routes } : {}),
  };
}
