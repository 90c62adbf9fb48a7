import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { asRejection, InputError } from '../../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import {
  isK8sKind,
  type ChangeAuthor,
  type ContainerStatusSummary,
  type ContainerSummary,
  type K8sKind,
  type K8sObject,
  type ParsedManifests,
  type PodSummary,
} from './k8s-object.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** Reads fields of one object, throwing InputError at `<where> › <path>` on a wrong type. */
class Reader {
  constructor(private readonly where: string) {}

  fail(path: string, what: string): never {
    throw new InputError(`${this.where} › ${path}`, what);
  }

  obj(v: unknown, path: string): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    return v;
  }

  arr(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, `expected a list, got ${describe(v)}`);
    return v;
  }

  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(path, `expected a string, got ${describe(v)}`);
    return v;
  }

  reqStr(v: unknown, path: string): string {
    const s = this.str(v, path);
    if (!s) this.fail(path, 'required, expected a non-empty string');
    return s;
  }

  int(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      this.fail(path, `expected a non-negative integer, got ${describe(v)}`);
    return v;
  }

  /** A map of strings; quantities and labels written as numbers (`cpu: 1`) are kept as their text. */
  strMap(v: unknown, path: string): Record<string, string> {
    const o = this.obj(v, path);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(o ?? {})) {
      if (typeof x === 'string') out[k] = x;
      else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
      else this.fail(join(path, k), `expected a string, got ${describe(x)}`);
    }
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

function container(r: Reader, c: unknown, path: string, refs: { cm: Set<string>; sec: Set<string> }): ContainerSummary {
  const o = r.obj(c, path) ?? r.fail(path, 'expected a container object');
  const envKeys: string[] = [];
  r.arr(o.env, join(path, 'env')).forEach((e, i) => {
    const p = join(join(path, 'env'), i);
    const eo = r.obj(e, p) ?? r.fail(p, 'expected an object');
    envKeys.push(r.reqStr(eo.name, join(p, 'name')));
    const from = r.obj(eo.valueFrom, join(p, 'valueFrom'));
    const cm = r.str(
      r.obj(from?.configMapKeyRef, join(p, 'valueFrom.configMapKeyRef'))?.name,
      join(p, 'valueFrom.configMapKeyRef.name'),
    );
    const sec = r.str(
      r.obj(from?.secretKeyRef, join(p, 'valueFrom.secretKeyRef'))?.name,
      join(p, 'valueFrom.secretKeyRef.name'),
    );
    if (cm) refs.cm.add(cm);
    if (sec) refs.sec.add(sec);
  });
  const envFrom: string[] = [];
  r.arr(o.envFrom, join(path, 'envFrom')).forEach((e, i) => {
    const p = join(join(path, 'envFrom'), i);
    const eo = r.obj(e, p) ?? r.fail(p, 'expected an object');
    const cm = r.str(r.obj(eo.configMapRef, join(p, 'configMapRef'))?.name, join(p, 'configMapRef.name'));
    const sec = r.str(r.obj(eo.secretRef, join(p, 'secretRef'))?.name, join(p, 'secretRef.name'));
    if (cm) {
      refs.cm.add(cm);
      envFrom.push(`configMap:${cm}`);
    }
    if (sec) {
      refs.sec.add(sec);
      envFrom.push(`secret:${sec}`);
    }
  });
  const res = r.obj(o.resources, join(path, 'resources'));
  return {
    name: r.reqStr(o.name, join(path, 'name')),
    image: r.str(o.image, join(path, 'image')) ?? '',
    envKeys: sorted(envKeys),
    envFrom: sorted(envFrom),
    requests: r.strMap(res?.requests, join(path, 'resources.requests')),
    limits: r.strMap(res?.limits, join(path, 'resources.limits')),
  };
}

function podSpec(r: Reader, spec: Obj | undefined, labels: Record<string, string>, path: string): PodSummary {
  const refs = { cm: new Set<string>(), sec: new Set<string>() };
  const containers = r
    .arr(spec?.containers, join(path, 'containers'))
    .map((c, i) => container(r, c, join(join(path, 'containers'), i), refs));
  r.arr(spec?.initContainers, join(path, 'initContainers')).forEach((c, i) =>
    container(r, c, join(join(path, 'initContainers'), i), refs),
  );
  r.arr(spec?.volumes, join(path, 'volumes')).forEach((v, i) => {
    const p = join(join(path, 'volumes'), i);
    const vo = r.obj(v, p) ?? r.fail(p, 'expected an object');
    const cm = r.str(r.obj(vo.configMap, join(p, 'configMap'))?.name, join(p, 'configMap.name'));
    const sec = r.str(r.obj(vo.secret, join(p, 'secret'))?.secretName, join(p, 'secret.secretName'));
    if (cm) refs.cm.add(cm);
    if (sec) refs.sec.add(sec);
  });
  const nodeName = r.str(spec?.nodeName, join(path, 'nodeName'));
  return {
    labels,
    containers,
    configMaps: sorted(refs.cm),
    secrets: sorted(refs.sec),
    ...(nodeName ? { nodeName } : {}),
  };
}

