/**
 * Kubernetes trouble as evidence: Warning Events (OOMKilling, BackOff, Unhealthy, FailedScheduling,
 * Evicted, ImagePullBackOff …) and the kubelet's container statuses (restarts, OOMKilled, CrashLoopBackOff)
 * become `Anomaly` nodes (`source: 'k8s'`, `kind: 'k8s-event'`) FOUND_ON the Pod or Node they are about.
 * One node per event object or per (pod, container, reason): a repeat raises its `count`, never adds a
 * node. Pure: plain objects in, records and graph batches out.
 */
import type { EdgeRecord, GraphBatch, NodeRecord, Uid } from '../../model/graph.js';
import { uid } from '../../model/uid.js';
import type { K8sObject } from '../k8s/k8s-object.js';
import { k8sUid } from '../k8s/k8s-uid.js';

/** One piece of Kubernetes evidence about an object. Times in ms since epoch. */
export interface K8sEvidence {
  /** Stable identity: the same trouble seen again maps to the same id. */
  key: string;
  target: { kind: string; name: string; namespace: string | null };
  reason: string;
  message: string;
  count: number;
  first: number;
  last: number;
  container?: string;
}

/** Reasons that are evidence even when an event is not typed Warning. */
const TROUBLE = new Set([
  'OOMKilled',
  'OOMKilling',
  'BackOff',
  'CrashLoopBackOff',
  'Unhealthy',
  'FailedScheduling',
  'Evicted',
  'ImagePullBackOff',
  'ErrImagePull',
  'Failed',
  'NodeNotReady',
]);
/** Container waiting/terminated reasons that are trouble (Completed, ContainerCreating are not). */
const BAD_STATE = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'OOMKilled',
  'Error',
  'CreateContainerConfigError',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const time = (v: unknown) => {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/**
 * The evidence in one Event (core/v1 or events.k8s.io/v1 shape), or undefined when it is routine
 * (Scheduled, Pulled, Created …) or names no object. Deduplicated by the Event's own name: the API
 * server folds repeats into `count` / `series.count`. Pure.
 */
export function eventEvidence(ev: unknown): K8sEvidence | undefined {
  if (!isObj(ev)) return undefined;
  const meta = isObj(ev.metadata) ? ev.metadata : {};
  const reason = str(ev.reason);
  const involved = isObj(ev.involvedObject) ? ev.involvedObject : isObj(ev.regarding) ? ev.regarding : undefined;
  const kind = str(involved?.kind);
  const name = str(involved?.name);
  if (!reason || !kind || !name) return undefined;
  if (ev.type !== 'Warning' && !TROUBLE.has(reason)) return undefined;
  const series = isObj(ev.series) ? ev.series : undefined;
  const count = Math.max(1, Number(series?.count ?? ev.count ?? ev.deprecatedCount ?? 1) || 1);
  const created = time(meta.creationTimestamp) ?? 0;
  const first = time(ev.firstTimestamp) ?? time(ev.eventTime) ?? created;
  const last = time(ev.lastTimestamp) ?? time(series?.lastObservedTime) ?? time(ev.eventTime) ?? first;
  const namespace = kind === 'Node' ? null : (str(involved?.namespace) ?? str(meta.namespace) ?? 'default');
  return {
    key: `event/${str(meta.namespace) ?? ''}/${str(meta.name) ?? `${kind}/${name}/${reason}`}`,
    target: { kind, name, namespace },
    reason,
    message: (str(ev.message) ?? str(ev.note) ?? reason).slice(0, 500),
    count,
    first,
    last,
  };
}

/**
 * The evidence in a Pod's container statuses: a container that restarted (with the last termination's
 * reason, e.g. OOMKilled, and its memory limit) or that is stuck waiting (CrashLoopBackOff,
 * ImagePullBackOff). One record per (container, reason); `count` is the restart count. Pure.
 */
export function podStatusEvidence(pod: K8sObject, at: number): K8sEvidence[] {
  if (pod.kind !== 'Pod') return [];
  const out: K8sEvidence[] = [];
  const target = { kind: 'Pod', name: pod.name, namespace: pod.namespace };
  for (const c of pod.containerStatuses ?? []) {
    const limit = pod.pod?.containers.find((x) => x.name === c.name)?.limits.memory;
    const mem = limit ? `, memory limit ${limit}` : '';
    if (c.restartCount > 0) {
      const reason = c.lastReason === 'OOMKilled' ? 'OOMKilled' : 'Restarted';
      const why = c.lastReason
        ? ` (last: ${c.lastReason}${c.lastExitCode !== undefined ? `, exit ${c.lastExitCode}` : ''})`
        : '';
      out.push({
        key: `pod/${pod.namespace}/${pod.name}/${c.name}/${reason}`,
        target,
        reason,
        message: `container ${c.name} restarted ${c.restartCount}×${why}${reason === 'OOMKilled' ? mem : ''}`,
        count: c.restartCount,
        first: c.lastFinishedAt ?? at,
        last: c.lastFinishedAt ?? at,
        container: c.name,
      });
    }
    if (c.stateReason && BAD_STATE.has(c.stateReason) && c.stateReason !== c.lastReason) {
      out.push({
        key: `pod/${pod.namespace}/${pod.name}/${c.name}/${c.stateReason}`,
        target,
        reason: c.stateReason,
        message: `container ${c.name} is ${c.stateReason}${c.stateReason === 'OOMKilled' ? mem : ''}`,
        count: Math.max(1, c.restartCount),
        first: at,
        last: at,
        container: c.name,
      });
    }
  }
  return out;
}

/** The Anomaly uid of a piece of evidence. */
export const evidenceUid = (e: K8sEvidence, cluster = 'default'): Uid => uid('Anomaly', 'k8s', cluster, e.key);

/**
 * Anomaly nodes FOUND_ON their Pod/Node (which must exist or arrive in the same batch; evidence
 * about a kind the graph does not model is dropped). `start`/`end` are unix seconds like every
 * other Anomaly; `score` is the count. Pure and idempotent.
 */
export function toEvidenceBatch(evidence: readonly K8sEvidence[], opts: { cluster?: string; at: number }): GraphBatch {
  const cluster = opts.cluster ?? 'default';
  const nodes = new Map<Uid, NodeRecord>();
  const edges: EdgeRecord[] = [];
  for (const e of evidence) {
    const target = k8sUid(e.target.kind, e.target.name, e.target.namespace, cluster);
    if (!target) continue;
    const id = evidenceUid(e, cluster);
    nodes.set(id, {
      label: 'Anomaly',
      uid: id,
      props: {
        source: 'k8s',
        kind: 'k8s-event',
        detector: 'kubernetes',
        reason: e.reason,
        metric: `k8s_${e.reason}`,
        entity: e.target.name,
        entityKind: e.target.kind,
        ...(e.target.namespace !== null ? { namespace: e.target.namespace } : {}),
        ...(e.container ? { container: e.container } : {}),
        summary: e.message,
        count: e.count,
        score: e.count,
        start: Math.floor(e.first / 1000),
        end: Math.floor(Math.max(e.first, e.last) / 1000),
      },
    });
    edges.push({ type: 'FOUND_ON', from: id, to: target, props: { metric: `k8s_${e.reason}` } });
  }
  return { nodes: [...nodes.values()], edges, observedAt: opts.at };
}
