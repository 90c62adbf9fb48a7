import { createHash } from 'node:crypto';
import type { ContainerSummary, K8sObject } from './k8s-object.js';

/**
 * The part of a manifest whose edits matter on call (image, replicas, env keys, config keys,
 * resources, scaling bounds, routes), normalised so that key order and formatting do not count.
 * Stored on the entity node as JSON (`manifestState`) with its hash (`manifestDigest`).
 */
export interface ManifestState {
  replicas?: number;
  containers?: Array<Pick<ContainerSummary, 'name' | 'image' | 'envKeys' | 'envFrom' | 'requests' | 'limits'>>;
  configMaps?: string[];
  secrets?: string[];
  /** ConfigMap: key → value hash; Secret: key → '' (values are never read). */
  data?: Record<string, string>;
  minReplicas?: number;
  maxReplicas?: number;
  routes?: string[];
  selector?: Record<string, string>;
  /** Node: cordoned (`spec.unschedulable`). */
  unschedulable?: boolean;
}

/**
 * Kinds whose edits become Change nodes (Pods are replaced, not edited). A Node changes by itself all
 * the time; only a cordon (`spec.unschedulable`) counts.
 */
export const CHANGE_KINDS: ReadonlySet<string> = new Set([
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ConfigMap',
  'Secret',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Service',
]);

const sortKeys = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The normalised state of an object, or undefined for kinds without change tracking. Pure. */
export function manifestState(o: K8sObject): ManifestState | undefined {
  if (!CHANGE_KINDS.has(o.kind)) return undefined;
  switch (o.kind) {
    case 'ConfigMap':
      return { data: sortKeys(o.dataDigests ?? {}) };
    case 'Secret':
      return { data: Object.fromEntries((o.dataKeys ?? []).map((k) => [k, ''])) };
    case 'HorizontalPodAutoscaler':
      return { minReplicas: o.minReplicas, maxReplicas: o.maxReplicas };
    case 'Ingress':
      return { routes: o.routes ?? [] };
    case 'Service':
      return { selector: sortKeys(o.selector ?? {}) };
    case 'Node':
      return { unschedulable: o.unschedulable === true };
    default: {
      const containers = (o.pod?.containers ?? [])
        .map((c) => ({
          name: c.name,
          image: c.image,
          envKeys: c.envKeys,
          envFrom: c.envFrom,
          requests: sortKeys(c.requests),
          limits: sortKeys(c.limits),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        replicas: o.replicas ?? 1,
        containers,
        configMaps: o.pod?.configMaps ?? [],
        secrets: o.pod?.secrets ?? [],
      };
    }
  }
}

/** Stable JSON of a state (keys in a fixed order) and its short hash. Pure. */
export function stateDigest(s: ManifestState): { json: string; digest: string } {
  const json = JSON.stringify(s);
  return { json, digest: createHash('sha256').update(json).digest('hex').slice(0, 16) };
}

/** `registry/path/cartservice:v1` → `cartservice:v1`. */
const shortImage = (img: string) => img.slice(img.lastIndexOf('/') + 1);

function imageChange(a: string, b: string): string {
  const [sa, sb] = [shortImage(a), shortImage(b)];
  const [na, ta] = [sa.split(':')[0], sa.split(':')[1]];
  const [nb, tb] = [sb.split(':')[0], sb.split(':')[1]];
  // Same repository: show only the new tag, as people say it ("cartservice:v1 → v2").
  return na === nb && a.slice(0, a.lastIndexOf('/')) === b.slice(0, b.lastIndexOf('/')) && ta && tb
    ? `${sa} → ${tb}`
    : `${sa || '(none)'} → ${sb || '(none)'}`;
}

function setChange(what: string, a: string[] = [], b: string[] = []): string[] {
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  if (added.length === 0 && removed.length === 0) return [];
  return [`${what} ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(' ')}`];
}

function mapChange(what: string, a: Record<string, string> = {}, b: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (a[k] === b[k]) continue;
    out.push(`${what}.${k} ${a[k] ?? '(none)'} → ${b[k] ?? '(none)'}`);
  }
  return out;
}

/**
 * What changed between two states, one readable phrase each, e.g.
 * `["image cartservice:v1 → v2", "replicas 2 → 3", "env +FEATURE_X", "data ~LOG_LEVEL"]`. Pure.
 */
export function diffStates(before: ManifestState, after: ManifestState): string[] {
  const out: string[] = [];
  const num = (what: string, a?: number, b?: number) => {
    if (a !== b) out.push(`${what} ${a ?? '(none)'} → ${b ?? '(none)'}`);
  };
  const ca = new Map((before.containers ?? []).map((c) => [c.name, c]));
  const cb = new Map((after.containers ?? []).map((c) => [c.name, c]));
  const many = ca.size > 1 || cb.size > 1;
  for (const name of [...new Set([...ca.keys(), ...cb.keys()])].sort()) {
    const [a, b] = [ca.get(name), cb.get(name)];
    const pre = many ? `${name}: ` : '';
    if (!a || !b) {
      out.push(`container ${a ? '-' : '+'}${name}`);
      continue;
    }
    if (a.image !== b.image) out.push(`${pre}image ${imageChange(a.image, b.image)}`);
    out.push(...setChange(`${pre}env`, a.envKeys, b.envKeys), ...setChange(`${pre}envFrom`, a.envFrom, b.envFrom));
    out.push(...mapChange(`${pre}requests`, a.requests, b.requests), ...mapChange(`${pre}limits`, a.limits, b.limits));
  }
  num('replicas', before.replicas, after.replicas);
  num('minReplicas', before.minReplicas, after.minReplicas);
  num('maxReplicas', before.maxReplicas, after.maxReplicas);
  out.push(
    ...setChange('configMaps', before.configMaps, after.configMaps),
    ...setChange('secrets', before.secrets, after.secrets),
  );
  out.push(...setChange('routes', before.routes, after.routes));
  out.push(...mapChange('selector', before.selector, after.selector));
  if ((before.unschedulable ?? false) !== (after.unschedulable ?? false))
    out.push(after.unschedulable ? 'cordoned' : 'uncordoned');
  if (before.data || after.data) {
    const [a, b] = [before.data ?? {}, after.data ?? {}];
    const parts = [
      ...Object.keys(b)
        .filter((k) => !(k in a))
        .sort()
        .map((k) => `+${k}`),
      ...Object.keys(a)
        .filter((k) => !(k in b))
        .sort()
        .map((k) => `-${k}`),
      ...Object.keys(b)
        .filter((k) => k in a && a[k] !== b[k])
        .sort()
        .map((k) => `~${k}`),
    ];
    if (parts.length) out.push(`data ${parts.join(' ')}`);
  }
  return out;
}