function ingressRoutes(r: Reader, spec: Obj | undefined): string[] {
  const out: string[] = [];
  const backend = (b: unknown, p: string) => {
    const bo = r.obj(b, p);
    // networking.k8s.io/v1 uses backend.service.name; v1beta1 used backend.serviceName.
    const name =
      r.str(r.obj(bo?.service, join(p, 'service'))?.name, join(p, 'service.name')) ??
      r.str(bo?.serviceName, join(p, 'serviceName'));
    if (name) out.push(name);
  };
  backend(spec?.defaultBackend, 'spec.defaultBackend');
  r.arr(spec?.rules, 'spec.rules').forEach((rule, i) => {
    const p = `spec.rules[${i}].http.paths`;
    const http = r.obj(r.obj(rule, `spec.rules[${i}]`)?.http, `spec.rules[${i}].http`);
    r.arr(http?.paths, p).forEach((path, j) => backend(r.obj(path, `${p}[${j}]`)?.backend, `${p}[${j}].backend`));
  });
  return sorted(out);
}

/** Milliseconds of an RFC 3339 time (a string on the wire, a Date from client libraries); undefined otherwise. */
function timeMs(v: unknown): number | undefined {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Who last changed `spec`: the managedFields entry that owns `f:spec` with the latest time (a
 * controller writing status or annotations does not count), and the change-cause annotation.
 */
function changeAuthor(r: Reader, meta: Obj): ChangeAuthor | undefined {
  let manager: string | undefined;
  let latest = -Infinity;
  r.arr(meta.managedFields, 'metadata.managedFields').forEach((f, i) => {
    const fo = r.obj(f, `metadata.managedFields[${i}]`);
    const fields = isObj(fo?.fieldsV1) ? fo.fieldsV1 : undefined;
    if (!fo || fo.subresource || !fields || !('f:spec' in fields) || typeof fo.manager !== 'string') return;
    const t = timeMs(fo.time) ?? 0;
    if (t >= latest) [latest, manager] = [t, fo.manager];
  });
  const cause = r.strMap(meta.annotations, 'metadata.annotations')['kubernetes.io/change-cause'];
  const generation = typeof meta.generation === 'number' ? meta.generation : undefined;
  if (manager === undefined && cause === undefined && generation === undefined) return undefined;
  return {
    ...(manager !== undefined ? { manager } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(generation !== undefined ? { generation } : {}),
  };
}

/** A live Pod's `status.containerStatuses` (restarts, waiting and last-terminated reasons). */
function containerStatuses(r: Reader, status: Obj | undefined): ContainerStatusSummary[] {
  return r.arr(status?.containerStatuses, 'status.containerStatuses').map((c, i) => {
    const p = `status.containerStatuses[${i}]`;
    const co = r.obj(c, p) ?? r.fail(p, 'expected an object');
    const state = r.obj(co.state, `${p}.state`);
    const stateReason =
      r.str(r.obj(state?.waiting, `${p}.state.waiting`)?.reason, `${p}.state.waiting.reason`) ??
      r.str(r.obj(state?.terminated, `${p}.state.terminated`)?.reason, `${p}.state.terminated.reason`);
    const last = r.obj(r.obj(co.lastState, `${p}.lastState`)?.terminated, `${p}.lastState.terminated`);
    const lastReason = r.str(last?.reason, `${p}.lastState.terminated.reason`);
    const exit = last?.exitCode;
    const finished = timeMs(last?.finishedAt);
    return {
      name: r.reqStr(co.name, `${p}.name`),
      restartCount: r.int(co.restartCount, `${p}.restartCount`) ?? 0,
      ...(stateReason ? { stateReason } : {}),
      ...(lastReason ? { lastReason } : {}),
      ...(typeof exit === 'number' ? { lastExitCode: exit } : {}),
      ...(finished !== undefined ? { lastFinishedAt: finished } : {}),
    };
  });
}

/** Validates one decoded object. Throws InputError naming the field. */
export function parseK8sObject(doc: unknown, where: string): K8sObject | { ignoredKind: string } {
  const r = new Reader(where);
  if (!isObj(doc)) throw new InputError(where, `expected a Kubernetes object, got ${describe(doc)}`);
  const kind = r.reqStr(doc.kind, 'kind');
  if (!isK8sKind(kind)) return { ignoredKind: kind };
  const meta = r.obj(doc.metadata, 'metadata') ?? r.fail('metadata', 'required');
  const spec = r.obj(doc.spec, 'spec');
  const status = r.obj(doc.status, 'status');
  const clusterScoped = kind === 'Namespace' || kind === 'Node';
  const base: K8sObject = {
    kind: kind as K8sKind,
    name: r.reqStr(meta.name, 'metadata.name'),
    namespace: clusterScoped ? null : r.str(meta.namespace, 'metadata.namespace') || 'default',
    labels: r.strMap(meta.labels, 'metadata.labels'),
    ownerRefs: r.arr(meta.ownerReferences, 'metadata.ownerReferences').map((o, i) => {
      const p = `metadata.ownerReferences[${i}]`;
      const oo = r.obj(o, p) ?? r.fail(p, 'expected an object');
      return { kind: r.reqStr(oo.kind, `${p}.kind`), name: r.reqStr(oo.name, `${p}.name`) };
    }),
    where,
  };
  const who = changeAuthor(r, meta);
  if (who && meta.managedFields !== undefined) base.who = who;
  switch (base.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet': {
      const tpl = r.obj(spec?.template, 'spec.template');
      const tplLabels = r.strMap(
        r.obj(tpl?.metadata, 'spec.template.metadata')?.labels,
        'spec.template.metadata.labels',
      );
      const replicas = r.int(spec?.replicas, 'spec.replicas');
      const revision = r.strMap(meta.annotations, 'metadata.annotations')['deployment.kubernetes.io/revision'];
      return {
        ...base,
        ...(replicas !== undefined ? { replicas } : {}),
        ...(base.kind === 'ReplicaSet' && revision ? { revision } : {}),
        selector: r.strMap(r.obj(spec?.selector, 'spec.selector')?.matchLabels, 'spec.selector.matchLabels'),
        pod: podSpec(r, r.obj(tpl?.spec, 'spec.template.spec'), tplLabels, 'spec.template.spec'),
      };
    }
    case 'Pod': {
      const phase = r.str(status?.phase, 'status.phase');
      const ip = r.str(status?.podIP, 'status.podIP');
      const statuses = containerStatuses(r, status);
      return {
        ...base,
        pod: podSpec(r, spec, base.labels, 'spec'),
        ...(phase ? { phase } : {}),
        ...(ip ? { ip } : {}),
        ...(statuses.length > 0 ? { containerStatuses: statuses } : {}),
      };
    }
    case 'Job':
    case 'CronJob': {
      // A CronJob's pod template sits one level deeper, under its job template.
      const jobSpec =
        base.kind === 'CronJob'
          ? r.obj(r.obj(spec?.jobTemplate, 'spec.jobTemplate')?.spec, 'spec.jobTemplate.spec')
          : spec;
      const at = base.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
      const tpl = r.obj(jobSpec?.template, at);
      const tplLabels = r.strMap(r.obj(tpl?.metadata, `${at}.metadata`)?.labels, `${at}.metadata.labels`);
      return { ...base, pod: podSpec(r, r.obj(tpl?.spec, `${at}.spec`), tplLabels, `${at}.spec`) };
    }
    case 'Service': {
      const type = r.str(spec?.type, 'spec.type');
      return { ...base, selector: r.strMap(spec?.selector, 'spec.selector'), ...(type ? { serviceType: type } : {}) };
    }
    case 'ConfigMap': {
      const data = r.strMap(doc.data, 'data');
      const bin = r.strMap(doc.binaryData, 'binaryData');
      const all = { ...data, ...bin };
      return {
        ...base,
        dataKeys: sorted(Object.keys(all)),
        dataDigests: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, digest(v)])),
      };
    }
    case 'Secret': {
      // Only the key names are read; values never leave this function.
      const keys = [
        ...Object.keys(r.obj(doc.data, 'data') ?? {}),
        ...Object.keys(r.obj(doc.stringData, 'stringData') ?? {}),
      ];
      return { ...base, dataKeys: sorted(keys) };
    }
    case 'Ingress':
      return { ...base, routes: ingressRoutes(r, spec) };
    case 'HorizontalPodAutoscaler': {
      const ref = r.obj(spec?.scaleTargetRef, 'spec.scaleTargetRef') ?? r.fail('spec.scaleTargetRef', 'required');
      const min = r.int(spec?.minReplicas, 'spec.minReplicas');
      const max = r.int(spec?.maxReplicas, 'spec.maxReplicas');
      return {
        ...base,
        scaleTarget: {
          kind: r.reqStr(ref.kind, 'spec.scaleTargetRef.kind'),
          name: r.reqStr(ref.name, 'spec.scaleTargetRef.name'),
        },
        ...(min !== undefined ? { minReplicas: min } : {}),
        ...(max !== undefined ? { maxReplicas: max } : {}),
      };
    }
    case 'Node': {
      const addresses = r
        .arr(status?.addresses, 'status.addresses')
        .map((a, i) => r.obj(a, `status.addresses[${i}]`) ?? {});
      const ip = addresses.find((a) => a.type === 'InternalIP')?.address;
      return {
        ...base,
        ...(spec?.unschedulable === true ? { unschedulable: true } : {}),
        capacity: r.strMap(status?.capacity, 'status.capacity'),
        ...(typeof ip === 'string' ? { ip } : {}),
      };
    }
    default:
      return base;
  }
}

