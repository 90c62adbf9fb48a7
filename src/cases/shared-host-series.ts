/**
 * Series several entities share, read as their host's. An export that writes each pod's row with its
 * node's figures (a `NodeCpuUsageRate` column on every pod of the node) gives every workload on a node
 * the same series: it tells them apart in nothing, and it moves with whatever loads the node, so a
 * bystander's copy of it can outrank the faulty pod's own CPU. A resource series (CPU, memory, network,
 * disk) that varies and is identical, sample for sample, on two or more entities is moved to one host
 * entity per set of entities ("host of a, b"). The ranking treats that entity as a host: a workload on
 * it whose own series move with it explains it (explain-away.ts). Not between names of one workload
 * (`cart`, `cart-pod`): those are one container's figures twice. Pure.
 */
import { metricSemantics } from '../model/metric-semantics.js';
import { splitReplica } from '../model/replica-column.js';
import type { CaseData, CaseSeries, SharedHost } from './types.js';

/** The families a machine shares with what runs on it. */
const HOST_FAMILIES: ReadonlySet<string> = new Set(['cpu', 'memory', 'network', 'disk']);
/** Entities named in full in a host's name; the rest are counted. */
const NAMED = 3;

/** The case with shared series moved to their hosts, and the hosts made. */
export function sharedSeriesAsHosts(c: CaseData): { data: CaseData; hosts: SharedHost[] } {
  // Bucketed by metric and a hash of the samples, then split by exact equality within a bucket.
  const buckets = new Map<string, number[][]>();
  c.series.forEach((s, i) => {
    const metric = splitReplica(s.metric).metric;
    if (!HOST_FAMILIES.has(metricSemantics(metric).family) || !varies(s.values)) return;
    const key = `${metric}\u0000${valuesHash(s.values)}`;
    const bucket = buckets.get(key) ?? [];
    const same = bucket.find((g) => sameValues(c.series[g[0]].values, s.values));
    if (same) same.push(i);
    else bucket.push([i]);
    buckets.set(key, bucket);
  });
  const shared = [...buckets.values()].flat().filter((g) => {
    const entities = new Set(g.map((i) => c.series[i].entity));
    return entities.size > 1 && !namesOneWorkload(entities);
  });
  if (shared.length === 0) return { data: c, hosts: [] };
  const taken = new Set(c.series.map((s) => s.entity));
  const hostOf = new Map<string, SharedHost & { metrics: string[] }>();
  const moved = new Set<number>();
  const added: CaseSeries[] = [];
  for (const g of shared) {
    const entities = [...new Set(g.map((i) => c.series[i].entity))].sort();
    const setKey = entities.join('\u0000');
    let host = hostOf.get(setKey);
    if (!host) {
      host = { host: uniqueName(hostName(entities), taken), entities, metrics: [] };
      taken.add(host.host);
      hostOf.set(setKey, host);
    }
    const first = c.series[g[0]];
    const metric = splitReplica(first.metric).metric;
    // Two shared series of one metric on one set of entities (a node's two disks) stay two columns.
    const column = host.metrics.includes(metric) ? `${metric}@${host.metrics.length}` : metric;
    host.metrics.push(metric);
    added.push({ key: `${host.host}|${column}`, entity: host.host, metric: column, values: first.values });
    for (const i of g) moved.add(i);
  }
  const series = [...c.series.filter((_, i) => !moved.has(i)), ...added];
  return { data: { ...c, series }, hosts: [...hostOf.values()] };
}

/**
 * Whether two of the names are one workload's (`c` and `c-pod`, `cart` and `cart.sidecar`): a Service
 * and its Pod, or a Pod and its sidecar, report the same container figures without sharing a machine.
 */
function namesOneWorkload(entities: ReadonlySet<string>): boolean {
  for (const a of entities)
    for (const b of entities) if (a !== b && b.startsWith(a) && /[-_.:/@]/.test(b.charAt(a.length))) return true;
  return false;
}

function hostName(entities: readonly string[]): string {
  const named = entities.slice(0, NAMED).join(', ');
  return entities.length > NAMED ? `host of ${named} and ${entities.length - NAMED} more` : `host of ${named}`;
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  let k = 2;
  while (taken.has(`${name} #${k}`)) k++;
  return `${name} #${k}`;
}

/** Three distinct values at least: a limit or a flat zero is the same everywhere by nature, not shared. */
function varies(values: Float64Array): boolean {
  // The first distinct finite values seen; a third one settles it.
  let a = Number.NaN,
    b = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v === a || v === b) continue;
    if (Number.isNaN(a)) a = v;
    else if (Number.isNaN(b)) b = v;
    else return true;
  }
  return false;
}

/** FNV-1a over the samples' bytes: equal series hash alike (empty cells at the same rows included). */
function valuesHash(values: Float64Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

/** Sample for sample, an empty cell equal only to an empty cell. */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
