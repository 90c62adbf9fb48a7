/** The Kubernetes objects the ingest adapter understands, normalised to what the graph needs. */

export const K8S_KINDS = [
  'Namespace',
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Service',
  'ConfigMap',
  'Secret',
  'Ingress',
  'HorizontalPodAutoscaler',
  'Job',
  'CronJob',
] as const;
export type K8sKind = (typeof K8S_KINDS)[number];

export const isK8sKind = (s: string): s is K8sKind => (K8S_KINDS as readonly string[]).includes(s);

/** One container of a pod or pod template; env values are never kept, only their names. */
export interface ContainerSummary {
  name: string;
  image: string;
  /** Names of `env` entries, sorted. */
  envKeys: string[];
  /** `configMap:NAME` / `secret:NAME` of `envFrom` entries, sorted. */
  envFrom: string[];
  /** `cpu` → `500m` etc.; quantities as written. */
  requests: Record<string, string>;
  limits: Record<string, string>;
}

/** A pod spec (a Pod's own, or a workload's template). */
export interface PodSummary {
  labels: Record<string, string>;
  containers: ContainerSummary[];
  /** ConfigMaps and Secrets the pod reads (volumes, envFrom, env valueFrom), sorted, deduplicated. */
  configMaps: string[];
  secrets: string[];
  nodeName?: string;
}

/** One object, validated. `where` is its location in the input (`deploy.yaml › document 3`). */
export interface K8sObject {
  kind: K8sKind;
  name: string;
  /** null for cluster-scoped kinds (Namespace, Node). */
  namespace: string | null;
  labels: Record<string, string>;
  ownerRefs: Array<{ kind: string; name: string }>;
  where: string;
  replicas?: number;
  /** Workload `spec.selector.matchLabels` or Service `spec.selector`. */
  selector?: Record<string, string>;
  /** Pod spec (Pod) or pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet). */
  pod?: PodSummary;
  /** ConfigMap / Secret keys (data and binaryData / stringData), sorted. */
  dataKeys?: string[];
  /** ConfigMap only: key → short hash of its value, so an edited value is a change (values never stored). */
  dataDigests?: Record<string, string>;
  /** Ingress backend service names, sorted. */
  routes?: string[];
  /** HPA target and bounds. */
  scaleTarget?: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas?: number;
  /** Pod status and addresses, Node capacity. */
  phase?: string;
  ip?: string;
  capacity?: Record<string, string>;
  serviceType?: string;
  /** Who last changed the spec, read from a live object (absent in plain manifests). */
  who?: ChangeAuthor;
  /** Pod: per-container restarts and last/current abnormal states (a live object's status). */
  containerStatuses?: ContainerStatusSummary[];
  /** Node: `spec.unschedulable` (cordoned). */
  unschedulable?: boolean;
  /** ReplicaSet: `deployment.kubernetes.io/revision`. */
  revision?: string;
}

/** Who or what caused an edit: the managedFields manager that last wrote `spec`, the change-cause annotation. */
export interface ChangeAuthor {
  manager?: string;
  cause?: string;
  /** `metadata.generation`: bumps on every spec edit. */
  generation?: number;
}

/** One container's status, as the kubelet reports it. */
export interface ContainerStatusSummary {
  name: string;
  restartCount: number;
  /** `state.waiting.reason` (CrashLoopBackOff, ImagePullBackOff …) or `state.terminated.reason`. */
  stateReason?: string;
  /** `lastState.terminated.reason` (OOMKilled, Error …) and its exit code and finish time (ms). */
  lastReason?: string;
  lastExitCode?: number;
  lastFinishedAt?: number;
}

/** Result of parsing a manifest stream: partial failure as data. */
export interface ParsedManifests {
  accepted: K8sObject[];
  rejected: Array<{ where: string; reason: string }>;
  /** Objects of kinds rootgraph does not model (Endpoints, CRDs …): skipped, not errors. */
  ignored: Array<{ where: string; kind: string }>;
  /**
   * Documents that look like Kubernetes objects (a string `kind` or `apiVersion`), valid or not; a
   * `List` counts once. Zero means the input is not Kubernetes manifests at all.
   */
  documents: number;
}