/** `kind: List` (kubectl get -o json/yaml) and `*List` kinds expand to their items. */
function expand(doc: unknown, where: string, out: Array<{ doc: unknown; where: string }>): void {
  if (isObj(doc) && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
    doc.items.forEach((item, i) => expand(item, `${where} › items[${i}]`, out));
  } else out.push({ doc, where });
}

/** One JSON value (`kubectl get -o json`), read by JSON.parse: many times faster than YAML on big lists. */
function asJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false }; // YAML flow style, or several JSON documents between `---`: the YAML parser reads those
  }
}

/**
 * Parses manifests: multi-document YAML (`---`), a JSON object, or a `kubectl get … -o json` List.
 * A bad document is rejected with its path (`deploy.yaml › document 3 › spec.replicas`) and the rest
 * are kept (a document that is not YAML is rejected too); unmodelled kinds are listed as ignored, and
 * `documents` counts what looked like Kubernetes at all. Secret values are never read. Pure; throws
 * (InputError) only for a body past INPUT_LIMITS.maxManifestDocuments, never on bad content.
 */
export function parseK8sManifests(text: string, source = 'manifests'): ParsedManifests {
  const items: Array<{ doc: unknown; where: string }> = [];
  const out: ParsedManifests = { accepted: [], rejected: [], ignored: [], documents: 0 };
  const take = (value: unknown, where: string) => {
    if (value === null || value === undefined) return; // an empty document between `---` lines
    if (isObj(value) && (typeof value.kind === 'string' || typeof value.apiVersion === 'string')) out.documents++;
    expand(value, where, items);
  };
  const json = asJson(text);
  if (json.ok) take(json.value, source);
  else {
    // Counted before parsing: parsing 20k documents is itself the work a limit must spare.
    const separators = text.match(/^---/gm)?.length ?? 0;
    if (separators + 1 > INPUT_LIMITS.maxManifestDocuments)
      throw new InputError(source, `${separators + 1} YAML documents; at most ${INPUT_LIMITS.maxManifestDocuments}`, {
        hint: 'Send the manifests in several requests (or files).',
      });
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((d, i) => {
      const where = list.length === 1 ? source : `${source} › document ${i + 1}`;
      if (d.errors.length > 0) {
        out.rejected.push({ where, reason: `not valid YAML: ${d.errors[0].message.split('\n')[0]}` });
        return;
      }
      try {
        take(d.toJS({ maxAliasCount: INPUT_LIMITS.maxYamlAliases }), where);
      } catch (err) {
        // toJS throws on unresolved aliases and alias bombs, which parsing alone does not catch.
        out.rejected.push({ where, reason: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
      }
    });
  }
  if (items.length > INPUT_LIMITS.maxManifestDocuments)
    throw new InputError(source, `${items.length} objects; at most ${INPUT_LIMITS.maxManifestDocuments}`, {
      hint: 'Send the manifests in several requests (or files).',
    });
  for (const { doc, where } of items) {
    try {
      const o = parseK8sObject(doc, where);
      if ('ignoredKind' in o) out.ignored.push({ where, kind: o.ignoredKind });
      else out.accepted.push(o);
    } catch (err) {
      out.rejected.push(asRejection(err));
    }
  }
  return out;
}
