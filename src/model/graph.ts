/** The knowledge graph's vocabulary: node labels, relationship types and the records that carry them. */

export const NODE_LABELS = [
  'Cluster',
  'Namespace',
  'Machine',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Container',
  'Service',
  'Operation',
  'ConfigMap',
  'Secret',
  'Ingress',
  'HorizontalPodAutoscaler',
  'Change',
  'Alert',
  'Incident',
  'Anomaly',
  'LogTemplate',
  'TracePattern',
  'Feedback',
  'MetricSeries',
  'CypherAudit',
  'RcaModel',
  'RcaEvidence',
  'AlertCorrection',
  'DetectorModel',
] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

export const EDGE_TYPES = [
  'CALLS',
  'HAS_OPERATION',
  'MANAGES',
  'RUNS_ON',
  'SELECTS',
  'IN_NAMESPACE',
  'MOUNTS',
  'ROUTES_TO',
  'CHANGED',
  'FIRED_ON',
  'GROUPS',
  'SUSPECTS',
  'FOUND_ON',
  'EMITTED_BY',
  'ABOUT',
  'HAS_SERIES',
  'IN_CLUSTER',
  'TOUCHES',
  'SCALES',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

/** A stable node key built from natural identity (see uid.ts). */
export type Uid = string;

/** Property values the graph stores: scalars and homogeneous arrays (Neo4j's property model). */
export type PropValue = string | number | boolean | null | string[] | number[] | boolean[];
export type Props = Record<string, PropValue>;

export interface NodeRecord {
  label: NodeLabel;
  uid: Uid;
  props: Props;
}

/** A relationship is identified by (type, from, to): upserting it again merges its props. */
export interface EdgeRecord {
  type: EdgeType;
  from: Uid;
  to: Uid;
  props: Props;
}

export interface GraphBatch {
  nodes: NodeRecord[];
  edges: EdgeRecord[];
  /** When these observations were made (ms since epoch); stored as `lastSeen`. Defaults to now. */
  observedAt?: number;
}

/** One record that was not written, and why. `index` is its position in the batch's array. */
export interface Rejection {
  kind: 'node' | 'edge';
  index: number;
  where: string;
  reason: string;
}

export interface UpsertReport {
  nodesCreated: number;
  nodesUpdated: number;
  edgesCreated: number;
  edgesUpdated: number;
  rejected: Rejection[];
}

export interface Subgraph {
  nodes: NodeRecord[];
  edges: EdgeRecord[];
}

export const isNodeLabel = (s: string): s is NodeLabel => (NODE_LABELS as readonly string[]).includes(s);
export const isEdgeType = (s: string): s is EdgeType => (EDGE_TYPES as readonly string[]).includes(s);
